// filterAsync: keeps the records for which the function returns true, or a promise of true.
import type { AsyncFilterFunction } from '../functions.ts';
import { AsyncWaitOperator } from './async-wait.ts';

export const ASYNC_FILTER_KIND = 'async-filter';

export class AsyncFilterOperator<T> extends AsyncWaitOperator<T, T, AsyncFilterFunction<T>> {
  protected call(value: T): unknown {
    return this.udf.filter(value);
  }

  protected emit(value: T, keep: unknown, timestamp: number | undefined): void {
    if (keep) this.output.collect(value, timestamp);
  }
}
