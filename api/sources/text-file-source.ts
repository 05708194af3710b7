// readTextFile(path): the lines of a file, or of every file of a directory (see text-file-splits.ts),
// as strings without their line ending. Two modes, as in Flink's readFile:
// - bounded (PROCESS_ONCE, the default): planning lists the files and cuts them into input splits
//   (whole files; large files into byte ranges, see textFileSplits); the JobManager hands them out
//   lazily, and each split reads the lines that start in it (see line-range-reader.ts).
// - watching (PROCESS_CONTINUOUSLY, `{ watch: true }`): unbounded, parallelism 1, no splits; the
//   subtask lists the path every `intervalMs` and reads each new or changed file once (see
//   text-file-monitor.ts).
// A path that cannot be listed fails planning with SOURCE_READ_FAILED; a file that cannot be read
// fails the subtask with SOURCE_READ_FAILED; both name the path.
import { statSync } from 'node:fs';
import { WeirError, describeError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import { type SourceTransformation, defaultOperatorId, describeTransformation } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import type { SourceStatus } from '../runtime/source-reader.ts';
import { DEFAULT_MAX_LINE_BYTES, LineRangeReader } from './line-range-reader.ts';
import { SplitSourceReader } from './split-reader.ts';
import { TextFileMonitorReader } from './text-file-monitor.ts';
import { describePath } from './path-description.ts';
import { DEFAULT_MAX_SPLIT_BYTES, asTextFileSplit, listTextFilesSync, textFileSplits } from './text-file-splits.ts';

export const TEXT_FILE_SOURCE_KIND = 'source-text-file';

/** How often the watching mode lists the path by default. */
export const DEFAULT_WATCH_INTERVAL_MS = 1_000;

export interface TextFileSourceOptions {
  /**
   * Keep watching the path and read each file that appears or changes (Flink's
   * PROCESS_CONTINUOUSLY): unbounded, parallelism 1, and files are read whole, not split. A file
   * that changes is read again from its start, so move finished files in (rename), or write them
   * under a name starting with '.' or '_', which is skipped. Default false.
   */
  readonly watch?: boolean;
  /** Watching: the pause between two listings, ms (default DEFAULT_WATCH_INTERVAL_MS). */
  readonly intervalMs?: number;
  /** Bounded: the largest input split, bytes (default DEFAULT_MAX_SPLIT_BYTES). */
  readonly maxSplitBytes?: number;
  /** The longest line, bytes; a longer one fails the subtask (default DEFAULT_MAX_LINE_BYTES). */
  readonly maxLineBytes?: number;
}

/** Reads the splits the JobManager hands out, one at a time (Flink's ContinuousFileReaderOperator for a bounded input). */
export class TextFileSplitReader extends SplitSourceReader<LineRangeReader> {
  private readonly operator: string;
  /** The split read last, closed by close() in case the subtask stopped in the middle of it. */
  private lastOpened: LineRangeReader | null = null;
  /** Where the split read last starts (a resumed one's reader starts later): its offset counts from there. */
  private splitStart = 0;

  constructor(
    runtime: OperatorRuntime,
    private readonly output: Output<string>,
    private readonly maxLineBytes: number,
  ) {
    super(runtime);
    this.operator = describeOperator(runtime.descriptor);
  }

  /** `offset`: bytes of the split already read (a restore): reading starts at the first line not emitted, which starts there. */
  protected parse(split: InputSplit, offset: number): LineRangeReader {
    const file = asTextFileSplit(split.payload);
    if (!file) throw this.invalidSplit(split, `expected { path, start, length } with a non-empty range, got ${JSON.stringify(split.payload)}`);
    const end = file.start + file.length;
    this.lastOpened = new LineRangeReader({ path: file.path, start: Math.min(file.start + offset, end), end }, this.maxLineBytes, this.operator);
    this.splitStart = file.start;
    return this.lastOpened;
  }

  /** Bytes of the split before the next line to emit. */
  protected offsetOf(reader: LineRangeReader): number {
    return reader.nextLineOffset - this.splitStart;
  }

  protected emit(reader: LineRangeReader, budget: number): number {
    return reader.take(this.output, budget);
  }

  protected isDone(reader: LineRangeReader): boolean {
    return reader.done;
  }

  protected override stalled(reader: LineRangeReader): SourceStatus {
    return reader.status();
  }

  override async close(): Promise<void> {
    await this.lastOpened?.close();
  }
}

/** Declares readTextFile(path, options); `parallelism` is the environment's (the watching mode uses 1). */
export function textFileSource(index: number, path: string, options: TextFileSourceOptions, parallelism: number): SourceTransformation {
  const name = 'Source: Text File';
  const operator = describeOperator({ id: defaultOperatorId(TEXT_FILE_SOURCE_KIND, index), name });
  if (typeof path !== 'string' || path === '') throw new WeirError('INVALID_ARGUMENT', `${operator}: readTextFile() needs a file or directory path, got ${String(path)}`);
  const settings = checkOptions(options ?? {}, operator);
  const { watch, intervalMs, maxSplitBytes, maxLineBytes } = settings;
  const transformation: SourceTransformation = {
    role: 'source',
    index,
    kind: TEXT_FILE_SOURCE_KIND,
    name,
    uid: undefined,
    chaining: 'always',
    parallelism: watch ? 1 : parallelism,
    parallel: !watch,
    bounded: !watch,
    config: watch ? { path, watch, intervalMs, maxLineBytes } : { path, watch, maxSplitBytes, maxLineBytes },
    planSplits: (subtasks) => {
      const files = listOrFail(path, watch, describeTransformation(transformation));
      return files && textFileSplits(files, subtasks, maxSplitBytes);
    },
    createReader: (runtime, output) =>
      watch
        ? new TextFileMonitorReader(runtime, output as Output<string>, { path, intervalMs, maxLineBytes })
        : new TextFileSplitReader(runtime, output as Output<string>, maxLineBytes),
  };
  return transformation;
}

/** Planning: the files to split, or, when watching, only a check that the path exists. */
function listOrFail(path: string, watch: boolean, operator: string): ReturnType<typeof listTextFilesSync> | undefined {
  try {
    if (!watch) return listTextFilesSync(path);
    statSync(path);
    return undefined;
  } catch (error) {
    throw new WeirError('SOURCE_READ_FAILED', `${operator}: cannot list ${describePath(path)}: ${describeError(error)}`, { cause: error });
  }
}

function checkOptions(options: TextFileSourceOptions, operator: string): Required<TextFileSourceOptions> {
  const watch = options.watch ?? false;
  if (typeof watch !== 'boolean') throw new WeirError('INVALID_ARGUMENT', `${operator}: readTextFile() option watch must be a boolean, got ${String(watch)}`);
  const positive = (key: keyof TextFileSourceOptions, fallback: number): number => {
    const value = options[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new WeirError('INVALID_ARGUMENT', `${operator}: readTextFile() option ${key} must be a positive integer, got ${String(value)}`);
    }
    return value;
  };
  return {
    watch,
    intervalMs: positive('intervalMs', DEFAULT_WATCH_INTERVAL_MS),
    maxSplitBytes: positive('maxSplitBytes', DEFAULT_MAX_SPLIT_BYTES),
    maxLineBytes: positive('maxLineBytes', DEFAULT_MAX_LINE_BYTES),
  };
}
