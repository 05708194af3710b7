// Checkpoint barriers in a subtask's NetworkInput, over real LocalInputGates: where the snapshot call
// falls among the records, which channels are held back, and what ends an alignment. One log holds
// the records (by value), watermarks and the listener's calls, in the order they happened.
import test from 'ava';
import type { CheckpointBarrier } from '../../../api/runtime/checkpointing/snapshot.ts';
import { NetworkInput } from '../../../api/runtime/network-input.ts';
import { WeirError } from '../../../messages/errors.ts';
import { MemoryExchange } from '../harness/memory-channels.ts';
import { within } from '../helpers.ts';
import { barrier } from './checkpointing/barrier-recorder.ts';
import { Log, assertWait, send, settlesSoon, setup } from './network-input-harness.ts';

test('EXACTLY_ONCE: a channel that delivered the barrier is held back until the last one did; the snapshot comes between', async (t) => {
  const { input, gates, log, credits } = setup([2]);
  const [gate] = gates;
  send(gate, 0, ['a1', 'a2'], 1);
  send(gate, 0, ['a3']);
  send(gate, 1, ['b1']);
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['a1', 'a2', 'b1'], 'a3 stays behind the barrier');
  t.is(gate.inputChannels[0].batches.length, 1);
  t.deepEqual(credits[0], [1, 1], 'the held batch returns no credit');
  t.is(input.pendingCheckpointId, 1);
  send(gate, 1, ['b2'], 1);
  send(gate, 1, ['b3']);
  assertWait(t, input.read(100));
  t.deepEqual(log.take(), ['b2', 'snapshot 1', 'a3', 'b3']);
  t.deepEqual(credits[0], [2, 3]);
  t.is(input.pendingCheckpointId, null);
});

test('the barrier is handled after the last record of its batch, even when the record budget ends inside the batch', (t) => {
  const { input, gates, log } = setup([1]);
  send(gates[0], 0, ['x1', 'x2', 'x3'], 1);
  send(gates[0], 0, ['x4']);
  t.is(input.read(2).kind, 'more');
  t.deepEqual(log.take(), ['x1', 'x2']);
  t.is(input.read(1).kind, 'more');
  t.deepEqual(log.take(), ['x3', 'snapshot 1']);
  input.read(1);
  t.deepEqual(log.take(), ['x4']);
});

test('while only a held-back channel has batches, read() waits, and a batch on another channel wakes it', async (t) => {
  const { input, gates, log } = setup([2]);
  const [gate] = gates;
  send(gate, 0, ['a1'], 1);
  send(gate, 0, ['a2']);
  const waiting = assertWait(t, input.read(100));
  t.false(await settlesSoon(waiting), 'the held batch does not wake the subtask');
  t.deepEqual(log.take(), ['a1']);
  send(gate, 1, [], 1);
  await within(waiting, 'the wait to settle for the barrier of channel 1');
  input.read(100);
  t.deepEqual(log.take(), ['snapshot 1', 'a2']);
});

test('a channel end during an alignment completes it, and an ended channel is not waited for later', (t) => {
  const { input, gates, log } = setup([3]);
  const [gate] = gates;
  gate.inputChannels[2].end();
  input.read(100);
  send(gate, 0, ['a1'], 1);
  send(gate, 0, ['a2'], 2);
  input.read(100);
  t.deepEqual(log.take(), ['a1']);
  gate.inputChannels[1].end();
  input.read(100);
  t.deepEqual(log.take(), ['snapshot 1', 'a2', 'snapshot 2'], 'channel 0 is the only open one for checkpoint 2');
});

test('channels are counted over every gate, across both inputs of a two-input operator', (t) => {
  const { input, gates, log } = setup([1, 2], { targets: 'two-inputs' });
  send(gates[0], 0, ['x'], 3);
  send(gates[0], 0, ['y']);
  send(gates[1], 0, [7], 3);
  send(gates[1], 1, [8]);
  input.read(100);
  t.deepEqual(log.take(), ['x', '2:7', '2:8']);
  t.deepEqual([gates[0].inputChannels[0].blocked, gates[1].inputChannels[0].blocked], [true, true]);
  send(gates[1], 1, [9], 3);
  input.read(100);
  t.deepEqual(log.take(), ['2:9', 'snapshot 3', 'y']);
});

test('a barrier of a newer checkpoint aborts the alignment, resumes its channels and starts its own', (t) => {
  const { input, gates, log } = setup([3]);
  const [gate] = gates;
  send(gate, 0, ['a1'], 1);
  send(gate, 0, ['a2'], 2);
  send(gate, 1, ['b1'], 2);
  input.read(100);
  t.deepEqual(log.take(), ['a1', 'b1', 'abort 1: the barrier of checkpoint 2 arrived before checkpoint 1 was aligned', 'a2']);
  t.is(input.pendingCheckpointId, 2);
  send(gate, 2, ['c1'], 1);
  send(gate, 2, ['c2'], 2);
  input.read(100);
  t.deepEqual(log.take(), ['c1', 'c2', 'snapshot 2'], 'the late barrier of checkpoint 1 is ignored');
});

