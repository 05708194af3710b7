// map: one record in, one record out (Flink's StreamMap). The function is synchronous: one that
// returns a promise fails the job (mapAsync is for those).
import type { MapFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { isThenable, promiseInSyncOperator } from './async-completion.ts';
import type { InputKey } from './keyed-runtime.ts';
import type { KeyedParts } from './keyed-snapshots.ts';
import { UdfOperator } from './udf-operator.ts';

export const MAP_KIND = 'map';

export class MapOperator<T, R> extends UdfOperator<T, MapFunction<T, R>> {
  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<MapFunction<T, R>>,
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

  collect(value: T, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.key?.enter(value);
    const result = this.udf.map(value);
    if (isThenable(result)) throw promiseInSyncOperator(this.descriptor, 'map', result);
    this.output.collect(result, timestamp);
  }
}
