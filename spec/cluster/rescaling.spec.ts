// Rescaling on the embedded mini cluster: a job stopped with a savepoint at parallelism 2 resumes at
// 3 (and at 1), and its committed output is the failure-free output exactly: keyed window contents
// and timers moved by key group, operator list state split evenly (union list state whole to each),
// source positions handed over so every record is read once. A retained checkpoint rescales the
// same way; savepoints that cannot rescale are refused naming what does not fit.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import {
  type CheckpointedFunction,
  FileSink,
  type FunctionInitializationContext,
  type JobModule,
  type ListState,
  ListStateDescriptor,
  type MapFunction,
  type RuntimeContext,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../../api/index.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { WeirError } from '../../messages/errors.ts';
import { committedLines, savepointOnceRunning, spin, tempDir } from './checkpoint-helpers.ts';
import { eventually, within } from './helpers.ts';

const COUNT = 30_000;
const KEYS = 40;
const WINDOW_MS = 1_000;

/** What one run's list-state function saw: the records it mapped, and what each restored subtask got back. */
interface ListStateRun {
  readonly mapped: number[];
  readonly restored: { readonly subtask: number; readonly seen: readonly number[]; readonly subtasks: readonly string[] }[];
}

/** The sequence through a slow map that keeps every record it mapped in operator list state, and its subtask's name in union list state. */
function rememberingMap(run: ListStateRun): new () => MapFunction<number, number> & CheckpointedFunction {
  return class Remembering implements MapFunction<number, number>, CheckpointedFunction {
    private seen: number[] = [];
    private seenState!: ListState<number>;
    private subtasksState!: ListState<string>;
    private restored: { seen: number[]; subtasks: string[] } | null = null;
    private name = '';

    initializeState(context: FunctionInitializationContext): void {
      this.seenState = context.getOperatorStateStore().getListState(new ListStateDescriptor<number>('seen'));
      this.subtasksState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<string>('subtasks'));
      if (context.isRestored()) {
        this.seen = [...this.seenState.get()];
        this.restored = { seen: [...this.seen], subtasks: [...this.subtasksState.get()] };
      }
    }

    open(context: RuntimeContext): void {
      this.name = `subtask ${context.subtaskIndex} of ${context.parallelism}`;
      if (this.restored) run.restored.push({ subtask: context.subtaskIndex, ...this.restored });
    }

    snapshotState(): void {
      this.seenState.update(this.seen);
      this.subtasksState.update([this.name]);
    }

    map(n: number): number {
      spin(0.1);
      this.seen.push(n);
      run.mapped.push(n);
      return n;
    }
  };
}

/**
 * Counts and sums of the numbers per key (n % KEYS) per event-time window (timestamp n), into the
 * exactly-once file sink: `key:windowStart:count:sum`.
 */
function windowedTotals(output: string, run: ListStateRun, options: { readonly maxParallelism?: number; readonly retainedCheckpointsEveryMs?: number } = {}): JobModule {
  return (env) => {
    if (options.maxParallelism !== undefined) env.setMaxParallelism(options.maxParallelism);
    if (options.retainedCheckpointsEveryMs !== undefined) {
      env.enableCheckpointing(options.retainedCheckpointsEveryMs);
      env.getCheckpointConfig().setExternalizedCheckpointRetention('RETAIN_ON_CANCELLATION');
    }
    env
      .fromSequence(1, COUNT)
      .map(rememberingMap(run))
      .uid('remembering')
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((n) => n))
      .uid('timestamps')
      .keyBy((n) => n % KEYS)
      .window(TumblingEventTimeWindows.of(WINDOW_MS))
      .process<string>({
        process: (key, context, elements, out) => {
          let count = 0;
          let sum = 0;
          for (const n of elements) {
            count++;
            sum += n;
          }
          out.collect(`${key}:${context.window().start}:${count}:${sum}`);
        },
      })
      .uid('totals')
      .sinkTo(FileSink.forRowFormat<string>(output, (line) => line).build())
      .uid('file-sink');
  };
}

/** The failure-free output, computed here. */
function expectedTotals(): string[] {
  const totals = new Map<string, { count: number; sum: number }>();
  for (let n = 1; n <= COUNT; n++) {
    const window = `${n % KEYS}:${Math.floor(n / WINDOW_MS) * WINDOW_MS}`;
    const total = totals.get(window) ?? { count: 0, sum: 0 };
    total.count++;
    total.sum += n;
    totals.set(window, total);
  }
  return [...totals].map(([window, { count, sum }]) => `${window}:${count}:${sum}`).sort();
}

/** Starts the windowed job at parallelism 2 and stops it with a savepoint mid-stream; returns the savepoint and what the first run mapped. */
async function stoppedAtTwo(t: ExecutionContext, cluster: MiniCluster, output: string): Promise<{ path: string; first: ListStateRun }> {
  const first: ListStateRun = { mapped: [], restored: [] };
  const job = await cluster.submit(windowedTotals(output, first), { parallelism: 2 });
  await eventually(() => first.mapped.length > 3_000, 'the first job to map 3,000 records', 20_000);
  const path = await savepointOnceRunning(() => cluster.stopWithSavepoint(job.jobId, tempDir(t, 'weir-savepoints')));
  t.is((await within(job.result(), 'the first job to stop', 30_000)).status, 'FINISHED');
  t.true(first.mapped.length < COUNT, `the savepoint fell mid-stream (${first.mapped.length} records mapped)`);
  return { path, first };
}

