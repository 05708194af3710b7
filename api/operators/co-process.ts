// ConnectedStreams.process(CoProcessFunction): processElement1 / processElement2 per input, with
// side outputs through the context (Flink's CoProcessOperator).
import type { CoProcessFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { OperatorCollector, SideOutputContext } from './process-context.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import { TwoInputUdfOperator } from './two-input-udf-operator.ts';

export const CO_PROCESS_KIND = 'co-process';

export class CoProcessOperator<A, B, R> extends TwoInputUdfOperator<A, B, CoProcessFunction<A, B, R>> {
  private readonly context: SideOutputContext;
  private readonly collector: OperatorCollector<R>;

  constructor(runtime: OperatorRuntime, factory: UserFunctionFactory<CoProcessFunction<A, B, R>>, output: Output<R>) {
    super(runtime, factory);
    this.context = new SideOutputContext(runtime);
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
  }

  collect(value: A, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.collector.timestamp = timestamp;
    this.context.timestampOfRecord = timestamp;
    const returned: unknown = this.udf.processElement1(value, this.context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement1', returned);
  }

  collect2(value: B, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.collector.timestamp = timestamp;
    this.context.timestampOfRecord = timestamp;
    const returned: unknown = this.udf.processElement2(value, this.context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement2', returned);
  }
}
