// Checkpoint benchmark (issue 9, "Performance"). Prints ONE JSON line:
//   {"bench":"checkpoint","noCheckpointEventsPerSec","checkpoint1sEventsPerSec","overheadRatio","checkpointMsP50",
//    "syncPartMsP50","stateBytes","recoveryMs",...}
// - The job: bench/jobs/windows-job.ts 'window' (keyed 1 s tumbling event-time windows, count + sum)
//   over KEYS keys on a standalone cluster (a JobManager, TaskManagers with one slot each, the first
//   two pinned to a core each) at parallelism 2: source -> keyBy over the network.
// - throughput: the same events without checkpoints and with a checkpoint every second; medians of
//   REPEATS runs; overheadRatio = 1 - with / without (target <= 0.05). A run is ~7 s (12 M events):
//   with 6 M (3.5 s, two or three checkpoints, the first after 1 s) the ratio swung from -0.01 to
//   0.11 between runs and read low; longer runs reach the steady state and agree within ~0.03.
// - cpuOverheadRatio: the same comparison in TaskManager CPU time (user + system, /proc, Linux) per
//   event instead of wall time: 1 - without / with. Other processes on a shared machine move the
//   throughput figures a lot; they move CPU time per event much less.
// - checkpointMsP50, syncPartMsP50, stateBytes: from the _metadata of each checkpoint completed during
//   the checkpointed runs (trigger to completion; the longest synchronous part of a subtask; the bytes
//   of the subtasks' files).
// - recoveryMs: a long checkpointed run on three TaskManagers (one spare); once a checkpoint completed,
//   kill -9 of a TaskManager running a subtask; the time until the job is RUNNING again and until the
//   next checkpoint completes (output advancing: every task runs and has passed a barrier; checkpoints
//   every 200 ms in this run), with the cluster's default restart strategy (exponential-delay from
//   1 s, jitter 0.1). Target < 2000 ms. failureDetectedMs: until the job is RESTARTING.
// Nothing here asserts a speed.
//   npx tsx bench/checkpoint.ts        BENCH_SCALE=0.2 for a quick look
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointMetadata } from '../cluster/checkpoint/storage.ts';
import type { JobId } from '../messages/ids.ts';
import { ROOT, killChildren, startStandaloneCluster, withTimeout } from './wordcount-processes.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const KEYS = 100_000;
const EVENTS = Math.round(12_000_000 * SCALE);
const REPEATS = 5;
const JOB_TIMEOUT_MS = 300_000;
const TARGETS = { overheadRatio: 0.05, syncPartMsP50: 20, recoveryMs: 2000 } as const;
const WINDOWS_JOB = join(ROOT, 'bench/jobs/windows-job.ts');

const median = (values: number[]): number => (values.length === 0 ? Number.NaN : [...values].sort((a, b) => a - b)[values.length >> 1]);
const round = (value: number): number => Math.round(value);

const workDir = mkdtempSync(join(tmpdir(), 'weir-bench-checkpoint-'));
let outputs = 0;
function outputDirectory(): string {
  const directory = join(workDir, `out-${outputs++}`);
  mkdirSync(directory);
  return directory;
}

/** Every completed checkpoint's metadata in the job's directory now (only the retained ones are there). */
function completed(jobDirectory: string): CheckpointMetadata[] {
  if (!existsSync(jobDirectory)) return [];
  return readdirSync(jobDirectory)
    .filter((name) => name.startsWith('chk-') && existsSync(join(jobDirectory, name, '_metadata')))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(jobDirectory, name, '_metadata'), 'utf8')) as CheckpointMetadata];
      } catch {
        return []; // deleted while read
      }
    });
}

/** CPU time (user + system, ms) of these processes so far; NaN where /proc cannot tell (not Linux, or gone). */
const ticksPerSecond = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function cpuMs(pids: readonly (number | undefined)[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return Number.NaN;
    }
  }
  return (ticks * 1000) / ticksPerSecond;
}

