import test, { type ExecutionContext } from 'ava';
import { NEVER } from 'rxjs';
import { type JobModule, StreamExecutionEnvironment } from '../../api/index.ts';
import { planJob } from '../../api/internal.ts';
import { type ErrorCode, WeirError } from '../../messages/errors.ts';

const failsWith = (t: ExecutionContext, code: ErrorCode, message: string | RegExp, run: () => unknown): void => {
  const error = t.throws(run, { instanceOf: WeirError });
  t.is(error?.code, code);
  if (typeof message === 'string') t.is(error?.message, message);
  else t.regex(error?.message ?? '', message);
};

test('the environment defaults to parallelism 1, max parallelism 128 and STREAMING mode', (t) => {
  const env = new StreamExecutionEnvironment();
  t.is(env.getParallelism(), 1);
  t.is(env.getMaxParallelism(), 128);
  t.is(env.getRuntimeMode(), 'STREAMING');
});

test('a source takes the environment parallelism at the time it is declared, as in Flink', (t) => {
  const env = new StreamExecutionEnvironment();
  const before = env.fromSequence(1, 10);
  env.setParallelism(4);
  const after = env.fromSequence(1, 10);
  t.is(before.getParallelism(), 1);
  t.is(after.getParallelism(), 4);
  t.is(after.map((n) => n).getParallelism(), 4);
});

test('an operator takes the environment parallelism when declared, and one other than its input gets a rebalance exchange', async (t) => {
  const plan = await planJob((env) => {
    const numbers = env.setParallelism(2).fromSequence(1, 10);
    env.setParallelism(3);
    numbers.map((n) => n * 2).name('Double').print().setParallelism(1);
  }, []);
  t.deepEqual(
    plan.graph.vertices.map(({ id, parallelism, inputs }) => ({ id, parallelism, inputs: inputs.map((edge) => `${edge.sourceVertexId} ${edge.partitioning}`) })),
    [
      { id: 'source-sequence-0', parallelism: 2, inputs: [] },
      { id: 'map-1', parallelism: 3, inputs: ['source-sequence-0 rebalance'] },
      { id: 'sink-print-2', parallelism: 1, inputs: ['map-1 rebalance'] },
    ],
  );
});

test('forward partitioning between different parallelisms fails at planning, naming both operators', async (t) => {
  const error = await t.throwsAsync(
    planJob((env) => {
      const numbers = env.fromSequence(1, 10);
      numbers.forward().map((n) => n).setParallelism(2).print();
    }, []),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'INVALID_PARTITIONING');
  t.is(
    error.message,
    'forward partitioning needs the same parallelism on both sides, but operator "Source: Sequence" (id "source-sequence-0") has 1 and operator "Map" (id "map-2") has 2: ' +
      'use rebalance(), rescale(), shuffle(), broadcast() or global()',
  );
});

test('settings of an operator fail on a virtual step such as keyBy or union', (t) => {
  const numbers = new StreamExecutionEnvironment().fromSequence(1, 10);
  failsWith(t, 'INVALID_ARGUMENT', 'operator "Key By" (id "key-by-1") is not an operator but a partition of streams: call setParallelism() on the operator before it or after it', () =>
    numbers.keyBy((n) => n % 2).setParallelism(2),
  );
  failsWith(t, 'INVALID_ARGUMENT', /^operator "Union" \(id "union-2"\) is not an operator but a union of streams: call uid\(\)/, () => numbers.union(numbers).uid('both'));
});

test('the buffer timeout defaults to 100 ms, travels in the job graph, and must be a non-negative integer', async (t) => {
  const env = new StreamExecutionEnvironment();
  t.is(env.getBufferTimeout(), 100);
  failsWith(t, 'INVALID_ARGUMENT', 'environment: the buffer timeout must be a non-negative integer of milliseconds, got -1', () => env.setBufferTimeout(-1));
  const plan = await planJob((declared) => void declared.setBufferTimeout(0).fromSequence(1, 2).print(), []);
  t.is(plan.graph.bufferTimeoutMs, 0);
});