async function resumesExactly(t: ExecutionContext, parallelism: number): Promise<void> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: tempDir(t, 'weir-checkpoints') });
  t.teardown(() => cluster.close());
  const output = tempDir(t, 'weir-rescale-output');
  const { path, first } = await stoppedAtTwo(t, cluster, output);

  const second: ListStateRun = { mapped: [], restored: [] };
  const resumed = await cluster.submit(windowedTotals(output, second), { parallelism, savepointPath: path });
  t.is((await within(resumed.result(), 'the rescaled job to finish', 60_000)).status, 'FINISHED');

  t.deepEqual(committedLines(output), expectedTotals(), 'every window once, with every record once in it');
  t.deepEqual([...first.mapped, ...second.mapped].sort((a, b) => a - b), Array.from({ length: COUNT }, (_, index) => index + 1), 'each record read once across the stop and the rescale');

  const restored = [...second.restored].sort((a, b) => a.subtask - b.subtask);
  t.deepEqual(restored.map(({ subtask }) => subtask), Array.from({ length: parallelism }, (_, index) => index), 'every new subtask was restored');
  t.deepEqual(restored.flatMap(({ seen }) => seen).sort((a, b) => a - b), [...first.mapped].sort((a, b) => a - b), "the list state's items, each to one new subtask");
  const sizes = restored.map(({ seen }) => seen.length);
  t.true(Math.max(...sizes) - Math.min(...sizes) <= 1, `split evenly: ${sizes.join(', ')}`);
  for (const { subtasks } of restored) t.deepEqual([...subtasks].sort(), ['subtask 0 of 2', 'subtask 1 of 2'], 'the union list state whole to each');
}

test.serial('a keyed windowed job stopped with a savepoint at parallelism 2 resumes at 3 with the failure-free output and its list state split evenly', async (t) => {
  await resumesExactly(t, 3);
});

test.serial('the same savepoint resumes at parallelism 1 with the failure-free output', async (t) => {
  await resumesExactly(t, 1);
});

test.serial("a cancelled job's retained checkpoint at parallelism 2 resumes at 3 with the failure-free output", async (t) => {
  const checkpoints = tempDir(t, 'weir-checkpoints');
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: checkpoints });
  t.teardown(() => cluster.close());
  const output = tempDir(t, 'weir-rescale-output');
  const first: ListStateRun = { mapped: [], restored: [] };
  const job = await cluster.submit(windowedTotals(output, first, { retainedCheckpointsEveryMs: 200 }), { parallelism: 2 });
  const jobDirectory = join(checkpoints, job.jobId);
  const completed = (): string[] => (existsSync(jobDirectory) ? readdirSync(jobDirectory).filter((name) => existsSync(join(jobDirectory, name, '_metadata'))) : []);
  await eventually(() => first.mapped.length > 3_000 && completed().length > 0, 'a completed checkpoint after 3,000 records', 20_000);
  await cluster.cancel(job.jobId);
  t.true((await job.result().catch((error: unknown) => error)) instanceof WeirError, 'the first job was cancelled before it finished');
  const [latest] = completed().sort((a, b) => Number(b.slice(4)) - Number(a.slice(4)));

  const second: ListStateRun = { mapped: [], restored: [] };
  const resumed = await cluster.submit(windowedTotals(output, second), { parallelism: 3, savepointPath: join(jobDirectory, latest) });
  t.is((await within(resumed.result(), 'the rescaled job to finish', 60_000)).status, 'FINISHED');
  t.deepEqual(committedLines(output), expectedTotals(), 'every window once, with every record once in it');
  t.is(second.restored.length, 3, 'every new subtask was restored');
});

test.serial('a savepoint is refused under another max parallelism (naming both) and above the max parallelism (naming the operator)', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: tempDir(t, 'weir-checkpoints') });
  t.teardown(() => cluster.close());
  const run: ListStateRun = { mapped: [], restored: [] };
  const first = await cluster.submit(windowedTotals(tempDir(t, 'weir-rescale-output'), run), { parallelism: 2 });
  await eventually(() => run.mapped.length > 0, 'the first job to map records', 20_000);
  const path = await savepointOnceRunning(() => cluster.triggerSavepoint(first.jobId, tempDir(t, 'weir-savepoints')));
  await cluster.cancel(first.jobId);
  await first.result().catch(() => undefined);

  const other = await cluster.submit(windowedTotals(tempDir(t, 'weir-other-output'), run, { maxParallelism: 64 }), { parallelism: 3, savepointPath: path });
  const failure = await within(other.result().then(() => null, (error: unknown) => error as WeirError), 'the job under another max parallelism to fail', 30_000);
  t.regex(
    String((failure?.cause as Error | undefined)?.message ?? failure?.message),
    /vertex "[^"]+" keeps keyed state in 128 key groups in it \(max parallelism 128\), and the job's max parallelism is 64 now: keyed state restores only at the max parallelism it was written with/,
  );

  const above = await t.throwsAsync(cluster.submit(windowedTotals(tempDir(t, 'weir-other-output'), run, { maxParallelism: 2 }), { parallelism: 3, savepointPath: path }), { instanceOf: WeirError });
  t.regex(above?.message ?? '', /operator "[^"]+" \(id "[^"]+"\) has parallelism 3, more than the job's max parallelism 2/);
});
