// A job module's default export: it declares the pipeline on the environment it is given. It runs
// once on the client to build the JobGraph and once on every TaskManager to find the operators'
// functions by id, so it must declare the same pipeline every time for the same args.
import type { StreamExecutionEnvironment } from './environment.ts';

export type JobModule = (env: StreamExecutionEnvironment, args: readonly string[]) => void | Promise<void>;

/** What `import('./job.ts')` gives. */
export interface JobModuleNamespace {
  readonly default: JobModule;
}
