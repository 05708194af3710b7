// Checkpoints on the embedded mini cluster, end to end through the real JobManager, TaskManagers and
// Task actors: periodic checkpoints write each subtask's snapshot and then _metadata under
// <dir>/<jobId>/chk-<id>/; a failed job restarts from the latest one and the exactly-once file sink's
// committed output holds every record once.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { FileSink, type JobModule, RestartStrategies } from '../../api/index.ts';
import { MiniCluster, type MiniClusterOptions } from '../../cluster/minicluster.ts';
import { committedNumbers, spin, tempDir } from './checkpoint-helpers.ts';
import { eventually, within } from './helpers.ts';

async function startMiniCluster(t: ExecutionContext, options: MiniClusterOptions): Promise<MiniCluster> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, ...options });
  t.teardown(() => cluster.close());
  return cluster;
}


const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index + 1);

test.serial('a running job completes checkpoints: chk-<id> holds its subtasks\' files and _metadata, only the retained ones stay', async (t) => {
  const checkpoints = tempDir(t, 'weir-checkpoints');
  const cluster = await startMiniCluster(t, { checkpointsDirectory: checkpoints, faultTolerance: { retainedCheckpoints: 2 } });
  const output = tempDir(t, 'weir-checkpointed-output');
  const job: JobModule = (env) => {
    env.enableCheckpointing(50);
    env
      .fromSequence(1, 200_000)
      .map((n: number) => {
        spin(0.01);
        return n;
      })
      .sinkTo(FileSink.forRowFormat<number>(output, (n) => String(n)).build());
  };
  const handle = await cluster.submit(job, { parallelism: 2 });
  const jobDirectory = join(checkpoints, handle.jobId);
  const complete = (): string[] => (existsSync(jobDirectory) ? readdirSync(jobDirectory).filter((name) => existsSync(join(jobDirectory, name, '_metadata'))) : []);
  await eventually(() => complete().length >= 2, 'two completed checkpoints', 20_000);
  const [latest] = complete().sort((a, b) => Number(b.slice(4)) - Number(a.slice(4)));
  const metadata = JSON.parse(readFileSync(join(jobDirectory, latest, '_metadata'), 'utf8')) as { checkpointId: number; subtasks: { subtaskIndex: number; handle: { path: string } | null; splitsReceived: number | null }[] };
  t.is(`chk-${metadata.checkpointId}`, latest);
  t.deepEqual(metadata.subtasks.map((entry) => entry.subtaskIndex).sort(), [0, 1]);
  for (const entry of metadata.subtasks) {
    t.true(entry.handle !== null && existsSync(entry.handle.path), 'each subtask wrote its snapshot');
    t.true((entry.splitsReceived ?? 0) >= 1, 'a source subtask says how many splits it had');
  }
  t.true(complete().length <= 3, 'retained: 2 (and one that may be completing)');
  t.is((await within(handle.result(), 'the job to finish', 60_000)).status, 'FINISHED');
  t.deepEqual(committedNumbers(output), range(200_000));
  await eventually(() => !existsSync(jobDirectory), 'a FINISHED job\'s checkpoints deleted', 5_000);
});

