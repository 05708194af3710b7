// `weir stop --drain` on the embedded mini cluster (stopWithSavepoint with drain): event time
// advances to its end before the savepoint, so every open window emits (each record counted once,
// the last window with what it had) and the job ends FINISHED; without drain the open windows stay
// in the savepoint and emit nothing.
import test, { type ExecutionContext } from 'ava';
import { type JobModule, TumblingEventTimeWindows, WatermarkStrategy } from '../../api/index.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { WeirError } from '../../messages/errors.ts';
import { spin, tempDir } from './checkpoint-helpers.ts';
import { eventually, within } from './helpers.ts';

const WINDOW_MS = 1_000;
const KEYS = 3;

interface Run {
  /** The last record the source chain let through before the stop (records are 1, 2, 3, ...). */
  emitted: number;
  /** Each window's result: [key, window start, records in it]. */
  readonly windows: [number, number, number][];
}

/** Records 1, 2, 3, ... (one source subtask) at event time n ms, keyed n % KEYS, counted in 1 s tumbling windows (two subtasks). */
function windowedCounts(run: Run): JobModule {
  return (env) => {
    env.enableCheckpointing(60_000); // savepoints only
    env
      .fromSequence(1, 10_000_000)
      .setParallelism(1)
      .map((n: number) => {
        spin(0.2);
        run.emitted = n;
        return n;
      })
      .setParallelism(1) // one counter: the records run in order
      .uid('slow-map')
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((n) => n))
      .keyBy((n) => n % KEYS)
      .window(TumblingEventTimeWindows.of(WINDOW_MS))
      .process<[number, number, number]>({ process: (key, context, elements, out) => out.collect([key, context.window().start, [...elements].length]) })
      .uid('counts')
      .sinkTo((result: [number, number, number]) => void run.windows.push(result))
      .uid('results');
  };
}

async function stopped(drain: boolean, t: ExecutionContext): Promise<Run> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: tempDir(t, 'weir-checkpoints') });
  t.teardown(() => cluster.close());
  const run: Run = { emitted: 0, windows: [] };
  const job = await cluster.submit(windowedCounts(run), { parallelism: 2 });
  // Past the first windows, mid-way through one: some windows fired, one is open per key.
  await eventually(async () => run.emitted > 2.5 * WINDOW_MS, 'records past the first windows', 20_000);
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await cluster.stopWithSavepoint(job.jobId, tempDir(t, 'weir-savepoints'), { drain });
      break;
    } catch (error) {
      if (!(error instanceof WeirError) || !/not every task is running/.test(error.message) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  t.is((await within(job.result(), 'the stopped job to end', 30_000)).status, 'FINISHED');
  return run;
}

/** Records per [key, window start] among 1..last. */
function expectedWindows(last: number): [number, number, number][] {
  const counts = new Map<string, [number, number, number]>();
  for (let n = 1; n <= last; n++) {
    const start = Math.floor(n / WINDOW_MS) * WINDOW_MS;
    const id = `${n % KEYS}/${start}`;
    const entry = counts.get(id) ?? [n % KEYS, start, 0];
    entry[2]++;
    counts.set(id, entry);
  }
  return [...counts.values()];
}

const byKeyAndStart = (a: [number, number, number], b: [number, number, number]): number => a[0] - b[0] || a[1] - b[1];

test.serial('stop --drain fires every open window before the savepoint: each record counted once, and the job ends FINISHED', async (t) => {
  const run = await stopped(true, t);
  t.deepEqual([...run.windows].sort(byKeyAndStart), expectedWindows(run.emitted).sort(byKeyAndStart));
});

test.serial('stop without --drain leaves the open windows in the savepoint: they emit nothing', async (t) => {
  const run = await stopped(false, t);
  const lastStart = Math.floor(run.emitted / WINDOW_MS) * WINDOW_MS;
  const all = expectedWindows(run.emitted);
  // Which closed windows fired depends on the last periodic watermark before the stop; each that did is whole.
  for (const fired of run.windows) t.deepEqual(fired, all.find(([key, start]) => key === fired[0] && start === fired[1]), 'a fired window holds all its records');
  t.false(run.windows.some(([, start]) => start === lastStart), `the open windows at ${lastStart} did not fire`);
  t.true(run.windows.length < all.length);
});
