// The SplitAssigner hands out each source vertex's splits one at a time, in order, then null.
import test from 'ava';
import { SplitAssigner } from '../../../cluster/jobmanager/split-assigner.ts';
import type { InputSplit } from '../../../messages/job-graph.ts';
import { graph, vertex } from '../helpers.ts';

const splits = (count: number, tag: string): InputSplit[] => Array.from({ length: count }, (_, index) => ({ index, payload: `${tag}-${index}` }));

test('each call hands out the next split of the vertex, then null once they are gone', (t) => {
  const assigner = new SplitAssigner(graph([vertex('source', 2, { splits: splits(3, 's') })]));
  t.deepEqual(
    [assigner.next('source'), assigner.next('source'), assigner.next('source')].map((split) => split?.payload),
    ['s-0', 's-1', 's-2'],
  );
  t.is(assigner.next('source'), null);
  t.is(assigner.next('source'), null);
});

test('vertices are served independently', (t) => {
  const assigner = new SplitAssigner(graph([vertex('a', 1, { splits: splits(2, 'a') }), vertex('b', 1, { splits: splits(1, 'b') })]));
  t.is(assigner.next('a')?.payload, 'a-0');
  t.is(assigner.next('b')?.payload, 'b-0');
  t.is(assigner.next('b'), null);
  t.is(assigner.next('a')?.payload, 'a-1');
});

test('a vertex without splits, or one not in the graph, gets null', (t) => {
  const assigner = new SplitAssigner(graph([vertex('map', 2)]));
  t.is(assigner.next('map'), null);
  t.is(assigner.next('nowhere'), null);
});

test('handing out splits leaves the job graph as it was', (t) => {
  const source = vertex('source', 1, { splits: splits(2, 's') });
  const assigner = new SplitAssigner(graph([source]));
  assigner.next('source');
  assigner.next('source');
  t.is(source.splits?.length, 2);
  t.is(new SplitAssigner(graph([source])).next('source')?.payload, 's-0', 'a new assigner starts again from the first split');
});
