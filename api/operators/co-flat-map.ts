// ConnectedStreams.flatMap(CoFlatMapFunction): flatMap1 / flatMap2 per input, each emitting through
// the collector or returning an iterable (Flink's CoStreamFlatMap).
import type { CoFlatMapFunction } from '../functions.ts';
import { type OperatorRuntime, type Output, SecondInput, type TwoInputOperator } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { OperatorCollector } from './process-context.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import { UdfOperator } from './udf-operator.ts';

export const CO_FLAT_MAP_KIND = 'co-flat-map';

export class CoFlatMapOperator<A, B, R> extends UdfOperator<A, CoFlatMapFunction<A, B, R>> implements TwoInputOperator<B> {
  readonly secondInput: Output<B> = new SecondInput<B>(this);
  private readonly collector: OperatorCollector<R>;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<CoFlatMapFunction<A, B, R>>,
    private readonly output: Output<R>,
  ) {
    super(runtime, factory);
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
  }

  collect(value: A): void {
    this.tracker.current = this.descriptor;
    this.emitAll('flatMap1', this.udf.flatMap1(value, this.collector));
  }

  collect2(value: B): void {
    this.tracker.current = this.descriptor;
    this.emitAll('flatMap2', this.udf.flatMap2(value, this.collector));
  }

  private emitAll(method: string, results: Iterable<R> | void): void {
    if (results === undefined || results === null) return;
    if (!Array.isArray(results) && isThenable(results)) throw promiseInSyncFunction(this.descriptor, method, results);
    for (const result of results) {
      this.output.collect(result);
      this.tracker.current = this.descriptor;
    }
  }
}