test('a parallelism above the max parallelism fails at planning, naming the source', async (t) => {
  const module: JobModule = (env) => {
    env.setMaxParallelism(4).fromSequence(1, 10).setParallelism(8).name('Numbers').print();
  };
  const error = await t.throwsAsync(planJob(module, []), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_PARALLELISM');
  t.is(error.message, 'operator "Numbers" (id "source-sequence-0") has parallelism 8, more than the job\'s max parallelism 4 (setMaxParallelism)');
});

test('collection and observable sources are not parallel: a parallelism other than 1 fails', (t) => {
  const env = new StreamExecutionEnvironment().setParallelism(4);
  const elements = env.fromElements(1, 2, 3);
  t.is(elements.getParallelism(), 1);
  failsWith(t, 'INVALID_PARALLELISM', 'operator "Source: Collection" (id "source-collection-0") is not a parallel source: its parallelism is 1, not 2', () =>
    elements.setParallelism(2),
  );
  const ticks = env.fromObservable(() => NEVER);
  failsWith(t, 'INVALID_PARALLELISM', /^operator "Source: Observable" \(id "source-observable-1"\) is not a parallel source/, () => ticks.setParallelism(3));
});

test('parallelism and max parallelism must be positive integers, and the runtime mode one of three', (t) => {
  const env = new StreamExecutionEnvironment();
  failsWith(t, 'INVALID_PARALLELISM', 'environment: parallelism must be a positive integer, got 0', () => env.setParallelism(0));
  failsWith(t, 'INVALID_PARALLELISM', 'environment: max parallelism must be an integer from 1 to 32768, got 40000', () => env.setMaxParallelism(40_000));
  failsWith(t, 'INVALID_PARALLELISM', 'operator "Source: Sequence" (id "source-sequence-0"): parallelism must be a positive integer, got 1.5', () =>
    env.fromSequence(1, 2).setParallelism(1.5),
  );
  failsWith(t, 'INVALID_RUNTIME_MODE', 'environment: runtime mode must be one of STREAMING, BATCH, AUTOMATIC, got FAST', () => env.setRuntimeMode('FAST' as never));
});

test('an operator given something that is not a function fails with INVALID_FUNCTION naming the operator', (t) => {
  const numbers = new StreamExecutionEnvironment().fromSequence(1, 2);
  failsWith(t, 'INVALID_FUNCTION', 'operator "Map" (id "map-1") needs a function, an object with a map() method or a class with one; got number', () =>
    numbers.map(42 as never),
  );
  failsWith(t, 'INVALID_FUNCTION', 'operator "Filter" (id "filter-1") needs a function, an object with a filter() method or a class with one; got an object without a filter() method', () =>
    numbers.filter({ map: () => true } as never),
  );
  class Mapper {
    apply(value: number): number {
      return value;
    }
  }
  failsWith(t, 'INVALID_FUNCTION', /^operator "Flat Map" \(id "flat-map-1"\) needs .*; got class Mapper has no flatMap\(\) method$/, () => numbers.flatMap(Mapper as never));
  failsWith(t, 'INVALID_FUNCTION', /^operator "Sink: Function" \(id "sink-function-1"\) needs .*; got null$/, () => numbers.sinkTo(null as never));
  failsWith(t, 'INVALID_FUNCTION', 'operator "Source: Observable" (id "source-observable-0"): fromObservable needs a function that returns an Observable, got string', () =>
    new StreamExecutionEnvironment().fromObservable('ticks' as never),
  );
});

test('fromSequence needs safe integers from <= to', (t) => {
  const env = new StreamExecutionEnvironment();
  failsWith(t, 'INVALID_ARGUMENT', 'operator "Source: Sequence" (id "source-sequence-0"): fromSequence needs safe integers from <= to, got 5 and 1', () => env.fromSequence(5, 1));
  failsWith(t, 'INVALID_ARGUMENT', /got 0 and 1.5$/, () => env.fromSequence(0, 1.5));
  failsWith(t, 'INVALID_ARGUMENT', /got -9007199254740991 and 9007199254740991$/, () => env.fromSequence(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
});

test('collection elements must be plain data, since they travel in the job graph; the error names the first that is not', (t) => {
  const env = new StreamExecutionEnvironment();
  t.notThrows(() => env.fromElements({ at: new Date(0), bytes: new Uint8Array([1]), tags: ['a'], big: 1n, none: null }));
  failsWith(
    t,
    'INVALID_ARGUMENT',
    'operator "Source: Collection" (id "source-collection-1"): elements travel in the job graph and must be plain data; [1].handler (a function) is not',
    () => env.fromElements({ ok: 1 }, { handler: () => {} }),
  );
  failsWith(t, 'INVALID_ARGUMENT', /; \[0\] \(an instance of Map\) is not$/, () => env.fromCollection([new Map()]));
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  failsWith(t, 'INVALID_ARGUMENT', /; \[0\]\.self \(a cycle\) is not$/, () => env.fromElements(cyclic));
  failsWith(t, 'INVALID_ARGUMENT', 'fromCollection() needs an array or an iterable, got number', () => env.fromCollection(7 as never));
});

test('name() and uid() need non-empty strings', (t) => {
  const numbers = new StreamExecutionEnvironment().fromSequence(1, 2);
  failsWith(t, 'INVALID_ARGUMENT', 'operator "Source: Sequence" (id "source-sequence-0"): uid() needs a non-empty string, got ', () => numbers.uid(''));
  failsWith(t, 'INVALID_ARGUMENT', 'operator "Source: Sequence" (id "source-sequence-0"): name() needs a non-empty string, got 3', () => numbers.name(3 as never));
});
