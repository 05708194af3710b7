// fromSource(source, strategy?, name?): a connector's enumerator runs on the JobManager, its readers in
// the subtasks. (Event time inside a reader, step by step: source-event-time.spec.ts.)
// These run on the embedded mini cluster, so the enumerator is driven by the real JobManager actor.
import test from 'ava';
import { type JobModule, type RuntimeContext, type Source, StreamExecutionEnvironment, WatermarkStrategy, WeirError } from '../../../index.ts';
import { planJob } from '../../../api/internal.ts';
import { within } from '../../cluster/helpers.ts';

const JOB_MS = 10_000;

interface RangeSplit {
  readonly from: number;
  readonly to: number;
}

/** Splits of `size` numbers over 1..count, handed out in order to whichever reader asks. */
function rangeSource(count: number, size: number, log: { asked: [number, RangeSplit | null][]; closed: number }, read: (split: RangeSplit) => Iterable<number> | AsyncIterable<number>): Source<number, RangeSplit> {
  return {
    boundedness: 'bounded',
    createEnumerator: () => {
      let next = 1;
      return {
        nextSplit: (subtaskIndex) => {
          const split = next > count ? null : { from: next, to: Math.min(count, next + size - 1) };
          if (split) next = split.to + 1;
          log.asked.push([subtaskIndex, split]);
          return split;
        },
        close: () => void log.closed++,
      };
    },
    createReader: () => ({ read }),
  };
}

/** Pairs each number with the index of the subtask that saw it; one instance per subtask. */
class TagWithSubtask {
  private subtask = -1;

  open(context: RuntimeContext): void {
    this.subtask = context.subtaskIndex;
  }

  map(n: number): [number, number] {
    return [n, this.subtask];
  }
}

function* numbers(split: RangeSplit): Generator<number> {
  for (let n = split.from; n <= split.to; n++) yield n;
}

async function* slowNumbers(split: RangeSplit): AsyncGenerator<number> {
  for (let n = split.from; n <= split.to; n++) {
    if (n % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    else await Promise.resolve();
    yield n;
  }
}

for (const [kind, read] of [
  ['an iterable', numbers],
  ['an async iterable', slowNumbers],
] as const) {
  test(`a bounded source whose reader returns ${kind}: every record once, each split read by the subtask that asked for it, the enumerator closed`, async (t) => {
    const log = { asked: [] as [number, RangeSplit | null][], closed: 0 };
    const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
    const seen: [number, number][] = [];
    env
      .fromSource(rangeSource(5_000, 700, log, read), 'Source: Ranges')
      .map(TagWithSubtask)
      .sinkTo((pair) => void seen.push(pair));
    await within(env.execute('ranges'), 'the job', JOB_MS);
    t.deepEqual(
      seen.map(([n]) => n).sort((a, b) => a - b),
      Array.from({ length: 5_000 }, (_, index) => index + 1),
    );
    // Each split's numbers arrived in order, from the subtask the enumerator gave it to.
    for (const [subtask, split] of log.asked) {
      if (!split) continue;
      const mine = seen.filter(([n]) => n >= split.from && n <= split.to);
      t.true(mine.every(([, from]) => from === subtask), `split ${split.from}..${split.to} was read by subtask ${subtask}`);
      t.deepEqual(
        mine.map(([n]) => n),
        Array.from({ length: split.to - split.from + 1 }, (_, index) => split.from + index),
      );
    }
    // Both readers were told there is no more, once each.
    t.deepEqual(log.asked.filter(([, split]) => split === null).map(([subtask]) => subtask).sort(), [0, 1]);
    t.is(log.closed, 1);
  });
}

test('a bounded source makes AUTOMATIC mode BATCH: a keyed sum emits final values only', async (t) => {
  const log = { asked: [] as [number, RangeSplit | null][], closed: 0 };
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
  env.setRuntimeMode('AUTOMATIC');
  const sums: [number, number][] = [];
  env
    .fromSource(rangeSource(100, 7, log, numbers))
    .map((n): [number, number] => [n % 3, n])
    .keyBy(([key]) => key)
    .sum(1)
    .sinkTo((pair) => void sums.push(pair));
  await within(env.execute(), 'the job', JOB_MS);
  const expected = [0, 1, 2].map((key): [number, number] => [key, Array.from({ length: 100 }, (_, i) => i + 1).filter((n) => n % 3 === key).reduce((a, b) => a + b, 0)]);
  t.deepEqual(
    sums.sort(([a], [b]) => a - b),
    expected,
  );
});

test('an unbounded source whose enumerator answers later: readers wait for splits the enumerator discovers, and end when it says so', async (t) => {
  const discovered: string[][] = [];
  let release: (() => void) | undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const source: Source<string, string[]> = {
    boundedness: 'unbounded',
    createEnumerator: () => {
      let handed = 0;
      return {
        nextSplit: async () => {
          // The first answer waits until the test "discovers" work; then two batches, then the end.
          await gate;
          handed++;
          return handed <= discovered.length ? discovered[handed - 1] : null;
        },
      };
    },
    createReader: () => ({ read: (words) => words }),
  };
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 1 });
  const seen: string[] = [];
  env.fromSource(source).sinkTo((word) => void seen.push(word));
  const running = env.execute('discovering');
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.deepEqual(seen, []);
  discovered.push(['a', 'b'], ['c']);
  release?.();
  await within(running, 'the job', JOB_MS);
  t.deepEqual(seen, ['a', 'b', 'c']);
});

