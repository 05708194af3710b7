// Incremental functions applied over a whole record list (Flink's ReduceApplyProcessWindowFunction
// and AggregateApplyProcessWindowFunction): with an evictor a window keeps every record, so
// reduce(fn[, process]) and aggregate(fn[, process]) compute their value at fire time, over the
// records the evictor left, and hand the one result to the process function (or emit it).
import type { AggregateFunction, Collector, ReduceFunction } from '../../functions.ts';
import type { Window } from '../windows/window.ts';
import type { ProcessWindowContext, ProcessWindowFunction } from './process-window-function.ts';
import { closeAll, openAll } from './rich-functions.ts';

/** Emits each element: the process function of reduce()/aggregate() given without one. */
export function passThroughProcessWindowFunction<T, KEY, W extends Window>(): ProcessWindowFunction<T, T, KEY, W> {
  return {
    process: (_key, _context, elements, out) => {
      for (const element of elements) out.collect(element);
    },
  };
}

/** Reduces the records (none: nothing is emitted), then calls `then` with the one result. */
export function reduceApply<T, OUT, KEY, W extends Window>(reduce: ReduceFunction<T>, then: ProcessWindowFunction<T, OUT, KEY, W>): ProcessWindowFunction<T, OUT, KEY, W> {
  return {
    process(key: KEY, context: ProcessWindowContext<W>, elements: Iterable<T>, out: Collector<OUT>): void {
      let reduced: T | undefined;
      let first = true;
      for (const element of elements) {
        reduced = first ? element : reduce.reduce(reduced as T, element);
        first = false;
      }
      if (!first) then.process(key, context, [reduced as T], out);
    },
    clear: then.clear === undefined ? undefined : (context) => then.clear?.(context),
    open: (context) => openAll([reduce, then], context),
    close: () => closeAll([reduce, then]),
  };
}

/** Aggregates the records into a fresh accumulator, then calls `then` with the result (also for no records, as Flink). */
export function aggregateApply<T, ACC, V, OUT, KEY, W extends Window>(
  aggregate: AggregateFunction<T, ACC, V>,
  then: ProcessWindowFunction<V, OUT, KEY, W>,
): ProcessWindowFunction<T, OUT, KEY, W> {
  return {
    process(key: KEY, context: ProcessWindowContext<W>, elements: Iterable<T>, out: Collector<OUT>): void {
      let accumulator = aggregate.createAccumulator();
      for (const element of elements) accumulator = aggregate.add(element, accumulator);
      then.process(key, context, [aggregate.getResult(accumulator)], out);
    },
    clear: then.clear === undefined ? undefined : (context) => then.clear?.(context),
    open: (context) => openAll([aggregate, then], context),
    close: () => closeAll([aggregate, then]),
  };
}
