// runJobModule (api/client/run-job-module.ts), the way weir run runs a job module, against a fake
// client: which jobs the module submits, and when its code after execute() runs. The same against a
// real standalone cluster: spec/e2e/client-main.integration.spec.ts. Serial: the modules report
// through one global array.
import test from 'ava';
import { EMPTY } from 'rxjs';
import type { JobHandle } from '../../../api/executor.ts';
import { runJobModule } from '../../../api/client/run-job-module.ts';
import type { WeirClient } from '../../../api/client/weir-client.ts';
import { WeirError } from '../../../messages/errors.ts';
import { type JobId, jobId } from '../../../messages/ids.ts';
import type { JobGraph } from '../../../messages/job-graph.ts';
import { jobStatusChanged } from '../../../messages/job-status.ts';

interface FakeRun {
  /** The name of each job submitted, in order. */
  readonly submitted: string[];
  /** What the module and the fake said, in order. */
  readonly events: string[];
}

/** Runs `source` (a job module as plain ESM, its bundle) with a client whose jobs finish a moment after submission. */
async function run(source: string, detached = false): Promise<FakeRun> {
  const submitted: string[] = [];
  const events: string[] = [];
  (globalThis as { weirSpecEvents?: string[] }).weirSpecEvents = events;
  const client = {
    bundle: () => Promise.resolve(source),
    submitPlanned: (_bundle: string, graph: JobGraph): Promise<JobHandle> => {
      submitted.push(graph.name);
      const id: JobId = jobId(`job-${submitted.length}`);
      const finished = new Promise<ReturnType<typeof jobStatusChanged>>((resolve) =>
        setTimeout(() => {
          events.push(`${graph.name} FINISHED`);
          resolve(jobStatusChanged(id, graph.name, 'FINISHED'));
        }, 20),
      );
      return Promise.resolve({ jobId: id, status$: EMPTY, result: () => finished, cancel: () => Promise.resolve() });
    },
  } as unknown as WeirClient;
  await runJobModule(client, '/jobs/job.ts', { args: [], detached, onSubmitted: (handle) => void events.push(`submitted ${handle.jobId}`) });
  return { submitted, events };
}

const say = (text: string): string => `globalThis.weirSpecEvents.push(${JSON.stringify(text)});`;

test.serial('the code after execute() runs once the job finished, with its result', async (t) => {
  const { submitted, events } = await run(`export default async (env) => {
    env.fromSequence(1, 3).print();
    ${say('before execute')}
    const result = await env.execute('squares');
    globalThis.weirSpecEvents.push('after execute: ' + result.jobName + ' ' + result.jobId);
  };`);
  t.deepEqual(submitted, ['squares']);
  t.deepEqual(events, ['before execute', 'submitted job-1', 'squares FINISHED', 'after execute: squares job-1']);
});

test.serial('a module that only declares has its pipeline run once it returns, named after its file', async (t) => {
  const { submitted, events } = await run('export default (env) => { env.fromSequence(1, 3).print(); };');
  t.deepEqual(submitted, ['job']);
  t.deepEqual(events, ['submitted job-1', 'job FINISHED']);
});

test.serial('an execute() the module does not await is its one job, and the run waits for its end', async (t) => {
  const { submitted, events } = await run(`export default (env) => { env.fromSequence(1, 3).print(); void env.execute('unawaited'); ${say('returned')} };`);
  t.deepEqual(submitted, ['unawaited']);
  t.deepEqual(events, ['returned', 'submitted job-1', 'unawaited FINISHED']);
});

test.serial('detached, the run ends once the job is submitted: the code after execute() does not run', async (t) => {
  const { submitted, events } = await run(`export default async (env) => {
    env.fromSequence(1, 3).print();
    await env.execute('detached');
    ${say('after execute')}
  };`, true);
  t.deepEqual(submitted, ['detached']);
  t.deepEqual(events, ['submitted job-1']);
});

test.serial('detached, a module that collects its results is refused before anything is submitted, saying why', async (t) => {
  const error = await t.throwsAsync(run('export default async (env) => { for await (const n of env.fromSequence(1, 3).executeAndCollect()) void n; };', true), { instanceOf: WeirError });
  t.is(error?.code, 'COLLECT_FAILED');
  t.is(
    error?.message,
    '/jobs/job.ts reads its results on the client (executeAndCollect() or toObservable()), which a detached run (weir run -d) leaves at once: run it attached, or write the results with a sink (print(), writeAsText())',
  );
});

test.serial('a second job of the module is refused: weir run runs one job per module', async (t) => {
  const error = await t.throwsAsync(
    run(`export default async (env) => {
      const numbers = env.fromSequence(1, 3);
      numbers.print();
      void env.execute('first');
      await env.execute('second');
    };`),
    { instanceOf: WeirError },
  );
  t.is(error?.code, 'INVALID_JOB_MODULE');
  t.is(error?.message, '/jobs/job.ts started a second job (execute(), executeAndCollect() or toObservable() again): weir run runs one job per module');
});
