// The CheckpointCoordinator's bookkeeping: which checkpoints it triggers, when one is complete,
// what a decline or a timeout does, which completed checkpoints it keeps.
import test from 'ava';
import type { CompletedCheckpoint } from '../../../cluster/checkpoint/storage.ts';
import { CheckpointCoordinator, type CheckpointTask, type ResolvedCheckpointing, barrierAlignment } from '../../../cluster/jobmanager/checkpoint-coordinator.ts';
import type { AcknowledgeCheckpoint } from '../../../messages/checkpoint.ts';
import type { ExecutionAttemptId, JobId, JobMasterId } from '../../../messages/ids.ts';

const jobId = 'job-1' as JobId;
const settings: ResolvedCheckpointing = { intervalMs: 1000, mode: 'EXACTLY_ONCE', timeoutMs: 60_000, minPauseMs: 0, maxConcurrent: 1, tolerableFailures: 0, retained: 2, retention: 'DELETE_ON_CANCELLATION', jobDirectory: '/nowhere/job-1' };
const attempt = (name: string): ExecutionAttemptId => name as ExecutionAttemptId;
const tasks: CheckpointTask[] = [
  { attemptId: attempt('source-0'), vertexId: 'source', subtaskIndex: 0, source: true, running: true, finished: false, upstream: [] },
  { attemptId: attempt('sink-0'), vertexId: 'sink', subtaskIndex: 0, source: false, running: true, finished: false, upstream: [attempt('source-0')] },
  { attemptId: attempt('sink-1'), vertexId: 'sink', subtaskIndex: 1, source: false, running: true, finished: false, upstream: [attempt('source-0')] },
];

function ack(checkpointId: number, executionAttemptId: ExecutionAttemptId, syncMs = 1): AcknowledgeCheckpoint {
  const handle = { path: `/nowhere/job-1/chk-${checkpointId}/${executionAttemptId}`, bytes: 10 };
  return { type: 'AcknowledgeCheckpoint', jobId, jobMasterId: 'master' as JobMasterId, executionAttemptId, checkpointId, handle, splitsReceived: null, syncMs, asyncMs: 1 };
}

function complete(coordinator: CheckpointCoordinator, checkpointId: number, now: number): CompletedCheckpoint {
  let last = null;
  for (const task of tasks) last = coordinator.acknowledge(ack(checkpointId, task.attemptId));
  if (!last) throw new Error('not complete');
  const completed = { directory: `/nowhere/job-1/chk-${checkpointId}`, metadata: coordinator.metadataOf(last, now, { source: 1, sink: 2 }) };
  coordinator.completed(completed, now);
  return completed;
}

test('a checkpoint is triggered at the sources and is complete once every subtask acknowledged', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, settings);
  const decision = coordinator.trigger(100, tasks);
  if (decision.kind !== 'trigger') return t.fail(decision.reason);
  t.like(decision.checkpoint, { checkpointId: 1, timestamp: 100, mode: 'EXACTLY_ONCE', savepoint: false, sources: [attempt('source-0')] });
  t.is(coordinator.acknowledge(ack(1, attempt('sink-1'), 4)), null);
  t.is(coordinator.acknowledge(ack(1, attempt('sink-1'))), null, 'a second acknowledgement of one subtask counts once');
  t.is(coordinator.acknowledge(ack(1, attempt('stranger'))), null, 'an attempt the checkpoint does not know is ignored');
  t.is(coordinator.acknowledge(ack(1, attempt('source-0'))), null);
  const done = coordinator.acknowledge(ack(1, attempt('sink-0')));
  t.is(done?.checkpointId, 1);
  t.is(done?.syncMs, 4, 'the largest synchronous part');
  const metadata = coordinator.metadataOf(done as NonNullable<typeof done>, 250, { source: 1, sink: 2 });
  t.deepEqual(
    metadata.subtasks.map((entry) => [entry.vertexId, entry.subtaskIndex]),
    [
      ['sink', 0],
      ['sink', 1],
      ['source', 0],
    ],
  );
  t.like(metadata, { version: 1, jobId, checkpointId: 1, timestamp: 100, completedAt: 250, syncMs: 4, parallelism: { source: 1, sink: 2 } });
  t.is(coordinator.latest, null, 'not complete before its metadata is written');
  coordinator.completed({ directory: '/nowhere/job-1/chk-1', metadata }, 250);
  t.is(coordinator.latest?.metadata.checkpointId, 1);
});

