// Unaligned checkpoints in a subtask's NetworkInput, over real LocalInputGates: a barrier that
// overtook its channel's batches is handled before anything more is read, nothing is held back, and
// the in-flight input (decoded here) is exactly each channel's data before its barrier that the
// snapshot had not processed. A restore reads that data before its gates.
import test from 'ava';
import { decodeBatch } from '../../../api/runtime/checkpointing/snapshot-codec.ts';
import type { InFlightChannel } from '../../../api/runtime/checkpointing/snapshot.ts';
import { WeirError } from '../../../messages/errors.ts';
import { within } from '../helpers.ts';
import { timeoutableBarrier, unalignedBarrier } from './checkpointing/barrier-recorder.ts';
import { assertWait, send, setup } from './network-input-harness.ts';

/** Each channel's recorded records, batch by batch. */
const recordsOf = (input: readonly InFlightChannel[]): Record<number, unknown[][]> =>
  Object.fromEntries(input.map(({ channel, batches }) => [channel, batches.map((bytes) => [...decodeBatch(bytes, 'spec').records])]));

test('an unaligned barrier snapshots before anything more is read; the in-flight input is what it overtook and the other channel`s data up to its barrier', (t) => {
  const { input, gates, log } = setup([2]);
  const [gate] = gates;
  const [first, second] = gate.inputChannels;
  send(gate, 0, ['a1', 'a2']);
  send(gate, 0, ['a3']);
  send(gate, 1, ['b1']);
  first.deliverPriority(unalignedBarrier(1));
  send(gate, 0, ['a4']);
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['snapshot 1', 'a1', 'a2', 'b1', 'a3', 'a4'], 'nothing is held back');
  t.is(input.pendingCheckpointId, 1);
  send(gate, 1, ['b2']);
  second.deliver({ records: ['b3'], timestamps: null, events: [1, unalignedBarrier(1)] });
  send(gate, 1, ['b4']);
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['b2', 'b3', 'recorded 1', 'b4']);
  t.deepEqual(recordsOf(log.recorded[0].input), { 0: [['a1', 'a2'], ['a3']], 1: [['b1'], ['b2'], ['b3']] }, 'the barrier that ended b3`s batch is not kept');
  t.is(input.pendingCheckpointId, null);
});

test('a barrier that arrives in the middle of a batch leaves the rest of that batch in flight', (t) => {
  const { input, gates, log } = setup([2]);
  const [gate] = gates;
  send(gate, 0, ['a1', 'a2', 'a3']);
  t.is(input.read(1).kind, 'more');
  t.deepEqual(log.take(), ['a1']);
  gate.inputChannels[1].deliverPriority(unalignedBarrier(4));
  gate.inputChannels[0].deliverPriority(unalignedBarrier(4));
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['snapshot 4', 'recorded 4', 'a2', 'a3']);
  t.deepEqual(recordsOf(log.recorded[0].input), { 0: [['a2', 'a3']] });
});

test('a priority event wakes a subtask waiting for its output or its input', async (t) => {
  const { input, gates } = setup([1]);
  const forOutput = input.whenPriorityEvent();
  const forInput = assertWait(t, input.read(100));
  gates[0].inputChannels[0].deliverPriority(unalignedBarrier(1));
  await within(Promise.all([forOutput, forInput]), 'the priority event to wake both waits');
  t.pass();
});

test('an aligned checkpoint with a timeout switches to unaligned when its timer goes off, on the subtask`s turn', async (t) => {
  const { input, gates, log } = setup([2]);
  const [gate] = gates;
  gate.inputChannels[0].deliver({ records: ['a1'], timestamps: null, events: [1, { ...timeoutableBarrier(1, 30), timestamp: Date.now() }] });
  send(gate, 0, ['a2']);
  const waiting = assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['a1'], 'aligning: a2 is held back');
  await within(waiting, 'the alignment timer to wake the subtask', 2_000);
  send(gate, 1, ['b1']);
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['snapshot 1', 'b1', 'a2']);
  gate.inputChannels[1].deliver({ records: [], timestamps: null, events: [0, { ...timeoutableBarrier(1, 30), timestamp: Date.now() }] });
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['recorded 1']);
  t.deepEqual(recordsOf(log.recorded[0].input), { 1: [['b1']] }, 'only the channel that had not delivered its barrier is in flight');
});

