// Plans a job from its bundle, not from its source: the client imports the very code it ships, so
// the JobGraph it submits is the one every TaskManager finds again when it imports the same bundle.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerBundleSourceMap } from '../../messages/bundle-frames.ts';
import { WeirError } from '../../messages/errors.ts';
import type { JobGraph } from '../../messages/job-graph.ts';
import type { JobModule } from '../job-module.ts';
import type { PlanOptions } from '../runtime/plan.ts';

/** Imports `bundle` from a temporary .mjs file and plans it with `args`. */
export async function planBundle(bundle: string, args: readonly string[], options: PlanOptions = {}): Promise<JobGraph> {
  // Loaded on the first submit only: list, info and cancel need none of the DataStream API.
  const { planJob } = await import('../runtime/plan.ts');
  const { graph } = await planJob(await importBundle(bundle), args, options);
  return graph;
}

/**
 * The default export of `bundle`, imported from a temporary .mjs file (removed once imported). Its
 * source map stays registered: the module stays loaded, and its errors name the user's sources.
 */
export async function importBundle(bundle: string): Promise<JobModule> {
  const directory = await mkdtemp(join(tmpdir(), 'weir-client-'));
  try {
    const file = join(directory, 'job.mjs');
    await writeFile(file, bundle);
    registerBundleSourceMap(file, bundle);
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (typeof module.default !== 'function') {
      throw new WeirError('INVALID_JOB_MODULE', `the job module has no default export function (found ${typeof module.default}); write export default (env) => { ... }`);
    }
    return module.default as JobModule;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