test('no trigger while one is in progress (max concurrent 1), within the minimum pause, or while a task is not running', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, { ...settings, minPauseMs: 500 });
  t.is(coordinator.trigger(0, tasks).kind, 'trigger');
  t.deepEqual(coordinator.trigger(10, tasks), { kind: 'skip', reason: '1 checkpoint(s) still in progress (max-concurrent-checkpoints 1)' });
  complete(coordinator, 1, 1000);
  t.deepEqual(coordinator.trigger(1200, tasks), { kind: 'skip', reason: 'the minimum pause of 500 ms since the last checkpoint has not passed' });
  const starting = tasks.map((task, index) => (index === 2 ? { ...task, running: false } : task));
  t.deepEqual(coordinator.trigger(1500, starting), { kind: 'skip', reason: 'not every task is running (sink subtask 1 is not)', tasksNotRunning: true });
  const next = coordinator.trigger(1500, tasks);
  t.is(next.kind === 'trigger' ? next.checkpoint.checkpointId : 0, 2, 'skipped triggers take no id');
});

test('completed checkpoints beyond the retained number are handed back for deletion, oldest first', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, settings);
  const completed = [1, 2, 3].map((id) => {
    coordinator.trigger(id * 1000, tasks);
    return complete(coordinator, id, id * 1000 + 10);
  });
  t.deepEqual(
    coordinator.retainedCheckpoints.map((checkpoint) => checkpoint.metadata.checkpointId),
    [2, 3],
  );
  t.is(coordinator.latest, completed[2]);
});

test('a decline or a timeout aborts the checkpoint; failures beyond the tolerable number say the job must fail', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, { ...settings, tolerableFailures: 1 });
  coordinator.trigger(0, tasks);
  t.like(coordinator.abort(1, 10, false), { intolerable: false }, 'a decline that is no failure');
  coordinator.trigger(20, tasks);
  t.like(coordinator.abort(2, 30), { intolerable: false }, 'the first failure is tolerated');
  t.is(coordinator.abort(2, 31).checkpoint, null, 'aborting twice finds nothing');
  coordinator.trigger(40, tasks);
  t.like(coordinator.abort(3, 50), { intolerable: true });
  coordinator.trigger(60, tasks);
  complete(coordinator, 4, 70);
  coordinator.trigger(80, tasks);
  t.like(coordinator.abort(5, 90), { intolerable: false }, 'a completed checkpoint resets the count');
});

test('an acknowledgement of an aborted checkpoint is ignored, and a failover aborts all pending ones', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, { ...settings, maxConcurrent: 2 });
  coordinator.trigger(0, tasks);
  coordinator.trigger(10, tasks);
  coordinator.abort(1, 20);
  t.is(coordinator.acknowledge(ack(1, attempt('source-0'))), null);
  t.deepEqual(
    coordinator.abortAll().map((checkpoint) => checkpoint.checkpointId),
    [2],
  );
  t.is(coordinator.pendingCount, 0);
});

test('a checkpoint completing subsumes older pending ones; one aborted while its metadata was written is not taken', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, { ...settings, maxConcurrent: 2 });
  coordinator.trigger(0, tasks);
  coordinator.trigger(10, tasks);
  let done = null;
  for (const task of tasks) done = coordinator.acknowledge(ack(2, task.attemptId));
  const metadata = coordinator.metadataOf(done as NonNullable<typeof done>, 20, {});
  const outcome = coordinator.completed({ directory: 'chk-2', metadata }, 20);
  t.deepEqual(
    outcome?.subsumed.map((checkpoint) => checkpoint.checkpointId),
    [1],
  );
  coordinator.trigger(30, tasks);
  for (const task of tasks) done = coordinator.acknowledge(ack(3, task.attemptId));
  const third = coordinator.metadataOf(done as NonNullable<typeof done>, 40, {});
  coordinator.abortAll();
  t.is(coordinator.completed({ directory: 'chk-3', metadata: third }, 40), null);
  t.is(coordinator.latest?.metadata.checkpointId, 2);
});