const result: Record<string, unknown> = { bench: 'checkpoint', keys: KEYS, events: EVENTS };
try {
  await withTimeout(
    (async () => {
      const clusterDir = join(workDir, 'cluster');
      mkdirSync(clusterDir);
      const cluster = await startStandaloneCluster(clusterDir, { taskManagers: 3 });
      const seen = new Map<string, CheckpointMetadata>();
      try {
        const taskManagerPids = cluster.taskManagers.map((child) => child.pid);
        const cpuPerEvent: Record<'with' | 'without', number[]> = { with: [], without: [] };
        const run = async (intervalMs: number): Promise<number> => {
          const start = performance.now();
          const cpuBefore = cpuMs(taskManagerPids);
          const handle = await cluster.client.submit(WINDOWS_JOB, { parallelism: 2, args: ['window', String(EVENTS), String(KEYS), outputDirectory(), String(intervalMs)] });
          const jobDirectory = join(cluster.checkpointsDirectory, handle.jobId);
          const poll = setInterval(() => {
            for (const metadata of completed(jobDirectory)) seen.set(`${handle.jobId}/${metadata.checkpointId}`, metadata);
          }, 50);
          try {
            const end = await withTimeout(handle.result(), 'the window job', JOB_TIMEOUT_MS);
            if (end.status !== 'FINISHED') throw new Error(`the job ended ${end.status}`);
          } finally {
            clearInterval(poll);
          }
          cpuPerEvent[intervalMs > 0 ? 'with' : 'without'].push((cpuMs(taskManagerPids) - cpuBefore) / EVENTS);
          return EVENTS / ((performance.now() - start) / 1000);
        };
        await run(0); // warm-up
        cpuPerEvent.without.length = 0;
        const without: number[] = [];
        const withCheckpoints: number[] = [];
        for (let repeat = 0; repeat < REPEATS; repeat++) {
          without.push(await run(0));
          withCheckpoints.push(await run(1_000));
        }
        result.noCheckpointEventsPerSec = round(median(without));
        result.checkpoint1sEventsPerSec = round(median(withCheckpoints));
        result.overheadRatio = Math.round((1 - median(withCheckpoints) / median(without)) * 1000) / 1000;
        result.cpuOverheadRatio = Math.round((1 - median(cpuPerEvent.without) / median(cpuPerEvent.with)) * 1000) / 1000;
        const microseconds = (values: number[]): number => Math.round(median(values) * 100_000) / 100;
        result.taskManagerCpuUsPerEvent = { without: microseconds(cpuPerEvent.without), with: microseconds(cpuPerEvent.with) };
        const checkpoints = [...seen.values()];
        result.checkpoints = checkpoints.length;
        result.checkpointMsP50 = round(median(checkpoints.map((metadata) => metadata.completedAt - metadata.timestamp)));
        result.syncPartMsP50 = Math.round(median(checkpoints.map((metadata) => metadata.syncMs ?? Number.NaN)) * 10) / 10;
        result.stateBytes = round(median(checkpoints.map((metadata) => metadata.subtasks.reduce((sum, entry) => sum + (entry.handle?.bytes ?? 0), 0))));

        // Recovery: a long run, kill -9 of a TaskManager running a subtask once a checkpoint completed.
        const handle = await cluster.client.submit(WINDOWS_JOB, { parallelism: 2, args: ['window', String(EVENTS * 20), String(KEYS), outputDirectory(), '200'] });
        const jobDirectory = join(cluster.checkpointsDirectory, handle.jobId);
        const statuses: { status: string; at: number }[] = [];
        handle.status$.subscribe({ next: (change) => statuses.push({ status: change.status, at: performance.now() }), error: () => undefined });
        const waitFor = async (what: string, condition: () => boolean): Promise<void> => {
          const deadline = performance.now() + 60_000;
          while (!condition()) {
            if (performance.now() > deadline) throw new Error(`no ${what} within 60 s`);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        };
        await waitFor('first checkpoint', () => completed(jobDirectory).length > 0);
        // The spare TaskManager is the one whose slot the job does not hold: the first two run the subtasks
        // when all three registered before the job (slots are spread); killing the first kills a subtask.
        const victim = cluster.taskManagers[0];
        const newest = Math.max(...completed(jobDirectory).map((metadata) => metadata.checkpointId));
        const killedAt = performance.now();
        victim.kill('SIGKILL');
        await waitFor('restart', () => statuses.some((entry) => entry.status === 'RESTARTING'));
        result.failureDetectedMs = round((statuses.find((entry) => entry.status === 'RESTARTING') as { at: number }).at - killedAt);
        await waitFor('running again', () => statuses.filter((entry) => entry.status === 'RUNNING').length >= 2);
        const runningAt = statuses.filter((entry) => entry.status === 'RUNNING')[1].at;
        await waitFor('a checkpoint after the restart', () => completed(jobDirectory).some((metadata) => metadata.checkpointId > newest + 1 && metadata.timestamp > Date.now() - (performance.now() - runningAt) - 1));
        result.recoveryMs = round(performance.now() - killedAt);
        result.recoveryToRunningMs = round(runningAt - killedAt);
        await cluster.client.cancel(handle.jobId as JobId).catch(() => undefined);
      } finally {
        await cluster.stop().catch(() => undefined);
      }
    })(),
    'the checkpoint benchmark',
    JOB_TIMEOUT_MS * 3,
  );
  result.targets = TARGETS;
  result.met = Object.fromEntries(Object.entries(TARGETS).map(([key, target]) => [key, typeof result[key] === 'number' && (result[key] as number) <= target]));
  result.loadavg = loadavg().map((load) => Math.round(load * 10) / 10);
} catch (error) {
  result.error = error instanceof Error ? error.message : String(error);
} finally {
  killChildren();
  rmSync(workDir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(result)}\n`);
