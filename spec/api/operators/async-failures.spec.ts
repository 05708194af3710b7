// The bad paths of async functions: a rejected or throwing call, a call that times out, invalid
// options, and a synchronous operator given an async function (a compile error, and at run time).
import test from 'ava';
import { type DataStream, type JobModule, StreamExecutionEnvironment } from '../../../index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runModule } from '../harness/run-plan.ts';
import { within } from '../helpers.ts';

const JOB_MS = 10_000;

test('a rejected promise fails the job with USER_FUNCTION_FAILED naming the async operator', async (t) => {
  const module: JobModule = (env) => {
    env
      .fromSequence(1, 50)
      .mapAsync(async (n) => {
        if (n === 17) throw new Error('no such user: 17');
        return n;
      })
      .name('Lookup User')
      .sinkTo(() => {});
  };
  await t.throwsAsync(runModule(module), {
    instanceOf: WeirError,
    code: 'USER_FUNCTION_FAILED',
    message: 'operator "Lookup User" (id "async-map-1") failed on a record: no such user: 17',
  });
});

test('a throw before the function returns a promise fails the job naming the operator too', async (t) => {
  const module: JobModule = (env) => {
    env
      .fromSequence(1, 10)
      .filterAsync((n) => {
        if (n === 3) throw new Error('bad three');
        return Promise.resolve(true);
      })
      .sinkTo(() => {});
  };
  await t.throwsAsync(runModule(module), { instanceOf: WeirError, message: 'operator "Async Filter" (id "async-filter-1") failed on a record: bad three' });
});

test('a failure surfaces even when the input is idle: execute() rejects with JOB_FAILED naming the operator', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromElements('a', 'b')
    .flatMapAsync(async (word): Promise<string[]> => {
      await new Promise((resolve) => setImmediate(resolve));
      if (word === 'b') throw new Error('lookup service unavailable');
      return [word];
    })
    .name('Expand')
    .sinkTo(() => {});
  await t.throwsAsync(within(env.execute('failing lookup'), 'the job to fail', JOB_MS), {
    instanceOf: WeirError,
    code: 'JOB_FAILED',
    message: /operator "Expand" \(id "async-flat-map-1"\) failed on a record: lookup service unavailable/,
  });
});

test('a call pending longer than timeoutMs fails the job naming the operator and the timeout', async (t) => {
  const module: JobModule = (env) => {
    env
      .fromSequence(1, 5)
      .mapAsync((n) => (n === 4 ? new Promise<number>(() => {}) : Promise.resolve(n)), { timeoutMs: 30 })
      .name('Hanging Lookup')
      .sinkTo(() => {});
  };
  await t.throwsAsync(runModule(module), {
    instanceOf: WeirError,
    code: 'USER_FUNCTION_FAILED',
    message: 'operator "Hanging Lookup" (id "async-map-1") timed out: a call did not settle within 30 ms (timeoutMs)',
  });
});

test('calls that settle within timeoutMs are not affected by it', async (t) => {
  const out: number[] = [];
  await runModule((env) => {
    env
      .fromSequence(1, 300)
      .mapAsync(async (n) => n + 1, { timeoutMs: 5_000, capacity: 3 })
      .sinkTo((n) => void out.push(n));
  });
  t.deepEqual(
    out,
    Array.from({ length: 300 }, (_, index) => index + 2),
  );
});

test('invalid options are rejected where the operator is declared, naming it and the option', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const numbers = env.fromElements(1, 2, 3);
  // A declaration that throws adds nothing: each one below gets the next free index.
  const invalid = (declare: () => unknown, message: string): void => {
    t.throws(declare, { instanceOf: WeirError, code: 'INVALID_ARGUMENT', message });
  };
  invalid(
    () => numbers.mapAsync(async (n) => n, { capacity: 0 }),
    'operator "Async Map" (id "async-map-1"): mapAsync() capacity must be a positive integer (records in flight per subtask), got 0',
  );
  invalid(
    () => numbers.flatMapAsync(async (n) => [n], { capacity: 2.5 }),
    'operator "Async Flat Map" (id "async-flat-map-1"): flatMapAsync() capacity must be a positive integer (records in flight per subtask), got 2.5',
  );
  invalid(
    () => numbers.filterAsync(async () => true, { timeoutMs: -1 }),
    'operator "Async Filter" (id "async-filter-1"): filterAsync() timeoutMs must be a number of milliseconds from 0 (no timeout) to 2147483647, got -1',
  );
  invalid(
    () => numbers.mapAsync(async (n) => n, { capacity: 4, capcity: 5 } as never),
    'operator "Async Map" (id "async-map-1"): mapAsync() has no option "capcity"; it takes capacity, timeoutMs',
  );
  invalid(
    () => numbers.mapAsync(async (n) => n, { order: 'key' } as never),
    'operator "Async Map" (id "async-map-1"): mapAsync() has no option "order" here: the order of results is chosen on a keyed stream (after keyBy)',
  );
  invalid(
    () => numbers.keyBy((n) => n % 2).mapAsync(async (n) => n, { order: 'random' } as never),
    `operator "Async Map" (id "async-map-2"): mapAsync() order must be 'key' or 'input', got "random"`,
  );
  invalid(() => numbers.mapAsync(async (n) => n, 100 as never), 'operator "Async Map" (id "async-map-2"): mapAsync() takes an options object ({ capacity, timeoutMs }), got number');
});

