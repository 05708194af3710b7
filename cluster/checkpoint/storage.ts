// Checkpoint storage on a file system (Flink's FsCheckpointStorage): one directory per job, one
// `chk-<id>` directory per checkpoint holding a file per subtask with state and, written last, the
// `_metadata` file. A checkpoint directory without `_metadata` is not a checkpoint (it was aborted or
// its JobManager died while writing it). Files are written to a temporary name, fsynced and renamed
// (durable-write.ts), so a reader never sees half a file and a machine crash never leaves a
// `_metadata` naming bytes that were lost.
//
// The writes are synchronous on purpose: each asynchronous fs call completes only on a later turn
// of the event loop, and a Task busy with long steps makes those turns slow, so a checkpoint made of
// a handful of async calls took seconds to complete.
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { decodeSnapshot, encodeSnapshot } from '../../api/runtime/checkpointing/snapshot-codec.ts';
import type { SubtaskSnapshot } from '../../api/runtime/checkpointing/snapshot.ts';
import type { SubtaskStateHandle } from '../../messages/checkpoint.ts';
import { WeirError } from '../../messages/errors.ts';
import type { CheckpointingMode, InputSplit } from '../../messages/job-graph.ts';
import { syncDirectory, writeFileDurably } from './durable-write.ts';

export const METADATA_FILE = '_metadata';
/** Bumped on an incompatible change of the metadata; a newer one is refused on restore. */
export const METADATA_VERSION = 1;

/** One subtask's entry in a checkpoint's metadata. */
export interface SubtaskCheckpointEntry {
  readonly vertexId: string;
  readonly subtaskIndex: number;
  /** null: the subtask had no state. */
  readonly handle: SubtaskStateHandle | null;
  /** The subtask had finished (checkpoint-coordinator.ts): it restores with no state, and its input ends at once. */
  readonly finished?: true;
  /** A source subtask's count of splits received (SourceSnapshot.splitsReceived). */
  readonly splitsReceived: number | null;
  /** A source subtask: the indices of those splits (InputSplit.index), so a new job can leave them out. */
  readonly splits?: readonly number[];
  /**
   * An enumerated source's subtask: those splits' payloads. A new job started from this checkpoint
   * skips them when its (fresh) enumerator hands them out again: enumerators are taken to enumerate
   * the same splits in every run (their own state is not checkpointed yet).
   */
  readonly enumeratedSplits?: readonly unknown[];
  /** Present when the subtask took the checkpoint unaligned: the in-flight bytes its file holds (AcknowledgeCheckpoint.inFlightBytes). */
  readonly inFlightBytes?: number;
}

/** What `_metadata` says (JSON: a person debugging a restore can read it). */
export interface CheckpointMetadata {
  readonly version: number;
  readonly jobId: string;
  readonly checkpointId: number;
  /** When it was triggered and when it completed (ms since the epoch). */
  readonly timestamp: number;
  readonly completedAt: number;
  readonly mode: CheckpointingMode;
  readonly savepoint: boolean;
  /** The longest synchronous part of a subtask's snapshot (ms): how long a task stopped for it. */
  readonly syncMs?: number;
  /** Each vertex's parallelism, so a restore can tell a rescale. */
  readonly parallelism: Readonly<Record<string, number>>;
  /** The job's max parallelism (its number of key groups): keyed state restores only under the same. Absent in older metadata. */
  readonly maxParallelism?: number;
  /**
   * Each static-split source vertex's splits: a restore at another parallelism goes on with these
   * (planning cuts other splits for another parallelism), which the received `splits` index.
   */
  readonly sourceSplits?: Readonly<Record<string, readonly InputSplit[]>>;
  /**
   * Whether any subtask took it unaligned (an aligned checkpoint that timed out somewhere counts), and
   * the in-flight bytes persisted over all subtasks (Flink's is_unaligned and persisted_data). Absent
   * in metadata written before Weir recorded them: not known.
   */
  readonly unaligned?: boolean;
  readonly inFlightBytes?: number;
  readonly subtasks: readonly SubtaskCheckpointEntry[];
}

