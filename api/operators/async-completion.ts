// What async operators and sinks share: telling a promise from a plain result, and waking the
// subtask when a call completes. A completion arrives between steps, when no downstream operator may
// be called; so it only records itself and notifies, and the operator emits on the task's turn (see
// ChainOperator.emitCompleted). Also the error of a synchronous operator whose function was async.
import { WeirError } from '../../messages/errors.ts';
import type { OperatorDescriptor } from '../../messages/job-graph.ts';
import { describeOperator } from '../runtime/chain.ts';

/** Already settled: "step again now" (a completion or a failure is waiting to be handled). */
export const SETTLED: Promise<void> = Promise.resolve();

/**
 * A promise or any other thenable, as Promise.resolve decides. The typeof checks come first, so a
 * string, a number or undefined (most results) costs no property read.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  const type = typeof value;
  return ((type === 'object' && value !== null) || type === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * What map(), flatMap() or filter() throws when its function returned a promise (`method` is 'map',
 * 'flatMap' or 'filter'). The promise's own later rejection is ignored rather than left unhandled.
 */
export function promiseInSyncOperator(descriptor: OperatorDescriptor, method: string, result: PromiseLike<unknown>): WeirError {
  ignoreRejection(result);
  return new WeirError(
    'INVALID_FUNCTION',
    `${describeOperator(descriptor)}: its function returned a promise, but ${method}() calls functions synchronously; use ${method}Async() for an async function`,
  );
}

/**
 * What a process function or a connected-stream function throws when it returned a promise: those
 * run synchronously (an emission after an await would happen outside the task's turn), and there is
 * no async variant of them; async work goes into a mapAsync or flatMapAsync before them.
 */
export function promiseInSyncFunction(descriptor: OperatorDescriptor, method: string, result: PromiseLike<unknown>): WeirError {
  ignoreRejection(result);
  return new WeirError(
    'INVALID_FUNCTION',
    `${describeOperator(descriptor)}: its ${method}() returned a promise, but it is called synchronously; do the async work in a mapAsync() or flatMapAsync() before it`,
  );
}

function ignoreRejection(result: PromiseLike<unknown>): void {
  try {
    result.then(undefined, ignore);
  } catch {
    // a thenable whose then() throws: nothing will settle to be left unhandled
  }
}

function ignore(): void {}

/**
 * The promise a waiting subtask holds until the next completion: made when someone waits, settled
 * and dropped by notify(); one per wait, not one per call.
 */
export class CompletionSignal {
  private next: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  /** Settles at the next notify(). */
  wait(): Promise<void> {
    this.next ??= new Promise<void>((resolve) => (this.wake = resolve));
    return this.next;
  }

  notify(): void {
    const wake = this.wake;
    if (wake === null) return;
    this.next = null;
    this.wake = null;
    wake();
  }
}