test('map(), flatMap() and filter() given an async function do not compile, and fail at run time naming the operator', async (t) => {
  const declare = (stream: DataStream<number>): void => {
    // @ts-expect-error map() takes synchronous functions: the type says to use mapAsync()
    stream.map(async (n) => n * 2).sinkTo(() => {});
  };
  await t.throwsAsync(runModule((env) => declare(env.fromSequence(1, 3))), {
    instanceOf: WeirError,
    code: 'INVALID_FUNCTION',
    message: 'operator "Map" (id "map-1"): its function returned a promise, but map() calls functions synchronously; use mapAsync() for an async function',
  });
  await t.throwsAsync(
    runModule((env) => {
      // @ts-expect-error flatMap() takes functions that return an iterable or nothing
      env.fromSequence(1, 3).flatMap(async (n: number) => [n]).sinkTo(() => {});
    }),
    { instanceOf: WeirError, message: /^operator "Flat Map" \(id "flat-map-1"\): .* use flatMapAsync\(\) for an async function$/ },
  );
  await t.throwsAsync(
    runModule((env) => {
      // @ts-expect-error filter() takes functions that return a boolean
      env.fromSequence(1, 3).filter(async (n: number) => n > 1).sinkTo(() => {});
    }),
    { instanceOf: WeirError, message: /^operator "Filter" \(id "filter-1"\): .* use filterAsync\(\) for an async function$/ },
  );
});

test('a map function object whose method is async does not compile either', (t) => {
  const declare = (stream: DataStream<number>): DataStream<unknown> =>
    // @ts-expect-error map() takes synchronous functions: the type says to use mapAsync()
    stream.map({ map: async (n: number) => n });
  t.is(typeof declare, 'function');
});

test('process and connected-stream functions that return a promise fail at run time naming the operator and the method', async (t) => {
  const expectFailure = async (module: (env: StreamExecutionEnvironment) => void, pattern: RegExp): Promise<void> => {
    await t.throwsAsync(runModule(module), { instanceOf: WeirError, code: 'INVALID_FUNCTION', message: pattern });
  };
  const advice = 'returned a promise, but it is called synchronously; do the async work in a mapAsync\\(\\) or flatMapAsync\\(\\) before it$';
  // A void-returning function type accepts an async function, so these compile: the check is at run time.
  await expectFailure(
    (env) => void env.fromSequence(1, 3).process<number>(async (n, _ctx, out) => out.collect(n)).sinkTo(() => {}),
    new RegExp(`^operator "Process" \\(id "process-1"\\): its processElement\\(\\) ${advice}`),
  );
  await expectFailure(
    (env) => void env.fromSequence(1, 3).keyBy((n) => n % 2).process<number>(async (n, _ctx, out) => out.collect(n)).sinkTo(() => {}),
    new RegExp(`^operator "Keyed Process" \\(id "keyed-process-2"\\): its processElement\\(\\) ${advice}`),
  );
  await expectFailure(
    (env) =>
      void env
        .fromSequence(1, 3)
        .connect(env.fromElements('a'))
        .process<string>({ processElement1: async (n, _ctx, out) => out.collect(String(n)), processElement2: (s, _ctx, out) => out.collect(s) })
        .sinkTo(() => {}),
    /^operator "Co-Process" \(id "co-process-2"\): its processElement1\(\) returned a promise/,
  );
  await expectFailure(
    (env) =>
      void env
        .fromElements('a')
        .connect(env.fromSequence(1, 3))
        // @ts-expect-error here the other method fixes the result type, so the compiler catches it too
        .map({ map1: (s: string) => s, map2: async (n: number) => String(n) })
        .sinkTo(() => {}),
    /^operator "Co-Map" \(id "co-map-2"\): its map2\(\) returned a promise/,
  );
});