/** A checkpoint's `unaligned` and `inFlightBytes`, from its subtasks' entries. */
export function inFlightSummary(subtasks: readonly SubtaskCheckpointEntry[]): { readonly unaligned: boolean; readonly inFlightBytes: number } {
  let unaligned = false;
  let inFlightBytes = 0;
  for (const entry of subtasks) {
    if (entry.inFlightBytes === undefined) continue;
    unaligned = true;
    inFlightBytes += entry.inFlightBytes;
  }
  return { unaligned, inFlightBytes };
}

/** A completed checkpoint: its directory and metadata. */
export interface CompletedCheckpoint {
  readonly directory: string;
  readonly metadata: CheckpointMetadata;
}

export function checkpointDirectory(jobDirectory: string, checkpointId: number): string {
  return join(jobDirectory, `chk-${checkpointId}`);
}

/** Writes one subtask's snapshot under chk-<id>/; the name carries the attempt so a late writer of an old attempt never replaces it. */
export async function writeSubtaskState(jobDirectory: string, vertexId: string, subtaskIndex: number, attemptNumber: number, snapshot: SubtaskSnapshot): Promise<SubtaskStateHandle> {
  return writeSubtaskFile(jobDirectory, vertexId, subtaskIndex, attemptNumber, snapshot.checkpointId, encodeSnapshot(snapshot));
}

/** writeSubtaskState for a snapshot already encoded (an asynchronous snapshot's last step). */
export function writeSubtaskFile(jobDirectory: string, vertexId: string, subtaskIndex: number, attemptNumber: number, checkpointId: number, bytes: Uint8Array): SubtaskStateHandle {
  const directory = checkpointDirectory(jobDirectory, checkpointId);
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${encodeURIComponent(vertexId)}-${subtaskIndex}-${attemptNumber}.state`);
  writeFileDurably(path, bytes);
  return { path, bytes: bytes.length };
}

export async function readSubtaskState(path: string): Promise<SubtaskSnapshot> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new WeirError('STATE_RESTORE_FAILED', `cannot read the snapshot file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return decodeSnapshot(bytes, path);
}

/** Writes `_metadata`, which makes the checkpoint exist (in chk-<id>/ of the job's directory, or in `directory`). */
export async function writeMetadata(jobDirectory: string, metadata: CheckpointMetadata, directory = checkpointDirectory(jobDirectory, metadata.checkpointId)): Promise<CompletedCheckpoint> {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, METADATA_FILE);
  writeFileDurably(path, `${JSON.stringify(metadata, null, 2)}\n`);
  return { directory, metadata };
}

