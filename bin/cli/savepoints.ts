// weir savepoint, weir stop and weir savepoint --dispose (Flink's verbs): a savepoint is a directory
// with a _metadata file, printed on the command's last line so scripts can take it from there.
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readMetadata } from '../../cluster/checkpoint/storage.ts';
import type { ConnectArgs, JobArgs } from './args.ts';
import { connectClient } from './connect.ts';
import { CommandError } from './errors.ts';

type Out = (line: string) => void;

export interface SavepointArgs extends JobArgs {
  /** Where the savepoint's directory goes; undefined: state.savepoints.dir of the cluster. */
  readonly targetDirectory?: string;
  /** `weir stop --drain`: event time advances to its end before the savepoint. */
  readonly drain?: boolean;
}

export async function savepointCommand(args: SavepointArgs, out: Out): Promise<void> {
  const client = await connectClient(args);
  try {
    out(`Triggering savepoint for job ${args.jobId}.`);
    const path = await client.triggerSavepoint(args.jobId, args.targetDirectory);
    out('Savepoint completed. You can resume your program from this savepoint with: weir run -s <path> <job-module>');
    out(`Path: ${path}`);
  } finally {
    await client.close();
  }
}

export async function stopCommand(args: SavepointArgs, out: Out): Promise<void> {
  const client = await connectClient(args);
  try {
    out(`Suspending job ${args.jobId}.`);
    const path = await client.stopWithSavepoint(args.jobId, args.targetDirectory, { drain: args.drain === true });
    out(`Savepoint completed. Path: ${path}`);
  } finally {
    await client.close();
  }
}

/** Deletes a savepoint's directory; refuses a directory that is not a savepoint (no _metadata). */
export async function disposeCommand(path: string, out: Out, _connect?: ConnectArgs): Promise<void> {
  const directory = resolve(path);
  try {
    await readMetadata(directory);
  } catch (error) {
    throw new CommandError('STATE_RESTORE_FAILED', `weir savepoint --dispose: ${(error as Error).message}`, { cause: error });
  }
  await rm(directory, { recursive: true, force: true });
  out(`Savepoint '${directory}' disposed.`);
}
