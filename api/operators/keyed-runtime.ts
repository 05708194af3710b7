// What keyed operators share: a keyed state backend over the subtask's key groups, bound to the
// operator's RuntimeContext (so the user function's getState() reads the current key's entries), a
// heap timer service over it, and for keyed process functions (KeyedProcessOperator,
// KeyedCoProcessOperator) the context, collector and onTimer dispatch of Flink's keyed process
// operators. One of each per operator instance: nothing here is allocated per record.
//
// Timestamps: what a record's processing emits carries the record's timestamp; what an event-time
// timer's onTimer emits carries the timer's; a processing-time timer's output has none (Flink's
// eraseTimestamp). BATCH: no watermarks arrive, so every event-time timer fires at the end of input,
// and so does every processing-time one.
import { MAX_WATERMARK } from '../eventtime/watermark.ts';
import type { Collector, OnTimerContext, TimeDomain, TimerService } from '../functions.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { type Key, keyGroupRangeFor } from '../runtime/key-groups.ts';
import { HeapInternalTimerService } from '../runtime/time/heap-timer-service.ts';
import type { InternalTimer, Triggerable } from '../runtime/time/timer-service.ts';
import { userTimerService } from '../runtime/time/user-timer-service.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import type { KeyedInspection } from './keyed-inspection.ts';
import type { KeyedParts } from './keyed-snapshots.ts';
import { OperatorCollector, SideOutputContext } from './process-context.ts';

/** The operator's keyed state over its subtask's key groups, bound to its RuntimeContext. */
export function createKeyedBackend<K extends Key>(runtime: OperatorRuntime): HeapKeyedStateBackend<K> {
  const { subtaskIndex, parallelism, maxParallelism, processingTimeService } = runtime.subtask;
  const range = keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism);
  const backend = new HeapKeyedStateBackend<K>(range, maxParallelism, describeOperator(runtime.descriptor), {
    clock: () => processingTimeService.getCurrentProcessingTime(),
  });
  runtime.runtimeContext.bindKeyedState(backend.keyedStateStore);
  return backend;
}

/** Timers per key of `backend`, firing into `triggerable` with the timer's key current. */
export function createTimerService<K extends Key>(runtime: OperatorRuntime, backend: HeapKeyedStateBackend<K>, triggerable: Triggerable<K>): HeapInternalTimerService<K> {
  const { processingTimeService } = runtime.subtask;
  return new HeapInternalTimerService<K>({ range: backend.range, keyContext: backend, processingTimeService, triggerable, operator: backend.operator });
}

/**
 * Keyed state for a two-input operator whose function only reads and writes state (a CoMap or
 * CoFlatMap on keyed connected streams): makes each record's key current before the user call
 * (Flink's setKeyContextElement1 / 2).
 */
export class InputKeys {
  private readonly backend: HeapKeyedStateBackend<Key>;

  constructor(
    runtime: OperatorRuntime,
    private readonly keySelector1: (value: unknown) => unknown,
    private readonly keySelector2: (value: unknown) => unknown,
  ) {
    this.backend = createKeyedBackend(runtime);
  }

  /** What a checkpoint writes: the function's keyed state, per key group. */
  parts(): KeyedParts {
    return { backend: this.backend, timers: null };
  }

  enter1(value: unknown): void {
    this.backend.setCurrentKey(this.keySelector1(value));
  }

  enter2(value: unknown): void {
    this.backend.setCurrentKey(this.keySelector2(value));
  }
}

/**
 * Keyed state for a one-input operator on a keyed stream whose function only reads and writes state
 * (a rich map, flatMap or filter after keyBy, as Flink allows): makes each record's key current
 * before the user call — once the function asked for a state; until then a record costs one check.
 */
export class InputKey {
  private readonly backend: HeapKeyedStateBackend<Key>;
  private used = false;

