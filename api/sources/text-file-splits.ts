// Which files a text file source reads, and how they are cut into input splits (Flink's
// FileInputFormat.createInputSplits). A path is a file, or a directory whose regular files are read
// in name order; the directory is not descended into, and names starting with '.' or '_' are skipped
// there (Flink's default filter: hidden files, `_SUCCESS` markers, files still being written).
import { readdirSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputSplit } from '../../messages/job-graph.ts';

/** The largest input split by default: larger files are read as several byte ranges. */
export const DEFAULT_MAX_SPLIT_BYTES = 4 * 1024 * 1024;
/** Splits are made smaller than the maximum so every subtask gets work, but not smaller than this. */
export const MIN_SPLIT_BYTES = 64 * 1024;
/** Flink's SPLIT_SLOP: a file's last split may be this much larger rather than leave a sliver. */
const LAST_SPLIT_SLOP = 1.1;

export interface TextFile {
  readonly path: string;
  readonly size: number;
  /** Modification time, ms since the epoch. */
  readonly modified: number;
}

/** A split's payload: the lines starting in bytes [start, start + length) of the file. */
export interface TextFileSplit {
  readonly path: string;
  readonly start: number;
  readonly length: number;
}

/** Flink's FilePathFilter default: files being written and markers start with '.' or '_'. */
export function isReadableName(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('_');
}

/** The files at `path`, in name order (at planning: synchronous). Throws what fs throws. */
export function listTextFilesSync(path: string): TextFile[] {
  const stats = statSync(path);
  if (!stats.isDirectory()) return [{ path, size: stats.size, modified: stats.mtimeMs }];
  const files: TextFile[] = [];
  for (const name of readdirSync(path).filter(isReadableName).sort()) {
    const file = join(path, name);
    const entry = statSync(file, { throwIfNoEntry: false });
    if (entry?.isFile()) files.push({ path: file, size: entry.size, modified: entry.mtimeMs });
  }
  return files;
}

/** The files at `path`, in name order; a file that vanishes while listed is left out. */
export async function listTextFiles(path: string): Promise<TextFile[]> {
  const stats = await stat(path);
  if (!stats.isDirectory()) return [{ path, size: stats.size, modified: stats.mtimeMs }];
  const names = (await readdir(path)).filter(isReadableName).sort();
  const entries = await Promise.all(names.map((name) => stat(join(path, name)).catch(() => undefined)));
  const files: TextFile[] = [];
  names.forEach((name, index) => {
    const entry = entries[index];
    if (entry?.isFile()) files.push({ path: join(path, name), size: entry.size, modified: entry.mtimeMs });
  });
  return files;
}

/**
 * Cuts files into splits of about the same size: small enough that each of `parallelism` subtasks
 * gets a share, at most `maxSplitBytes`, at least MIN_SPLIT_BYTES (unless the maximum is smaller).
 * Empty files make no split. Splits are in file order, then byte order.
 */
export function textFileSplits(files: readonly TextFile[], parallelism: number, maxSplitBytes: number = DEFAULT_MAX_SPLIT_BYTES): InputSplit[] {
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  const splitBytes = Math.min(maxSplitBytes, Math.max(MIN_SPLIT_BYTES, Math.ceil(totalBytes / parallelism)));
  const splits: InputSplit[] = [];
  const add = (path: string, start: number, length: number): void => {
    splits.push({ index: splits.length, payload: { path, start, length } satisfies TextFileSplit });
  };
  for (const file of files) {
    let start = 0;
    while (file.size - start > splitBytes * LAST_SPLIT_SLOP) {
      add(file.path, start, splitBytes);
      start += splitBytes;
    }
    if (file.size > start) add(file.path, start, file.size - start);
  }
  return splits;
}

/** The payload of a text file split, or undefined when it is not one. */
export function asTextFileSplit(payload: unknown): TextFileSplit | undefined {
  const split = payload as Partial<TextFileSplit> | null;
  const valid =
    typeof split?.path === 'string' &&
    split.path !== '' &&
    Number.isSafeInteger(split.start) &&
    Number.isSafeInteger(split.length) &&
    (split.start as number) >= 0 &&
    (split.length as number) > 0;
  return valid ? (split as TextFileSplit) : undefined;
}
