// mapAsync, flatMapAsync and filterAsync on the embedded mini cluster: results keep the input order
// (on a keyed stream, each key's) however the calls complete, and no more than `capacity` calls
// are in flight. Delays are event-loop turns drawn from a seeded generator: no wall-clock waits.
import test from 'ava';
import { type AsyncFlatMapFunction, type AsyncMapFunction, type DataStream, type RuntimeContext, StreamExecutionEnvironment } from '../../../index.ts';
import { within } from '../helpers.ts';

/** A job of the embedded mini cluster ends in well under a second. */
const JOB_MS = 10_000;

/** A seeded generator of integers below `bound`: every run draws the same delays. */
function seeded(seed: number): (bound: number) => number {
  let state = seed;
  return (bound) => ((state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff), state % bound);
}

/** Settles after `count` turns of the event loop: a delay that takes no wall-clock time. */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** Runs the environment's job and returns the records of `stream`, in the order they reached the client. */
async function collected<T>(stream: DataStream<T>): Promise<T[]> {
  const out: T[] = [];
  const read = async (): Promise<void> => {
    for await (const value of stream.executeAndCollect()) out.push(value);
  };
  await within(read(), 'the job', JOB_MS);
  return out;
}

/** How many records came out before one that was called earlier: > 0 means calls completed out of order. */
function overtakes(completed: readonly number[]): number {
  let overtaking = 0;
  for (let index = 1; index < completed.length; index++) if (completed[index] < completed[index - 1]) overtaking++;
  return overtaking;
}

for (const mode of ['STREAMING', 'BATCH'] as const) {
  test(`mapAsync emits each subtask's results in input order while its calls complete out of order (${mode}, parallelism 3)`, async (t) => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 3 });
    env.setRuntimeMode(mode);
    const random = seeded(42);
    const called: number[][] = [[], [], []];
    const completed: number[][] = [[], [], []];
    class Lookup implements AsyncMapFunction<number, [number, number]> {
      private subtask = -1;
      open(context: RuntimeContext): void {
        this.subtask = context.subtaskIndex;
      }
      async map(n: number): Promise<[number, number]> {
        called[this.subtask].push(n);
        await turns(random(6));
        completed[this.subtask].push(n);
        return [this.subtask, n];
      }
    }
    const out = await collected(env.fromSequence(1, 3000).mapAsync(Lookup, { capacity: 16 }));
    t.is(out.length, 3000);
    for (let subtask = 0; subtask < 3; subtask++) {
      t.true(called[subtask].length > 0, `subtask ${subtask} had records`);
      t.deepEqual(
        out.filter(([from]) => from === subtask).map(([, n]) => n),
        called[subtask],
        `subtask ${subtask}: the results in the order of the calls`,
      );
      t.true(overtakes(completed[subtask]) > 0, `subtask ${subtask}: some calls completed before earlier ones`);
    }
  });
}

test('a mapAsync declared with an async arrow function infers its result type', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const labels: DataStream<string> = env.fromSequence(1, 3).mapAsync(async (n) => `#${n}`);
  t.deepEqual(await collected(labels), ['#1', '#2', '#3']);
});

test('keyed mapAsync lets a fast key overtake a slow one, and keeps each key in its input order', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
  const records = Array.from({ length: 40 }, (_, seq) => ({ key: seq % 2 === 0 ? 'slow' : 'fast', seq }));
  let releaseSlow!: () => void;
  const slowMayFinish = new Promise<void>((resolve) => (releaseSlow = resolve));
  const random = seeded(7);
  const out: { key: string; seq: number }[] = [];
  env
    .fromCollection(records)
    .keyBy((record) => record.key)
    .mapAsync(
      async (record) => {
        // The slow key's calls complete only once every fast result has left the operator.
        if (record.key === 'slow') await slowMayFinish;
        else await turns(random(4));
        return record;
      },
      { capacity: 40 },
    )
    .sinkTo((record) => {
      out.push(record);
      if (out.filter((seen) => seen.key === 'fast').length === 20) releaseSlow();
    });
  await within(env.execute('slow and fast keys'), 'the job', JOB_MS);
  const seqsOf = (key: string): number[] => out.filter((record) => record.key === key).map((record) => record.seq);
  t.deepEqual(seqsOf('slow'), Array.from({ length: 20 }, (_, index) => 2 * index));
  t.deepEqual(seqsOf('fast'), Array.from({ length: 20 }, (_, index) => 2 * index + 1));
  t.deepEqual(
    out.slice(0, 20).map((record) => record.key),
    Array.from({ length: 20 }, () => 'fast'),
    'every fast result left before the first slow one',
  );
});

