// weir run: runs a job module here, as Flink's client runs a program's main() (api/client/
// run-job-module.ts): its execute() submits the job, which run follows to its end unless detached
// (-d), and the module's code after execute() runs here once the job ended. A FAILED or CANCELED job
// rejects execute(), which the CLI turns into exit 1. Ctrl-C while following leaves the job running,
// as Flink's client does, and says how to cancel it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type JobHandle, type WeirClient, formatHostPort } from '../../api/client/index.ts';
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
  let submitted: JobHandle | undefined;
  const following: Array<() => void> = [];
  let stopListening = (): void => undefined;
  const interrupted = new Promise<'interrupted'>((resolveInterrupt) => (stopListening = io.onInterrupt(() => resolveInterrupt('interrupted'))));
  try {
    // The module runs here, as Flink's client runs main(): its code after execute() runs once the job ended.
    const { runJobModule } = await import('../../api/client/run-job-module.ts');
    const run = runJobModule(client, modulePath, {
      args: args.jobArgs,
      parallelism: args.parallelism ?? config.parallelismDefault,
      ...(args.fromSavepoint === undefined ? {} : { savepointPath: args.fromSavepoint, allowNonRestoredState: args.allowNonRestoredState }),
      detached: args.detached,
      onWarning: (warning) => io.warn(`weir run: ${warning}`),
      onSubmitted: (handle) => {
        submitted = handle;
        io.out(`Job has been submitted with JobID ${handle.jobId}`);
        if (!args.detached) following.push(follow(client, handle, io));
      },
    });
    const outcome = await Promise.race([run, interrupted]);
    if (outcome !== 'interrupted') return args.detached ? 'submitted' : 'finished';
    if (submitted === undefined) {
      io.warn('weir run: interrupted before the job was submitted; nothing runs');
      return 'left-running';
    }
    const target = args.jobManager === undefined ? '' : ` -m ${formatHostPort(args.jobManager)}`;
    io.warn(`weir run: stopped following job ${submitted.jobId}; it keeps running. Cancel it with: weir cancel ${submitted.jobId}${target}`);
    return 'left-running';
  } finally {
    stopListening();
    for (const stop of following) stop();
    await client.close();
  }
}

/** Prints the job's status changes, its slot waits and its end; returns the way to stop. */
function follow(client: WeirClient, handle: JobHandle, io: RunIo): () => void {
  const slotWait = followSlotWait(() => client.details(handle.jobId), io.out, `job ${handle.jobId}`);
  const subscription = handle.status$.subscribe({
    next: (change) => {
      slotWait.status(change.status);
      io.out(describeChange(change));
    },
    error: () => undefined,
  });
  // Before the module's code after execute() runs: execute() waits on the same result, later.
  handle.result().then(
    (finished) => io.out(`Job ${finished.jobId} finished.`),
    () => undefined,
  );
  return () => {
    slotWait.stop();
    subscription.unsubscribe();
  };
}

function describeChange(change: JobStatusChanged): string {
  return `${new Date(change.timestamp).toISOString()} job "${change.jobName}" (${change.jobId}) is ${change.status}`;
}