test('a checkpoint of a job with unaligned checkpoints is triggered unaligned, or aligned with its timeout; a savepoint and AT_LEAST_ONCE stay aligned', (t) => {
  t.deepEqual(barrierAlignment(settings, false), {}, 'aligned unless enabled');
  const unaligned: ResolvedCheckpointing = { ...settings, unaligned: true, alignedCheckpointTimeoutMs: 0 };
  t.deepEqual(barrierAlignment(unaligned, false), { unaligned: true });
  t.deepEqual(barrierAlignment({ ...unaligned, alignedCheckpointTimeoutMs: 2_000 }, false), { alignedCheckpointTimeoutMs: 2_000 });
  t.deepEqual(barrierAlignment(unaligned, true), {}, 'a savepoint is aligned');
  t.deepEqual(barrierAlignment({ ...unaligned, mode: 'AT_LEAST_ONCE' }, false), {});
});

// Checkpoints after tasks finish: a bounded source next to an unbounded one, each into its own map, both into a sink.
//   bounded-0 -> map-0 (forward) -\
//                                   sink-0 (all)
//   endless-0 --------------------/
const task = (name: string, upstream: string[], state: 'running' | 'finished' = 'running'): CheckpointTask => {
  const [vertexId, index] = name.split('-');
  return { attemptId: attempt(name), vertexId, subtaskIndex: Number(index), source: upstream.length === 0, running: state === 'running', finished: state === 'finished', upstream: upstream.map(attempt), ...(state === 'finished' && upstream.length === 0 ? { splitsGiven: 2 } : {}) };
};

test('a subtask finished before the trigger is entered as finished: no state, a source with every split it was given read', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, settings);
  const decision = coordinator.trigger(0, [task('bounded-0', [], 'finished'), task('map-0', ['bounded-0'], 'finished'), task('endless-0', []), task('sink-0', ['map-0', 'endless-0'])]);
  if (decision.kind !== 'trigger') return t.fail(decision.reason);
  t.deepEqual(decision.checkpoint.sources, [attempt('endless-0')], 'only the running source is triggered');
  t.deepEqual([...decision.checkpoint.entries.values()], [
    { vertexId: 'bounded', subtaskIndex: 0, handle: null, splitsReceived: 2, finished: true },
    { vertexId: 'map', subtaskIndex: 0, handle: null, splitsReceived: null, finished: true },
  ]);
  t.is(coordinator.acknowledge(ack(1, attempt('endless-0'))), null);
  t.is(coordinator.acknowledge(ack(1, attempt('sink-0')))?.checkpointId, 1, 'complete with the running subtasks\' acknowledgements');
});

test('a subtask that finishes while a checkpoint is pending is entered as finished only once everything it reads from is', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, settings);
  const decision = coordinator.trigger(0, [task('bounded-0', []), task('map-0', ['bounded-0']), task('endless-0', []), task('sink-0', ['map-0', 'endless-0'])]);
  if (decision.kind !== 'trigger') return t.fail(decision.reason);
  // The map reports FINISHED first (its source's report is still on its way): it may have snapshotted.
  t.deepEqual(coordinator.taskFinished(attempt('map-0')), { complete: [], trigger: [] });
  t.false(decision.checkpoint.entries.has(attempt('map-0')));
  // The bounded source finished before its trigger reached it: it, then the map, are finished entries.
  t.deepEqual(coordinator.taskFinished(attempt('bounded-0'), 3), { complete: [], trigger: [] });
  t.like(decision.checkpoint.entries.get(attempt('bounded-0')), { finished: true, splitsReceived: 3, handle: null });
  t.like(decision.checkpoint.entries.get(attempt('map-0')), { finished: true, handle: null });
  coordinator.acknowledge(ack(1, attempt('endless-0')));
  t.is(coordinator.acknowledge(ack(1, attempt('sink-0')))?.checkpointId, 1);
});

test('a subtask whose source acknowledged waits for its own acknowledgement, even once it finished', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, settings);
  const decision = coordinator.trigger(0, [task('bounded-0', []), task('map-0', ['bounded-0']), task('endless-0', []), task('sink-0', ['map-0', 'endless-0'])]);
  if (decision.kind !== 'trigger') return t.fail(decision.reason);
  coordinator.acknowledge(ack(1, attempt('bounded-0')));
  coordinator.taskFinished(attempt('bounded-0'), 1);
  t.deepEqual(coordinator.taskFinished(attempt('map-0')), { complete: [], trigger: [] }, 'the barrier reached the map before its end: its snapshot is coming');
  coordinator.acknowledge(ack(1, attempt('endless-0')));
  coordinator.acknowledge(ack(1, attempt('sink-0')));
  t.is(coordinator.acknowledge(ack(1, attempt('map-0')))?.checkpointId, 1);
  t.truthy(decision.checkpoint.entries.get(attempt('map-0'))?.handle);
});

