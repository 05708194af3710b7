// KeyedStream.process(KeyedProcessFunction) (Flink's KeyedProcessOperator): the record's key is
// current while the function runs, so its keyed state (getRuntimeContext().getState(...) in open())
// reads and writes that key's entries, and ctx.timerService() registers timers for that key. A timer
// fires onTimer with its key current: event-time timers when the watermark reaches them,
// processing-time timers when the task's clock does (as mail between steps). BATCH: no watermarks
// arrive, so every event-time timer fires at the end of input, and so does every processing-time one.
//
// Timestamps: what processElement emits carries its record's timestamp; what an event-time timer's
// onTimer emits carries the timer's; a processing-time timer's output has none (Flink's eraseTimestamp).
import { MAX_WATERMARK } from '../eventtime/watermark.ts';
import type { KeyedProcessFunction, OnTimerContext, TimeDomain, TimerService } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { type Key, keyGroupRangeFor } from '../runtime/key-groups.ts';
import { HeapInternalTimerService } from '../runtime/time/heap-timer-service.ts';
import type { InternalTimer, Triggerable } from '../runtime/time/timer-service.ts';
import { userTimerService } from '../runtime/time/user-timer-service.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import { OperatorCollector, SideOutputContext } from './process-context.ts';
import { UdfOperator } from './udf-operator.ts';

export const KEYED_PROCESS_KIND = 'keyed-process';

class KeyedContext<K extends Key> extends SideOutputContext implements OnTimerContext<K> {
  /** The domain of the timer firing; meaningful inside onTimer only. */
  domain: TimeDomain = 'EVENT_TIME';

  constructor(
    runtime: OperatorRuntime,
    private readonly backend: HeapKeyedStateBackend<K>,
    private readonly timers: TimerService,
  ) {
    super(runtime);
  }

  getCurrentKey(): K {
    return this.backend.getCurrentKey();
  }

  timerService(): TimerService {
    return this.timers;
  }

  timeDomain(): TimeDomain {
    return this.domain;
  }
}

export class KeyedProcessOperator<K extends Key, I, O> extends UdfOperator<I, KeyedProcessFunction<K, I, O>> implements Triggerable<K> {
  private readonly backend: HeapKeyedStateBackend<K>;
  private readonly timers: HeapInternalTimerService<K>;
  private readonly context: KeyedContext<K>;
  private readonly collector: OperatorCollector<O>;
  private readonly batch: boolean;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<KeyedProcessFunction<K, I, O>>,
    private readonly keySelector: KeySelector,
    output: Output<O>,
  ) {
    super(runtime, factory);
    const { subtaskIndex, parallelism, maxParallelism, processingTimeService } = runtime.subtask;
    const range = keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism);
    const operator = describeOperator(this.descriptor);
    this.backend = new HeapKeyedStateBackend<K>(range, maxParallelism, operator, { clock: () => processingTimeService.getCurrentProcessingTime() });
    runtime.runtimeContext.bindKeyedState(this.backend.keyedStateStore);
    this.timers = new HeapInternalTimerService<K>({ range, keyContext: this.backend, processingTimeService, triggerable: this, operator });
    this.context = new KeyedContext(runtime, this.backend, userTimerService(this.timers));
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
    this.batch = runtime.runtimeMode === 'BATCH';
  }

  collect(value: I, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.collector.timestamp = timestamp;
    this.context.timestampOfRecord = timestamp;
    this.backend.setCurrentKey(this.keySelector(value));
    const returned: unknown = this.udf.processElement(value, this.context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement', returned);
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
    this.context.domain = domain;
    this.collector.timestamp = timestamp;
    this.context.timestampOfRecord = timestamp;
    const returned: unknown = onTimer.call(this.udf, timer.timestamp, this.context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'onTimer', returned);
  }
}
