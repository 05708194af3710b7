// What the JobManager reads from a savepoint it restores (cluster/jobmanager/savepoint-restore.ts):
// whether it fits the job, what each subtask restores (its own file, or at another parallelism the
// old files, its key groups and the splits handed over to it), and which splits stay with the
// restored readers (also across a failover before the first new checkpoint).
import test from 'ava';
import type { CheckpointMetadata, CompletedCheckpoint, SubtaskCheckpointEntry } from '../../../cluster/checkpoint/storage.ts';
import { RestoredSplits, receivedOnRestore, restoreOf, savepointMismatch } from '../../../cluster/jobmanager/savepoint-restore.ts';
import { SplitAssigner } from '../../../cluster/jobmanager/split-assigner.ts';
import type { InputSplit, JobGraph } from '../../../messages/job-graph.ts';
import { graph, vertex } from '../helpers.ts';

const cut = (count: number, tag: string): InputSplit[] => Array.from({ length: count }, (_, index) => ({ index, payload: `${tag}-${index}` }));

/** A savepoint of `source` (8 splits, cut for parallelism 2) and a keyed `sum` behind it, both at 2. */
function savepoint(extra: Partial<CheckpointMetadata> = {}): CompletedCheckpoint {
  const entry = (vertexId: string, subtaskIndex: number, more: Partial<SubtaskCheckpointEntry> = {}): SubtaskCheckpointEntry => ({
    vertexId,
    subtaskIndex,
    handle: { path: `/sp/${vertexId}-${subtaskIndex}-0.state`, bytes: 10 },
    splitsReceived: null,
    ...more,
  });
  const metadata: CheckpointMetadata = {
    version: 1,
    jobId: 'job',
    checkpointId: 4,
    timestamp: 0,
    completedAt: 0,
    mode: 'EXACTLY_ONCE',
    savepoint: true,
    parallelism: { source: 2, sum: 2 },
    maxParallelism: 128,
    sourceSplits: { source: cut(8, 'old') },
    subtasks: [
      // Subtask 0 received splits 0, 2 and 4; subtask 1 received 1 and 3.
      entry('source', 0, { splitsReceived: 3, splits: [0, 2, 4] }),
      entry('source', 1, { splitsReceived: 2, splits: [1, 3] }),
      entry('sum', 0),
      entry('sum', 1),
    ],
    ...extra,
  };
  return { directory: '/sp', metadata };
}

/** The same job at `parallelism`: its source cut into 4 splits per subtask. */
function job(parallelism: number, maxParallelism = 128): JobGraph {
  return graph(
    [
      vertex('source', parallelism, { splits: cut(4 * parallelism, 'new') }),
      vertex('sum', parallelism, { inputs: [{ sourceVertexId: 'source', partitioning: 'hash', sourceOperatorId: 'source-op', targetInput: 0 }] }),
    ],
    maxParallelism,
  );
}

test('at the same parallelism each subtask restores its own file', (t) => {
  const restore = restoreOf(savepoint(), job(2));
  const [source, sum] = job(2).vertices;
  t.deepEqual(restore(source, 1), { restore: { checkpointId: 4, path: '/sp/source-1-0.state' } });
  t.deepEqual(restore(sum, 0), { restore: { checkpointId: 4, path: '/sp/sum-0-0.state' } });
});

test("at another parallelism a subtask gets every old file, its key groups, and for a source the splits handed over to it, round robin in split order", (t) => {
  const graph3 = job(3);
  const restore = restoreOf(savepoint(), graph3);
  const [source, sum] = graph3.vertices;
  const files = ['/sp/source-0-0.state', '/sp/source-1-0.state'];
  // The received splits in old subtask order, 0 2 4 1 3, dealt to subtasks 0 1 2 0 1.
  t.deepEqual(restore(source, 0), { rescaledRestore: { checkpointId: 4, files, keyGroups: { start: 0, end: 42 }, splits: [0, 1] } });
  t.deepEqual(restore(source, 1), { rescaledRestore: { checkpointId: 4, files, keyGroups: { start: 43, end: 85 }, splits: [2, 3] } });
  t.deepEqual(restore(source, 2), { rescaledRestore: { checkpointId: 4, files, keyGroups: { start: 86, end: 127 }, splits: [4] } });
  t.deepEqual(restore(sum, 2), { rescaledRestore: { checkpointId: 4, files: ['/sp/sum-0-0.state', '/sp/sum-1-0.state'], keyGroups: { start: 86, end: 127 } } });
});

test("a job started at another parallelism goes on with the savepoint's splits; its readers keep the ones handed over, across a failover too", (t) => {
  const graph3 = job(3);
  const assigner = new SplitAssigner(graph3);
  const restored = savepoint();
  new RestoredSplits(restored, graph3, assigner);
  const handedOut: string[] = [];
  for (let split = assigner.next('source', 2); split !== null; split = assigner.next('source', 2)) handedOut.push(split.payload as string);
  t.deepEqual(handedOut, ['old-5', 'old-6', 'old-7'], 'only the splits no old reader received, as the savepoint cut them');

  // A failover before the first checkpoint restores the savepoint again: each reader keeps what was handed over to it.
  const received = receivedOnRestore(restored, graph3);
  t.deepEqual([0, 1, 2].map((subtask) => received('source', subtask)), [2, 2, 1]);
  assigner.restore(received);
  const again: string[] = [];
  for (let split = assigner.next('source', 0); split !== null; split = assigner.next('source', 0)) again.push(split.payload as string);
  t.deepEqual(again, ['old-5', 'old-6', 'old-7'], 'the splits handed out after the savepoint go back, nothing else');
  t.deepEqual(assigner.plannedSplits().source, cut(8, 'old'), "later checkpoints list the savepoint's splits");
});

test('a savepoint is refused when its keyed state has another max parallelism, naming both; at another parallelism only if its source splits are not listed', (t) => {
  t.is(savepointMismatch(savepoint(), job(3), false), undefined);
  t.is(
    savepointMismatch(savepoint(), job(2, 64), false),
    'vertex "Vertex sum" keeps keyed state in 128 key groups in it (max parallelism 128), and the job\'s max parallelism is 64 now: keyed state restores only at the max parallelism it was written with',
  );
  const { sourceSplits: _, ...older } = savepoint().metadata;
  t.is(
    savepointMismatch({ directory: '/sp', metadata: older }, job(3), false),
    'vertex "Vertex source" ran at parallelism 2 in it and is 3 now, but it does not list its source\'s splits (an older Weir wrote it): restore it at parallelism 2',
  );
  t.is(savepointMismatch({ directory: '/sp', metadata: older }, job(2), false), undefined, 'at the same parallelism the graph has the same splits');
});
