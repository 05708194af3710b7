import test from 'ava';
import { Packr } from 'msgpackr';
import { NEVER } from 'rxjs';
import { type JobModule } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import { WeirError } from '../../../messages/errors.ts';

const twoPipelines: JobModule = (env) => {
  env.setParallelism(3);
  const numbers = env.fromSequence(1, 100);
  numbers.map((n) => n * 2).filter((n) => n % 3 === 0).print();
  numbers.flatMap((n) => [n, -n]).uid('mirror').writeAsText('/tmp/weir-never-written');
  env.fromElements('a', 'b').map((s) => s.toUpperCase()).sinkTo({ invoke: () => {} });
};

test('planning the same module twice gives the same graph: operator ids, vertex ids and splits', async (t) => {
  const first = await planJob(twoPipelines, []);
  const second = await planJob(twoPipelines, []);
  t.deepEqual(first.graph, second.graph);
  t.deepEqual(
    first.graph.vertices.map((vertex) => vertex.operators.map((operator) => operator.id)),
    [
      ['source-sequence-0', 'map-1', 'filter-2', 'sink-print-3', 'mirror', 'sink-text-file-5'],
      ['source-collection-6'],
      ['map-7', 'sink-function-8'],
    ],
  );
});

test('an operator id is its uid when given, else its kind and its position in the pipeline', async (t) => {
  const plan = await planJob((env) => {
    env.fromSequence(1, 2).uid('numbers').map((n) => n).print().uid('out');
  }, []);
  t.deepEqual(
    plan.graph.vertices[0].operators.map(({ id, kind, name }) => ({ id, kind, name })),
    [
      { id: 'numbers', kind: 'source-sequence', name: 'Source: Sequence' },
      { id: 'map-1', kind: 'map', name: 'Map' },
      { id: 'out', kind: 'sink-print', name: 'Sink: Print' },
    ],
  );
});

test('operators chain to their source while the parallelism matches; a parallelism 1 source feeds parallel operators through a rebalance', async (t) => {
  const { graph } = await planJob(twoPipelines, []);
  t.deepEqual(
    graph.vertices.map(({ id, name, parallelism, bounded, inputs }) => ({ id, name, parallelism, bounded, inputs })),
    [
      {
        id: 'source-sequence-0',
        name: 'Source: Sequence -> Map -> Filter -> Sink: Print -> Flat Map -> Sink: Text File',
        parallelism: 3,
        bounded: true,
        inputs: [],
      },
      { id: 'source-collection-6', name: 'Source: Collection', parallelism: 1, bounded: true, inputs: [] },
      {
        id: 'map-7',
        name: 'Map -> Sink: Function',
        parallelism: 3,
        bounded: true,
        inputs: [{ sourceVertexId: 'source-collection-6', partitioning: 'rebalance', sourceOperatorId: 'source-collection-6', targetInput: 0 }],
      },
    ],
  );
  t.is(graph.name, 'Weir Job');
  t.is(graph.maxParallelism, 128);
});

test('a chained operator names its input in its config, so a stream consumed twice shows its fan-out', async (t) => {
  const { graph } = await planJob(twoPipelines, []);
  t.deepEqual(
    graph.vertices[0].operators.map((operator) => operator.config),
    [{ from: 1, to: 100 }, { input: 'source-sequence-0' }, { input: 'map-1' }, { input: 'filter-2' }, { input: 'source-sequence-0' }, { directory: '/tmp/weir-never-written', input: 'mirror' }],
  );
});

test('the job graph is plain data: a msgpack round trip gives it back unchanged', async (t) => {
  const { graph } = await planJob(twoPipelines, []);
  const packr = new Packr({ useRecords: true, mapsAsObjects: true, moreTypes: false });
  t.deepEqual(packr.unpack(packr.pack(graph)), graph);
});