test('a restored subtask reads its in-flight input, events included, before anything its gates hold', (t) => {
  const { input, gates, log } = setup([1, 2]);
  send(gates[1], 0, ['live']);
  input.replayInFlight([
    { channel: 2, batches: [{ records: ['r1'], timestamps: null, events: [1, 42] }] },
    { channel: 0, batches: [{ records: ['r2'], timestamps: null, events: null }] },
  ]);
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['r1', 'r2', 'live']);
  t.throws(() => input.replayInFlight([{ channel: 3, batches: [] }]), {
    instanceOf: WeirError,
    message: 'the snapshot holds in-flight data of input channel 3, but this subtask has 3: an unaligned checkpoint restores at the parallelism it was taken at only',
  });
});

test('a priority event that is not an unaligned checkpoint`s barrier fails the subtask naming the channel', (t) => {
  const { input, gates } = setup([1, 2]);
  gates[1].inputChannels[1].deliverPriority({ kind: 'barrier', checkpointId: 1 });
  const error = t.throws(() => input.read(100), { instanceOf: WeirError });
  t.is(error?.code, 'MALFORMED_FRAME');
  t.is(error?.message, 'input channel 1 of gate 1 sent an object as a priority event, which only an unaligned checkpoint\'s barrier may be');
});

test('an unaligned snapshot pending when the other channel ends is recorded up to that end: the end counts as its barrier', (t) => {
  const { input, gates, log } = setup([2]);
  const [gate] = gates;
  send(gate, 0, ['a1']);
  send(gate, 1, ['b1']);
  gate.inputChannels[0].deliverPriority(unalignedBarrier(1));
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['snapshot 1', 'a1', 'b1']);
  send(gate, 1, ['b2']);
  gate.inputChannels[1].end();
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['b2', 'recorded 1'], 'acknowledged at the end, before the input ends');
  t.deepEqual(recordsOf(log.recorded[0].input), { 0: [['a1']], 1: [['b1'], ['b2']] });
  gate.inputChannels[0].end();
  t.is(input.read(100).kind, 'end');
  t.is(input.pendingCheckpointId, null);
});

test('every channel ending while an unaligned snapshot is pending completes it, whichever ends last', (t) => {
  const { input, gates, log } = setup([1, 1]);
  send(gates[0], 0, ['a1']);
  send(gates[1], 0, ['b1']);
  gates[0].inputChannels[0].deliverPriority(unalignedBarrier(2));
  gates[0].inputChannels[0].end();
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['snapshot 2', 'a1', 'b1'], 'the union`s second gate still owes its barrier');
  gates[1].inputChannels[0].end();
  t.is(input.read(100).kind, 'end');
  t.deepEqual(log.take(), ['wm:Infinity', 'recorded 2'], 'the last end: end of event time, then the recording is complete');
  t.deepEqual(recordsOf(log.recorded[0].input), { 0: [['a1']], 1: [['b1']] });
});

test('a two-input subtask: one input ending mid-checkpoint is recorded up to its end, and the other input`s barrier completes it', (t) => {
  // Input 1: gate 0 (channels 0 and 1); input 2: gate 1 (channel 2).
  const { input, gates, log } = setup([2, 1], { targets: 'two-inputs' });
  send(gates[0], 0, ['a1']);
  send(gates[1], 0, ['b1']);
  gates[0].inputChannels[1].deliverPriority(unalignedBarrier(3));
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['snapshot 3', 'a1', '2:b1']);
  send(gates[1], 0, ['b2']);
  gates[1].inputChannels[0].end();
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['2:b2', '2:wm:Infinity'], 'the second input ended: its end of event time, no acknowledgement yet');
  send(gates[0], 0, ['a2']);
  gates[0].inputChannels[0].deliver({ records: ['a3'], timestamps: null, events: [1, unalignedBarrier(3)] });
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['a2', 'a3', 'recorded 3']);
  t.deepEqual(recordsOf(log.recorded[0].input), { 0: [['a1'], ['a2'], ['a3']], 2: [['b1'], ['b2']] });
});

test('an aligned checkpoint that switched to unaligned is recorded up to a channel`s end as well', (t) => {
  const { input, gates, log } = setup([2]);
  const [gate] = gates;
  // Its timeout passed before its first barrier arrived: it snapshots unaligned at once.
  gate.inputChannels[0].deliver({ records: ['a1'], timestamps: null, events: [1, { ...timeoutableBarrier(1, 30), timestamp: Date.now() - 60_000 }] });
  send(gate, 1, ['b1']);
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['a1', 'snapshot 1', 'b1']);
  gate.inputChannels[1].end();
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['recorded 1']);
  t.deepEqual(recordsOf(log.recorded[0].input), { 1: [['b1']] });
});
