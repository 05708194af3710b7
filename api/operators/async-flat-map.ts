// flatMapAsync: zero or more records out per record in. The function returns its results (an
// iterable, or nothing for none), or a promise of them; there is no collector, since a call may
// complete after the step that made it, when nothing may be emitted.
import { WeirError } from '../../messages/errors.ts';
import type { AsyncFlatMapFunction } from '../functions.ts';
import { describeOperator } from '../runtime/chain.ts';
import { AsyncWaitOperator } from './async-wait.ts';

export const ASYNC_FLAT_MAP_KIND = 'async-flat-map';

export class AsyncFlatMapOperator<T, R> extends AsyncWaitOperator<T, R, AsyncFlatMapFunction<T, R>> {
  protected call(value: T): unknown {
    return this.udf.flatMap(value);
  }

  protected emit(_value: T, results: unknown, timestamp: number | undefined): void {
    if (results === undefined || results === null) return;
    if (typeof (results as Partial<Iterable<R>>)[Symbol.iterator] !== 'function') {
      throw new WeirError(
        'INVALID_FUNCTION',
        `${describeOperator(this.descriptor)}: its function must return an iterable of results (an array, a generator), nothing, or a promise of one of those; got ${describeResult(results)}`,
      );
    }
    // A generator runs user code between two results: point the tracker back here after each one.
    this.tracker.current = this.descriptor;
    for (const result of results as Iterable<R>) {
      this.output.collect(result, timestamp);
      this.tracker.current = this.descriptor;
    }
  }
}

function describeResult(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function' ? 'an async iterable' : 'an object';
}