  constructor(
    runtime: OperatorRuntime,
    private readonly keySelector: (value: unknown) => unknown,
  ) {
    const { subtaskIndex, parallelism, maxParallelism, processingTimeService } = runtime.subtask;
    this.backend = new HeapKeyedStateBackend<Key>(keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism), maxParallelism, describeOperator(runtime.descriptor), {
      clock: () => processingTimeService.getCurrentProcessingTime(),
    });
    const store = this.backend.keyedStateStore;
    const use = <S>(state: S): S => {
      this.used = true;
      return state;
    };
    runtime.runtimeContext.bindKeyedState({
      getState: (descriptor) => use(store.getState(descriptor)),
      getListState: (descriptor) => use(store.getListState(descriptor)),
      getMapState: (descriptor) => use(store.getMapState(descriptor)),
      getReducingState: (descriptor) => use(store.getReducingState(descriptor)),
      getAggregatingState: (descriptor) => use(store.getAggregatingState(descriptor)),
    });
  }

  /** What a checkpoint writes: the function's keyed state, per key group (restored entries wait for its first request). */
  parts(): KeyedParts {
    return { backend: this.backend, timers: null };
  }

  enter(value: unknown): void {
    if (this.used) this.backend.setCurrentKey(this.keySelector(value));
  }
}

export class KeyedContext<K extends Key> extends SideOutputContext implements OnTimerContext<K> {
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

/** A keyed process function's optional timer callback. */
export interface TimerCallback<K, O> {
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
}

/**
 * The keyed state, timers, context and collector of an operator running a keyed process function.
 * Lifecycle: the operator sets the tracker and calls enter() before each record's user call, advanceWatermark() on each
 * watermark before forwarding it, close() when it closes.
 */
export class KeyedProcessRuntime<K extends Key, O, C extends KeyedContext<K> = KeyedContext<K>> implements Triggerable<K> {
  readonly backend: HeapKeyedStateBackend<K>;
  readonly timers: HeapInternalTimerService<K>;
  readonly context: C;
  readonly collector: OperatorCollector<O>;
  private readonly runtime: OperatorRuntime;
  private readonly batch: boolean;

  constructor(
    runtime: OperatorRuntime,
    output: Output<O>,
    /** The user function, whose onTimer the timers call. */
    private readonly udf: TimerCallback<K, O>,
    /** Makes a context that offers more than a KeyedContext (a keyed broadcast function's: broadcast state). */
    makeContext?: (backend: HeapKeyedStateBackend<K>, timers: TimerService) => C,
  ) {
    this.runtime = runtime;
    this.backend = createKeyedBackend<K>(runtime);
    this.timers = createTimerService(runtime, this.backend, this);
    const timers = userTimerService(this.timers);
    this.context = makeContext ? makeContext(this.backend, timers) : (new KeyedContext<K>(runtime, this.backend, timers) as C);
    this.collector = new OperatorCollector(output, runtime.tracker, runtime.descriptor);
    this.batch = runtime.runtimeMode === 'BATCH';
  }

  /** Before a record's user call (the operator already marked itself as running user code: the key selector is user code). */
  enter(key: unknown, timestamp: number | undefined): void {
    this.collector.timestamp = timestamp;
    this.context.timestampOfRecord = timestamp;
    this.backend.setCurrentKey(key);
  }

  /** Fires the event-time timers the watermark reached (BATCH, at the end: every timer). */
  advanceWatermark(watermark: number): void {
    this.timers.advanceWatermark(watermark);
    if (watermark === MAX_WATERMARK && this.batch) this.timers.fireAllProcessingTimers();
  }

  onEventTime(timer: InternalTimer<K>): void {
    this.fire(timer, 'EVENT_TIME', timer.timestamp);
  }

  onProcessingTime(timer: InternalTimer<K>): void {
    this.fire(timer, 'PROCESSING_TIME', undefined);
  }

  close(): void {
    this.timers.close();
  }

  inspect(): KeyedInspection {
    return { backend: this.backend as HeapKeyedStateBackend<Key>, timers: [this.timers] };
  }

  /** What a checkpoint writes: the backend and the timers, per key group. */
  parts(): KeyedParts {
    return { backend: this.backend as HeapKeyedStateBackend<Key>, timers: this.timers as unknown as HeapInternalTimerService<Key> };
  }

  private fire(timer: InternalTimer<K>, domain: TimeDomain, timestamp: number | undefined): void {
    const onTimer = this.udf.onTimer;
    if (onTimer === undefined) return;
    const { tracker, descriptor } = this.runtime;
    tracker.current = descriptor;
    this.context.domain = domain;
    this.collector.timestamp = timestamp;
    this.context.timestampOfRecord = timestamp;
    const returned: unknown = onTimer.call(this.udf, timer.timestamp, this.context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(descriptor, 'onTimer', returned);
  }
}
