import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { ActorRef } from '../../../actors/index.ts';
import { holdKeyGroups } from '../../../api/operators/keyed-snapshots.ts';
import { encodeBatch } from '../../../api/runtime/checkpointing/snapshot-codec.ts';
import type { CheckpointBarrier, TakenSubtaskSnapshot } from '../../../api/runtime/checkpointing/snapshot.ts';
import type { Key } from '../../../api/runtime/key-groups.ts';
import { ValueStateDescriptor } from '../../../api/state/descriptors.ts';
import type { HeapKeyedStateBackend } from '../../../api/state/heap-keyed-state.ts';
import { checkpointDirectory, readSubtaskState } from '../../../cluster/checkpoint/storage.ts';
import { TaskCheckpointResponder } from '../../../cluster/taskmanager/task-checkpoints.ts';
import type { JobManagerMsg } from '../../../messages/job-manager.ts';
import type { JobId } from '../../../messages/ids.ts';
import type { JobVertex } from '../../../messages/job-graph.ts';
import { backendOf } from '../../api/state/state-fixtures.ts';
import { descriptorFor } from '../helpers.ts';

const JOB = 'job-1' as JobId;
const KEYS = 2_000;
const VERTEX = { id: 'sums', name: 'Sums', parallelism: 2, operators: [], inputs: [], bounded: false } as unknown as JobVertex;

const barrier = (checkpointId: number): CheckpointBarrier => ({ kind: 'barrier', checkpointId, timestamp: 1_000, mode: 'EXACTLY_ONCE', savepoint: false });
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A responder capturing one key group per slice, what it tells the JobManager, and a keyed state of KEYS keys (value = key). */
function setup(t: ExecutionContext) {
  const directory = mkdtempSync(join(tmpdir(), 'weir-task-checkpoints-'));
  t.teardown(() => rmSync(directory, { recursive: true, force: true }));
  const told: JobManagerMsg[] = [];
  const jobManager = { tell: (msg: JobManagerMsg) => told.push(msg) } as unknown as ActorRef<JobManagerMsg>;
  const warnings: string[] = [];
  const responder = new TaskCheckpointResponder(descriptorFor(JOB, VERTEX, jobManager, { subtaskIndex: 1 }), directory, (message) => warnings.push(message), 0);
  const backend = backendOf<number>();
  const count = backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count'));
  for (let key = 0; key < KEYS; key++) {
    backend.setCurrentKey(key);
    count.update(key);
  }
  const take = (checkpointId: number): TakenSubtaskSnapshot => ({
    checkpointId,
    operators: { sums: { watermark: 5, keyGroups: holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null }) } },
  });
  const jobDirectory = directory;
  return { responder, told, warnings, backend, count, take, jobDirectory, file: (checkpointId: number) => join(checkpointDirectory(directory, checkpointId), 'sums-1-0.state') };
}

test('the snapshot is captured over later turns while the task writes on; the acknowledgement comes once the file is written, with the synchronous time', async (t) => {
  const { responder, told, backend, count, take, file } = setup(t);
  responder.acknowledge(barrier(7), take(7), 1.5);
  await nextTurn();
  t.deepEqual(responder.inProgress, [7], 'one key group per slice: still capturing');
  t.deepEqual(told, []);
  t.false(existsSync(file(7)));
  for (let key = 0; key < KEYS; key++) {
    backend.setCurrentKey(key);
    count.update(-1);
  }
  await responder.settled();
  t.deepEqual(told.map((msg) => msg.type), ['AcknowledgeCheckpoint']);
  const ack = told[0] as Extract<JobManagerMsg, { type: 'AcknowledgeCheckpoint' }>;
  t.like(ack, { checkpointId: 7, syncMs: 1.5, handle: { path: file(7) }, splitsReceived: null });
  t.true(ack.asyncMs >= 0);
  const written = await readSubtaskState(file(7));
  t.is(written.operators.sums.watermark, 5);
  const values = new Map(written.operators.sums.keyGroups!.flatMap((group) => group.state!.states.count.map(([key, , value]) => [key, value])));
  t.is(values.size, KEYS);
  t.true([...values].every(([key, value]) => key === value), 'every key as it was at the snapshot, not -1');
  t.is(backend.guard.holding, 0, 'written: nothing held any more');
});

test('an abort in the middle stops the asynchronous part: no file, no acknowledgement, and the key groups are let go', async (t) => {
  const { responder, told, backend, count, take, jobDirectory } = setup(t);
  responder.acknowledge(barrier(7), take(7), 1);
  await nextTurn();
  await nextTurn();
  responder.abort(7);
  await responder.settled();
  for (let turn = 0; turn < 5; turn++) await nextTurn();
  t.deepEqual(told, []);
  t.false(existsSync(checkpointDirectory(jobDirectory, 7)));
  t.is(backend.guard.holding, 0);
  backend.setCurrentKey(1);
  count.update(2);
  t.is((count as unknown as { table: { guard: unknown } }).table.guard, null, 'writes ask nobody');
});

