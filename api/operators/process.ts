// process(ProcessFunction): any number of records out per record in, plus side outputs through
// ctx.output(tag, value) (Flink's ProcessOperator).
import type { ProcessFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { OperatorCollector, SideOutputContext } from './process-context.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import { UdfOperator } from './udf-operator.ts';

export const PROCESS_KIND = 'process';

export class ProcessOperator<I, O> extends UdfOperator<I, ProcessFunction<I, O>> {
  private readonly context: SideOutputContext;
  private readonly collector: OperatorCollector<O>;

  constructor(runtime: OperatorRuntime, factory: UserFunctionFactory<ProcessFunction<I, O>>, output: Output<O>) {
    super(runtime, factory);
    this.context = new SideOutputContext(runtime);
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
  }

  collect(value: I, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.collector.timestamp = timestamp;
    this.context.timestampOfRecord = timestamp;
    const returned: unknown = this.udf.processElement(value, this.context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement', returned);
  }
}
