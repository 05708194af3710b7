// filter: keeps the records for which the user function returns true (Flink's StreamFilter).
import type { FilterFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { UdfOperator } from './udf-operator.ts';

export const FILTER_KIND = 'filter';

export class FilterOperator<T> extends UdfOperator<T, FilterFunction<T>> {
  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<FilterFunction<T>>,
    private readonly output: Output<T>,
  ) {
    super(runtime, factory);
  }

  collect(value: T): void {
    this.tracker.current = this.descriptor;
    if (this.udf.filter(value)) this.output.collect(value);
  }
}
