// Unaligned checkpoints on the embedded mini cluster under heavy backpressure: two source subtasks
// feed a slow keyed map and the exactly-once file sink at parallelism 2, so every channel is full. An
// aligned checkpoint's barriers wait behind the queued batches; an unaligned one's overtake them, and
// the batches become part of the snapshot. A failover restored from such a checkpoint replays them:
// the committed output equals the failure-free output exactly.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { type Collector, FileSink, type JobModule, type KeyedProcessContext, type KeyedProcessFunction, RestartStrategies, type RuntimeContext, type ValueState, ValueStateDescriptor } from '../../api/index.ts';
import { decodeSnapshot } from '../../api/runtime/checkpointing/snapshot-codec.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { WeirError } from '../../messages/errors.ts';
import { committedNumbers, spin, tempDir } from './checkpoint-helpers.ts';
import { within } from './helpers.ts';

const KEYS = 7;
/** The slow map's time per record: a step of 1000 records takes ~50 ms, a full channel ~0.5 s. */
const MS_PER_RECORD = 0.05;

async function startMiniCluster(t: ExecutionContext, checkpoints: string): Promise<MiniCluster> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: checkpoints, faultTolerance: { retainedCheckpoints: 50 } });
  t.teardown(() => cluster.close());
  return cluster;
}

/** A keyed count per record, as a number: key * 1,000,000 + the how-manieth record of its key this is. */
const countLine = (key: number, count: number): number => key * 1_000_000 + count;

/** What the job commits without any failure: for each key, one line per count 1..records of that key. Independent of the order records meet. */
function failureFreeOutput(records: number): number[] {
  const expected: number[] = [];
  for (let key = 0; key < KEYS; key++) for (let count = 1, n = key === 0 ? KEYS : key; n <= records; count++, n += KEYS) expected.push(countLine(key, count));
  return expected.sort((a, b) => a - b);
}

interface BackpressuredJob {
  readonly records: number;
  readonly output: string;
  readonly unaligned: boolean;
  /** With `unaligned`: each checkpoint starts aligned and switches after this long. */
  readonly alignedCheckpointTimeoutMs?: number;
  /** Called in the slow map, per record, with how many it has seen in this subtask. */
  readonly onRecord?: (seen: number) => void;
}

/** Source (2) -> keyBy -> slow keyed count (2) -> FileSink: the sink's two channels stay full. */
function backpressuredJob({ records, output, unaligned, alignedCheckpointTimeoutMs, onRecord }: BackpressuredJob): JobModule {
  return (env) => {
    env.enableCheckpointing(200).setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 20));
    if (unaligned) env.getCheckpointConfig().enableUnalignedCheckpoints();
    if (alignedCheckpointTimeoutMs !== undefined) env.getCheckpointConfig().setAlignedCheckpointTimeout(alignedCheckpointTimeoutMs);
    // A class: each subtask gets its own instance, so its state handle and count stay its own.
    class KeyedCount implements KeyedProcessFunction<number, number, number> {
      private seen = 0;
      private counts!: ValueState<number>;

      open(context: RuntimeContext): void {
        this.counts = context.getState(new ValueStateDescriptor<number>('count'));
      }

      processElement(n: number, _ctx: KeyedProcessContext<number>, out: Collector<number>): void {
        spin(MS_PER_RECORD);
        onRecord?.(++this.seen);
        const count = (this.counts.value() ?? 0) + 1;
        this.counts.update(count);
        out.collect(countLine(n % KEYS, count));
      }
    }
    env
      .fromSequence(1, records)
      .keyBy((n: number) => n % KEYS)
      .process(KeyedCount)
      .uid('keyed-count')
      .sinkTo(FileSink.forRowFormat<number>(output, (n) => String(n)).build());
  };
}

