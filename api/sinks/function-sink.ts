// sinkTo(sinkFunction): calls the user's invoke() per record (Flink's StreamSink over a SinkFunction).
// A synchronous invoke() is called directly, one call per record. One that returns a promise makes
// the writes sequential, in input order: the next invoke() starts once the previous one settled.
// Records that arrive meanwhile queue here, and while any are queued the subtask takes no input
// (backpressure); the job ends only once the last write settled, and a rejection fails it.
//
// Threading: invoke() runs on the task's turn only; a write's settlement only clears `writing` (or
// sets `failure`) and wakes the subtask, whose next step starts the next queued record
// (emitCompleted). Once closed, a write still pending is abandoned.
import type { WeirError } from '../../messages/errors.ts';
import type { SinkFunction } from '../functions.ts';
import { CompletionSignal, SETTLED, isThenable } from '../operators/async-completion.ts';
import { UdfOperator } from '../operators/udf-operator.ts';
import { type OperatorRuntime, userFunctionError } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';

export const FUNCTION_SINK_KIND = 'sink-function';

export class FunctionSink<T> extends UdfOperator<T, SinkFunction<T>> {
  /** Records that arrived while a write was in flight, in input order; always empty for a synchronous sink. */
  private queued: T[] = [];
  /** True from an invoke() that returned a promise until that promise settles (its handler clears it). */
  private writing = false;
  /** The write in flight, settling with it (never rejecting); set on the task's turn. */
  private lastWrite: Promise<void> | null = null;
  /** The first rejected write, set by its handler, thrown on the task's turn. */
  private failure: WeirError | null = null;
  private readonly signal = new CompletionSignal();
  private closed = false;

  constructor(runtime: OperatorRuntime, factory: UserFunctionFactory<SinkFunction<T>>) {
    super(runtime, factory);
  }

  collect(value: T): void {
    if (this.writing || this.queued.length > 0) this.queued.push(value);
    else this.invoke(value);
  }

  /** Starts the queued records, in order, until one of them returns a promise. */
  override emitCompleted(): Promise<void> | null {
    if (this.failure !== null) throw this.failure;
    const queued = this.queued;
    if (queued.length === 0) return null;
    let started = 0;
    while (!this.writing && started < queued.length) this.invoke(queued[started++]);
    queued.splice(0, started);
    return queued.length > 0 ? this.signal.wait() : null;
  }

  override whenCompleted(): Promise<void> | null {
    if (this.failure !== null) return SETTLED;
    return this.writing ? this.signal.wait() : null;
  }

  override afterStep(): Promise<void> | null {
    return this.queued.length > 0 ? this.whenCompleted() : null;
  }

  override emitFinal(): boolean {
    this.emitCompleted();
    return this.queued.length === 0;
  }

  /** Settles once the last write did; rejects with the first failed write. */
  override endInput(): Promise<void> | null {
    const lastWrite = this.writing ? this.lastWrite : null;
    if (lastWrite === null) return this.failure === null ? null : Promise.reject(this.failure);
    return lastWrite.then(() => {
      if (this.failure !== null) throw this.failure;
    });
  }

  override async close(): Promise<void> {
    this.closed = true;
    this.queued = [];
    this.signal.notify();
    await super.close();
  }

  private invoke(value: T): void {
    this.tracker.current = this.descriptor;
    const written = this.udf.invoke(value);
    if (written === undefined || !isThenable(written)) return;
    this.writing = true;
    this.lastWrite = Promise.resolve(written).then(
      () => this.settled(null),
      (error: unknown) => this.settled({ error }),
    );
  }

  private settled(rejected: { readonly error: unknown } | null): void {
    if (this.closed) return;
    this.writing = false;
    if (rejected !== null) this.failure ??= userFunctionError(this.descriptor, 'failed on a record', rejected.error);
    this.signal.notify();
  }
}
