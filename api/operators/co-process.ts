// ConnectedStreams.process(CoProcessFunction): processElement1 / processElement2 per input, with
// side outputs through the context (Flink's CoProcessOperator).
import type { CoProcessFunction } from '../functions.ts';
import { type OperatorRuntime, type Output, SecondInput, type TwoInputOperator } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { OperatorCollector, SideOutputContext } from './process-context.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import { UdfOperator } from './udf-operator.ts';

export const CO_PROCESS_KIND = 'co-process';

export class CoProcessOperator<A, B, R> extends UdfOperator<A, CoProcessFunction<A, B, R>> implements TwoInputOperator<B> {
  readonly secondInput: Output<B> = new SecondInput<B>(this);
  private readonly context: SideOutputContext;
  private readonly collector: OperatorCollector<R>;

  constructor(runtime: OperatorRuntime, factory: UserFunctionFactory<CoProcessFunction<A, B, R>>, output: Output<R>) {
    super(runtime, factory);
    this.context = new SideOutputContext(runtime);
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
  }

  collect(value: A): void {
    this.tracker.current = this.descriptor;
    const returned: unknown = this.udf.processElement1(value, this.context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement1', returned);
  }

  collect2(value: B): void {
    this.tracker.current = this.descriptor;
    const returned: unknown = this.udf.processElement2(value, this.context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement2', returned);
  }
}