/** Every completed checkpoint's duration (trigger to _metadata), collected while the job runs (a FINISHED job's are deleted). */
function watchCheckpoints(jobDirectory: string, durations: Map<number, number>): () => void {
  const timer = setInterval(() => {
    if (!existsSync(jobDirectory)) return;
    for (const name of readdirSync(jobDirectory)) {
      const metadata = join(jobDirectory, name, '_metadata');
      if (!name.startsWith('chk-') || durations.has(Number(name.slice(4))) || !existsSync(metadata)) continue;
      const { checkpointId, timestamp, completedAt } = JSON.parse(readFileSync(metadata, 'utf8')) as { checkpointId: number; timestamp: number; completedAt: number };
      durations.set(checkpointId, completedAt - timestamp);
    }
  }, 10);
  return () => clearInterval(timer);
}

/**
 * What `committed` lacks of `expected` and has beyond it (each a multiset, first ten shown): an empty
 * pair is equality, and a difference stays short to print (ava's diff of two long arrays takes minutes).
 */
function differences(committed: readonly number[], expected: readonly number[]): { missing: number[]; extra: number[] } {
  const counts = new Map<number, number>();
  for (const n of expected) counts.set(n, (counts.get(n) ?? 0) + 1);
  const extra: number[] = [];
  for (const n of committed) {
    const left = counts.get(n) ?? 0;
    if (left === 0) extra.push(n);
    else counts.set(n, left - 1);
  }
  const missing = [...counts].flatMap(([n, left]) => Array.from({ length: left }, () => n));
  return { missing: missing.slice(0, 10), extra: extra.slice(0, 10) };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs the job to its end; the durations of its completed checkpoints. Its committed output must be the failure-free one. */
async function checkpointDurations(t: ExecutionContext, job: Omit<BackpressuredJob, 'output' | 'onRecord'>): Promise<number[]> {
  const checkpoints = tempDir(t, 'weir-unaligned-checkpoints');
  const cluster = await startMiniCluster(t, checkpoints);
  const output = tempDir(t, 'weir-unaligned-output');
  const handle = await cluster.submit(backpressuredJob({ ...job, output }), { parallelism: 2 });
  const durations = new Map<number, number>();
  const stop = watchCheckpoints(join(checkpoints, handle.jobId), durations);
  try {
    t.is((await within(handle.result(), 'the job to finish', 120_000)).status, 'FINISHED');
  } finally {
    stop();
  }
  t.deepEqual(differences(committedNumbers(output), failureFreeOutput(job.records)), { missing: [], extra: [] }, 'every record committed once');
  return [...durations.values()];
}

// Here an aligned checkpoint waits for ~20 batches queued ahead of its barriers at each sink subtask,
// an unaligned one for the sink's current step (1,000 records): 5-10x apart on this machine. The
// assertion leaves room for a loaded machine.
test.serial('under backpressure an unaligned checkpoint completes several times faster than an aligned one', async (t) => {
  const aligned = await checkpointDurations(t, { records: 120_000, unaligned: false });
  const unaligned = await checkpointDurations(t, { records: 120_000, unaligned: true });
  t.log(`aligned checkpoints: ${aligned.join(', ')} ms (median ${median(aligned)}); unaligned: ${unaligned.join(', ')} ms (median ${median(unaligned)})`);
  t.true(aligned.length >= 2 && unaligned.length >= 2, `checkpoints completed: ${aligned.length} aligned, ${unaligned.length} unaligned`);
  t.true(median(unaligned) * 3 < median(aligned), `unaligned median ${median(unaligned)} ms, aligned ${median(aligned)} ms`);
});

test.serial('a failover restored from an unaligned checkpoint taken under backpressure commits exactly the failure-free output', async (t) => {
  const checkpoints = tempDir(t, 'weir-unaligned-checkpoints');
  const cluster = await startMiniCluster(t, checkpoints);
  const output = tempDir(t, 'weir-unaligned-failover');
  const records = 60_000;
  let failed = false;
  let restoredHadInFlight = false;
  let jobDirectory = '';
  const job = backpressuredJob({
    records,
    output,
    unaligned: true,
    onRecord: (seen) => {
      // Fails once, in one subtask, once a checkpoint holding in-flight data is complete: the restore takes that one or a later one.
      if (failed || seen < 12_000) return;
      const withInFlight = latestCheckpointHasInFlightData(jobDirectory);
      if (withInFlight === null) return;
      failed = true;
      restoredHadInFlight = withInFlight;
      throw new Error('failing once under backpressure');
    },
  });
  const handle = await cluster.submit(job, { parallelism: 2 });
  jobDirectory = join(checkpoints, handle.jobId);
  const statuses: string[] = [];
  handle.status$.subscribe((change) => statuses.push(change.status));
  t.is((await within(handle.result(), 'the job to finish', 120_000)).status, 'FINISHED');
  t.true(failed, 'the job failed once');
  t.true(statuses.includes('RESTARTING'));
  t.true(restoredHadInFlight, 'the latest checkpoint at the failure held in-flight data');
  t.deepEqual(differences(committedNumbers(output), failureFreeOutput(records)), { missing: [], extra: [] }, 'nothing lost, nothing twice');
});

/** Whether the newest complete checkpoint holds in-flight data in any subtask's file; null when none is complete. */
function latestCheckpointHasInFlightData(jobDirectory: string): boolean | null {
  if (jobDirectory === '' || !existsSync(jobDirectory)) return null;
  const complete = readdirSync(jobDirectory).filter((name) => name.startsWith('chk-') && existsSync(join(jobDirectory, name, '_metadata')));
  if (complete.length === 0) return null;
  const latest = complete.sort((a, b) => Number(b.slice(4)) - Number(a.slice(4)))[0];
  const files = readdirSync(join(jobDirectory, latest)).filter((name) => name.endsWith('.state'));
  return files.some((name) => {
    const path = join(jobDirectory, latest, name);
    const inFlight = decodeSnapshot(readFileSync(path), path).inFlight;
    return inFlight !== undefined && inFlight.input.length + inFlight.output.length > 0;
  });
}

// The switch happens at the sink subtasks, whose first barrier comes after the timeout: its barriers
// still wait behind the sources' queued batches (a barrier is not switched inside an output queue, as
// Flink's is), so the in-flight data is whatever arrived between the barriers: often nothing. What
// this shows is that exactly-once holds through the switch; NetworkInput's spec shows the switch.
test.serial('with an aligned checkpoint timeout under backpressure, checkpoints complete and the output is exact', async (t) => {
  const durations = await checkpointDurations(t, { records: 60_000, unaligned: true, alignedCheckpointTimeoutMs: 100 });
  t.log(`checkpoints with a 100 ms aligned checkpoint timeout: ${durations.join(', ')} ms`);
  t.true(durations.length >= 1, 'a checkpoint completed');
});

test.serial('a job asking for unaligned checkpoints with AT_LEAST_ONCE is rejected at submit, naming both settings', async (t) => {
  const cluster = await startMiniCluster(t, tempDir(t, 'weir-unaligned-checkpoints'));
  const job: JobModule = (env) => {
    env.enableCheckpointing(100, 'AT_LEAST_ONCE').getCheckpointConfig().enableUnalignedCheckpoints();
    env.fromSequence(1, 10).sinkTo(() => {});
  };
  const error = await t.throwsAsync(cluster.submit(job), { instanceOf: WeirError });
  t.is(error?.code, 'JOB_REJECTED');
  t.regex(
    error?.message ?? '',
    /: the job enables unaligned checkpoints \(enableUnalignedCheckpoints\(\)\), but the job asks for AT_LEAST_ONCE: unaligned checkpoints need EXACTLY_ONCE \(set execution\.checkpointing\.mode to EXACTLY_ONCE or execution\.checkpointing\.unaligned to false\)$/,
  );
});
