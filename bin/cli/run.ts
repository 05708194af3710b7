// weir run: submits a job module and, unless detached (-d), follows it to its end.
// Exit 0 when the job FINISHED; a FAILED or CANCELED job rejects, which the CLI turns into exit 1.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobStatusChanged } from '../../messages/job-status.ts';
import { type RunArgs, UsageError } from './args.ts';
import { connectClient } from './connect.ts';
import { typecheckJobModule } from './typecheck.ts';

export async function runCommand(args: RunArgs, out: (line: string) => void, warn: (line: string) => void = out): Promise<void> {
  const modulePath = resolve(args.modulePath);
  if (!existsSync(modulePath)) throw new UsageError(`weir run: no job module at ${modulePath}`);
  if (args.typecheck) {
    const outcome = await typecheckJobModule(modulePath);
    if (!outcome.checked && outcome.reason !== 'not a TypeScript module') warn(`weir run: ${args.modulePath} is not type-checked: ${outcome.reason}`);
  }
  const client = await connectClient(args);
  try {
    const handle = await client.submit(modulePath, { args: args.jobArgs, ...(args.parallelism === undefined ? {} : { parallelism: args.parallelism }) });
    out(`Job has been submitted with JobID ${handle.jobId}`);
    if (args.detached) return;
    const subscription = handle.status$.subscribe({ next: (change) => out(describeChange(change)), error: () => undefined });
    try {
      const finished = await handle.result();
      out(`Job ${finished.jobId} finished.`);
    } finally {
      subscription.unsubscribe();
    }
  } finally {
    await client.close();
  }
}

function describeChange(change: JobStatusChanged): string {
  return `${new Date(change.timestamp).toISOString()} job "${change.jobName}" (${change.jobId}) is ${change.status}`;
}
