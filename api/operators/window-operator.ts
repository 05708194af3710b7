// The window operator (Flink's WindowOperator and EvictingWindowOperator): per key, the assigner
// puts each record into windows, the window's contents state takes it (a list, or one incremental
// reduce/aggregate value), and the trigger decides when the window function evaluates the contents
// and when they are purged. Session windows go through a MergingWindowSet per key, kept in keyed
// state. Results carry the window's maxTimestamp().
//
// Lateness (event time): a window whose maxTimestamp + allowedLateness <= watermark is late and takes
// no records; a record none of whose windows took it and that is itself late goes to the late-data
// side output, or is dropped (counted). Each window gets a cleanup timer at maxTimestamp +
// allowedLateness (processing time: maxTimestamp), which drops its contents, trigger state and
// function state; the global window gets none.
//
// With an evictor the contents are every record with its timestamp; when the trigger fires, the
// evictor trims them before and after the function, and what is left is written back.
//
// Ownership: a record in several windows (sliding) goes into all but the last as a copy, and a single
// incremental value the window keeps after firing is emitted as a copy (see copy-record.ts), unless
// object reuse is on.
import { WeirError } from '../../messages/errors.ts';
import { MAX_WATERMARK } from '../eventtime/watermark.ts';
import type { KeySelector } from '../graph/transformation.ts';
import { ChainOperator, type OperatorRuntime, type Output, describeOperator, userFunctionError } from '../runtime/chain.ts';
import type { OperatorSnapshot, TakenOperatorSnapshot } from '../runtime/checkpointing/snapshot.ts';
import { copyRecord } from '../runtime/copy-record.ts';
import { type Key, keyGroupRangeFor } from '../runtime/key-groups.ts';
import { HeapInternalTimerService } from '../runtime/time/heap-timer-service.ts';
import type { InternalTimer, Triggerable } from '../runtime/time/timer-service.ts';
import { ListStateDescriptor, type StateDescriptor, ValueStateDescriptor } from '../state/descriptors.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import type { InternalKeyedState, InternalMergingState, Namespace } from '../state/keyed-state-backend.ts';
import type { AppendingState, ListState, ValueState } from '../state/state.ts';
import { NO_TIMESTAMP, type WindowAssigner, type WindowAssignerContext, isValidTimestamp, missingTimestampError } from '../windowing/assigners/window-assigner.ts';
import { isMergingWindowAssigner } from '../windowing/assigners/merging-window-assigner.ts';
import type { Evictor } from '../windowing/evictors/evictor.ts';
import type { TimestampedValue } from '../windowing/evictors/timestamped-value.ts';
import type { InternalWindowFunction } from '../windowing/functions/internal-window-function.ts';
import { MergingWindowSet, type WindowMappingSnapshot } from '../windowing/merging-window-set.ts';
import type { Trigger } from '../windowing/triggers/trigger.ts';
import type { TriggerResult } from '../windowing/triggers/trigger-result.ts';
import { cleanupTime, isElementLate, isWindowLate, needsCleanupTimer } from '../windowing/window-lateness.ts';
import type { Window, WindowNamespaceCodec } from '../windowing/windows/window.ts';
import type { InspectableKeyedOperator, KeyedInspection } from './keyed-inspection.ts';
import { type KeyedParts, restoreKeyGroups, holdKeyGroups } from './keyed-snapshots.ts';
import { OperatorCollector } from './process-context.ts';
import { WindowProcessContext, WindowTriggerContext } from './window-contexts.ts';

export const WINDOW_KIND = 'window';

/** The state holding a window's contents; a user's state names must differ. */
export const WINDOW_CONTENTS_STATE = 'window-contents';
/** The state holding a key's MergingWindowSet (sessions). */
export const MERGING_WINDOWS_STATE = 'merging-window-set';

