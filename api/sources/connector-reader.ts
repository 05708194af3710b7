// The subtask side of a Source (source.ts): asks the JobManager for a split at a time (through
// SplitSourceReader) and emits the records the user's reader gives for it.
// - An iterable split is pulled on the subtask's turn, at most the step's budget at a time.
// - An async iterable split is pulled ahead by a loop of its own into a buffer of at most
//   ASYNC_READ_AHEAD records (so there is no task turn per record); the loop stops while the buffer
//   is full, and the subtask waits on a WakeSignal while it is empty.
// What the user's reader throws (in read(), in its iterator) fails the subtask with
// SOURCE_READ_FAILED naming the source and the split.
import { WeirError, describeError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import { type OperatorRuntime, type Output, describeOperator, userFunctionError } from '../runtime/chain.ts';
import { SOURCE_MORE, type SourceStatus } from '../runtime/source-reader.ts';
import type { Source, SourceSplitReader } from './source.ts';
import { SplitSourceReader } from './split-reader.ts';
import { WakeSignal } from './wake-signal.ts';

/** Records an async iterable split is read ahead of the chain. */
export const ASYNC_READ_AHEAD = 1024;

interface SplitCursor<T> {
  /** Emits at most `budget` records; returns how many. */
  take(output: Output<T>, budget: number): number;
  readonly done: boolean;
  /** When take() stopped short of the budget and not done: wait or failed. */
  status(): SourceStatus;
  /** Stops reading (the iterator's return() is called). */
  stop(): void;
}

export class ConnectorSourceReader<T, Split> extends SplitSourceReader<SplitCursor<T>> {
  private reader: SourceSplitReader<T, Split> | null = null;
  /** The split being read, stopped when the next one starts or the subtask stops. */
  private active: SplitCursor<T> | null = null;
  private readonly operator: string;

  constructor(
    runtime: OperatorRuntime,
    private readonly source: Source<T, Split>,
    private readonly output: Output<T>,
  ) {
    super(runtime);
    this.operator = describeOperator(runtime.descriptor);
  }

  override async open(): Promise<void> {
    let reader: SourceSplitReader<T, Split>;
    try {
      reader = this.source.createReader(this.runtime.runtimeContext);
    } catch (error) {
      throw userFunctionError(this.runtime.descriptor, 'failed in createReader()', error);
    }
    if (typeof (reader as Partial<SourceSplitReader<T, Split>> | null)?.read !== 'function') {
      throw new WeirError('INVALID_FUNCTION', `${this.operator}: createReader() must return a reader with a read(split) method; it returned ${String(reader)}`);
    }
    this.reader = reader;
    try {
      await reader.open?.();
    } catch (error) {
      throw userFunctionError(this.runtime.descriptor, 'failed in its reader\'s open()', error);
    }
  }

  protected parse(split: InputSplit): SplitCursor<T> {
    const fail = (error: unknown): WeirError =>
      new WeirError('SOURCE_READ_FAILED', `${this.operator} failed reading split ${split.index}: ${describeError(error)}`, { cause: error });
    let records: Iterable<T> | AsyncIterable<T>;
    try {
      records = (this.reader as SourceSplitReader<T, Split>).read(split.payload as Split);
    } catch (error) {
      throw fail(error);
    }
    this.active?.stop();
    if (records !== null && typeof records === 'object' && typeof (records as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
      this.active = new AsyncCursor((records as AsyncIterable<T>)[Symbol.asyncIterator](), fail);
    } else if (records !== null && typeof records === 'object' && typeof (records as Iterable<T>)[Symbol.iterator] === 'function') {
      this.active = new SyncCursor((records as Iterable<T>)[Symbol.iterator](), fail);
    } else {
      throw new WeirError('INVALID_FUNCTION', `${this.operator}: read(split) must return an iterable or an async iterable; for split ${split.index} it returned ${String(records)}`);
    }
    return this.active;
  }

  protected emit(cursor: SplitCursor<T>, budget: number): number {
    return cursor.take(this.output, budget);
  }

  protected isDone(cursor: SplitCursor<T>): boolean {
    return cursor.done;
  }

  protected override stalled(cursor: SplitCursor<T>): SourceStatus {
    return cursor.status();
  }

  override cancel(): void {
    super.cancel();
    this.active?.stop();
  }

  override async close(): Promise<void> {
    this.active?.stop();
    this.active = null;
    const reader = this.reader;
    this.reader = null;
    try {
      await reader?.close?.();
    } catch (error) {
      throw userFunctionError(this.runtime.descriptor, 'failed in its reader\'s close()', error);
    }
  }
}

/** A split read from an iterable, on the subtask's turn. */
class SyncCursor<T> implements SplitCursor<T> {
  done = false;

  constructor(
    private readonly iterator: Iterator<T>,
    private readonly fail: (error: unknown) => WeirError,
  ) {}

  take(output: Output<T>, budget: number): number {
    let emitted = 0;
    while (emitted < budget && !this.done) {
      let result: IteratorResult<T>;
      try {
        result = this.iterator.next();
      } catch (error) {
        this.done = true;
        throw this.fail(error);
      }
      if (result.done) this.done = true;
      else {
        output.collect(result.value, undefined);
        emitted++;
      }
    }
    return emitted;
  }

  status(): SourceStatus {
    return SOURCE_MORE;
  }

  stop(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.iterator.return?.();
    } catch {
      // Stopping early: what the iterator's cleanup throws is not the job's failure.
    }
  }
}

/** A split read from an async iterable by a read-ahead loop; the subtask's turn only drains it. */
class AsyncCursor<T> implements SplitCursor<T> {
  /** Records read ahead, from `head` on; only the loop appends, only take() advances. */
  private buffer: T[] = [];
  private head = 0;
  private ended = false;
  private failure: WeirError | null = null;
  private stopped = false;
  private reading = false;
  private readonly signal = new WakeSignal();

  constructor(
    private readonly iterator: AsyncIterator<T>,
    private readonly fail: (error: unknown) => WeirError,
  ) {
    void this.readAhead();
  }

  get done(): boolean {
    return this.ended && this.failure === null && this.head === this.buffer.length;
  }

  take(output: Output<T>, budget: number): number {
    const buffer = this.buffer;
    const end = Math.min(buffer.length, this.head + budget);
    const start = this.head;
    while (this.head < end) {
      const value = buffer[this.head];
      buffer[this.head++] = undefined as T;
      output.collect(value, undefined);
    }
    if (this.head === buffer.length) {
      this.buffer = [];
      this.head = 0;
    }
    if (!this.reading && !this.ended && !this.stopped) void this.readAhead();
    return end - start;
  }

  status(): SourceStatus {
    if (this.head < this.buffer.length) return SOURCE_MORE;
    if (this.failure) return { kind: 'failed', error: this.failure };
    if (this.ended) return SOURCE_MORE;
    return { kind: 'wait', until: this.signal.next() };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.signal.wake();
    if (this.ended) return;
    this.ended = true;
    void Promise.resolve()
      .then(() => this.iterator.return?.())
      .catch(() => {
        // Stopping early: what the iterator's cleanup throws is not the job's failure.
      });
  }

  private async readAhead(): Promise<void> {
    this.reading = true;
    try {
      while (!this.stopped && this.buffer.length - this.head < ASYNC_READ_AHEAD) {
        const result = await this.iterator.next();
        if (this.stopped) return;
        if (result.done) {
          this.ended = true;
          break;
        }
        this.buffer.push(result.value);
        if (this.buffer.length - this.head === 1) this.signal.wake();
      }
    } catch (error) {
      if (!this.stopped) {
        this.failure = this.fail(error);
        this.ended = true;
      }
    } finally {
      this.reading = false;
      this.signal.wake();
    }
  }
}