test('a checkpoint completed after the one being captured subsumes it: it stops, and the next one runs', async (t) => {
  const { responder, told, take, jobDirectory, file } = setup(t);
  responder.acknowledge(barrier(7), take(7), 1);
  responder.acknowledge(barrier(9), take(9), 1);
  await nextTurn();
  responder.completed(8);
  t.deepEqual(responder.inProgress, [9]);
  await responder.settled();
  t.deepEqual(
    told.map((msg) => [msg.type, (msg as { checkpointId?: number }).checkpointId]),
    [['AcknowledgeCheckpoint', 9]],
  );
  t.false(existsSync(checkpointDirectory(jobDirectory, 7)));
  t.true(existsSync(file(9)));
});

test('a cancelled task stops every asynchronous part at once: nothing is left running or written', async (t) => {
  const { responder, told, backend, take, jobDirectory } = setup(t);
  responder.acknowledge(barrier(7), take(7), 1);
  responder.acknowledge(barrier(8), take(8), 1);
  t.is(backend.guard.holding, 2);
  responder.abortAll();
  t.deepEqual(responder.inProgress, []);
  await responder.settled();
  for (let turn = 0; turn < 5; turn++) await nextTurn();
  t.deepEqual(told, []);
  t.false(existsSync(checkpointDirectory(jobDirectory, 7)) || existsSync(checkpointDirectory(jobDirectory, 8)));
  t.is(backend.guard.holding, 0);
});

test('a snapshot that cannot be encoded declines the checkpoint as a failure, naming the task', async (t) => {
  const { responder, told, warnings, backend, take } = setup(t);
  const odd = backend.getOrCreateKeyedState(new ValueStateDescriptor<object>('odd'));
  backend.setCurrentKey(3);
  odd.update({
    get broken(): never {
      throw new Error('no reading this');
    },
  });
  responder.acknowledge(barrier(7), take(7), 1);
  await responder.settled();
  t.deepEqual(told, [
    {
      type: 'DeclineCheckpoint',
      jobId: JOB,
      jobMasterId: `leader-of-${JOB}`,
      executionAttemptId: `attempt-of-${JOB}`,
      checkpointId: 7,
      reason: 'Sums (2/2): writing its snapshot failed: no reading this',
      failure: true,
    },
  ]);
  t.deepEqual(warnings, ['checkpoint 7: Sums (2/2): writing its snapshot failed: no reading this']);
  t.is(backend.guard.holding, 0);
});

test('a snapshot with nothing in it is acknowledged without a file', async (t) => {
  const { responder, told, jobDirectory } = setup(t);
  responder.acknowledge(barrier(7), { checkpointId: 7, operators: {} }, 0.2);
  t.deepEqual(told, [], 'not on the task’s turn');
  await responder.settled();
  t.like(told[0], { type: 'AcknowledgeCheckpoint', checkpointId: 7, handle: null, syncMs: 0.2 });
  t.false(existsSync(checkpointDirectory(jobDirectory, 7)));
});

test('an unaligned snapshot`s acknowledgement says how many bytes of in-flight data it persisted; an aligned one`s says nothing of it', async (t) => {
  const { responder, told } = setup(t);
  const input = [encodeBatch({ records: [1, 2, 3], timestamps: null, events: null })];
  const output = [encodeBatch({ records: ['a'], timestamps: null, events: null }), encodeBatch({ records: ['b', 'c'], timestamps: null, events: null })];
  const inFlight = { input: [{ channel: 1, batches: input }], output: [{ output: 0, subpartition: 1, batches: output }] };
  responder.acknowledge({ ...barrier(8), unaligned: true }, { checkpointId: 8, operators: {}, inFlight }, 0.1);
  responder.acknowledge({ ...barrier(9), unaligned: true }, { checkpointId: 9, operators: {} }, 0.1);
  responder.acknowledge(barrier(10), { checkpointId: 10, operators: { sums: { watermark: 1 } } }, 0.1);
  await responder.settled();
  const acks = told as Extract<JobManagerMsg, { type: 'AcknowledgeCheckpoint' }>[];
  const persisted = [...input, ...output].reduce((sum, batch) => sum + batch.length, 0);
  t.true(persisted > 0);
  t.deepEqual(
    acks.map(({ checkpointId, inFlightBytes }) => [checkpointId, inFlightBytes]),
    [
      [8, persisted],
      [9, 0],
      [10, undefined],
    ],
    'an unaligned snapshot with nothing in flight persisted 0 bytes; an aligned one has no figure',
  );
  t.false('inFlightBytes' in acks[2]);
});
