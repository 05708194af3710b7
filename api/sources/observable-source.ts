// fromObservable(() => observable): a source of parallelism 1 over an RxJS Observable. The factory runs in the subtask, in open(), which subscribes; read() drains what
// the observable pushed meanwhile. It ends when the observable completes, else runs until cancelled.
//
// Buffer policy: an Observable pushes and cannot be paused, so values wait in a buffer of at most
// `bufferCapacity` records. When an emission finds it full, the source stops reading (unsubscribes)
// and the subtask fails with SOURCE_BUFFER_OVERFLOW once the buffered records went downstream:
// records are never dropped silently, and the restart strategy decides what happens next.
import type { Observable, Unsubscribable } from 'rxjs';
import { WeirError } from '../../messages/errors.ts';
import { type SourceTransformation, defaultOperatorId } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator, userFunctionError } from '../runtime/chain.ts';
import { SOURCE_END, SOURCE_MORE, type SourceReader, type SourceStatus } from '../runtime/source-reader.ts';
import { WakeSignal } from './wake-signal.ts';

export const OBSERVABLE_SOURCE_KIND = 'source-observable';

/** Records an observable may push ahead of the chain before the source fails. */
export const DEFAULT_OBSERVABLE_BUFFER_CAPACITY = 10_000;
/** Read records kept at the buffer's front before it is compacted. */
const COMPACT_AFTER = 1024;

export interface ObservableSourceOptions {
  /** Records buffered ahead of the chain; DEFAULT_OBSERVABLE_BUFFER_CAPACITY when not given. */
  readonly bufferCapacity?: number;
}

export class ObservableSourceReader<T> implements SourceReader {
  /** Records pushed and not read yet, from `head` on; only push() appends, only read() advances. */
  private readonly buffer: (T | undefined)[] = [];
  private head = 0;
  private subscription: Unsubscribable | null = null;
  /** How the observable ended (complete, error, overflow); reported once the buffer is drained. */
  private ending: SourceStatus | null = null;
  private cancelled = false;
  private readonly signal = new WakeSignal();

  constructor(
    private readonly runtime: OperatorRuntime,
    private readonly factory: () => Observable<T>,
    private readonly capacity: number,
    private readonly output: Output<T>,
  ) {}

  async open(): Promise<void> {
    let observable: Observable<T>;
    try {
      observable = this.factory();
    } catch (error) {
      throw userFunctionError(this.runtime.descriptor, 'failed in its observable factory', error);
    }
    if (typeof (observable as Partial<Observable<T>> | null)?.subscribe !== 'function') {
      const message = `${describeOperator(this.runtime.descriptor)}: the factory must return an Observable; it returned ${String(observable)}`;
      throw new WeirError('INVALID_FUNCTION', message);
    }
    const subscription = observable.subscribe({
      next: (value) => this.push(value),
      error: (error: unknown) => this.end({ kind: 'failed', error: userFunctionError(this.runtime.descriptor, 'got an error from its observable', error) }),
      complete: () => this.end(SOURCE_END),
    });
    // An observable may end (or overflow) synchronously, inside subscribe().
    if (this.ending || this.cancelled) subscription.unsubscribe();
    else this.subscription = subscription;
  }

  read(maxRecords: number): SourceStatus {
    const buffer = this.buffer;
    const output = this.output;
    let head = this.head;
    const end = Math.min(buffer.length, head + maxRecords);
    while (head < end) {
      const value = buffer[head] as T;
      buffer[head++] = undefined;
      output.collect(value, undefined);
    }
    this.head = head;
    if (head === buffer.length) {
      buffer.length = 0;
      this.head = 0;
      if (this.cancelled) return SOURCE_END;
      return this.ending ?? { kind: 'wait', until: this.signal.next() };
    }
    if (head > COMPACT_AFTER && head * 2 > buffer.length) {
      buffer.splice(0, head);
      this.head = 0;
    }
    return SOURCE_MORE;
  }

  cancel(): void {
    this.cancelled = true;
    this.unsubscribe();
    this.signal.wake();
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.signal.wake();
  }

  private push(value: T): void {
    if (this.ending || this.cancelled) return;
    if (this.buffer.length - this.head >= this.capacity) {
      const message =
        `${describeOperator(this.runtime.descriptor)}: the observable pushed more than ${this.capacity} records ahead of the chain; ` +
        'the source unsubscribed (raise fromObservable bufferCapacity, or slow the observable down)';
      this.end({ kind: 'failed', error: new WeirError('SOURCE_BUFFER_OVERFLOW', message) });
      this.unsubscribe();
      return;
    }
    this.buffer.push(value);
    this.signal.wake();
  }

  private end(status: SourceStatus): void {
    if (this.ending) return;
    this.ending = status;
    this.signal.wake();
  }


  private unsubscribe(): void {
    const subscription = this.subscription;
    this.subscription = null;
    subscription?.unsubscribe();
  }
}

/** Declares fromObservable(factory): parallelism 1, unbounded (it may still complete). */
export function observableSource<T>(index: number, factory: () => Observable<T>, options: ObservableSourceOptions = {}): SourceTransformation {
  const name = 'Source: Observable';
  const operator = describeOperator({ id: defaultOperatorId(OBSERVABLE_SOURCE_KIND, index), name });
  if (typeof factory !== 'function') {
    throw new WeirError('INVALID_FUNCTION', `${operator}: fromObservable needs a function that returns an Observable, got ${typeof factory}`);
  }
  const capacity = options.bufferCapacity ?? DEFAULT_OBSERVABLE_BUFFER_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: bufferCapacity must be a positive integer, got ${String(capacity)}`);
  }
  return {
    role: 'source',
    index,
    kind: OBSERVABLE_SOURCE_KIND,
    name,
    uid: undefined,
    chaining: 'always',
    parallelism: 1,
    parallel: false,
    bounded: false,
    config: { bufferCapacity: capacity },
    planSplits: () => undefined,
    createReader: (runtime, output) => new ObservableSourceReader(runtime, factory, capacity, output as Output<T>),
  };
}
