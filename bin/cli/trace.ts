// weir trace: the cluster's live message trace (cluster/dispatcher/cluster-trace.ts), subscribed from
// the CLI's own actor system: the JobManager process and each TaskManager filter, bound and drop on
// their side and say how many they dropped; a terminal that falls behind drops here, and says so too.
// Runs until Ctrl-C or SIGTERM (exit 0), or until the JobManager's part ends (exit 1).
import type { TraceEvent } from '../../actors/index.ts';
import { clusterTrace$ } from '../../cluster/dispatcher/cluster-trace.ts';
import type { TraceArgs } from './args.ts';
import { connectClient } from './connect.ts';

/** Bytes waiting to be written to stdout past which lines are dropped (and counted) rather than queued. */
export const MAX_OUTPUT_BACKLOG_BYTES = 1024 * 1024;

export interface TraceIo {
  out(line: string): void;
  warn(line: string): void;
  /** Calls `listener` once on Ctrl-C or SIGTERM; returns what removes it. */
  onStop(listener: () => void): () => void;
  /** Bytes written to stdout and not yet flushed. */
  backlog(): number;
}

export async function traceCommand(args: TraceArgs, io: TraceIo): Promise<void> {
  const client = await connectClient(args);
  try {
    const { system, dispatcher } = client.endpoint;
    const query = { ...(args.job !== undefined ? { job: args.job } : {}), ...(args.actor !== undefined ? { actor: args.actor } : {}), ...(args.type !== undefined ? { type: args.type } : {}) };
    await new Promise<void>((resolve, reject) => {
      let notPrinted = 0;
      let removeStop = (): void => {};
      const subscription = clusterTrace$(system, dispatcher, query).subscribe({
        next: (item) => {
          if (item.kind === 'dropped') return io.warn(`weir trace: ${item.system} dropped ${item.count} event${item.count === 1 ? '' : 's'}`);
          if (io.backlog() > MAX_OUTPUT_BACKLOG_BYTES) {
            notPrinted++;
            return;
          }
          if (notPrinted > 0) io.warn(`weir trace: the output fell behind; ${notPrinted} event${notPrinted === 1 ? '' : 's'} not printed`);
          notPrinted = 0;
          io.out(args.json ? JSON.stringify(item.event) : traceLine(item.event));
        },
        error: (error: unknown) => {
          removeStop();
          reject(error);
        },
        complete: () => {
          removeStop();
          resolve();
        },
      });
      removeStop = io.onStop(() => {
        subscription.unsubscribe();
        resolve();
      });
    });
  } finally {
    await client.close();
  }
}

/**
 * One line for a person: time, the system that saw it, sender -> recipient, type (a task's steps as
 * "Step x1234 in 87.2 ms"), size on the wire, job, and [out] / [in] for a message between systems.
 */
export function traceLine(event: TraceEvent): string {
  const time = new Date(event.at).toISOString().slice(11, 23);
  const type = event.aggregate ? `${event.type} x${event.aggregate.count} in ${event.aggregate.totalMs.toFixed(1)} ms` : event.type;
  const parts = [time, event.system, `${event.from === undefined ? '-' : shortPath(event.from)} -> ${shortPath(event.to)}`, type];
  if (event.bytes !== undefined) parts.push(formatBytes(event.bytes));
  if (event.jobId !== undefined) parts.push(`job ${event.jobId}`);
  if (event.direction !== 'local') parts.push(`[${event.direction}]`);
  return parts.join('  ');
}

/** "jobmanager/user/dispatcher" for weir://jobmanager@127.0.0.1:6123/user/dispatcher: the system names the process. */
export function shortPath(path: string): string {
  const match = /^weir:\/\/([^@/]+)(?:@[^/]*)?(\/.*)?$/.exec(path);
  return match ? `${match[1]}${match[2] ?? ''}` : path;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
