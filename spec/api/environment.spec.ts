import test, { type ExecutionContext } from 'ava';
import { NEVER } from 'rxjs';
import { type JobModule, StreamExecutionEnvironment, planJob } from '../../api/index.ts';
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

test('a chained operator with a parallelism other than its input fails, saying it needs a network exchange', (t) => {
  const env = new StreamExecutionEnvironment().setParallelism(2);
  const doubled = env.fromSequence(1, 10).map((n) => n * 2).name('Double');
  t.notThrows(() => doubled.setParallelism(2));
  failsWith(
    t,
    'NETWORK_EXCHANGE_UNSUPPORTED',
    'operator "Double" (id "map-1") has parallelism 3 but its input operator "Source: Sequence" (id "source-sequence-0") has 2: ' +
      'that needs a network exchange (rebalance), which is not supported yet',
    () => doubled.setParallelism(3),
  );
  failsWith(t, 'NETWORK_EXCHANGE_UNSUPPORTED', /^operator "Sink: Print" \(id "sink-print-2"\) has parallelism 1 but its input/, () => doubled.print().setParallelism(1));
});

test('a source parallelism changed after its operators were given theirs fails at planning', async (t) => {
  const error = await t.throwsAsync(
    planJob((env) => {
      const numbers = env.fromSequence(1, 10);
      numbers.map((n) => n).setParallelism(1).print();
      numbers.setParallelism(2);
    }, []),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'NETWORK_EXCHANGE_UNSUPPORTED');
  t.regex(error.message, /^operator "Map" \(id "map-1"\) has parallelism 1 but its input operator "Source: Sequence" \(id "source-sequence-0"\) has 2/);
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