test('a checkpoint whose last missing subtask finishes completes then; once every source finished, a running sink is triggered itself', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, settings);
  const decision = coordinator.trigger(0, [task('bounded-0', [], 'finished'), task('map-0', ['bounded-0']), task('endless-0', []), task('sink-0', ['map-0', 'endless-0'])]);
  if (decision.kind !== 'trigger') return t.fail(decision.reason);
  coordinator.acknowledge(ack(1, attempt('endless-0')));
  coordinator.acknowledge(ack(1, attempt('sink-0')));
  t.deepEqual(coordinator.taskFinished(attempt('map-0')).complete.map((checkpoint) => checkpoint.checkpointId), [1]);
  // Every source finished, the sink still runs (waiting for its final checkpoint): it is triggered itself.
  const final = new CheckpointCoordinator(jobId, settings).trigger(10, [task('bounded-0', [], 'finished'), task('map-0', ['bounded-0'], 'finished'), task('endless-0', [], 'finished'), task('sink-0', ['map-0', 'endless-0'])]);
  t.deepEqual(final.kind === 'trigger' ? final.checkpoint.sources : final, [attempt('sink-0')]);
  t.deepEqual(new CheckpointCoordinator(jobId, settings).trigger(10, [task('bounded-0', [], 'finished'), task('sink-0', ['bounded-0'], 'finished')]), { kind: 'skip', reason: 'every task has finished' });
});

test('a running subtask all of whose inputs finish before the barrier left them is triggered directly: the checkpoint never waits for a barrier that cannot come', (t) => {
  // The source was triggered, but finished before the trigger reached it (its task was gone): it sent
  // no barrier. Its sinks wait for a final checkpoint, so they never finish either: unless triggered
  // here, checkpoint 1 stays pending to its timeout and keeps every later checkpoint out.
  const coordinator = new CheckpointCoordinator(jobId, settings);
  const decision = coordinator.trigger(0, tasks);
  if (decision.kind !== 'trigger') return t.fail(decision.reason);
  const { complete, trigger } = coordinator.taskFinished(attempt('source-0'), 1);
  t.deepEqual(complete, []);
  t.deepEqual(
    trigger.map(({ checkpoint, attempts }) => [checkpoint.checkpointId, attempts]),
    [[1, [attempt('sink-0'), attempt('sink-1')]]],
  );
  t.deepEqual(decision.checkpoint.sources, [attempt('source-0'), attempt('sink-0'), attempt('sink-1')]);
  t.deepEqual(coordinator.trigger(10, tasks), { kind: 'skip', reason: '1 checkpoint(s) still in progress (max-concurrent-checkpoints 1)' });
  t.is(coordinator.acknowledge(ack(1, attempt('sink-0'))), null);
  t.is(coordinator.acknowledge(ack(1, attempt('sink-1')))?.checkpointId, 1, 'complete with the sinks\' snapshots and the source as finished');
  t.like(decision.checkpoint.entries.get(attempt('source-0')), { finished: true, handle: null, splitsReceived: 1 });
});

test('a subtask reached by a barrier, or still fed by a running input, is not triggered when an input finishes', (t) => {
  const coordinator = new CheckpointCoordinator(jobId, settings);
  const decision = coordinator.trigger(0, [task('bounded-0', []), task('map-0', ['bounded-0']), task('endless-0', []), task('sink-0', ['map-0', 'endless-0'])]);
  if (decision.kind !== 'trigger') return t.fail(decision.reason);
  // The bounded source acknowledged (its barrier went on to the map), then finished.
  coordinator.acknowledge(ack(1, attempt('bounded-0')));
  t.deepEqual(coordinator.taskFinished(attempt('bounded-0'), 1), { complete: [], trigger: [] });
  // Another checkpoint: the bounded source finishes without a barrier; the map is triggered, the sink (endless input) is not.
  const second = new CheckpointCoordinator(jobId, settings);
  const pending = second.trigger(0, [task('bounded-0', []), task('map-0', ['bounded-0']), task('endless-0', []), task('sink-0', ['map-0', 'endless-0'])]);
  if (pending.kind !== 'trigger') return t.fail(pending.reason);
  t.deepEqual(second.taskFinished(attempt('bounded-0'), 1).trigger.map(({ attempts }) => attempts), [[attempt('map-0')]]);
  t.deepEqual(second.taskFinished(attempt('bounded-0'), 1), { complete: [], trigger: [] }, 'a second report triggers nothing again');
});
