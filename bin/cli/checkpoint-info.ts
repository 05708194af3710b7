// weir info <checkpoint path>: a checkpoint's or savepoint's `_metadata`, read where the CLI runs
// (no cluster needed), printed for a person: what it is, when, how big, whether it was taken
// unaligned and how much in-flight data it persisted, and each subtask's part. Metadata written
// before Weir recorded the alignment says so instead of guessing.
import { resolve } from 'node:path';
import { type CheckpointMetadata, type SubtaskCheckpointEntry, readMetadata } from '../../cluster/checkpoint/storage.ts';
import { CommandError } from './errors.ts';

type Out = (line: string) => void;

export async function checkpointInfoCommand(path: string, out: Out): Promise<void> {
  let directory: string;
  let metadata: CheckpointMetadata;
  try {
    ({ directory, metadata } = await readMetadata(resolve(path)));
  } catch (error) {
    throw new CommandError('STATE_RESTORE_FAILED', `weir info: ${(error as Error).message}`, { cause: error });
  }
  for (const line of describeCheckpointMetadata(directory, metadata)) out(line);
}

/** The lines weir info prints for one checkpoint's metadata. */
export function describeCheckpointMetadata(directory: string, metadata: CheckpointMetadata): string[] {
  const { checkpointId, jobId, savepoint, mode, timestamp, completedAt, subtasks } = metadata;
  const files = subtasks.filter((entry) => entry.handle !== null);
  const bytes = files.reduce((sum, entry) => sum + (entry.handle?.bytes ?? 0), 0);
  const lines = [
    `${savepoint ? 'Savepoint' : 'Checkpoint'} ${checkpointId} of job ${jobId} (${directory})`,
    `  mode:        ${mode}, ${describeAlignment(metadata)}`,
    `  triggered:   ${new Date(timestamp).toISOString()}`,
    `  completed:   ${new Date(completedAt).toISOString()} (${completedAt - timestamp} ms)`,
    `  state:       ${bytes} bytes in ${files.length} file${files.length === 1 ? '' : 's'}`,
    '  subtasks:',
  ];
  const ordered = [...subtasks].sort((a, b) => (a.vertexId === b.vertexId ? a.subtaskIndex - b.subtaskIndex : a.vertexId < b.vertexId ? -1 : 1));
  for (const entry of ordered) lines.push(`    ${entry.vertexId} ${entry.subtaskIndex}: ${describeSubtask(entry)}`);
  return lines;
}

/** `unaligned, 1234 bytes in flight persisted`, `aligned`, or that the metadata predates the record. */
function describeAlignment({ unaligned, inFlightBytes }: CheckpointMetadata): string {
  if (unaligned === undefined) return 'alignment not recorded (metadata from before Weir recorded it)';
  return unaligned ? `unaligned, ${inFlightBytes ?? 0} bytes in flight persisted` : 'aligned';
}

function describeSubtask(entry: SubtaskCheckpointEntry): string {
  if (entry.finished === true) return 'finished (no state)';
  const state = entry.handle === null ? 'no state' : `${entry.handle.bytes} bytes`;
  return entry.inFlightBytes === undefined ? state : `${state}, unaligned (${entry.inFlightBytes} bytes in flight)`;
}
