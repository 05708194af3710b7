// mapAsync: one record out per record in, from a function that may return a promise (Flink's
// AsyncDataStream.orderedWait with an AsyncFunction that completes with one result).
import type { AsyncMapFunction } from '../functions.ts';
import { AsyncWaitOperator } from './async-wait.ts';

export const ASYNC_MAP_KIND = 'async-map';

export class AsyncMapOperator<T, R> extends AsyncWaitOperator<T, R, AsyncMapFunction<T, R>> {
  protected call(value: T): unknown {
    return this.udf.map(value);
  }

  protected emit(_value: T, result: unknown, timestamp: number | undefined): void {
    this.output.collect(result as R, timestamp);
  }
}
