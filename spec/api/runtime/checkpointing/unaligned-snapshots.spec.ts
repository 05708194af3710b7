// A subtask's side of unaligned checkpoints: the barrier goes ahead of each output's queued batches,
// which join the snapshot; a subtask fed by network edges acknowledges once its in-flight input is
// recorded (a channel's end counts as its barrier); a restore puts both parts back, and refuses what
// this subtask does not have.
import test from 'ava';
import { planJob } from '../../../../api/internal.ts';
import type { BuiltChain } from '../../../../api/runtime/chain-builder.ts';
import { decodeBatch, encodeBatch } from '../../../../api/runtime/checkpointing/snapshot-codec.ts';
import type { CheckpointBarrier, SubtaskSnapshot, TakenSubtaskSnapshot } from '../../../../api/runtime/checkpointing/snapshot.ts';
import { UnalignedSnapshots, restoreInFlight } from '../../../../api/runtime/checkpointing/unaligned-snapshots.ts';
import { NetworkInput } from '../../../../api/runtime/network-input.ts';
import type { RecordBatch } from '../../../../api/runtime/subtask.ts';
import { LocalInputGate } from '../../../../cluster/taskmanager/network/input-gate.ts';
import { ResultPartition } from '../../../../cluster/taskmanager/network/result-partition.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { RecordingResponder } from '../../harness/checkpoints.ts';
import { FakeWriter } from '../../harness/fakes.ts';
import { fakeContext, stepToEnd } from '../../helpers.ts';
import { unalignedBarrier } from './barrier-recorder.ts';

const batch = (...records: unknown[]): RecordBatch => ({ records, timestamps: null, events: null });
const SNAPSHOT: SubtaskSnapshot = { checkpointId: 1, operators: { map: { watermark: 5 } } };

function acknowledgements(): { snapshots: UnalignedSnapshots; acks: { barrier: CheckpointBarrier; snapshot: TakenSubtaskSnapshot }[] } {
  const acks: { barrier: CheckpointBarrier; snapshot: TakenSubtaskSnapshot }[] = [];
  return { snapshots: new UnalignedSnapshots((barrier, snapshot) => acks.push({ barrier, snapshot })), acks };
}

/** A partition of 2 subpartitions without readers: what it is given stays queued. */
function queuedPartition(): ResultPartition {
  const partition = new ResultPartition('job/map/0#0/sink/0', 2, 2, false);
  for (const n of [1, 2, 3]) partition.emit(0, n, undefined);
  return partition;
}

const records = (batches: readonly Uint8Array[]): unknown[][] => batches.map((bytes) => [...decodeBatch(bytes, 'spec').records]);

test('a source subtask acknowledges at once, with the batches its barrier overtook in each subpartition', (t) => {
  const { snapshots, acks } = acknowledgements();
  const partition = queuedPartition();
  snapshots.taken(unalignedBarrier(1), SNAPSHOT, 1, [partition], false);
  t.is(acks.length, 1);
  const { inFlight, ...rest } = acks[0].snapshot;
  t.deepEqual(rest, SNAPSHOT);
  t.deepEqual(inFlight?.input, []);
  t.deepEqual(
    inFlight?.output.map(({ output, subpartition, batches }) => ({ output, subpartition, records: records(batches) })),
    [{ output: 0, subpartition: 0, records: [[1, 2], [3]] }],
  );
});

test('a subtask fed by network edges acknowledges once its input is recorded; a dropped checkpoint never', (t) => {
  const { snapshots, acks } = acknowledgements();
  const writer = new FakeWriter(1);
  snapshots.taken(unalignedBarrier(1), SNAPSHOT, 1, [writer], true);
  snapshots.taken(unalignedBarrier(2), { ...SNAPSHOT, checkpointId: 2 }, 1, [writer], true);
  t.is(acks.length, 0);
  snapshots.drop(1);
  snapshots.inputRecorded(1, [{ channel: 0, batches: [encodeBatch(batch('x'))] }]);
  t.is(acks.length, 0);
  snapshots.inputRecorded(2, []);
  t.deepEqual(acks, [{ barrier: unalignedBarrier(2), snapshot: { ...SNAPSHOT, checkpointId: 2 } }], 'nothing in flight: the snapshot is as an aligned one');
  t.deepEqual(writer.events.map(({ event }) => event), [unalignedBarrier(1), unalignedBarrier(2)], 'a writer without a priority path gets the barrier in order');
});

test('a restore replays the input part before the gates and sends the output part before anything emitted', (t) => {
  const gate = new LocalInputGate(2);
  const seen: unknown[] = [];
  const input = new NetworkInput([gate], [{ collect: (value) => void seen.push(value), emitWatermark: () => {}, emitWatermarkStatus: () => {} }], [], { current: null });
  const partition = new ResultPartition('job/map/0#1/sink/0', 2, 2, false);
  const chain = { input, outputs: [partition], operators: [], partitioners: [], tracker: { current: null } } as unknown as BuiltChain;
  restoreInFlight(chain, { input: [{ channel: 1, batches: [encodeBatch(batch('in'))] }], output: [{ output: 0, subpartition: 1, batches: [encodeBatch(batch('out'))] }] }, 'Map (1/2)');
  gate.inputChannels[0].deliver(batch('live'));
  input.read(10);
  t.deepEqual(seen, ['in', 'live']);
  t.is(partition.subpartitions[1].recordsWritten, 1, 'the output part waits for its reader first');
  const error = t.throws(() => restoreInFlight(chain, { input: [], output: [{ output: 0, subpartition: 2, batches: [] }] }, 'Map (1/2)'), { instanceOf: WeirError });
  t.is(error?.code, 'STATE_RESTORE_FAILED');
  t.is(error?.message, 'Map (1/2): the snapshot holds in-flight output of subpartition 2 of output 0, which this subtask does not have (1 outputs): an unaligned checkpoint restores at the parallelism it was taken at only');
});

test('a subtask whose input ends while its unaligned snapshot is pending acknowledges it with the data recorded up to the end, then finishes', async (t) => {
  const sunk: number[] = [];
  const plan = await planJob((env) => void env.fromSequence(1, 10).keyBy((n) => n % 3).map((n) => n * 10).sinkTo((n) => void sunk.push(n)), []);
  const gate = new LocalInputGate(2);
  const responder = new RecordingResponder();
  const subtask = plan.createSubtask(plan.graph.vertices[1], fakeContext({ inputs: [gate], checkpointResponder: responder }));
  await subtask.open();
  const [first, second] = gate.inputChannels;
  first.deliver(batch(1, 2));
  second.deliver(batch(3));
  first.deliverPriority(unalignedBarrier(1));
  t.is(subtask.step(100).kind, 'wait');
  t.deepEqual(sunk, [10, 20, 30]);
  t.deepEqual(responder.acks, [], 'pending: the second channel owes its barrier');
  second.deliver(batch(4));
  second.end();
  first.deliver(batch(5));
  first.end();
  await stepToEnd(subtask);
  t.deepEqual([...sunk].sort((a, b) => a - b), [10, 20, 30, 40, 50]);
  t.deepEqual(responder.declines, []);
  t.is(responder.acks.length, 1);
  const [{ barrier, snapshot }] = responder.acks;
  t.is(barrier.checkpointId, 1);
  t.deepEqual(
    snapshot.inFlight?.input.map(({ channel, batches }) => ({ channel, records: records(batches) })),
    [
      { channel: 0, records: [[1, 2]] },
      { channel: 1, records: [[3], [4]] },
    ],
    'what the barrier overtook on the first channel; everything the second delivered up to its end',
  );
  await subtask.close();
});