/** Everything WindowedStream decided, for one window operator. */
export interface WindowOperatorSpec<T, CONTENTS, OUT, K, W extends Window> {
  readonly keySelector: KeySelector;
  readonly assigner: WindowAssigner<T, W>;
  readonly trigger: Trigger<T, W>;
  readonly allowedLateness: number;
  /** The OutputTag id of sideOutputLateData, or null. */
  readonly lateDataTag: string | null;
  /**
   * No evictor: the contents state (list of records, or a reducing / aggregating value) and the
   * function over what it holds. With an evictor: null (contents are a list of timestamped records).
   */
  readonly contents: StateDescriptor<AppendingState<T, CONTENTS>> | null;
  readonly evictor: Evictor<T, W> | null;
  /** Over CONTENTS, or over the records left by the evictor. */
  readonly windowFunction: InternalWindowFunction<CONTENTS, OUT, K, W> | InternalWindowFunction<Iterable<T>, OUT, K, W>;
  /** True when the contents are one incremental value (reduce / aggregate without an evictor). */
  readonly singleValue: boolean;
}

type Contents<T, CONTENTS> = AppendingState<T, CONTENTS> & InternalKeyedState;

export class WindowOperator<T, CONTENTS, OUT, K extends Key, W extends Window> extends ChainOperator<T> implements Triggerable<K>, InspectableKeyedOperator {
  private readonly backend: HeapKeyedStateBackend<K>;
  private readonly timers: HeapInternalTimerService<K>;
  private readonly codec: WindowNamespaceCodec<W>;
  private readonly eventTime: boolean;
  private readonly merging: boolean;
  private readonly batch: boolean;
  private readonly copies: boolean;
  /** Contents without an evictor; null with one. */
  private readonly contents: Contents<T, CONTENTS> | null;
  /** Contents with an evictor: every record and its timestamp. */
  private readonly evicting: (ListState<TimestampedValue<T>> & InternalKeyedState) | null;
  private readonly mergingWindows: (ValueState<WindowMappingSnapshot> & InternalKeyedState) | null;
  private readonly triggerContext: WindowTriggerContext<W>;
  private readonly processContext: WindowProcessContext;
  private readonly collector: OperatorCollector<OUT>;
  private readonly runtimeContext: OperatorRuntime['runtimeContext'];
  private readonly assignerContext: WindowAssignerContext;
  private readonly lateOutput: Output<unknown> | null;
  /** Late records dropped (no late-data side output): Flink's numLateRecordsDropped. */
  lateRecordsDropped = 0;

