// stream.pipe(map(...), filter(...)): RxJS operators run inside the task, per subtask. Each subtask
// feeds its records into a Subject piped through the operators; what comes out is collected into a
// reused buffer while the record is processed and then handed downstream outside RxJS, so an
// exception thrown further down the chain fails the subtask as usual instead of vanishing into
// RxJS's asynchronous error reporting.
//
// Limits: synchronous operators only (map, filter, scan, take, distinct, bufferCount, pairwise,
// mergeMap over synchronous observables, ...). A value that arrives outside the processing of a
// record (delay, debounceTime, a mergeMap over a promise) fails the subtask, and so does a pipeline
// that has not completed when the input ends. Operators keep their state per subtask: take(5) at
// parallelism 3 lets up to 15 records through. Once the pipeline completes (take), later records are
// dropped. At end of input the Subject completes, so reduce, toArray, last and count emit then.
import { type Observable, type OperatorFunction, Subject, type Subscription } from 'rxjs';
import { WeirError } from '../../messages/errors.ts';
import { ChainOperator, type OperatorRuntime, type Output, describeOperator, userFunctionError } from '../runtime/chain.ts';

export const RX_PIPE_KIND = 'rx-pipe';

export class RxPipeOperator<T> extends ChainOperator<T> {
  private readonly subject = new Subject<T>();
  private subscription: Subscription | null = null;
  /** What the pipeline emitted during the current call; drained downstream right after it. */
  private readonly emitted: unknown[] = [];
  /** True while the operator is inside subject.next() or complete(): emissions now are synchronous. */
  private delivering = false;
  private completed = false;
  private failure: { readonly error: unknown } | null = null;

  constructor(
    runtime: OperatorRuntime,
    /** Typed `never` in: each operator's input type is the previous one's output, checked by DataStream.pipe's overloads. */
    private readonly operations: readonly OperatorFunction<never, unknown>[],
    private readonly output: Output<unknown>,
  ) {
    super(runtime);
  }

  override async open(): Promise<void> {
    let piped: Observable<unknown>;
    try {
      piped = this.operations.reduce<Observable<unknown>>((source, operation) => operation(source as Observable<never>), this.subject);
    } catch (error) {
      throw userFunctionError(this.descriptor, 'failed in open()', error);
    }
    this.subscription = piped.subscribe({
      next: (value) => {
        if (this.delivering) this.emitted.push(value);
        else this.failure ??= { error: this.asynchronousEmission() };
      },
      error: (error: unknown) => {
        this.failure ??= { error };
      },
      complete: () => {
        this.completed = true;
      },
    });
  }

  collect(value: T, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    if (this.completed) return;
    this.delivering = true;
    this.subject.next(value);
    this.delivering = false;
    if (this.failure) throw this.failure.error;
    if (this.emitted.length > 0) this.drain(timestamp);
  }

  override afterStep(): Promise<void> | null {
    if (this.failure) throw this.failure.error;
    return null;
  }

  override emitFinal(_maxRecords: number): boolean {
    this.tracker.current = this.descriptor;
    if (!this.completed && !this.failure) {
      this.delivering = true;
      this.subject.complete();
      this.delivering = false;
    }
    if (this.failure) throw this.failure.error;
    if (this.emitted.length > 0) this.drain(undefined);
    if (!this.completed) {
      throw new WeirError(
        'INVALID_FUNCTION',
        `${describeOperator(this.descriptor)}: pipe() runs synchronous RxJS operators only, but its pipeline did not complete when its input ended`,
      );
    }
    return true;
  }

  override async close(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  /** What the pipeline emitted for one record carries that record's timestamp. */
  private drain(timestamp: number | undefined): void {
    const emitted = this.emitted;
    const output = this.output;
    for (let index = 0; index < emitted.length; index++) output.collect(emitted[index], timestamp);
    emitted.length = 0;
  }

  private asynchronousEmission(): WeirError {
    return new WeirError(
      'INVALID_FUNCTION',
      `${describeOperator(this.descriptor)}: pipe() runs synchronous RxJS operators only, but a value arrived outside the processing of a record ` +
        '(an asynchronous operator such as delay, debounceTime or a mergeMap over a promise?)',
    );
  }
}
