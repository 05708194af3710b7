// The SplitAssigner hands out each source vertex's splits one at a time, in order, then null.
import test from 'ava';
import { SplitAssigner } from '../../../cluster/jobmanager/split-assigner.ts';
import type { InputSplit } from '../../../messages/job-graph.ts';
import { graph, vertex } from '../helpers.ts';

const splits = (count: number, tag: string): InputSplit[] => Array.from({ length: count }, (_, index) => ({ index, payload: `${tag}-${index}` }));

test('each call hands out the next split of the vertex, then null once they are gone', (t) => {
  const assigner = new SplitAssigner(graph([vertex('source', 2, { splits: splits(3, 's') })]));
  t.deepEqual(
    [assigner.next('source', 0), assigner.next('source', 0), assigner.next('source', 0)].map((split) => split?.payload),
    ['s-0', 's-1', 's-2'],
  );
  t.is(assigner.next('source', 0), null);
  t.is(assigner.next('source', 0), null);
});

test('vertices are served independently', (t) => {
  const assigner = new SplitAssigner(graph([vertex('a', 1, { splits: splits(2, 'a') }), vertex('b', 1, { splits: splits(1, 'b') })]));
  t.is(assigner.next('a', 0)?.payload, 'a-0');
  t.is(assigner.next('b', 0)?.payload, 'b-0');
  t.is(assigner.next('b', 0), null);
  t.is(assigner.next('a', 0)?.payload, 'a-1');
});

test('a vertex without splits, or one not in the graph, gets null', (t) => {
  const assigner = new SplitAssigner(graph([vertex('map', 2)]));
  t.is(assigner.next('map', 0), null);
  t.is(assigner.next('nowhere', 0), null);
});

test('handing out splits leaves the job graph as it was', (t) => {
  const source = vertex('source', 1, { splits: splits(2, 's') });
  const assigner = new SplitAssigner(graph([source]));
  assigner.next('source', 0);
  assigner.next('source', 0);
  t.is(source.splits?.length, 2);
  t.is(new SplitAssigner(graph([source])).next('source', 0)?.payload, 's-0', 'a new assigner starts again from the first split');
});

test('a restart gives out again, in split order and first, the splits each subtask got after its checkpoint', (t) => {
  const assigner = new SplitAssigner(graph([vertex('source', 2, { splits: splits(6, 's') })]));
  t.is(assigner.next('source', 0)?.payload, 's-0');
  t.is(assigner.next('source', 1)?.payload, 's-1');
  t.is(assigner.next('source', 0)?.payload, 's-2');
  t.is(assigner.next('source', 1)?.payload, 's-3');
  // The checkpoint: subtask 0 had received 1 split, subtask 1 had received 2.
  assigner.restore((_, subtask) => (subtask === 0 ? 1 : 2));
  t.deepEqual(
    [assigner.next('source', 1), assigner.next('source', 0), assigner.next('source', 0), assigner.next('source', 1), assigner.next('source', 1)].map((split) => split?.payload ?? null),
    ['s-2', 's-4', 's-5', null, null],
  );
});

test('a restart without a checkpoint gives out every split again; restarts can follow each other', (t) => {
  const assigner = new SplitAssigner(graph([vertex('source', 1, { splits: splits(3, 's') })]));
  assigner.next('source', 0);
  assigner.next('source', 0);
  assigner.restore(() => null);
  t.is(assigner.next('source', 0)?.payload, 's-0');
  assigner.restore(() => 1);
  t.deepEqual([assigner.next('source', 0), assigner.next('source', 0), assigner.next('source', 0)].map((split) => split?.payload ?? null), ['s-1', 's-2', null]);
});

test('a job resumed from a savepoint of an enumerated source: a failover before its first checkpoint gives back what came after the savepoint', (t) => {
  const assigner = new SplitAssigner(graph([vertex('source', 1, { enumeratedSplits: true })]));
  // The savepoint: the reader had received p1..p3 (split indices 0..2); the new job seeds them.
  assigner.seed('source', 0, [0, 1, 2].map((index) => ({ index, payload: `p${index + 1}` })));
  // The fresh enumerator's copies of p1..p3 are skipped by the JobManager; p4 is handed out.
  assigner.record('source', 0, { index: 3, payload: 'p4' });
  t.deepEqual(assigner.receivedPayloads('source', 0, 4), ['p1', 'p2', 'p3', 'p4'], 'a checkpoint now lists all four');
  // A failover restores the savepoint (3 received): p4 must be read again.
  assigner.restore(() => 3);
  t.is(assigner.next('source', 0)?.payload, 'p4');
});