  constructor(
    runtime: OperatorRuntime,
    private readonly spec: WindowOperatorSpec<T, CONTENTS, OUT, K, W>,
    output: Output<OUT>,
  ) {
    super(runtime);
    const { subtaskIndex, parallelism, maxParallelism, processingTimeService } = runtime.subtask;
    const range = keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism);
    const operator = describeOperator(this.descriptor);
    this.backend = new HeapKeyedStateBackend<K>(range, maxParallelism, operator, { clock: () => processingTimeService.getCurrentProcessingTime() });
    runtime.runtimeContext.bindKeyedState(this.backend.keyedStateStore);
    this.timers = new HeapInternalTimerService<K>({ range, keyContext: this.backend, processingTimeService, triggerable: this, operator });
    this.codec = spec.assigner.getNamespaceCodec();
    this.eventTime = spec.assigner.isEventTime();
    this.merging = isMergingWindowAssigner(spec.assigner);
    this.batch = runtime.runtimeMode === 'BATCH';
    this.copies = !runtime.objectReuse;
    this.contents = spec.contents === null ? null : (this.backend.getOrCreateKeyedState(spec.contents) as Contents<T, CONTENTS>);
    this.evicting = spec.contents === null ? this.backend.getOrCreateKeyedState(new ListStateDescriptor<TimestampedValue<T>>(WINDOW_CONTENTS_STATE)) : null;
    this.mergingWindows = this.merging ? this.backend.getOrCreateKeyedState(new ValueStateDescriptor<WindowMappingSnapshot>(MERGING_WINDOWS_STATE)) : null;
    this.triggerContext = new WindowTriggerContext<W>(this.backend as HeapKeyedStateBackend<Key>, this.timers, operator);
    this.processContext = new WindowProcessContext(this.backend as HeapKeyedStateBackend<Key>, this.timers, runtime.sideOutput, this.tracker, this.descriptor, this.merging);
    this.collector = new OperatorCollector<OUT>(output, this.tracker, this.descriptor);
    this.runtimeContext = runtime.runtimeContext;
    this.assignerContext = { getCurrentProcessingTime: () => processingTimeService.getCurrentProcessingTime() };
    this.lateOutput = spec.lateDataTag === null ? null : runtime.sideOutput(spec.lateDataTag);
  }

  override async open(): Promise<void> {
    try {
      await this.spec.windowFunction.open(this.runtimeContext);
    } catch (error) {
      throw userFunctionError(this.descriptor, 'failed in open()', error);
    }
  }

  collect(value: T, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.backend.setCurrentKey(this.spec.keySelector(value));
    const time = timestamp ?? NO_TIMESTAMP;
    if (this.eventTime && !isValidTimestamp(time)) throw missingTimestampError(describeOperator(this.descriptor), timestamp);
    const windows = this.spec.assigner.assignWindows(value, time, this.assignerContext);
    const skipped = this.merging ? this.addMerging(value, time, windows) : this.addToWindows(value, time, windows);
    if (skipped && isElementLate(time, this.spec.allowedLateness, this.eventTime, this.timers.currentWatermark())) {
      if (this.lateOutput !== null) this.lateOutput.collect(value, timestamp);
      else this.lateRecordsDropped++;
    }
  }

  /** Timers first (window results precede the watermark downstream), then the watermark goes on. */
  override processWatermark(watermark: number): void {
    this.timers.advanceWatermark(watermark);
    if (watermark === MAX_WATERMARK && this.batch) this.timers.fireAllProcessingTimers();
    super.processWatermark(watermark);
  }

  onEventTime(timer: InternalTimer<K>): void {
    this.onTimer(timer, true);
  }

  onProcessingTime(timer: InternalTimer<K>): void {
    this.onTimer(timer, false);
  }

  inspectKeyed(): KeyedInspection {
    return { backend: this.backend as HeapKeyedStateBackend<Key>, timers: [this.timers] };
  }

  /** Everything is keyed state (contents, trigger and function state, session sets) and timers, per key group. */
  override snapshotState(): TakenOperatorSnapshot {
    return { watermark: this.currentWatermark, keyGroups: holdKeyGroups(this.keyedParts()) };
  }

  override restoreState(snapshot: OperatorSnapshot): void {
    super.restoreState(snapshot);
    restoreKeyGroups(this.keyedParts(), snapshot.keyGroups, describeOperator(this.descriptor));
    this.timers.restoreWatermark(this.currentWatermark);
  }

  private keyedParts(): KeyedParts {
    return { backend: this.backend as HeapKeyedStateBackend<Key>, timers: this.timers as unknown as HeapInternalTimerService<Key> };
  }

  override async close(): Promise<void> {
    this.timers.close();
    try {
      await this.spec.windowFunction.close();
    } catch (error) {
      throw userFunctionError(this.descriptor, 'failed in close()', error);
    }
  }

  /** Adds the record to each window that is not late; true when every one was skipped. */
  private addToWindows(value: T, timestamp: number, windows: readonly W[]): boolean {
    let skipped = true;
    const last = windows.length - 1;
    for (let index = 0; index <= last; index++) {
      const window = windows[index];
      if (isWindowLate(window, this.spec.allowedLateness, this.eventTime, this.timers.currentWatermark())) continue;
      skipped = false;
      const namespace = this.codec.toNamespace(window);
      this.add(index < last && this.copies ? copyRecord(value) : value, timestamp, namespace);
      this.afterElement(value, timestamp, window, namespace, namespace);
    }
    return skipped;
  }

  /** Sessions: each window joins the key's MergingWindowSet, merging state and trigger state as Flink's. */
  private addMerging(value: T, timestamp: number, windows: readonly W[]): boolean {
    const store = this.mergingWindows as ValueState<WindowMappingSnapshot> & InternalKeyedState;
    const persisted = store.value();
    const set = persisted === undefined ? new MergingWindowSet<W>(this.spec.assigner as never) : MergingWindowSet.restore<W>(this.spec.assigner as never, persisted);
    let skipped = true;
    const last = windows.length - 1;
    for (let index = 0; index <= last; index++) {
      const actual = set.addWindow(windows[index], (mergeResult, merged, stateWindowResult, mergedStateWindows) => this.merge(mergeResult, merged, stateWindowResult, mergedStateWindows));
      if (isWindowLate(actual, this.spec.allowedLateness, this.eventTime, this.timers.currentWatermark())) {
        set.retireWindow(actual);
        continue;
      }
      skipped = false;
      const stateWindow = set.getStateWindow(actual) as W;
      const stateNamespace = this.codec.toNamespace(stateWindow);
      this.add(index < last && this.copies ? copyRecord(value) : value, timestamp, stateNamespace);
      this.afterElement(value, timestamp, actual, this.codec.toNamespace(actual), stateNamespace);
    }
    this.persistMergingWindows(set);
    return skipped;
  }

  private merge(mergeResult: W, merged: readonly W[], stateWindowResult: W, mergedStateWindows: readonly W[]): void {
    const operator = describeOperator(this.descriptor);
    if (this.eventTime && mergeResult.maxTimestamp() + this.spec.allowedLateness <= this.timers.currentWatermark()) {
      throw new WeirError('INVALID_PIPELINE', `${operator}: the merged window ${String(mergeResult)} is late (watermark ${this.timers.currentWatermark()}); this happens when the session gap of a record lets it reach back into a cleaned-up window`);
    }
    if (!this.eventTime && mergeResult.maxTimestamp() <= this.timers.currentProcessingTime()) {
      throw new WeirError('INVALID_PIPELINE', `${operator}: the merged window ${String(mergeResult)} is already past in processing time`);
    }
    const context = this.triggerContext.at(mergeResult, this.codec.toNamespace(mergeResult));
    context.mergedNamespaces = merged.map((window) => this.codec.toNamespace(window));
    this.tracker.current = this.descriptor;
    this.spec.trigger.onMerge(mergeResult, context);
    context.mergedNamespaces = [];
    for (const window of merged) {
      this.spec.trigger.clear(window, this.triggerContext.at(window, this.codec.toNamespace(window)));
      this.deleteCleanupTimer(window);
    }
    const state = (this.contents ?? this.evicting) as unknown as InternalMergingState;
    state.setCurrentNamespace(this.codec.toNamespace(stateWindowResult));
    state.mergeNamespaces(
      this.codec.toNamespace(stateWindowResult),
      mergedStateWindows.map((window) => this.codec.toNamespace(window)),
    );
  }

  private add(value: T, timestamp: number, stateNamespace: Namespace): void {
    if (this.contents !== null) {
      this.contents.setCurrentNamespace(stateNamespace);
      this.contents.add(value);
    } else {
      const list = this.evicting as ListState<TimestampedValue<T>> & InternalKeyedState;
      list.setCurrentNamespace(stateNamespace);
      list.add({ value, timestamp });
    }
  }

  /** The trigger sees the record; acts on its answer; registers the window's cleanup timer. */
  private afterElement(value: T, timestamp: number, window: W, namespace: Namespace, stateNamespace: Namespace): void {
    this.tracker.current = this.descriptor;
    const result = this.spec.trigger.onElement(value, timestamp, window, this.triggerContext.at(window, namespace));
    this.act(result, window, stateNamespace, false);
    this.registerCleanupTimer(window);
  }

  private onTimer(timer: InternalTimer<K>, eventTime: boolean): void {
    this.tracker.current = this.descriptor;
    const window = this.codec.fromNamespace(timer.namespace);
    let set: MergingWindowSet<W> | null = null;
    let stateWindow: W | undefined = window;
    if (this.merging) {
      const persisted = (this.mergingWindows as ValueState<WindowMappingSnapshot>).value();
      set = persisted === undefined ? null : MergingWindowSet.restore<W>(this.spec.assigner as never, persisted);
      stateWindow = set?.getStateWindow(window);
      // Merged into another window since the timer was set: that window's timers decide.
      if (stateWindow === undefined) return;
    }
    const stateNamespace = this.codec.toNamespace(stateWindow as W);
    const context = this.triggerContext.at(window, timer.namespace);
    const trigger = this.spec.trigger;
    const result = eventTime ? trigger.onEventTime(timer.timestamp, window, context) : trigger.onProcessingTime(timer.timestamp, window, context);
    const cleanup = eventTime === this.eventTime && timer.timestamp === cleanupTime(window, this.spec.allowedLateness, this.eventTime);
    this.act(result, window, stateNamespace, cleanup);
    if (cleanup) {
      this.clearAllState(window, timer.namespace, stateNamespace, set);
    }
    if (set !== null) this.persistMergingWindows(set);
  }

  /** Writes the key's set when it changed; an empty one is removed (no entry per key ever seen, as Flink's cleared list state). */
  private persistMergingWindows(set: MergingWindowSet<W>): void {
    const changed = set.persist();
    if (changed !== null) (this.mergingWindows as ValueState<WindowMappingSnapshot>).update(changed.length === 0 ? undefined : changed);
  }

  /** `ending`: the window's contents go right after this (its cleanup time). */
  private act(result: TriggerResult, window: W, stateNamespace: Namespace, ending: boolean): void {
    if (result.fire) this.emitWindowContents(window, stateNamespace, !result.purge && !ending && this.copies);
    if (result.purge) this.clearContents(stateNamespace);
  }

  /**
   * Runs the window function on the window's contents (nothing when it holds none). `copy`: the
   * contents stay after this firing (and may fire again), so the function gets copies: what it emits
   * must not be an object the window still holds (see copy-record.ts).
   */
  private emitWindowContents(window: W, stateNamespace: Namespace, copy: boolean): void {
    const key = this.backend.getCurrentKey() as unknown as K;
    const maxTimestamp = window.maxTimestamp();
    this.collector.timestamp = maxTimestamp;
    this.processContext.maxTimestamp = maxTimestamp;
    this.processContext.windowStore.namespace = this.codec.toNamespace(window);
    this.tracker.current = this.descriptor;
    if (this.contents !== null) {
      this.contents.setCurrentNamespace(stateNamespace);
      let contents = this.contents.get();
      if (contents === undefined) return;
      if (copy) contents = this.spec.singleValue ? copyRecord(contents) : (([...(contents as Iterable<unknown>)].map(copyRecord) as unknown) as CONTENTS);
      (this.spec.windowFunction as InternalWindowFunction<CONTENTS, OUT, K, W>).process(key, window, this.processContext, contents, this.collector);
      return;
    }
    const list = this.evicting as ListState<TimestampedValue<T>> & InternalKeyedState;
    list.setCurrentNamespace(stateNamespace);
    const stored = list.get();
    if (stored.length === 0) return;
    const elements = stored.slice();
    const evictor = this.spec.evictor as Evictor<T, W>;
    const context = { getCurrentProcessingTime: () => this.timers.currentProcessingTime(), getCurrentWatermark: () => this.timers.currentWatermark() };
    evictor.evictBefore(elements, window, context);
    this.tracker.current = this.descriptor;
    const values = elements.map((element) => (copy ? copyRecord(element.value) : element.value));
    (this.spec.windowFunction as InternalWindowFunction<Iterable<T>, OUT, K, W>).process(key, window, this.processContext, values, this.collector);
    this.tracker.current = this.descriptor;
    evictor.evictAfter(elements, window, context);
    list.update(elements);
  }

  private clearContents(stateNamespace: Namespace): void {
    const state = (this.contents ?? this.evicting) as InternalKeyedState & { clear(): void };
    state.setCurrentNamespace(stateNamespace);
    state.clear();
  }

  /** The window's cleanup time came: its contents, trigger state and function state go. */
  private clearAllState(window: W, namespace: Namespace, stateNamespace: Namespace, set: MergingWindowSet<W> | null): void {
    this.clearContents(stateNamespace);
    this.spec.trigger.clear(window, this.triggerContext.at(window, namespace));
    this.processContext.windowStore.namespace = namespace;
    this.processContext.maxTimestamp = window.maxTimestamp();
    this.spec.windowFunction.clear(window, this.processContext);
    set?.retireWindow(window);
  }

  private registerCleanupTimer(window: W): void {
    const time = cleanupTime(window, this.spec.allowedLateness, this.eventTime);
    if (!needsCleanupTimer(time)) return;
    const namespace = this.codec.toNamespace(window);
    if (this.eventTime) this.timers.registerEventTimeTimer(namespace, time);
    else this.timers.registerProcessingTimeTimer(namespace, time);
  }

  private deleteCleanupTimer(window: W): void {
    const time = cleanupTime(window, this.spec.allowedLateness, this.eventTime);
    if (!needsCleanupTimer(time)) return;
    const namespace = this.codec.toNamespace(window);
    if (this.eventTime) this.timers.deleteEventTimeTimer(namespace, time);
    else this.timers.deleteProcessingTimeTimer(namespace, time);
  }
}
