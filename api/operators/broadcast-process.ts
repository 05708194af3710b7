// nonKeyed.connect(broadcastStream).process(BroadcastProcessFunction) (Flink's
// CoBroadcastWithNonKeyedOperator): processElement with read-only broadcast state, and
// processBroadcastElement with read-write broadcast state; both with side outputs, the record's
// timestamp (what they emit carries it), the processing time and the operator's watermark.
import type { AnyMapStateDescriptor } from '../broadcast-stream.ts';
import type { BroadcastProcessFunction } from '../functions.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import { ReadOnlyContext, ReadWriteBroadcastContext } from './broadcast-contexts.ts';
import { BroadcastProcessBase } from './broadcast-process-base.ts';
import { OperatorCollector } from './process-context.ts';

export const BROADCAST_PROCESS_KIND = 'broadcast-process';

export class BroadcastProcessOperator<IN1, IN2, OUT> extends BroadcastProcessBase<IN1, IN2, BroadcastProcessFunction<IN1, IN2, OUT>> {
  private readonly readOnlyContext: ReadOnlyContext;
  private readonly broadcastContext: ReadWriteBroadcastContext;
  private readonly collector: OperatorCollector<OUT>;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<BroadcastProcessFunction<IN1, IN2, OUT>>,
    descriptors: readonly AnyMapStateDescriptor[],
    output: Output<OUT>,
  ) {
    super(runtime, factory, descriptors);
    const watermark = (): number => this.currentWatermark;
    this.readOnlyContext = new ReadOnlyContext(runtime, this.broadcastStates, watermark);
    this.broadcastContext = new ReadWriteBroadcastContext(runtime, this.broadcastStates, watermark);
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
  }

  protected processElement(value: IN1, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.collector.timestamp = timestamp;
    this.readOnlyContext.timestampOfRecord = timestamp;
    const returned: unknown = this.udf.processElement(value, this.readOnlyContext, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement', returned);
  }

  protected processBroadcastElement(value: IN2, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.collector.timestamp = timestamp;
    this.broadcastContext.timestampOfRecord = timestamp;
    const returned: unknown = this.udf.processBroadcastElement(value, this.broadcastContext, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processBroadcastElement', returned);
  }
}