test.serial('a failed job restarts from its latest checkpoint: the exactly-once file sink commits every record once', async (t) => {
  const checkpoints = tempDir(t, 'weir-checkpoints');
  const cluster = await startMiniCluster(t, { checkpointsDirectory: checkpoints });
  const output = tempDir(t, 'weir-restored-output');
  let seen = 0;
  let failed = false;
  let committedAtFailure = 0;
  const job: JobModule = (env) => {
    env.enableCheckpointing(50).setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 20));
    env
      .fromSequence(1, 60_000)
      .map((n: number) => {
        spin(0.03);
        // Fails once, well after the first checkpoints (the sequence is read in order per split).
        if (++seen > 40_000 && !failed) {
          failed = true;
          committedAtFailure = committedNumbers(output).length;
          throw new Error(`failing once at ${n}`);
        }
        return n;
      })
      .sinkTo(FileSink.forRowFormat<number>(output, (n) => String(n)).build());
  };
  const handle = await cluster.submit(job, { parallelism: 2 });
  const statuses: string[] = [];
  handle.status$.subscribe((change) => statuses.push(change.status));
  t.is((await within(handle.result(), 'the job to finish', 60_000)).status, 'FINISHED');
  t.true(failed);
  t.true(committedAtFailure > 0, 'checkpoints had completed (and committed output) before the failure');
  t.true(statuses.includes('RESTARTING'));
  t.deepEqual(committedNumbers(output), range(60_000), 'nothing lost, nothing twice');
  t.true(seen > 60_000, 'records after the checkpoint were read twice: the sink kept their first writing uncommitted');
});

test.serial('a keyed job across a shuffle restarts with its keyed state: the committed running sums are those of a run without failure', async (t) => {
  const checkpoints = tempDir(t, 'weir-checkpoints');
  const cluster = await startMiniCluster(t, { checkpointsDirectory: checkpoints });
  const output = tempDir(t, 'weir-keyed-output');
  const count = 30_000;
  let seen = 0;
  let failed = false;
  let committedAtFailure = 0;
  const job: JobModule = (env) => {
    env.enableCheckpointing(50).setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 20));
    env
      .fromSequence(1, count)
      .setParallelism(1)
      .map((n: number) => {
        spin(0.03);
        if (++seen > 20_000 && !failed) {
          failed = true;
          committedAtFailure = committedNumbers(output).length;
          throw new Error('failing once');
        }
        return n;
      })
      .setParallelism(1)
      .keyBy((n) => n % 7)
      .reduce((a, b) => a + b)
      .sinkTo(FileSink.forRowFormat<number>(output, (n) => String(n)).build());
  };
  const handle = await cluster.submit(job, { parallelism: 2 });
  t.is((await within(handle.result(), 'the job to finish', 60_000)).status, 'FINISHED');
  t.true(failed);
  t.true(committedAtFailure > 0, 'checkpoints had completed (and committed output) before the failure: the restart restored them');
  const sums = new Map<number, number>();
  const expected: number[] = [];
  for (let n = 1; n <= count; n++) {
    const sum = (sums.get(n % 7) ?? 0) + n;
    sums.set(n % 7, sum);
    expected.push(sum);
  }
  t.deepEqual(committedNumbers(output), expected.sort((a, b) => a - b));
});

test.serial('a cancelled job\'s checkpoints are deleted by default and kept with RETAIN_ON_CANCELLATION, ready for weir run -s', async (t) => {
  const checkpoints = tempDir(t, 'weir-checkpoints');
  const cluster = await startMiniCluster(t, { checkpointsDirectory: checkpoints });
  const run = async (retain: boolean): Promise<string> => {
    const job: JobModule = (env) => {
      env.enableCheckpointing(50);
      if (retain) env.getCheckpointConfig().setExternalizedCheckpointRetention('RETAIN_ON_CANCELLATION');
      env
        .fromSequence(1, 1_000_000)
        .map((n: number) => {
          spin(0.01);
          return n;
        })
        .sinkTo(() => {});
    };
    const handle = await cluster.submit(job, { parallelism: 1 });
    const jobDirectory = join(checkpoints, handle.jobId);
    await eventually(() => existsSync(jobDirectory) && readdirSync(jobDirectory).some((name) => existsSync(join(jobDirectory, name, '_metadata'))), 'a completed checkpoint', 20_000);
    await handle.cancel();
    await handle.result().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return jobDirectory;
  };
  t.false(existsSync(await run(false)), 'DELETE_ON_CANCELLATION: gone');
  const kept = await run(true);
  t.true(readdirSync(kept).some((name) => existsSync(join(kept, name, '_metadata'))), 'RETAIN_ON_CANCELLATION: a completed checkpoint stays');
});
