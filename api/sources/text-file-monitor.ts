// readTextFile(path, { watch: true }): the monitoring reader (Flink's ContinuousFileMonitoringFunction
// with PROCESS_CONTINUOUSLY, and its reader, in one subtask of parallelism 1). It lists the path at
// once and then `intervalMs` after the previous listing started, and reads every file whose name,
// size or modification time it has not seen, whole and in name order. Input splits are not used:
// the files only become known while the job runs.
//
// A changed file is read again from its start (as in Flink); an empty file is remembered and read
// once it has content. Entries for files that disappeared are forgotten, so memory follows the
// directory, not its history. A path that cannot be listed fails the subtask.
//
// Threading: fields marked "list()" are written by the listing in flight only; the rest on the
// subtask's turn.
import { WeirError, describeError } from '../../messages/errors.ts';
import { describePath } from './path-description.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { SOURCE_END, SOURCE_MORE, type SourceReader, type SourceStatus } from '../runtime/source-reader.ts';
import { LineRangeReader } from './line-range-reader.ts';
import { type TextFile, listTextFiles } from './text-file-splits.ts';

export interface TextFileMonitorSettings {
  readonly path: string;
  readonly intervalMs: number;
  readonly maxLineBytes: number;
}

export class TextFileMonitorReader implements SourceReader {
  private readonly operator: string;
  /** list(): `size:mtime` of every file listed last time, by path. */
  private readonly seen = new Map<string, string>();
  /** list(): files to read, in order. */
  private readonly queue: TextFile[] = [];
  private current: LineRangeReader | null = null;
  /** The listing in flight; it never rejects (a failure lands in `failure`). */
  private listing: Promise<void> | null = null;
  /** When (Date.now()) the next listing is due. */
  private nextListingAt = 0;
  private pause: { readonly promise: Promise<void>; readonly timer: NodeJS.Timeout; readonly resolve: () => void } | null = null;
  private failure: WeirError | null = null;
  private cancelled = false;

  constructor(
    runtime: OperatorRuntime,
    private readonly output: Output<string>,
    private readonly settings: TextFileMonitorSettings,
  ) {
    this.operator = describeOperator(runtime.descriptor);
  }

  async open(): Promise<void> {}

  read(maxRecords: number): SourceStatus {
    let budget = maxRecords;
    for (;;) {
      if (this.cancelled) return SOURCE_END;
      const current = this.current;
      if (current !== null) {
        budget -= current.take(this.output, budget);
        if (!current.done) return current.status();
        this.current = null;
        if (budget <= 0) return SOURCE_MORE;
      }
      if (this.failure) return { kind: 'failed', error: this.failure };
      const file = this.queue.shift();
      if (file) {
        this.current = new LineRangeReader({ path: file.path, start: 0, end: file.size }, this.settings.maxLineBytes, this.operator);
        continue;
      }
      if (this.listing) return { kind: 'wait', until: this.listing };
      const now = Date.now();
      if (now < this.nextListingAt) return { kind: 'wait', until: this.sleep(this.nextListingAt - now) };
      this.nextListingAt = now + this.settings.intervalMs;
      this.listing = this.list();
      return { kind: 'wait', until: this.listing };
    }
  }

  cancel(): void {
    this.cancelled = true;
    this.wakeUp();
  }

  async close(): Promise<void> {
    this.cancelled = true;
    this.wakeUp();
    if (this.listing) await this.listing;
    await this.current?.close();
  }

  private async list(): Promise<void> {
    const { path } = this.settings;
    try {
      const files = await listTextFiles(path);
      const present = new Set<string>();
      for (const file of files) {
        present.add(file.path);
        const version = `${file.size}:${file.modified}`;
        if (this.seen.get(file.path) === version) continue;
        this.seen.set(file.path, version);
        if (file.size === 0) continue;
        const queued = this.queue.findIndex((entry) => entry.path === file.path);
        if (queued >= 0) this.queue[queued] = file;
        else this.queue.push(file);
      }
      for (const known of this.seen.keys()) if (!present.has(known)) this.seen.delete(known);
    } catch (error) {
      this.failure = new WeirError('SOURCE_READ_FAILED', `${this.operator}: cannot list ${describePath(path)}: ${describeError(error)}`, { cause: error });
    } finally {
      this.listing = null;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.pause) return this.pause.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((settle) => (resolve = settle));
    const timer = setTimeout(() => this.wakeUp(), ms);
    this.pause = { promise, timer, resolve };
    return promise;
  }

  private wakeUp(): void {
    const pause = this.pause;
    if (!pause) return;
    this.pause = null;
    clearTimeout(pause.timer);
    pause.resolve();
  }
}
