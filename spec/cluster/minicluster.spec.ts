// The embedded MiniCluster end to end: job modules planned here, run by the real Dispatcher,
// ResourceManager, JobManagers and TaskManagers in one actor system. Job modules run in-process, so
// sinks collect into arrays of the spec and print() goes to the captured `stdout`.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { Observable, interval, lastValueFrom, toArray } from 'rxjs';
import type { JobModule, RuntimeContext, SinkFunction } from '../../api/index.ts';
import { MiniCluster, type MiniClusterOptions } from '../../cluster/minicluster.ts';
import { WeirError } from '../../messages/errors.ts';
import type { JobStatusChanged } from '../../messages/job-status.ts';
import { JOB_TIMEOUT_MS, eventually, within } from './helpers.ts';

/** A MiniCluster with quiet logs, closed when the test ends. */
async function startMiniCluster(t: ExecutionContext, options: MiniClusterOptions = {}): Promise<MiniCluster> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, ...options });
  t.teardown(() => cluster.close());
  return cluster;
}

/** Every status a job goes through, once status$ completes. */
function statusesOf(status$: Observable<JobStatusChanged>): Promise<string[]> {
  return within(
    lastValueFrom(status$.pipe(toArray())).then((changes) => changes.map((change) => change.status)),
    'the end of the status stream',
  );
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

test('a bounded job at parallelism 1 runs to FINISHED and its sink gets every record', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 2, slotsPerTaskManager: 2 });
  const out: number[] = [];
  const doubled: JobModule = (env) => {
    env.setJobName('doubled');
    env
      .fromSequence(1, 100)
      .map((n) => n * 2)
      .sinkTo((n) => void out.push(n));
  };
  const handle = await cluster.submit(doubled, { parallelism: 1 });
  const result = await within(handle.result(), 'the job to finish');
  t.like(result, { type: 'JobStatusChanged', jobId: handle.jobId, jobName: 'doubled', status: 'FINISHED' });
  t.deepEqual(ascending(out), range(1, 100).map((n) => n * 2));
});

test('a bounded job at parallelism 2 over two TaskManagers prints every record exactly once', async (t) => {
  const lines: string[] = [];
  // One slot each: the two subtasks must run on different TaskManagers.
  const cluster = await startMiniCluster(t, { taskManagers: 2, slotsPerTaskManager: 1, stdout: (line) => lines.push(line) });
  const squares: JobModule = (env) => {
    env
      .fromSequence(1, 200)
      .map((n) => n * n)
      .print();
  };
  const handle = await cluster.submit(squares, { parallelism: 2 });
  t.is((await within(handle.result(), 'the job to finish')).status, 'FINISHED');
  for (const line of lines) t.regex(line, /^[12]> \d+$/);
  t.deepEqual(ascending(lines.map((line) => Number(line.slice(3)))), range(1, 200).map((n) => n * n));
});

test('filter and flatMap run on the cluster as they do locally', async (t) => {
  const cluster = await startMiniCluster(t);
  const out: string[] = [];
  const words: JobModule = (env) => {
    env
      .fromElements('to be', 'or not', 'to be')
      .flatMap((line) => line.split(' '))
      .filter((word) => word !== 'not')
      .sinkTo((word) => void out.push(word));
  };
  const handle = await cluster.submit(words, {});
  t.is((await within(handle.result(), 'the job to finish')).status, 'FINISHED');
  t.deepEqual(out, ['to', 'be', 'or', 'to', 'be']);
});

test('writeAsText at parallelism 2 writes one part file per subtask, every record once', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'weir-minicluster-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const cluster = await startMiniCluster(t, { taskManagers: 2, slotsPerTaskManager: 1 });
  const handle = await cluster.submit((env, args) => void env.fromSequence(1, 500).writeAsText(args[0]), { parallelism: 2, args: [directory] });
  t.is((await within(handle.result(), 'the job to finish')).status, 'FINISHED');
  t.deepEqual((await readdir(directory)).sort(), ['part-0', 'part-1']);
  const lines = [...(await readFile(join(directory, 'part-0'), 'utf8')).split('\n'), ...(await readFile(join(directory, 'part-1'), 'utf8')).split('\n')];
  t.deepEqual(ascending(lines.filter((line) => line !== '').map(Number)), range(1, 500));
});

test('status$ goes INITIALIZING, CREATED, RUNNING, FINISHED in that order', async (t) => {
  const lines: string[] = [];
  const cluster = await startMiniCluster(t, { stdout: (line) => lines.push(line) });
  const handle = await cluster.submit((env) => void env.fromElements('a', 'b').print(), {});
  t.deepEqual(await statusesOf(handle.status$), ['INITIALIZING', 'CREATED', 'RUNNING', 'FINISHED']);
  t.deepEqual(lines, ['a', 'b']);
});