test('abortAlignment() resumes the held channels and wakes a waiting read; the checkpoint`s later barriers are ignored', async (t) => {
  const { input, gates, log } = setup([2]);
  const [gate] = gates;
  send(gate, 0, ['a1'], 4);
  send(gate, 0, ['a2']);
  const waiting = assertWait(t, input.read(100));
  t.false(input.abortAlignment(3));
  t.true(input.abortAlignment(4));
  await within(waiting, 'the wait to settle once channel 0 resumes');
  input.read(100);
  send(gate, 1, ['b1'], 4);
  input.read(100);
  t.deepEqual(log.take(), ['a1', 'a2', 'b1']);
  t.false(gate.inputChannels[1].blocked);
  t.is(input.pendingCheckpointId, null);
});

test('AT_LEAST_ONCE blocks nothing: the snapshot comes when the last channel delivered the barrier', (t) => {
  const { input, gates, log } = setup([2]);
  const [gate] = gates;
  send(gate, 0, ['a1'], 1, 'AT_LEAST_ONCE');
  send(gate, 0, ['a2']);
  input.read(100);
  t.deepEqual(log.take(), ['a1', 'a2']);
  t.false(gate.inputChannels[0].blocked);
  send(gate, 1, ['b1'], 1, 'AT_LEAST_ONCE');
  input.read(100);
  t.deepEqual(log.take(), ['b1', 'snapshot 1']);
});

test('one input channel in all: the snapshot comes at the barrier and nothing is held back', (t) => {
  const { input, gates, log } = setup([1]);
  send(gates[0], 0, ['a1'], 1);
  send(gates[0], 0, ['a2']);
  input.read(100);
  t.deepEqual(log.take(), ['a1', 'snapshot 1', 'a2']);
  t.false(gates[0].inputChannels[0].blocked);
});

test('without a listener barriers are ignored and nothing is held back', (t) => {
  const { input, gates, log } = setup([2], { listener: false });
  send(gates[0], 0, ['a1'], 1);
  send(gates[0], 0, ['a2']);
  input.read(100);
  t.deepEqual(log.take(), ['a1', 'a2']);
  t.is(input.pendingCheckpointId, null);
});

test('the listener cannot be set once a barrier has arrived', (t) => {
  const { input, gates, log } = setup([2]);
  send(gates[0], 0, [], 5);
  input.read(100);
  const error = t.throws(() => input.setBarrierListener(log), { instanceOf: WeirError });
  t.is(error?.code, 'ILLEGAL_SUBTASK_STATE');
  t.is(error?.message, 'the barrier listener was set after barriers arrived: set it before the first read()');
});

test('a barrier before the last element of its batch (a record or an event) fails with MALFORMED_FRAME naming the channel', (t) => {
  for (const events of [[1, barrier(1)], [2, barrier(1), 2, 5]]) {
    const { input, gates } = setup([2]);
    gates[0].inputChannels[1].deliver({ records: ['a', 'b'], timestamps: null, events });
    const error = t.throws(() => input.read(100), { instanceOf: WeirError });
    t.is(error?.code, 'MALFORMED_FRAME');
    t.is(error?.message, 'input channel 1 of gate 0 sent a checkpoint barrier that is not the last element of its batch');
  }
});

test('a barrier with a missing or wrong field fails with MALFORMED_FRAME naming the channel', (t) => {
  const wrong = [{ ...barrier(1), checkpointId: 0 }, { ...barrier(1), mode: 'SOMETIMES' }, { kind: 'barrier', checkpointId: 1 }];
  for (const event of wrong) {
    const { input, gates } = setup([1]);
    gates[0].inputChannels[0].deliver({ records: [], timestamps: null, events: [0, event as CheckpointBarrier] });
    const error = t.throws(() => input.read(100), { instanceOf: WeirError }, JSON.stringify(event));
    t.is(error?.code, 'MALFORMED_FRAME');
    t.is(error?.message, 'input channel 0 of gate 0 sent a checkpoint barrier with missing or wrong fields');
  }
});

test('the in-memory harness channels seal a barrier`s batch and wake a read waiting on a resumed channel', async (t) => {
  const log = new Log();
  const exchange = new MemoryExchange(2, 1, { batchSize: 10, capacity: 10 });
  const [early, late] = [exchange.writer(0), exchange.writer(1)];
  const input = new NetworkInput([exchange.gate(0)], [log.target()], [], { current: null });
  input.setBarrierListener(log);
  early.emit(0, 'a1', undefined);
  early.broadcastEvent(barrier(2));
  early.emit(0, 'a2', undefined);
  early.flush();
  const waiting = assertWait(t, input.read(100));
  t.false(await settlesSoon(waiting), 'the held batch does not wake the subtask');
  t.true(input.abortAlignment(2));
  await within(waiting, 'the wait to settle once channel 0 resumes');
  input.read(100);
  late.emit(0, 'b1', undefined);
  late.broadcastEvent(barrier(3));
  late.flush();
  input.read(100);
  t.deepEqual(log.take(), ['a1', 'a2', 'b1']);
  t.is(input.pendingCheckpointId, 3);
});
