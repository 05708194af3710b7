// ConnectedStreams.map(CoMapFunction): map1 for the first input's records, map2 for the second's
// (Flink's CoStreamMap). The two inputs interleave in arrival order.
import type { CoMapFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import type { InputKeys } from './keyed-runtime.ts';
import type { KeyedParts } from './keyed-snapshots.ts';
import { TwoInputUdfOperator } from './two-input-udf-operator.ts';

export const CO_MAP_KIND = 'co-map';

export class CoMapOperator<A, B, R> extends TwoInputUdfOperator<A, B, CoMapFunction<A, B, R>> {

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<CoMapFunction<A, B, R>>,
    private readonly output: Output<R>,
    /** On keyed connected streams: makes each record's key current for the function's keyed state. */
    private readonly keys: InputKeys | null = null,
  ) {
    super(runtime, factory);
  }

  /** On a keyed stream: the function's keyed state, per key group. */
  protected override keyedParts(): KeyedParts | null {
    return this.keys?.parts() ?? null;
  }

  collect(value: A, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.keys?.enter1(value);
    const result = this.udf.map1(value);
    if (isThenable(result)) throw promiseInSyncFunction(this.descriptor, 'map1', result);
    this.output.collect(result, timestamp);
  }

  collect2(value: B, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.keys?.enter2(value);
    const result = this.udf.map2(value);
    if (isThenable(result)) throw promiseInSyncFunction(this.descriptor, 'map2', result);
    this.output.collect(result, timestamp);
  }
}