test('AUTOMATIC runtime mode is BATCH when every source is bounded and STREAMING otherwise', async (t) => {
  const bounded = await planJob((env) => {
    env.setRuntimeMode('AUTOMATIC').fromSequence(1, 2).print();
  }, []);
  const unbounded = await planJob((env) => {
    env.setRuntimeMode('AUTOMATIC').fromSequence(1, 2).print();
    env.fromObservable(() => NEVER).print();
  }, []);
  const defaulted = await planJob((env) => void env.fromSequence(1, 2).print(), []);
  t.is(bounded.graph.runtimeMode, 'BATCH');
  t.is(unbounded.graph.runtimeMode, 'STREAMING');
  t.deepEqual(unbounded.graph.vertices.map((vertex) => vertex.bounded), [true, false]);
  t.is(defaulted.graph.runtimeMode, 'STREAMING');
});

test('BATCH runtime mode with an unbounded source fails naming the source', async (t) => {
  const error = await t.throwsAsync(
    planJob((env) => {
      env.setRuntimeMode('BATCH').fromObservable(() => NEVER).print();
    }, []),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'INVALID_RUNTIME_MODE');
  t.is(error.message, 'operator "Source: Observable" (id "source-observable-0") is unbounded, so the job cannot run in BATCH mode: use STREAMING or AUTOMATIC');
});

test('two operators with the same id fail with DUPLICATE_OPERATOR_ID naming both', async (t) => {
  const error = await t.throwsAsync(
    planJob((env) => {
      env.fromSequence(1, 2).uid('same').map((n) => n).name('Double').uid('same').print();
    }, []),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'DUPLICATE_OPERATOR_ID');
  t.is(error.message, 'operator "Double" and operator "Source: Sequence" both have id "same": give each a unique uid()');
});

test('a job without a source fails with INVALID_PIPELINE', async (t) => {
  const error = await t.throwsAsync(planJob(() => {}, [], { jobName: 'empty' }), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_PIPELINE');
  t.is(error.message, 'job "empty" declares no source: start a pipeline with an env source: fromSequence(), fromElements(), fromCollection(), fromObservable(), readTextFile(), socketTextStream() or fromSource()');
});

test('a source that leads to no sink fails with INVALID_PIPELINE naming the source', async (t) => {
  const error = await t.throwsAsync(
    planJob((env) => {
      env.fromSequence(1, 2).print();
      env.fromElements(1).name('Orphans').map((n) => n);
    }, []),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'INVALID_PIPELINE');
  t.is(error.message, 'operator "Orphans" (id "source-collection-2") leads to no sink: end its pipeline with print(), sinkTo(), writeAsText(), writeAsJsonLines() or executeAndCollect()');
});

test('an operator declared after the module returned fails instead of changing the plan', async (t) => {
  let later: (() => void) | undefined;
  const plan = await planJob((env) => {
    const numbers = env.fromSequence(1, 2);
    numbers.print();
    later = () => numbers.map((n) => n);
  }, []);
  t.is(plan.graph.vertices[0].operators.length, 2);
  const error = t.throws(() => later?.(), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_PIPELINE');
  t.regex(error.message, /^operator "Map" \(id "map-2"\) was declared after the job was planned/);
});

test('planJob takes the default export or the module namespace, and rejects anything else', async (t) => {
  const module: JobModule = (env) => void env.fromSequence(1, 2).print();
  t.deepEqual((await planJob({ default: module }, [])).graph, (await planJob(module, [])).graph);
  const error = await t.throwsAsync(planJob({ default: 42 } as never, []), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_JOB_MODULE');
  t.is(error.message, 'a job module must default-export a function (env, args) => void; got number');
});

test('planJob passes args to the module, awaits it, and its parallelism option is a default the module may override', async (t) => {
  const module: JobModule = async (env, args) => {
    await Promise.resolve();
    env.fromSequence(1, 100).print();
    if (args[0] === 'override') env.setParallelism(5);
    env.fromSequence(1, 100).print();
  };
  const plan = await planJob(module, ['override'], { parallelism: 2, jobName: 'named' });
  t.deepEqual(plan.graph.vertices.map((vertex) => vertex.parallelism), [2, 5]);
  t.is(plan.graph.name, 'named');
});
