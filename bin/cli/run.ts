// weir run: submits a job module and, unless detached (-d), follows it to its end. A FAILED or
// CANCELED job rejects, which the CLI turns into exit 1. Ctrl-C while following leaves the job
// running, as Flink's client does, and says how to cancel it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatHostPort } from '../../api/client/index.ts';
import { loadConfig } from '../../cluster/config.ts';
import type { JobStatusChanged } from '../../messages/job-status.ts';
import type { RunArgs } from './args.ts';
import { connectClient } from './connect.ts';
import { followSlotWait } from './slot-wait.ts';
import { UsageError } from './errors.ts';
import { typecheckJobModule } from './typecheck.ts';

export interface RunIo {
  readonly out: (line: string) => void;
  readonly warn: (line: string) => void;
  /** Calls `listener` on the user's interrupt (Ctrl-C); returns the way to stop listening. */
  readonly onInterrupt: (listener: () => void) => () => void;
}

/** How run ended when it did not throw: the job finished, was submitted detached, or was left running. */
export type RunOutcome = 'finished' | 'submitted' | 'left-running';

export async function runCommand(args: RunArgs, io: RunIo): Promise<RunOutcome> {
  const modulePath = resolve(args.modulePath);
  if (!existsSync(modulePath)) throw new UsageError(`weir run: no job module at ${modulePath}`);
  const config = loadConfig();
  if (args.typecheck) {
    const outcome = await typecheckJobModule(modulePath);
    if (!outcome.checked && outcome.reason !== 'not a TypeScript module') io.warn(`weir run: ${args.modulePath} is not type-checked: ${outcome.reason}`);
  }
  const client = await connectClient(args, config);
  try {
    const restore = args.fromSavepoint === undefined ? {} : { savepointPath: args.fromSavepoint, allowNonRestoredState: args.allowNonRestoredState };
    const handle = await client.submit(modulePath, { args: args.jobArgs, parallelism: args.parallelism ?? config.parallelismDefault, ...restore, onWarning: (warning) => io.warn(`weir run: ${warning}`) });
    io.out(`Job has been submitted with JobID ${handle.jobId}`);
    if (args.detached) return 'submitted';
    const slotWait = followSlotWait(() => client.details(handle.jobId), io.out, `job ${handle.jobId}`);
    const subscription = handle.status$.subscribe({
      next: (change) => {
        slotWait.status(change.status);
        io.out(describeChange(change));
      },
      error: () => undefined,
    });
    let stopListening = (): void => undefined;
    const interrupted = new Promise<'interrupted'>((resolveInterrupt) => (stopListening = io.onInterrupt(() => resolveInterrupt('interrupted'))));
    try {
      const outcome = await Promise.race([handle.result(), interrupted]);
      if (outcome === 'interrupted') {
        const target = args.jobManager === undefined ? '' : ` -m ${formatHostPort(args.jobManager)}`;
        io.warn(`weir run: stopped following job ${handle.jobId}; it keeps running. Cancel it with: weir cancel ${handle.jobId}${target}`);
        return 'left-running';
      }
      io.out(`Job ${outcome.jobId} finished.`);
      return 'finished';
    } finally {
      stopListening();
      slotWait.stop();
      subscription.unsubscribe();
    }
  } finally {
    await client.close();
  }
}

function describeChange(change: JobStatusChanged): string {
  return `${new Date(change.timestamp).toISOString()} job "${change.jobName}" (${change.jobId}) is ${change.status}`;
}