test('status$ subscribed after the job ended still replays every status from INITIALIZING on', async (t) => {
  // The handle subscribes to the Dispatcher before it submits, so a late subscriber misses nothing.
  const cluster = await startMiniCluster(t, { stdout: () => {} });
  const handle = await cluster.submit((env) => void env.fromSequence(1, 10).print(), {});
  await within(handle.result(), 'the job to finish');
  t.deepEqual(await statusesOf(handle.status$), ['INITIALIZING', 'CREATED', 'RUNNING', 'FINISHED']);
});

test('a job needing more slots than exist FAILS saying how many it needed and how many exist', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 1, slotsPerTaskManager: 2, slotRequestTimeoutMs: 50 });
  const handle = await cluster.submit((env) => void env.fromSequence(1, 10).sinkTo(() => {}), { parallelism: 3 });
  const error = await t.throwsAsync(within(handle.result(), 'the job to fail'), { instanceOf: WeirError });
  t.is(error.code, 'JOB_FAILED');
  t.regex(error.message, /needs 3 slots, but only 2 of 2 are free \(1 TaskManagers registered\) after waiting 50 ms/);
  t.deepEqual(await statusesOf(handle.status$), ['INITIALIZING', 'CREATED', 'FAILED']);
  t.like(await cluster.clusterInfo(), { slotsTotal: 2, slotsFree: 2, runningJobs: 0 });
});

test('cancelling an unbounded job ends it CANCELED and frees its slots', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 2, slotsPerTaskManager: 2 });
  let ticks = 0;
  const handle = await cluster.submit((env) => void env.fromObservable(() => interval(5)).sinkTo(() => void ticks++), {});
  await eventually(() => ticks >= 2, 'two ticks reaching the sink');
  t.like(await cluster.clusterInfo(), { taskManagers: 2, slotsTotal: 4, slotsFree: 3, runningJobs: 1 });

  await cluster.cancel(handle.jobId);
  const error = await t.throwsAsync(within(handle.result(), 'the job to end'), { instanceOf: WeirError });
  t.is(error.code, 'JOB_CANCELED');
  t.deepEqual(await statusesOf(handle.status$), ['INITIALIZING', 'CREATED', 'RUNNING', 'CANCELLING', 'CANCELED']);
  t.like(await cluster.clusterInfo(), { slotsTotal: 4, slotsFree: 4, runningJobs: 0 });
});

test('cancel() through the handle cancels the job, and cancelling it again fails with CANCELLATION_FAILED', async (t) => {
  const cluster = await startMiniCluster(t);
  const handle = await cluster.submit((env) => void env.fromObservable(() => interval(5)).sinkTo(() => {}), {});
  await handle.cancel();
  await t.throwsAsync(within(handle.result(), 'the job to end'), { code: 'JOB_CANCELED' });
  const again = await t.throwsAsync(handle.cancel(), { instanceOf: WeirError });
  t.is(again.code, 'CANCELLATION_FAILED');
  t.is(again.message, `cannot cancel job ${handle.jobId}: job ${handle.jobId} already ended CANCELED`);
});

test('close() with an unbounded job still running unsubscribes the job’s observable', async (t) => {
  const cluster = await startMiniCluster(t);
  let subscribed = false;
  let unsubscribed = false;
  const ticks = () =>
    new Observable<number>((subscriber) => {
      subscribed = true;
      const timer = setInterval(() => subscriber.next(1), 5);
      return () => {
        unsubscribed = true;
        clearInterval(timer);
      };
    });
  await cluster.submit((env) => void env.fromObservable(ticks).sinkTo(() => {}), {});
  await eventually(() => subscribed, 'the source subscribing');
  await cluster.close();
  // Left subscribed, the timer would keep the process alive after the cluster is gone.
  await eventually(() => unsubscribed, 'the source unsubscribing', 1_000);
  t.pass();
});

