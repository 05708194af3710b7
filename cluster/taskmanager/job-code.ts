// How a TaskManager gets a job's code: from the bundle the client shipped (standalone), or straight
// from the module the embedded mini cluster was given. Either way the job is planned once per
// TaskManager and job, and each Task asks that plan for its subtask.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planJob } from '../../api/runtime/plan.ts';
import type { JobPlan } from '../../api/runtime/subtask.ts';
import type { JobId } from '../../messages/ids.ts';

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

export interface JobCodeLoader {
  /** The plan of the job; the same promise for every task of the job until `release`. */
  load(request: JobCodeRequest): Promise<JobPlan>;
  release(jobId: JobId): void;
}

/**
 * Imports the bundled ESM module from a file of its own, so each job gets its own module instance.
 * Files go into a directory of this process's own under `baseDirectory` (the OS temp dir), made on
 * first use and removed when the process exits; each file is removed once imported.
 */
export class BundleLoader implements JobCodeLoader {
  private readonly plans = new Map<JobId, Promise<JobPlan>>();
  private directory: Promise<string> | null = null;

  constructor(private readonly baseDirectory = tmpdir()) {}

  load(request: JobCodeRequest): Promise<JobPlan> {
    let plan = this.plans.get(request.jobId);
    if (!plan) {
      plan = this.importAndPlan(request);
      this.plans.set(request.jobId, plan);
    }
    return plan;
  }

  release(jobId: JobId): void {
    // Node cannot unload an ES module; dropping the plan lets its functions be collected.
    this.plans.delete(jobId);
  }

  private async importAndPlan(request: JobCodeRequest): Promise<JobPlan> {
    const code = await request.fetchBundle();
    const directory = await this.ownDirectory();
    const file = join(directory, `${request.jobId}-${request.bundleHash}-${randomBytes(4).toString('hex')}.mjs`);
    await writeFile(file, code);
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } finally {
      // Imported (or not importable): the file is not needed again, and jobs must not pile up on disk.
      await rm(file, { force: true });
    }
    if (typeof module.default !== 'function') {
      throw new TypeError(`the job module of job ${request.jobId} has no default export function (found ${typeof module.default})`);
    }
    return planJob(module.default as JobModule, request.args, planOptions(request));
  }

  private ownDirectory(): Promise<string> {
    if (this.directory === null) {
      this.directory = mkdtemp(join(this.baseDirectory, `weir-jobs-${process.pid}-`)).then((directory) => {
        process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
        return directory;
      });
    }
    return this.directory;
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
