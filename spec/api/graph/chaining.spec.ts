import test from 'ava';
import { type JobModule, OutputTag } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import type { JobGraph } from '../../../messages/job-graph.ts';

/** Each vertex as `id[parallelism]: operator ids <- edges`, edges as `source-operator partitioning`. */
function shape(graph: JobGraph): string[] {
  return graph.vertices.map((vertex) => {
    const edges = vertex.inputs.map((edge) => {
      const extras = [edge.outputTag && `tag=${edge.outputTag}`, edge.partitionerId && `by=${edge.partitionerId}`, edge.targetInput > 0 && `input=${edge.targetInput}`];
      return [edge.sourceOperatorId, edge.partitioning, ...extras.filter(Boolean)].join(' ');
    });
    const operators = vertex.operators.map((operator) => operator.id).join(', ');
    return `${vertex.id}[${vertex.parallelism}]: ${operators}${edges.length > 0 ? ` <- ${edges.join('; ')}` : ''}`;
  });
}

const shapeOf = async (module: JobModule): Promise<string[]> => shape((await planJob(module, [])).graph);

test('operators with forward edges and equal parallelism share one vertex, a fan-out included', async (t) => {
  t.deepEqual(
    await shapeOf((env) => {
      const numbers = env.setParallelism(2).fromSequence(1, 10);
      numbers.map((n) => n + 1).print();
      numbers.filter((n) => n > 3).sinkTo(() => {});
    }),
    ['source-sequence-0[2]: source-sequence-0, map-1, sink-print-2, filter-3, sink-function-4'],
  );
});

test('keyBy makes a hash edge naming its key selector, and the keyed operator heads a new vertex', async (t) => {
  t.deepEqual(
    await shapeOf((env) => {
      env.setParallelism(2).fromSequence(1, 10).map((n) => n % 3).keyBy((n) => n).reduce((a, b) => a + b).print();
    }),
    ['source-sequence-0[2]: source-sequence-0, map-1', 'reduce-3[2]: reduce-3, sink-print-4 <- map-1 hash by=key-by-2'],
  );
});

test('each explicit partitioning is an edge of that kind, even between equal parallelisms', async (t) => {
  t.deepEqual(
    await shapeOf((env) => {
      const numbers = env.setParallelism(2).fromSequence(1, 10);
      numbers.rebalance().print();
      numbers.rescale().print();
      numbers.shuffle().print();
      numbers.broadcast().print();
      numbers.global().print();
      numbers.partitionCustom((key: number, partitions) => key % partitions, (n) => n).print();
    }),
    [
      'source-sequence-0[2]: source-sequence-0',
      'sink-print-2[2]: sink-print-2 <- source-sequence-0 rebalance',
      'sink-print-4[2]: sink-print-4 <- source-sequence-0 rescale',
      'sink-print-6[2]: sink-print-6 <- source-sequence-0 shuffle',
      'sink-print-8[2]: sink-print-8 <- source-sequence-0 broadcast',
      'sink-print-10[2]: sink-print-10 <- source-sequence-0 global',
      'sink-print-12[2]: sink-print-12 <- source-sequence-0 custom by=partition-custom-11',
    ],
  );
});

test('forward() between equal parallelisms chains, and the partitioning nearest the consumer wins', async (t) => {
  t.deepEqual(
    await shapeOf((env) => {
      const numbers = env.fromSequence(1, 10);
      numbers.forward().map((n) => n).print();
      numbers.keyBy((n) => n).rebalance().print();
    }),
    ['source-sequence-0[1]: source-sequence-0, map-2, sink-print-3', 'sink-print-6[1]: sink-print-6 <- source-sequence-0 rebalance'],
  );
});

test('a parallelism change makes a rebalance edge; setParallelism on a sink splits it from its input', async (t) => {
  t.deepEqual(
    await shapeOf((env) => {
      env.fromElements(1, 2, 3).map((n) => n).setParallelism(3).filter(() => true).setParallelism(3).print().setParallelism(2);
    }),
    ['source-collection-0[1]: source-collection-0', 'map-1[3]: map-1, filter-2 <- source-collection-0 rebalance', 'sink-print-3[2]: sink-print-3 <- filter-2 rebalance'],
  );
});