test('an enumerator that throws fails the job naming the source', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 1 });
  env
    .fromSource<number, number>(
      {
        boundedness: 'bounded',
        createEnumerator: () => ({
          nextSplit: () => {
            throw new Error('the catalog is down');
          },
        }),
        createReader: () => ({ read: () => [] }),
      },
      'Source: Catalog',
    )
    .print();
  const error = await t.throwsAsync(within(env.execute(), 'the job', JOB_MS));
  t.regex(error?.message ?? '', /operator "Source: Catalog" \(id "source-0"\): its split enumerator failed in nextSplit\(0\): the catalog is down/);
});

test('a reader whose iterator throws fails the job naming the source and the split', async (t) => {
  const log = { asked: [] as [number, RangeSplit | null][], closed: 0 };
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 1 });
  env
    .fromSource(
      rangeSource(10, 5, log, function* (split) {
        yield split.from;
        if (split.from > 1) throw new Error('corrupt block');
      }),
      'Source: Blocks',
    )
    .print();
  const error = await t.throwsAsync(within(env.execute(), 'the job', JOB_MS));
  t.regex(error?.message ?? '', /operator "Source: Blocks" \(id "source-0"\) failed reading split 1: corrupt block/);
  t.is(log.closed, 1);
});

test('fromSource() rejects what is not a Source at declaration, naming the operator', (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const noReader = { boundedness: 'bounded', createEnumerator: () => ({ nextSplit: () => null }) } as unknown as Source<number, number>;
  t.throws(() => env.fromSource(noReader), { instanceOf: WeirError, message: /operator "Source: Custom Source" \(id "source-0"\): the source has no createReader\(\) method/ });
  const badBoundedness = { ...noReader, createReader: () => ({ read: () => [] }), boundedness: 'finite' } as unknown as Source<number, number>;
  t.throws(() => env.fromSource(badBoundedness, 'Source: Odd'), { message: /the source's boundedness must be 'bounded' or 'unbounded', got finite/ });
});

interface Reading {
  readonly id: string;
  readonly ts: number;
}

test('with a WatermarkStrategy, a downstream ProcessFunction sees each record\'s timestamp (embedded run, parallelism 2)', async (t) => {
  const splits: Reading[][] = [
    [{ id: 'a', ts: 1_000 }, { id: 'b', ts: 1_500 }],
    [{ id: 'c', ts: 700 }],
    [{ id: 'd', ts: 2_000 }, { id: 'e', ts: 1_900 }],
  ];
  const readings: Source<Reading, number> = {
    boundedness: 'bounded',
    createEnumerator: () => {
      let next = 0;
      return { nextSplit: () => (next < splits.length ? next++ : null) };
    },
    createReader: () => ({ read: (index) => splits[index] }),
  };
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
  env
    .fromSource(readings, WatermarkStrategy.forBoundedOutOfOrderness<Reading>(100).withTimestampAssigner((reading) => reading.ts), 'Source: Readings')
    .process<string>((reading, ctx, out) => out.collect(`${reading.id}@${String(ctx.timestamp())}`));
  const seen: string[] = [];
  const collecting = (async () => {
    for await (const line of env.executeAndCollect<string>('timestamps')) seen.push(line);
  })();
  await within(collecting, 'the job', JOB_MS);
  t.deepEqual(seen.sort(), ['a@1000', 'b@1500', 'c@700', 'd@2000', 'e@1900']);
});

test('fromSource(source, strategy) takes Flink\'s argument order; (source, name) still names the source', async (t) => {
  const module: JobModule = (env) => {
    env.fromSource(rangeSource(1, 1, { asked: [], closed: 0 }, numbers), WatermarkStrategy.noWatermarks<number>(), 'Source: With Strategy').print();
    env.fromSource(rangeSource(1, 1, { asked: [], closed: 0 }, numbers), 'Source: Named').print();
    env.fromSource(rangeSource(1, 1, { asked: [], closed: 0 }, numbers), undefined, 'Source: No Strategy').print();
  };
  const plan = await planJob(module, []);
  t.deepEqual(
    plan.graph.vertices.map((vertex) => vertex.operators[0].name),
    ['Source: With Strategy', 'Source: Named', 'Source: No Strategy'],
  );
});

test('a second argument that is neither a WatermarkStrategy nor a name fails planning with INVALID_ARGUMENT naming the source', async (t) => {
  const source = rangeSource(1, 1, { asked: [], closed: 0 }, numbers);
  const withObject: JobModule = (env) => void env.fromSource(source, {} as WatermarkStrategy<number>).print();
  const error = await t.throwsAsync(planJob(withObject, []), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  t.is(error?.message, 'operator "Source: Custom Source" (id "source-0"): fromSource() takes a WatermarkStrategy (or the name) as its second argument, got an object');
  const withNumber: JobModule = (env) => void env.fromSource(source, 42 as unknown as WatermarkStrategy<number>, 'Source: Meters').print();
  const named = await t.throwsAsync(planJob(withNumber, []), { instanceOf: WeirError });
  t.is(named?.message, 'operator "Source: Meters" (id "source-0"): fromSource() takes a WatermarkStrategy (or the name) as its second argument, got 42');
  const twoNames: JobModule = (env) => void (env.fromSource as (...args: unknown[]) => unknown)(source, 'Source: A', 'Source: B');
  const twice = await t.throwsAsync(planJob(twoNames, []), { instanceOf: WeirError });
  t.is(twice?.message, 'operator "Source: A" (id "source-0"): fromSource() takes the name once: (source, name) or (source, strategy, name); got a third argument, the string "Source: B"');
});

test('a source\'s concurrentSplits must be a positive integer or Infinity', (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const source = rangeSource(1, 1, { asked: [], closed: 0 }, numbers);
  t.notThrows(() => env.fromSource({ ...source, concurrentSplits: Number.POSITIVE_INFINITY }));
  const error = t.throws(() => env.fromSource({ ...source, concurrentSplits: 0.5 }, 'Source: Half'), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  t.is(error?.message, 'operator "Source: Half" (id "source-1"): the source\'s concurrentSplits must be a positive integer or Infinity, got 0.5');
});
