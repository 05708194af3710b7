// filter: keeps the records for which the user function returns true (Flink's StreamFilter). The
// function is synchronous: one that returns a promise fails the job (filterAsync is for those).
import type { FilterFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { isThenable, promiseInSyncOperator } from './async-completion.ts';
import type { InputKey } from './keyed-runtime.ts';
import type { KeyedParts } from './keyed-snapshots.ts';
import { UdfOperator } from './udf-operator.ts';

export const FILTER_KIND = 'filter';

export class FilterOperator<T> extends UdfOperator<T, FilterFunction<T>> {
  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<FilterFunction<T>>,
    private readonly output: Output<T>,
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
    const keep: unknown = this.udf.filter(value);
    if (keep === false) return;
    // A promise is truthy: without this check an async function would keep every record.
    if (keep !== true && isThenable(keep)) throw promiseInSyncOperator(this.descriptor, 'filter', keep);
    if (keep) this.output.collect(value, timestamp);
  }
}