test('startNewChain() cuts a chain before the operator, disableChaining() before and after it', async (t) => {
  t.deepEqual(
    await shapeOf((env) => {
      env.fromSequence(1, 10).map((n) => n).startNewChain().map((n) => n).disableChaining().map((n) => n).print();
    }),
    ['source-sequence-0[1]: source-sequence-0', 'map-1[1]: map-1 <- source-sequence-0 forward', 'map-2[1]: map-2 <- map-1 forward', 'map-3[1]: map-3, sink-print-4 <- map-2 forward'],
  );
});

test('disableOperatorChaining() gives every operator a vertex of its own', async (t) => {
  t.deepEqual(
    await shapeOf((env) => {
      env.disableOperatorChaining().fromSequence(1, 10).map((n) => n).print();
    }),
    ['source-sequence-0[1]: source-sequence-0', 'map-1[1]: map-1 <- source-sequence-0 forward', 'sink-print-2[1]: sink-print-2 <- map-1 forward'],
  );
});

test('a union is several edges into input 0 of one operator, which is never chained', async (t) => {
  t.deepEqual(
    await shapeOf((env) => {
      const odd = env.fromElements(1, 3);
      const even = env.fromElements(2, 4);
      odd.union(even, odd.map((n) => n * 10)).print();
    }),
    [
      'source-collection-0[1]: source-collection-0, map-2',
      'source-collection-1[1]: source-collection-1',
      'sink-print-4[1]: sink-print-4 <- source-collection-0 forward; source-collection-1 forward; map-2 forward',
    ],
  );
});

test('connect feeds input 0 and input 1 of a two-input operator heading its own vertex', async (t) => {
  t.deepEqual(
    await shapeOf((env) => {
      const words = env.fromElements('a');
      const numbers = env.fromSequence(1, 2);
      words.connect(numbers.keyBy((n) => n)).map({ map1: (word) => word, map2: (n) => String(n) }).print();
    }),
    [
      'source-collection-0[1]: source-collection-0',
      'source-sequence-1[1]: source-sequence-1',
      'co-map-3[1]: co-map-3, sink-print-4 <- source-collection-0 forward; source-sequence-1 hash by=key-by-2 input=1',
    ],
  );
});

test('a side output is an edge carrying its tag, chained when forward, and the chained reader names the tag', async (t) => {
  const late = new OutputTag<string>('late');
  const plan = await planJob((env) => {
    const processed = env.fromSequence(1, 10).process<number>((n, ctx, out) => (n > 5 ? ctx.output(late, `late ${n}`) : out.collect(n)));
    processed.print();
    processed.getSideOutput(late).print();
    processed.getSideOutput(late).rebalance().print();
  }, []);
  t.deepEqual(shape(plan.graph), ['source-sequence-0[1]: source-sequence-0, process-1, sink-print-2, sink-print-4', 'sink-print-7[1]: sink-print-7 <- process-1 rebalance tag=late']);
  t.deepEqual(plan.graph.vertices[0].operators[3].config, { input: 'process-1', inputTag: 'late' });
});

test('in BATCH mode a keyed sum gets a combiner chained before its hash edge; in STREAMING it does not', async (t) => {
  const module =
    (mode: 'BATCH' | 'STREAMING'): JobModule =>
    (env) => {
      env.setRuntimeMode(mode).setParallelism(2).fromSequence(1, 10).map((n): [number, number] => [n % 3, n]).keyBy((pair) => pair[0]).sum(1).print();
    };
  t.deepEqual(await shapeOf(module('BATCH')), ['source-sequence-0[2]: source-sequence-0, map-1, sum-3-combiner', 'sum-3[2]: sum-3, sink-print-4 <- sum-3-combiner hash by=key-by-2']);
  t.deepEqual(await shapeOf(module('STREAMING')), ['source-sequence-0[2]: source-sequence-0, map-1', 'sum-3[2]: sum-3, sink-print-4 <- map-1 hash by=key-by-2']);
});

test('vertices are topologically ordered and planning twice gives the same graph', async (t) => {
  const module: JobModule = (env) => {
    const a = env.fromElements('x', 'y');
    const b = env.setParallelism(2).fromSequence(1, 4).map(String);
    b.union(a).keyBy((s) => s).process<string>((s, _ctx, out) => out.collect(s)).rebalance().print();
  };
  const first = await planJob(module, []);
  t.deepEqual(first.graph, (await planJob(module, [])).graph);
  const position = new Map(first.graph.vertices.map((vertex, index) => [vertex.id, index]));
  for (const vertex of first.graph.vertices) {
    for (const edge of vertex.inputs) t.true((position.get(edge.sourceVertexId) as number) < (position.get(vertex.id) as number));
  }
});
