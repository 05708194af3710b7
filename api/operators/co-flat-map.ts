// ConnectedStreams.flatMap(CoFlatMapFunction): flatMap1 / flatMap2 per input, each emitting through
// the collector or returning an iterable (Flink's CoStreamFlatMap).
import type { CoFlatMapFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { OperatorCollector } from './process-context.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import type { InputKeys } from './keyed-runtime.ts';
import type { KeyedParts } from './keyed-snapshots.ts';
import { TwoInputUdfOperator } from './two-input-udf-operator.ts';

export const CO_FLAT_MAP_KIND = 'co-flat-map';

export class CoFlatMapOperator<A, B, R> extends TwoInputUdfOperator<A, B, CoFlatMapFunction<A, B, R>> {
  private readonly collector: OperatorCollector<R>;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<CoFlatMapFunction<A, B, R>>,
    private readonly output: Output<R>,
    /** On keyed connected streams: makes each record's key current for the function's keyed state. */
    private readonly keys: InputKeys | null = null,
  ) {
    super(runtime, factory);
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
  }

  /** On a keyed stream: the function's keyed state, per key group. */
  protected override keyedParts(): KeyedParts | null {
    return this.keys?.parts() ?? null;
  }

  collect(value: A, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.keys?.enter1(value);
    this.collector.timestamp = timestamp;
    this.emitAll('flatMap1', this.udf.flatMap1(value, this.collector));
  }

  collect2(value: B, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.keys?.enter2(value);
    this.collector.timestamp = timestamp;
    this.emitAll('flatMap2', this.udf.flatMap2(value, this.collector));
  }

  private emitAll(method: string, results: Iterable<R> | void): void {
    if (results === undefined || results === null) return;
    if (!Array.isArray(results) && isThenable(results)) throw promiseInSyncFunction(this.descriptor, method, results);
    for (const result of results) {
      this.output.collect(result, this.collector.timestamp);
      this.tracker.current = this.descriptor;
    }
  }
}