test('keyed mapAsync with random delays keeps the order of every key, and keys overtake each other', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
  const random = seeded(2024);
  const records = Array.from({ length: 2000 }, (_, seq) => ({ key: `k${(seq * 7) % 13}`, seq }));
  class Delay implements AsyncMapFunction<(typeof records)[number], { key: string; seq: number; subtask: number }> {
    private subtask = -1;
    open(context: RuntimeContext): void {
      this.subtask = context.subtaskIndex;
    }
    async map(record: (typeof records)[number]): Promise<{ key: string; seq: number; subtask: number }> {
      await turns(random(5));
      return { ...record, subtask: this.subtask };
    }
  }
  const out = await collected(
    env
      .fromCollection(records)
      .keyBy((record) => record.key)
      .mapAsync(Delay, { capacity: 12 }),
  );
  t.is(out.length, records.length);
  const keys = [...new Set(records.map((record) => record.key))];
  for (const key of keys) {
    t.deepEqual(
      out.filter((record) => record.key === key).map((record) => record.seq),
      records.filter((record) => record.key === key).map((record) => record.seq),
      `key ${key}`,
    );
  }
  for (const subtask of [0, 1]) {
    const seqs = out.filter((record) => record.subtask === subtask).map((record) => record.seq);
    t.true(overtakes(seqs) > 0, `subtask ${subtask}: some results of one key left before earlier results of another`);
  }
});

test("keyed mapAsync with order: 'input' keeps the whole input order, a slow key holding back a fast one", async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const records = Array.from({ length: 300 }, (_, seq) => ({ key: seq % 3 === 0 ? 'slow' : 'fast', seq }));
  const completed: number[] = [];
  const out = await collected(
    env
      .fromCollection(records)
      .keyBy((record) => record.key)
      .mapAsync(
        async (record) => {
          await turns(record.key === 'slow' ? 8 : 0);
          completed.push(record.seq);
          return record.seq;
        },
        { capacity: 10, order: 'input' },
      ),
  );
  t.deepEqual(
    out,
    records.map((record) => record.seq),
  );
  t.true(overtakes(completed) > 0, 'fast calls completed before slow ones');
});

test('no more than capacity calls are in flight, and the operator fills up to capacity', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const random = seeded(3);
  let inFlight = 0;
  let mostInFlight = 0;
  const out = await collected(
    env.fromSequence(1, 1000).mapAsync(
      async (n) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await turns(1 + random(4));
        inFlight--;
        return n;
      },
      { capacity: 7 },
    ),
  );
  t.is(out.length, 1000);
  t.is(mostInFlight, 7);
});

test('flatMapAsync and filterAsync emit their results in input order, plain results mixed with promises', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const random = seeded(11);
  const opened: string[] = [];
  class Expand implements AsyncFlatMapFunction<number, number> {
    open(): void {
      opened.push('expand');
    }
    flatMap(n: number): Iterable<number> | Promise<Iterable<number> | void> | void {
      if (n % 10 === 0) return undefined;
      if (n % 4 === 0) return [n, -n];
      return turns(random(3)).then(() => [n, -n]);
    }
  }
  const out = await collected(
    env
      .fromSequence(1, 400)
      .mapAsync((n) => (n % 3 === 0 ? n * 2 : turns(random(4)).then(() => n * 2)), { capacity: 8 })
      .flatMapAsync(Expand, { capacity: 5 })
      .filterAsync((n) => (n % 7 === 0 ? n > 0 : turns(random(2)).then(() => n > 0))),
  );
  const expected: number[] = [];
  for (let n = 1; n <= 400; n++) if ((n * 2) % 10 !== 0) expected.push(n * 2);
  t.deepEqual(out, expected);
  t.deepEqual(opened, ['expand'], 'the class was instantiated and opened once');
});

test('flatMapAsync takes a generator or an async function that returns an array', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const out = await collected(
    env
      .fromElements('a b', 'c')
      .flatMapAsync(async (line) => line.split(' '))
      .flatMapAsync(function* (word: string) {
        yield word;
        yield word.toUpperCase();
      }),
  );
  t.deepEqual(out, ['a', 'A', 'b', 'B', 'c', 'C']);
});
