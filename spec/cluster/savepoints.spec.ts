// Savepoints on the embedded mini cluster: stop a job with a savepoint, start a new job from it, and
// the exactly-once file sink's committed output holds every record once, also at another parallelism
// (spec/cluster/rescaling.spec.ts has keyed state); a savepoint that is not there fails the job naming it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { type DataStream, FileSink, type JobModule, type StreamExecutionEnvironment, TwoPhaseCommitSink } from '../../api/index.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { WeirError } from '../../messages/errors.ts';
import { committedNumbers, savepointOnceRunning, spin, tempDir } from './checkpoint-helpers.ts';
import { eventually, within } from './helpers.ts';



const COUNT = 40_000;

/** The sequence through a slow map (so that a savepoint falls mid-stream). */
function slowSequence(env: StreamExecutionEnvironment): DataStream<number> {
  return env
    .fromSequence(1, COUNT)
    .map((n: number) => {
      spin(0.1);
      return n;
    })
    .uid('slow-map');
}

/** The slow sequence into the exactly-once file sink at `output`. */
function slowCopy(output: string): JobModule {
  return (env) => {
    slowSequence(env).sinkTo(FileSink.forRowFormat<number>(output, (n) => String(n)).build());
  };
}

test.serial('stop with a savepoint, then a new job from it: the committed output holds every record once', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: tempDir(t, 'weir-checkpoints') });
  t.teardown(() => cluster.close());
  const output = tempDir(t, 'weir-savepoint-output');
  const savepoints = tempDir(t, 'weir-savepoints');
  const first = await cluster.submit(slowCopy(output), { parallelism: 2 });
  await eventually(async () => (await cluster.list()).some((job) => job.jobId === first.jobId && job.status === 'RUNNING'), 'the first job running', 10_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const path = await savepointOnceRunning(() => cluster.stopWithSavepoint(first.jobId, savepoints));
  t.true(path.startsWith(join(savepoints, 'savepoint-')), path);
  t.true(existsSync(join(path, '_metadata')));
  t.is((await within(first.result(), 'the first job to stop', 30_000)).status, 'FINISHED');
  const atStop = committedNumbers(output);
  t.true(atStop.length > 0 && atStop.length < COUNT, `the savepoint committed part of the output (${atStop.length} lines)`);

  const second = await cluster.submit(slowCopy(output), { parallelism: 2, savepointPath: path });
  t.is((await within(second.result(), 'the resumed job to finish', 60_000)).status, 'FINISHED');
  t.deepEqual(committedNumbers(output), Array.from({ length: COUNT }, (_, index) => index + 1), 'nothing lost, nothing twice');
  t.true(existsSync(join(path, '_metadata')), 'the savepoint stays: it is the user\'s');
});

test.serial('a savepoint taken at one parallelism starts a job at another, every record committed once; an unknown path is named', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: tempDir(t, 'weir-checkpoints') });
  t.teardown(() => cluster.close());
  const output = tempDir(t, 'weir-savepoint-output');
  const first = await cluster.submit(slowCopy(output), { parallelism: 2 });
  await eventually(async () => (await cluster.list()).some((job) => job.jobId === first.jobId && job.status === 'RUNNING'), 'the first job running', 10_000);
  const path = await savepointOnceRunning(() => cluster.triggerSavepoint(first.jobId, tempDir(t, 'weir-savepoints')));
  await cluster.cancel(first.jobId);
  t.is((await first.result().catch((error: unknown) => error as WeirError)) instanceof WeirError, true, 'the first job was cancelled before it finished');

  // Records after the savepoint were never committed by the first job: the rescaled one reads them again.
  const rescaled = await cluster.submit(slowCopy(output), { parallelism: 3, savepointPath: path });
  t.is((await within(rescaled.result(), 'the rescaled job to finish', 60_000)).status, 'FINISHED');
  t.deepEqual(committedNumbers(output), Array.from({ length: COUNT }, (_, index) => index + 1), 'nothing lost, nothing twice');

  const nowhere = await cluster.submit(slowCopy(tempDir(t, 'weir-other-output')), { parallelism: 2, savepointPath: '/nowhere/savepoint-x' });
  const missing = await within(nowhere.result().then(() => null, (error: unknown) => error as WeirError), 'the job without a savepoint to fail', 30_000);
  t.regex(String((missing?.cause as Error | undefined)?.message ?? missing?.message), /cannot start from \/nowhere\/savepoint-x: cannot restore from \/nowhere\/savepoint-x: it has no _metadata file/);
});

test.serial('stop with a savepoint commits the savepoint\'s transactions of an async two-phase-commit sink before the job ends', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: tempDir(t, 'weir-checkpoints') });
  t.teardown(() => cluster.close());
  const preCommitted: number[] = [];
  const committed: number[] = [];
  let next = 0;
  // preCommit() takes a while: the savepoint's commit() is queued behind it when the stop comes.
  class SlowCommits extends TwoPhaseCommitSink<number, number> {
    beginTransaction(): number {
      return ++next;
    }
    invoke(): void {}
    async preCommit(transaction: number): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 300));
      preCommitted.push(transaction);
    }
    commit(transaction: number): void {
      committed.push(transaction);
    }
    abort(): void {}
  }
  const job: JobModule = (env) => {
    slowSequence(env).sinkTo(SlowCommits);
  };
  const handle = await cluster.submit(job, { parallelism: 1 });
  await savepointOnceRunning(() => cluster.stopWithSavepoint(handle.jobId, tempDir(t, 'weir-savepoints')));
  t.is((await within(handle.result(), 'the stopped job to end', 30_000)).status, 'FINISHED');
  t.true(preCommitted.length >= 1);
  t.deepEqual(committed, preCommitted, 'the savepoint\'s transaction was committed before the sink closed');
});

test.serial('after weir stop\'s savepoint the sources emit nothing more: even a plain sink sees each record once across the stop and the resume', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: tempDir(t, 'weir-checkpoints') });
  t.teardown(() => cluster.close());
  const runs: number[][] = [[], []];
  const copy = (out: number[]): JobModule => (env) => {
    slowSequence(env)
      .sinkTo((n: number) => void out.push(n))
      .uid('plain-sink');
  };
  const first = await cluster.submit(copy(runs[0]), { parallelism: 1 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const path = await savepointOnceRunning(() => cluster.stopWithSavepoint(first.jobId, tempDir(t, 'weir-savepoints')));
  t.is((await within(first.result(), 'the stopped job to end', 30_000)).status, 'FINISHED');
  const second = await cluster.submit(copy(runs[1]), { parallelism: 1, savepointPath: path });
  t.is((await within(second.result(), 'the resumed job to finish', 60_000)).status, 'FINISHED');
  t.true(runs[0].length > 0 && runs[1].length > 0, `${runs[0].length} records before the stop, ${runs[1].length} after`);
  t.deepEqual([...runs[0], ...runs[1]], Array.from({ length: COUNT }, (_, index) => index + 1), 'each record once, in order');
});
