// runJobModule: how `weir run` runs a job module, as Flink's client runs a program's main(). The
// module's default export runs once, here, against an environment whose executions go to this
// client: execute() submits the pipeline declared so far and resolves with its JobExecutionResult
// once the job FINISHED, so the module's code after it runs here, after the job; executeAndCollect()
// and toObservable() deliver their records here. A module that only declares (no execution) has its
// pipeline executed once it returns. TaskManagers plan the same bundle only up to its execution.
//
// Detached (-d): the run ends once the module's job is submitted (the code after execute() does not
// run); a collect fails at once, as there is no client left to deliver its records to.
import { WeirError } from '../../messages/errors.ts';
import { StreamExecutionEnvironment, useExecutor } from '../environment.ts';
import type { JobExecutor, JobHandle } from '../executor.ts';
import { planJob } from '../runtime/plan.ts';
import { importBundle } from './plan-bundle.ts';
import { type SubmitOptions, type WeirClient, defaultJobName } from './weir-client.ts';

export interface RunJobModuleOptions extends Pick<SubmitOptions, 'parallelism' | 'savepointPath' | 'allowNonRestoredState' | 'onWarning'> {
  readonly args: readonly string[];
  readonly detached: boolean;
  /** Told the job once it is submitted, before it ends: the CLI prints its id and follows it. */
  readonly onSubmitted: (handle: JobHandle) => void;
}

/** Resolves once the module returned and its job ended (detached: once the job is submitted); rejects with what the module threw. */
export async function runJobModule(client: WeirClient, modulePath: string, options: RunJobModuleOptions): Promise<void> {
  const bundle = await client.bundle(modulePath);
  // The bundle's own code, the one every TaskManager imports: the pipeline it declares here is theirs.
  const main = await importBundle(bundle);
  const parallelism = options.parallelism === undefined ? {} : { parallelism: options.parallelism };
  const env = new StreamExecutionEnvironment({ args: options.args, ...parallelism });
  env.setJobName(defaultJobName(modulePath));
  let started = false;
  let submitted: JobHandle | undefined;
  let onDetached = (): void => undefined;
  const detachedSubmission = new Promise<void>((resolve) => (onDetached = resolve));

  const executor: JobExecutor = {
    submit: async (job) => {
      if (started) {
        throw new WeirError('INVALID_JOB_MODULE', `${modulePath} started a second job (execute(), executeAndCollect() or toObservable() again): weir run runs one job per module`);
      }
      started = true;
      const { graph } = await planJob(job.module, job.args);
      const savepoint = options.savepointPath === undefined ? {} : { savepointPath: options.savepointPath, allowNonRestoredState: options.allowNonRestoredState === true };
      const handle = await client.submitPlanned(bundle, graph, {
        args: options.args,
        ...parallelism,
        ...savepoint,
        ...(job.collect ? { collect: job.collect } : {}),
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      });
      submitted = handle;
      options.onSubmitted(handle);
      if (!options.detached) return handle;
      onDetached();
      // The module waits for a result no detached client follows: its run ends here.
      return { ...handle, result: () => new Promise<never>(() => undefined) };
    },
    openCollect: () => {
      if (!options.detached) return Promise.resolve(client.openCollect());
      return Promise.reject(
        new WeirError(
          'COLLECT_FAILED',
          `${modulePath} reads its results on the client (executeAndCollect() or toObservable()), which a detached run (weir run -d) leaves at once: run it attached, or write the results with a sink (print(), writeAsText())`,
        ),
      );
    },
    // The caller's client: closed by the caller.
    close: () => Promise.resolve(),
  };
  useExecutor(env, executor);

  const run = async (): Promise<void> => {
    await main(env, options.args);
    // An execution the module started without awaiting it reaches submit() within microtasks: let
    // them run before deciding that the module only declared.
    await new Promise((resolve) => setImmediate(resolve));
    if (!started) {
      await env.execute();
      return;
    }
    // A job the module started without waiting for it (a collect it stopped reading ends its job
    // itself): this run ends with it. Its failure is the module's to report.
    await submitted?.result().catch(() => undefined);
  };
  await Promise.race([run(), detachedSubmission]);
}
