import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import { COLLECTION_SPLIT_ELEMENTS } from '../../../api/sources/collection-source.ts';
import { runVertex } from '../helpers.ts';

test('fromCollection carries its elements in splits of bounded size and reads them in order', async (t) => {
  const elements = Array.from({ length: 2 * COLLECTION_SPLIT_ELEMENTS + 5 }, (_, index) => ({ index }));
  const seen: number[] = [];
  const plan = await planJob((env) => void env.fromCollection(elements).sinkTo((element) => void seen.push(element.index)), []);
  const vertex = plan.graph.vertices[0];
  t.is(vertex.parallelism, 1);
  t.deepEqual(
    vertex.splits?.map((split) => (split.payload as { elements: unknown[] }).elements.length),
    [COLLECTION_SPLIT_ELEMENTS, COLLECTION_SPLIT_ELEMENTS, 5],
  );
  t.deepEqual(vertex.operators[0].config, { count: elements.length });
  await runVertex(plan, vertex, 300);
  t.deepEqual(
    seen,
    elements.map((element) => element.index),
  );
});

test('fromElements keeps each element as it was given, and an empty collection finishes at once', async (t) => {
  const plan = await planJob((env) => {
    env.fromElements<unknown>('a', 1, { b: [true] }, null).print();
    env.fromCollection(new Set<string>()).print();
  }, []);
  t.deepEqual((await runVertex(plan, plan.graph.vertices[0])).stdout, [['a', '1', '{"b":[true]}', 'null']]);
  t.deepEqual(plan.graph.vertices[1].splits, []);
  t.deepEqual((await runVertex(plan, plan.graph.vertices[1])).stdout, [[]]);
});
