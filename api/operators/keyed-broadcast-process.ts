// keyed.connect(broadcastStream).process(KeyedBroadcastProcessFunction) (Flink's
// CoBroadcastWithKeyedOperator): processElement runs with its record's key current, so keyed state
// (through the runtime context) and ctx.timerService() are that key's, and broadcast state is
// read-only; processBroadcastElement changes broadcast state and reaches keyed state only through
// ctx.applyToKeyedState, which visits every key of this subtask with an entry in the state. Timers
// fire onTimer with their key current, as in KeyedProcessOperator (BATCH: all at the end of input).
import { MAX_WATERMARK } from '../eventtime/watermark.ts';
import type { AnyMapStateDescriptor } from '../broadcast-stream.ts';
import type { KeyedBroadcastProcessFunction, TimeDomain } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { type Key, keyGroupRangeFor } from '../runtime/key-groups.ts';
import { HeapInternalTimerService } from '../runtime/time/heap-timer-service.ts';
import type { InternalTimer, Triggerable } from '../runtime/time/timer-service.ts';
import { userTimerService } from '../runtime/time/user-timer-service.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import { KeyedReadOnlyContext, KeyedReadWriteBroadcastContext } from './broadcast-contexts.ts';
import { BroadcastProcessBase } from './broadcast-process-base.ts';
import { OperatorCollector } from './process-context.ts';

export const KEYED_BROADCAST_PROCESS_KIND = 'keyed-broadcast-process';

export class KeyedBroadcastProcessOperator<K extends Key, IN1, IN2, OUT>
  extends BroadcastProcessBase<IN1, IN2, KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>>
  implements Triggerable<K>
{
  private readonly backend: HeapKeyedStateBackend<K>;
  private readonly timers: HeapInternalTimerService<K>;
  private readonly readOnlyContext: KeyedReadOnlyContext<K>;
  private readonly broadcastContext: KeyedReadWriteBroadcastContext<K>;
  private readonly collector: OperatorCollector<OUT>;
  private readonly batch: boolean;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>>,
    descriptors: readonly AnyMapStateDescriptor[],
    private readonly keySelector: KeySelector,
    output: Output<OUT>,
  ) {
    super(runtime, factory, descriptors);
    const { subtaskIndex, parallelism, maxParallelism, processingTimeService } = runtime.subtask;
    const range = keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism);
    const operator = describeOperator(this.descriptor);
    this.backend = new HeapKeyedStateBackend<K>(range, maxParallelism, operator, { clock: () => processingTimeService.getCurrentProcessingTime() });
    runtime.runtimeContext.bindKeyedState(this.backend.keyedStateStore);
    this.timers = new HeapInternalTimerService<K>({ range, keyContext: this.backend, processingTimeService, triggerable: this, operator });
    // The timer service's watermark: inside onTimer it is already the one that fired the timer.
    const watermark = (): number => this.timers.currentWatermark();
    this.readOnlyContext = new KeyedReadOnlyContext(runtime, this.broadcastStates, watermark, this.backend, userTimerService(this.timers));
    this.broadcastContext = new KeyedReadWriteBroadcastContext(runtime, this.broadcastStates, watermark, this.backend);
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
    this.batch = runtime.runtimeMode === 'BATCH';
  }

  protected processElement(value: IN1, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.collector.timestamp = timestamp;
    this.readOnlyContext.timestampOfRecord = timestamp;
    this.backend.setCurrentKey(this.keySelector(value));
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

  /** Timers first (their output precedes the watermark downstream), then the watermark goes on. */
  override processWatermark(watermark: number): void {
    this.timers.advanceWatermark(watermark);
    if (watermark === MAX_WATERMARK && this.batch) this.timers.fireAllProcessingTimers();
    super.processWatermark(watermark);
  }

  onEventTime(timer: InternalTimer<K>): void {
    this.fire(timer, 'EVENT_TIME', timer.timestamp);
  }

  onProcessingTime(timer: InternalTimer<K>): void {
    this.fire(timer, 'PROCESSING_TIME', undefined);
  }

  override async close(): Promise<void> {
    this.timers.close();
    await super.close();
  }

  private fire(timer: InternalTimer<K>, domain: TimeDomain, timestamp: number | undefined): void {
    const onTimer = this.udf.onTimer;
    if (onTimer === undefined) return;
    this.tracker.current = this.descriptor;
    this.readOnlyContext.domain = domain;
    this.collector.timestamp = timestamp;
    this.readOnlyContext.timestampOfRecord = timestamp;
    const returned: unknown = onTimer.call(this.udf, timer.timestamp, this.readOnlyContext, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'onTimer', returned);
  }
}
