// Checkpoint barriers between two TaskManagers' network stacks over real ws on 127.0.0.1: a barrier
// crosses a remote channel as the last element of its batch, a consuming NetworkInput aligns barriers
// of remote channels, and an event off the wire that is not a barrier fails the subtask naming its channel.
import test from 'ava';
import type { Output } from '../../../../api/runtime/chain.ts';
import type { CheckpointBarrier } from '../../../../api/runtime/checkpointing/snapshot.ts';
import { NetworkInput } from '../../../../api/runtime/network-input.ts';
import type { LocalInputGate } from '../../../../cluster/taskmanager/network/input-gate.ts';
import { partitionKey } from '../../../../cluster/taskmanager/network/network-environment.ts';
import { DataFrameKind } from '../../../../messages/data-plane.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { rawServer } from './fake-peer.ts';
import { JOB, eventually, location, startPeer, within } from './helpers.ts';

const barrier = (checkpointId: number): CheckpointBarrier => ({ kind: 'barrier', checkpointId, timestamp: 1_700_000_000_000, mode: 'EXACTLY_ONCE', savepoint: false });

/** A NetworkInput over `gate` whose records, watermarks and snapshot calls go into `log`. */
function inputOver(gate: LocalInputGate, log: string[]): NetworkInput {
  const target: Output<unknown> = {
    collect: (value) => void log.push(String(value)),
    emitWatermark: (watermark) => void log.push(`wm:${watermark}`),
    emitWatermarkStatus: (status) => void log.push(status),
  };
  const input = new NetworkInput([gate], [target], [], { current: null });
  input.setBarrierListener({
    onBarrier: (received) => void log.push(`snapshot ${received.checkpointId}`),
    onAlignmentAborted: (checkpointId, reason) => void log.push(`abort ${checkpointId}: ${reason}`),
    onInFlightRecorded: (checkpointId, input) => void log.push(`recorded ${checkpointId}: ${input.map(({ channel, batches }) => `${channel}:${batches.length}`).join(' ')}`),
  });
  return input;
}

/** Reads (as the subtask does, waiting when told to) until the input ends; at most 5 s. */
async function readToEnd(input: NetworkInput): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const status = input.read(100);
    if (status.kind === 'end') return;
    if (status.kind === 'wait') await within(status.until, deadline - Date.now(), 'the input to have more');
  }
}

test('a barrier crosses a remote channel as the last event of its batch, as it was sent', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const key = partitionKey(JOB, 'map', 0, 0, 'sink', 0);
  const partition = a.network.createPartition(key, 1, 100);
  const gate = b.network.createGate([location(key, 0, 'tm-a', a.address)]);
  partition.emit(0, 'x', 5);
  partition.broadcastEvent(5);
  partition.broadcastEvent(barrier(7));
  partition.emit(0, 'y', undefined);
  partition.finish();
  await eventually(() => gate.inputChannels[0].ended, 2000, 'the end to cross');
  t.deepEqual(gate.inputChannels[0].batches, [
    { records: ['x'], timestamps: [5], events: [1, 5, 1, barrier(7)] },
    { records: ['y'], timestamps: null, events: null },
  ]);
});

test('a NetworkInput aligns the barriers of remote channels: the early channel`s later records come after the snapshot', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const keys = [0, 1].map((producer) => partitionKey(JOB, 'map', producer, 0, 'sink', 0));
  const [early, late] = keys.map((key) => a.network.createPartition(key, 1, 100));
  const gate = b.network.createGate(keys.map((key) => location(key, 0, 'tm-a', a.address)));
  const log: string[] = [];
  const input = inputOver(gate, log);
  early.emit(0, 'a1', undefined);
  early.broadcastEvent(barrier(1));
  early.emit(0, 'a2', undefined);
  early.finish();
  await eventually(() => gate.inputChannels[0].ended, 2000, 'channel 0 to deliver everything');
  const waiting = input.read(100);
  t.is(waiting.kind, 'wait');
  t.deepEqual(log, ['a1']);
  t.true(gate.inputChannels[0].blocked, 'channel 0 is held at its barrier');
  late.emit(0, 'b1', undefined);
  late.broadcastEvent(barrier(1));
  late.emit(0, 'b2', undefined);
  late.finish();
  await readToEnd(input);
  t.deepEqual(log, ['a1', 'b1', 'snapshot 1', 'a2', 'b2', 'wm:Infinity'], 'the end of event time once both channels ended');
  t.true(gate.finished);
});

test('an event off the wire shaped like a barrier but not one fails the consuming subtask with MALFORMED_FRAME naming the channel', async (t) => {
  const b = await startPeer(t, 'tm-b');
  const fake = await rawServer(t);
  const key = partitionKey(JOB, 'map', 3, 0, 'sink', 0);
  const gate = b.network.createGate([location(key, 0, 'tm-a', fake.address)]);
  const producer = await fake.accepted;
  await producer.frame(1);
  producer.send([DataFrameKind.Batch, 0, ['r'], null, [1, { kind: 'barrier', checkpointId: 'one', timestamp: 0, mode: 'EXACTLY_ONCE', savepoint: false }]]);
  await eventually(() => gate.inputChannels[0].batches.length === 1, 2000, 'the batch to arrive');
  const log: string[] = [];
  const input = inputOver(gate, log);
  const error = t.throws(() => input.read(100), { instanceOf: WeirError });
  t.is(error?.code, 'MALFORMED_FRAME');
  t.is(error?.message, 'input channel 0 of gate 0 sent a checkpoint barrier with missing or wrong fields');
  t.deepEqual(log, ['r'], 'the record before it was delivered');
});

test('an unaligned barrier crosses a remote channel as a PriorityEvent frame, ahead of the batches the consumer has not read', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const key = partitionKey(JOB, 'map', 0, 0, 'sink', 0);
  const partition = a.network.createPartition(key, 1, 100);
  const gate = b.network.createGate([location(key, 0, 'tm-a', a.address)]);
  for (let batch = 1; batch <= 6; batch++) {
    partition.emit(0, `r${batch}`, undefined);
    partition.flush();
  }
  await eventually(() => gate.inputChannels[0].batches.length === 4, 2000, 'the channel`s credit to fill');
  const unaligned = { ...barrier(3), unaligned: true };
  const [overtakenAtProducer] = partition.broadcastPriorityEvent(unaligned);
  t.deepEqual(
    overtakenAtProducer.map((batch) => batch.records),
    [['r5'], ['r6']],
  );
  let priority = gate.pollPriority();
  await eventually(() => (priority ??= gate.pollPriority()) !== undefined, 2000, 'the priority event to cross');
  t.deepEqual(priority?.event, unaligned);
  t.deepEqual(
    priority?.overtaken.map((batch) => batch.records),
    [['r1'], ['r2'], ['r3'], ['r4']],
    'the consumer`s queued batches are its part of the in-flight data',
  );
  const log: string[] = [];
  const input = inputOver(gate, log);
  partition.finish();
  await readToEnd(input);
  t.deepEqual(log, ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'wm:Infinity'], 'every batch still arrives once, in order');
});
