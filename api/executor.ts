// The one seam between api/ and a cluster: a JobExecutor submits a job and hands back a JobHandle.
// The embedded mini cluster and the remote client implement it; the package entry (index.ts at the
// root) registers the factory that makes them, so api/ never imports cluster/ (Flink's
// PipelineExecutor / PipelineExecutorFactory, found there by service loading).
//
// Lifecycle: the environment makes one executor per execution (an embedded mini cluster is started
// for the job, a remote client connects for it) and closes it once the job has ended.
import type { Observable } from 'rxjs';
import { WeirError } from '../messages/errors.ts';
import type { JobId } from '../messages/ids.ts';
import type { JobStatusChanged } from '../messages/job-status.ts';
import type { CollectReceiver } from './collect/channel.ts';
import type { CollectBinding } from './collect/target.ts';
import type { JobModule } from './job-module.ts';

/** A submitted job as the client sees it: its status changes as an Observable, and its result. */
export interface JobHandle {
  readonly jobId: JobId;
  /** Every status change from the current one on; completes with the terminal one. */
  readonly status$: Observable<JobStatusChanged>;
  /** Resolves with the FINISHED change; rejects with JOB_FAILED or JOB_CANCELED (cause: the job's error). */
  result(): Promise<JobStatusChanged>;
  /** Asks the Dispatcher to cancel the job; result() then rejects with JOB_CANCELED. */
  cancel(): Promise<void>;
}

/** What an execution submits. */
export interface JobSubmission {
  readonly jobName: string;
  /**
   * Declares the pipeline. An embedded executor plans it here and its TaskManagers find the user
   * functions by operator id in this very process.
   */
  readonly module: JobModule;
  /**
   * The file of the job module. A remote executor bundles it and ships the bundle; every
   * TaskManager plans its default export, which must declare the same pipeline for `args`.
   */
  readonly modulePath?: string;
  readonly args: readonly string[];
  /** The parallelism the module is planned with before it sets its own (`weir run -p`). */
  readonly parallelism?: number;
  /**
   * The collect sinks read by this execution and their receiver. Embedded, the module's sinks carry
   * it already; a remote executor writes it into the JobGraph its client planned from the bundle.
   */
  readonly collect?: CollectBinding;
}

export interface JobExecutor {
  /** Submits the job; the handle follows it to its end. */
  submit(job: JobSubmission): Promise<JobHandle>;
  /** A receiver for the records of collect sinks, reachable from this executor's TaskManagers. */
  openCollect(): Promise<CollectReceiver>;
  /** Stops what the executor started (the mini cluster, the client's connection). */
  close(): Promise<void>;
}

/** Where a job runs: the embedded mini cluster, or the JobManager at `address` ("host:port"). */
export type ExecutionTarget = { readonly kind: 'embedded'; readonly slots: number } | { readonly kind: 'remote'; readonly address: string };

export type JobExecutorFactory = (target: ExecutionTarget) => Promise<JobExecutor>;

let registeredFactory: JobExecutorFactory | undefined;

/** Called by the package entry: how executions reach a cluster. The last registration wins. */
export function registerJobExecutorFactory(factory: JobExecutorFactory): void {
  registeredFactory = factory;
}

/** Makes the executor for one execution; NO_EXECUTOR when nothing registered a factory. */
export function createJobExecutor(target: ExecutionTarget): Promise<JobExecutor> {
  if (!registeredFactory) {
    const where = target.kind === 'embedded' ? 'the embedded mini cluster' : `the cluster at ${target.address}`;
    return Promise.reject(
      new WeirError(
        'NO_EXECUTOR',
        `cannot run the job on ${where}: no executor is registered. Import StreamExecutionEnvironment from the package entry ('weir', index.ts at its root), which wires the mini cluster and the remote client, rather than from api/ alone`,
      ),
    );
  }
  return registeredFactory(target);
}