/** Reads a checkpoint's (or savepoint's) metadata from its directory or its `_metadata` file. */
export async function readMetadata(pathToCheckpoint: string): Promise<CompletedCheckpoint> {
  const directory = pathToCheckpoint.endsWith(METADATA_FILE) ? pathToCheckpoint.slice(0, -METADATA_FILE.length - 1) : pathToCheckpoint;
  const file = join(directory, METADATA_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const why = missing ? 'it has no _metadata file (not a completed checkpoint or savepoint)' : (error as Error).message;
    throw new WeirError('STATE_RESTORE_FAILED', `cannot restore from ${directory}: ${why}`, { cause: error });
  }
  let metadata: CheckpointMetadata;
  try {
    metadata = JSON.parse(text) as CheckpointMetadata;
  } catch (error) {
    throw new WeirError('STATE_CORRUPT', `${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const problem = metadataProblem(metadata);
  if (problem !== undefined) throw new WeirError('STATE_CORRUPT', `${file} is not a Weir checkpoint's metadata: ${problem}`);
  if (metadata.version > METADATA_VERSION) {
    throw new WeirError('STATE_RESTORE_FAILED', `${file} has metadata version ${metadata.version}; this Weir reads up to ${METADATA_VERSION}`);
  }
  return { directory, metadata };
}

/** What is wrong with parsed `_metadata`, or undefined: a restore reads every field it checks here. */
function metadataProblem(metadata: unknown): string | undefined {
  if (typeof metadata !== 'object' || metadata === null) return 'it is not an object';
  const { checkpointId, parallelism, subtasks, maxParallelism, sourceSplits, unaligned, inFlightBytes } = metadata as Partial<CheckpointMetadata>;
  if (!Number.isSafeInteger(checkpointId)) return 'no checkpointId';
  if (typeof parallelism !== 'object' || parallelism === null || !Object.values(parallelism).every((value) => Number.isSafeInteger(value) && value > 0)) {
    return 'no parallelism per vertex';
  }
  if (maxParallelism !== undefined && !(Number.isSafeInteger(maxParallelism) && maxParallelism > 0)) return `maxParallelism is ${JSON.stringify(maxParallelism)}, not a positive integer`;
  if (sourceSplits !== undefined && (typeof sourceSplits !== 'object' || sourceSplits === null || !Object.values(sourceSplits).every((splits) => Array.isArray(splits) && splits.every((split) => Number.isSafeInteger(split?.index))))) {
    return 'sourceSplits is not a list of splits per vertex';
  }
  if (unaligned !== undefined && typeof unaligned !== 'boolean') return `unaligned is ${JSON.stringify(unaligned)}, not true or false`;
  if (inFlightBytes !== undefined && !isByteCount(inFlightBytes)) return `inFlightBytes is ${JSON.stringify(inFlightBytes)}, not a number of bytes`;
  if (!Array.isArray(subtasks)) return 'no subtasks';
  for (const entry of subtasks as unknown[]) {
    const { vertexId, subtaskIndex, handle } = (entry ?? {}) as Partial<SubtaskCheckpointEntry>;
    if (typeof vertexId !== 'string' || !Number.isSafeInteger(subtaskIndex)) return `a subtask entry without vertexId and subtaskIndex: ${JSON.stringify(entry)}`;
    if (handle !== null && (typeof handle !== 'object' || typeof handle.path !== 'string')) return `subtask ${subtaskIndex} of "${vertexId}" has no file path`;
    const entryBytes = (entry as SubtaskCheckpointEntry).inFlightBytes;
    if (entryBytes !== undefined && !isByteCount(entryBytes)) return `subtask ${subtaskIndex} of "${vertexId}" has inFlightBytes ${JSON.stringify(entryBytes)}, not a number of bytes`;
  }
  return undefined;
}

const isByteCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

/** The newest completed checkpoint of a job directory, or null (chk-* directories without _metadata are skipped). */
export async function latestCheckpoint(jobDirectory: string): Promise<CompletedCheckpoint | null> {
  let names: string[];
  try {
    names = await readdir(jobDirectory);
  } catch {
    return null;
  }
  const ids = names.map((name) => /^chk-(\d+)$/.exec(name)?.[1]).filter((id): id is string => id !== undefined).map(Number).sort((a, b) => b - a);
  for (const id of ids) {
    try {
      return await readMetadata(checkpointDirectory(jobDirectory, id));
    } catch {
      // not complete: try the one before
    }
  }
  return null;
}

/** Removes a checkpoint's directory (a discarded or aborted checkpoint); missing is fine. */
export async function discardCheckpoint(jobDirectory: string, checkpointId: number): Promise<void> {
  await rm(checkpointDirectory(jobDirectory, checkpointId), { recursive: true, force: true });
}

/**
 * A savepoint's files are written by the tasks under the job's chk-<id>/ like a checkpoint's; once
 * all are there they are copied into their own directory `<target>/savepoint-<job>-<random>/`
 * with its `_metadata` (so the savepoint is self-contained and outlives the job), and chk-<id>/ goes.
 */
export async function writeSavepoint(jobDirectory: string, targetDirectory: string, metadata: CheckpointMetadata): Promise<CompletedCheckpoint> {
  const directory = join(resolve(targetDirectory), `savepoint-${metadata.jobId.slice(0, 6)}-${randomBytes(6).toString('hex')}`);
  mkdirSync(directory, { recursive: true });
  const subtasks = metadata.subtasks.map((entry) => {
    if (!entry.handle) return entry;
    const path = join(directory, basename(entry.handle.path));
    copyFileSync(entry.handle.path, path);
    return { ...entry, handle: { ...entry.handle, path } };
  });
  syncCopies(subtasks, directory);
  const completed = await writeMetadata(directory, { ...metadata, subtasks }, directory);
  await discardCheckpoint(jobDirectory, metadata.checkpointId);
  return completed;
}

/** fsync of each copied state file and of their directory: the savepoint's `_metadata`, written next, may name only durable files. */
function syncCopies(subtasks: readonly SubtaskCheckpointEntry[], directory: string): void {
  for (const entry of subtasks) {
    if (!entry.handle) continue;
    const fd = openSync(entry.handle.path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  syncDirectory(directory);
}
