// A sink whose invoke() returns a promise: one write at a time, in input order; the job waits for
// the writes before it is FINISHED, a rejected write fails it naming the sink, and a slow sink holds
// the source back.
import test from 'ava';
import { type JobModule, StreamExecutionEnvironment } from '../../../index.ts';
import { planJob } from '../../../api/internal.ts';
import type { StepResult } from '../../../api/runtime/subtask.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runModule } from '../harness/run-plan.ts';
import { subtaskOf, within } from '../helpers.ts';

const JOB_MS = 10_000;

/** Settles after `count` turns of the event loop: a delay that takes no wall-clock time. */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

test('an async sink writes one record at a time, in input order, and the job is FINISHED only after the last write', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const written: number[] = [];
  let writing = 0;
  let mostWriting = 0;
  env.fromSequence(1, 500).sinkTo(async (n) => {
    writing++;
    mostWriting = Math.max(mostWriting, writing);
    await turns((n * 7) % 4);
    written.push(n);
    writing--;
  });
  const result = await within(env.execute('async sink'), 'the job', JOB_MS);
  t.is(result.jobName, 'async sink');
  t.deepEqual(
    written,
    Array.from({ length: 500 }, (_, index) => index + 1),
    'every write done, in order, when execute() resolved',
  );
  t.is(mostWriting, 1);
});

test('a sink object whose invoke() returns a promise only sometimes keeps the order too', async (t) => {
  const written: string[] = [];
  await runModule((env) => {
    env.fromSequence(1, 200).sinkTo({
      invoke(n: number): void | Promise<void> {
        if (n % 3 !== 0) return void written.push(`${n}`);
        return turns(2).then(() => void written.push(`${n}!`));
      },
    });
  });
  t.deepEqual(
    written,
    Array.from({ length: 200 }, (_, index) => ((index + 1) % 3 === 0 ? `${index + 1}!` : `${index + 1}`)),
  );
});

test('a rejected write fails the job with USER_FUNCTION_FAILED naming the sink', async (t) => {
  const module: JobModule = (env) => {
    env
      .fromSequence(1, 20)
      .sinkTo(async (n) => {
        await turns(1);
        if (n === 12) throw new Error('disk full');
      })
      .name('Sink: Audit Log');
  };
  await t.throwsAsync(runModule(module), {
    instanceOf: WeirError,
    code: 'USER_FUNCTION_FAILED',
    message: 'operator "Sink: Audit Log" (id "sink-function-1") failed on a record: disk full',
  });
});

test('a rejection of the last write fails the job too: execute() rejects with JOB_FAILED naming the sink', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromElements('a', 'b', 'c').sinkTo((value) => (value === 'c' ? Promise.reject(new Error('closed connection')) : Promise.resolve()));
  await t.throwsAsync(within(env.execute('last write fails'), 'the job to fail', JOB_MS), {
    instanceOf: WeirError,
    code: 'JOB_FAILED',
    message: /operator "Sink: Function" \(id "sink-function-1"\) failed on a record: closed connection/,
  });
});

test('a slow async sink holds the source back: records read stay within one step of those written', async (t) => {
  const pending: (() => void)[] = [];
  let read = 0;
  let written = 0;
  const module: JobModule = (env) => {
    env
      .fromSequence(1, 100_000)
      .map((n) => (read++, n))
      .sinkTo(() => new Promise<void>((resolve) => pending.push(() => (written++, resolve()))));
  };
  const subtask = subtaskOf(await planJob(module, []));
  await subtask.open();
  const stepRecords = 10;
  let result: StepResult = subtask.step(stepRecords);
  for (let round = 0; round < 100; round++) {
    if (result.kind === 'wait') {
      pending.shift()?.();
      await within(result.until);
    }
    result = subtask.step(stepRecords);
    t.true(pending.length <= 1, 'one write in flight at a time');
    t.true(read - written <= stepRecords + 1, `round ${round}: ${read} read, ${written} written`);
  }
  t.true(written > 50, 'the job made progress');
  subtask.cancel();
  await subtask.close();
});
