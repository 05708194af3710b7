// flatMap: zero or more records out per record in (Flink's StreamFlatMap). The user function emits
// through the collector, or returns an iterable, or both; the collector is one object per subtask.
// The function is synchronous: one that returns a promise fails the job (flatMapAsync is for those).
import type { Collector, FlatMapFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { isThenable, promiseInSyncOperator } from './async-completion.ts';
import type { InputKey } from './keyed-runtime.ts';
import type { KeyedParts } from './keyed-snapshots.ts';
import { UdfOperator } from './udf-operator.ts';

export const FLAT_MAP_KIND = 'flat-map';

export class FlatMapOperator<T, R> extends UdfOperator<T, FlatMapFunction<T, R>> {
  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<FlatMapFunction<T, R>>,
    private readonly output: Output<R>,
    /** On a keyed stream: makes each record's key current, so the function's keyed state is that key's. */
    private readonly key: InputKey | null = null,
  ) {
    super(runtime, factory);
  }

  /** On a keyed stream: the function's keyed state, per key group. */
  protected override keyedParts(): KeyedParts | null {
    return this.key?.parts() ?? null;
  }

  /** The timestamp of the record being processed: what its results carry. */
  private timestamp: number | undefined = undefined;

  collect(value: T, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.key?.enter(value);
    this.timestamp = timestamp;
    const results = this.udf.flatMap(value, this.collector);
    if (results === undefined || results === null) return;
    if (!Array.isArray(results) && isThenable(results)) throw promiseInSyncOperator(this.descriptor, 'flatMap', results);
    // A generator runs user code between two results: point the tracker back here after each one.
    for (const result of results) {
      this.output.collect(result, timestamp);
      this.tracker.current = this.descriptor;
    }
  }

  /** What the user function emits into; downstream operators overwrite the tracker, so restore it. */
  private readonly collector: Collector<R> = {
    collect: (result: R): void => {
      this.output.collect(result, this.timestamp);
      this.tracker.current = this.descriptor;
    },
  };
}
