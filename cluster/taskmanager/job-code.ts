// How a TaskManager gets a job's code: from the bundle the client shipped (standalone), or straight
// from the module the embedded mini cluster was given. Either way the job is planned once per
// TaskManager and job, and each Task asks that plan for its subtask.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActorRef, ActorSystem } from '../../actors/index.ts';
import { planJob } from '../../api/runtime/plan.ts';
import { registerBundleSourceMap } from '../../messages/bundle-frames.ts';
import type { JobPlan } from '../../api/runtime/subtask.ts';
import type { JobId } from '../../messages/ids.ts';
import type { JobBundle, JobManagerMsg } from '../../messages/job-manager.ts';
import type { PrepareJob } from '../../messages/task-manager.ts';

/** How long a TaskManager waits for its JobManager's answer (the job's bundle, a split). */
export const JOB_MANAGER_REQUEST_TIMEOUT_MS = 30_000;

export type JobModule = Parameters<typeof planJob>[0];

export interface JobCodeRequest {
  readonly jobId: JobId;
  readonly bundleHash: string;
  readonly args: readonly string[];
  /** The parallelism the client planned with, so that this plan is the same. */
  readonly planParallelism?: number;
  /** Fetches the bundle's code from the JobManager. */
  readonly fetchBundle: () => Promise<string>;
}

/** The request for a job's plan, from a deployment or a PrepareJob: the bundle comes from the job's JobManager. */
export function jobCodeRequest(system: ActorSystem, job: Omit<PrepareJob, 'type'>): JobCodeRequest {
  const { jobId, bundleHash, jobArgs, planParallelism, jobManager } = job;
  const fetchBundle = (): Promise<string> =>
    system.ask<JobManagerMsg, JobBundle>(jobManager as ActorRef<JobManagerMsg>, (replyTo) => ({ type: 'RequestJobBundle', bundleHash, replyTo }), JOB_MANAGER_REQUEST_TIMEOUT_MS).then((bundle) => bundle.code);
  return { jobId, bundleHash, args: jobArgs, fetchBundle, ...(planParallelism !== undefined ? { planParallelism } : {}) };
}

export interface JobCodeLoader {
  /** The plan of the job; the same promise for every task of the job until `release`. */
  load(request: JobCodeRequest): Promise<JobPlan>;
  release(jobId: JobId): void;
}

/**
 * Imports the bundled ESM module from a file of its own, so each job gets its own module instance.
 * The file goes into a directory made for it under `baseDirectory` (the OS temp dir) and removed as
 * soon as the module is imported: a process killed later (kill -9, a spec's teardown) leaves nothing.
 */
export class BundleLoader implements JobCodeLoader {
  private readonly plans = new Map<JobId, Promise<JobPlan>>();
  /** Forgets a job's source map: its failures' frames name the user's sources until then. */
  private readonly sourceMaps = new Map<JobId, () => void>();

  constructor(private readonly baseDirectory = tmpdir()) {}

  load(request: JobCodeRequest): Promise<JobPlan> {
    let plan = this.plans.get(request.jobId);
    if (!plan) {
      const loading = this.importAndPlan(request);
      plan = loading;
      this.plans.set(request.jobId, loading);
      const { jobId } = request;
      loading.then(
        // Released while it loaded (a job cancelled during a PrepareJob's load): its source map goes too.
        () => {
          if (!this.plans.has(jobId)) this.forgetSourceMap(jobId);
        },
        // A failure is not kept: the next task of the job (or a PrepareJob's failed fetch) tries again.
        () => {
          if (this.plans.get(jobId) === loading) this.plans.delete(jobId);
        },
      );
    }
    return plan;
  }

  release(jobId: JobId): void {
    // Node cannot unload an ES module; dropping the plan lets its functions be collected.
    this.plans.delete(jobId);
    this.forgetSourceMap(jobId);
  }

  private forgetSourceMap(jobId: JobId): void {
    this.sourceMaps.get(jobId)?.();
    this.sourceMaps.delete(jobId);
  }

  private async importAndPlan(request: JobCodeRequest): Promise<JobPlan> {
    const code = await request.fetchBundle();
    const directory = await mkdtemp(join(this.baseDirectory, `weir-jobs-${process.pid}-`));
    let module: { default?: unknown };
    try {
      const file = join(directory, `${request.jobId}-${request.bundleHash}.mjs`);
      await writeFile(file, code);
      this.forgetSourceMap(request.jobId); // an earlier load's, released while it was loading
      this.sourceMaps.set(request.jobId, registerBundleSourceMap(file, code));
      module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } finally {
      // Imported (or not importable): the file is not needed again, and jobs must not pile up on disk.
      await rm(directory, { recursive: true, force: true });
    }
    if (typeof module.default !== 'function') {
      throw new TypeError(`the job module of job ${request.jobId} has no default export function (found ${typeof module.default})`);
    }
    return planJob(module.default as JobModule, request.args, planOptions(request));
  }
}

/** The embedded mini cluster's loader: modules registered in-process by bundle hash. */
export class EmbeddedLoader implements JobCodeLoader {
  private readonly modules = new Map<string, JobModule>();
  private readonly plans = new Map<JobId, Promise<JobPlan>>();
  private readonly bundles = new Map<JobId, string>();

  register(bundleHash: string, module: JobModule): void {
    this.modules.set(bundleHash, module);
  }

  load(request: JobCodeRequest): Promise<JobPlan> {
    let plan = this.plans.get(request.jobId);
    if (!plan) {
      this.bundles.set(request.jobId, request.bundleHash);
      const module = this.modules.get(request.bundleHash);
      plan = module ? planJob(module, request.args, planOptions(request)) : Promise.reject(new Error(`no job module registered for bundle ${request.bundleHash}`));
      this.plans.set(request.jobId, plan);
    }
    return plan;
  }

  /** The job ended: its plan and its module go (each job registers its own). */
  release(jobId: JobId): void {
    this.plans.delete(jobId);
    const bundleHash = this.bundles.get(jobId);
    this.bundles.delete(jobId);
    if (bundleHash !== undefined) this.modules.delete(bundleHash);
  }
}

function planOptions(request: JobCodeRequest): { parallelism?: number } {
  return request.planParallelism === undefined ? {} : { parallelism: request.planParallelism };
}
