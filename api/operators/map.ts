// map: one record in, one record out (Flink's StreamMap).
import type { MapFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { UdfOperator } from './udf-operator.ts';

export const MAP_KIND = 'map';

export class MapOperator<T, R> extends UdfOperator<T, MapFunction<T, R>> {
  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<MapFunction<T, R>>,
    private readonly output: Output<R>,
  ) {
    super(runtime, factory);
  }

  collect(value: T): void {
    this.tracker.current = this.descriptor;
    this.output.collect(this.udf.map(value));
  }
}
