// What a job bundle gets in place of the package entry (index.ts): the API, and an executor factory
// that refuses. A bundle is imported only to be planned (by the client, by every TaskManager), and
// there only its default export runs the pipeline; a module that also runs a job from its top level
// would otherwise start jobs from every process that plans it.
import { registerJobExecutorFactory } from '../internal.ts';
import { WeirError } from '../../messages/errors.ts';

export * from '../index.ts';
export { WeirError, type ErrorCode } from '../../messages/errors.ts';

registerJobExecutorFactory((target) =>
  Promise.reject(
    new WeirError(
      'INVALID_JOB_MODULE',
      `a job module started a job (${target.kind}) while its bundle was being planned: declare the pipeline in the default export, and run it from the top level only when the file is the main script (if (isMainModule(import.meta.url)) ...)`,
    ),
  ),
);
