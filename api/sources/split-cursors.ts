// How a connector's reader (connector-reader.ts) walks the records of one split, by what the user's
// read(split) returned:
// - an iterable is pulled on the subtask's turn, at most the budget given at a time;
// - an async iterable is pulled ahead by a loop of its own into a buffer of at most
//   ASYNC_READ_AHEAD records (so there is no task turn per record); the loop stops while the buffer
//   is full, and the subtask waits on a WakeSignal while it is empty.
// What the user's iterator throws fails the split through `fail` (SOURCE_READ_FAILED).
import type { WeirError } from '../../messages/errors.ts';
import { SOURCE_MORE, type SourceStatus } from '../runtime/source-reader.ts';
import { WakeSignal } from './wake-signal.ts';

/** Records an async iterable split is read ahead of the chain. */
export const ASYNC_READ_AHEAD = 1024;

/** Where a cursor puts records: the chain's output, or a split's timestamping output (source-event-time.ts). */
export interface RecordOutput<T> {
  collect(value: T, timestamp: number | undefined): void;
}

export interface SplitCursor<T> {
  /** Emits at most `budget` records; returns how many. */
  take(output: RecordOutput<T>, budget: number): number;
  readonly done: boolean;
  /** When take() stopped short of the budget and not done: wait or failed. */
  status(): SourceStatus;
  /** Stops reading (the iterator's return() is called). */
  stop(): void;
}

/** A split read from an iterable, on the subtask's turn. */
export class SyncCursor<T> implements SplitCursor<T> {
  done = false;

  constructor(
    private readonly iterator: Iterator<T>,
    private readonly fail: (error: unknown) => WeirError,
  ) {}

  take(output: RecordOutput<T>, budget: number): number {
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
export class AsyncCursor<T> implements SplitCursor<T> {
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

  take(output: RecordOutput<T>, budget: number): number {
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