test('a user function that throws FAILS the job with an error naming the operator', async (t) => {
  const cluster = await startMiniCluster(t);
  const exploding: JobModule = (env) => {
    env
      .fromSequence(1, 10)
      .map((n) => {
        if (n === 7) throw new Error('seven is unlucky');
        return n;
      })
      .name('Unlucky')
      .sinkTo(() => {});
  };
  const handle = await cluster.submit(exploding, {});
  const error = await t.throwsAsync(within(handle.result(), 'the job to fail'), { instanceOf: WeirError });
  t.is(error.code, 'JOB_FAILED');
  t.regex(error.message, /operator "Unlucky" \(id "[^"]+"\) failed on a record: seven is unlucky/);
  const statuses = await statusesOf(handle.status$);
  t.deepEqual(statuses.slice(-2), ['FAILING', 'FAILED']);
  t.like(await cluster.clusterInfo(), { slotsFree: 4, runningJobs: 0 });
});

test('a job module that throws while being planned is rejected with its error and the cluster runs the next job', async (t) => {
  const cluster = await startMiniCluster(t);
  const broken: JobModule = () => {
    throw new Error('the module cannot find its config');
  };
  await t.throwsAsync(cluster.submit(broken, {}), { message: 'the module cannot find its config' });
  t.deepEqual(await cluster.list(), []);

  const out: number[] = [];
  const handle = await cluster.submit((env) => void env.fromElements(1, 2, 3).sinkTo((n) => void out.push(n)), {});
  t.is((await within(handle.result(), 'the next job to finish')).status, 'FINISHED');
  t.deepEqual(out, [1, 2, 3]);
});

test('a job module that throws only when a TaskManager plans it FAILS the job with the module’s error', async (t) => {
  const cluster = await startMiniCluster(t);
  let plannings = 0;
  const flaky: JobModule = (env) => {
    if (++plannings > 1) throw new Error('no second planning');
    env.fromElements(1).sinkTo(() => {});
  };
  const handle = await cluster.submit(flaky, {});
  const error = await t.throwsAsync(within(handle.result(), 'the job to fail'), { code: 'JOB_FAILED' });
  t.regex(error.message, /Source: Collection.* \(1\/1\): loading the job code failed: no second planning/);
  // The cluster is left usable.
  const next = await cluster.submit((env) => void env.fromElements(1).sinkTo(() => {}), {});
  t.is((await within(next.result(), 'the next job to finish')).status, 'FINISHED');
});

test('input splits are handed out lazily: at parallelism 2 both subtasks read splits and every number is read exactly once', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 2, slotsPerTaskManager: 1 });
  const bySubtask: number[][] = [[], [], []];
  class Recorder implements SinkFunction<number> {
    private seen: number[] = bySubtask[2];
    open(context: RuntimeContext): void {
      this.seen = bySubtask[context.subtaskIndex];
    }
    invoke(value: number): void {
      this.seen.push(value);
    }
  }
  const handle = await cluster.submit((env) => void env.fromSequence(1, 100_000).sinkTo(Recorder), { parallelism: 2 });
  t.is((await within(handle.result(), 'the job to finish')).status, 'FINISHED');
  t.deepEqual(bySubtask[2], [], 'every record went to a sink opened for a subtask');
  t.true(bySubtask[0].length > 0, 'subtask 0 read no split');
  t.true(bySubtask[1].length > 0, 'subtask 1 read no split');
  const all = [...bySubtask[0], ...bySubtask[1]];
  t.is(all.length, 100_000);
  t.deepEqual(ascending(all), range(1, 100_000));
});

test('list() shows finished and failed jobs with their status, parallelism and end time', async (t) => {
  const cluster = await startMiniCluster(t, { stdout: () => {} });
  const good = await cluster.submit((env) => void env.fromElements(1).print(), { parallelism: 2, jobName: 'good job' });
  await within(good.result(), 'the good job to finish');
  const bad = await cluster.submit(
    (env) =>
      void env
        .fromElements(1)
        .map(() => {
          throw new Error('bad');
        })
        .print(),
    { jobName: 'bad job' },
  );
  await t.throwsAsync(within(bad.result(), 'the bad job to fail'));
  const jobs = await cluster.list();
  t.is(jobs.length, 2);
  const byName = new Map(jobs.map((job) => [job.name, job]));
  t.like(byName.get('good job'), { jobId: good.jobId, status: 'FINISHED', parallelism: 2 });
  t.like(byName.get('bad job'), { jobId: bad.jobId, status: 'FAILED', parallelism: 1 });
  t.regex(byName.get('bad job')?.error?.message ?? '', /failed on a record: bad/);
  for (const job of jobs) t.true(job.endTime !== null && job.endTime >= job.startTime);
});

test('clusterInfo counts the TaskManagers and their slots', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 3, slotsPerTaskManager: 2 });
  t.deepEqual(await cluster.clusterInfo(), { type: 'ClusterInfo', taskManagers: 3, slotsTotal: 6, slotsFree: 6, runningJobs: 0 });
});

test('jobs run one after another reuse the slots the earlier ones freed', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 1, slotsPerTaskManager: 2, slotRequestTimeoutMs: 1_000 });
  for (let run = 0; run < 3; run++) {
    const handle = await cluster.submit((env) => void env.fromSequence(1, 50).sinkTo(() => {}), { parallelism: 2 });
    t.is((await within(handle.result(), `job ${run + 1} to finish`, JOB_TIMEOUT_MS)).status, 'FINISHED');
  }
  t.like(await cluster.clusterInfo(), { slotsFree: 2, runningJobs: 0 });
});
