// The window operator for the most common windows: tumbling or sliding event-time windows with the
// default EventTimeTrigger, no evictor, and reduce / aggregate / sum... without a window function.
// Every key's window ends at the same time, so instead of a timer per key and window (Flink's
// WindowOperator; our WindowOperator) it keeps one pending entry per window, and when the watermark
// reaches a window's end it emits every key's result under that window's namespace at once, then
// drops the namespace for all keys (Flink SQL's slicing window operators do the same). Per record:
// the key's group, the window, one state update; nothing else.
//
// Same results as the WindowOperator with these settings (only the order of different keys' results
// of one window may differ): a window fires when the watermark reaches maxTimestamp; a late record
// within allowedLateness fires its window again for its key at once with the updated value; a
// window's contents go at maxTimestamp + allowedLateness; later records go to the late-data side
// output or are dropped. Results carry the window's maxTimestamp.
//
// Pending windows are implied by the contents state (the namespaces it holds), so a checkpoint needs
// nothing beyond keyed state and the watermark: a restore finds them by scanning namespaces, and
// sorts each into the windows to fire or those kept for late records by the restored watermark.
import { MAX_WATERMARK } from '../eventtime/watermark.ts';
import type { RichFunction } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import { ChainOperator, type OperatorRuntime, type Output, describeOperator, userFunctionError } from '../runtime/chain.ts';
import type { OperatorSnapshot, TakenOperatorSnapshot } from '../runtime/checkpointing/snapshot.ts';
import { copyRecord } from '../runtime/copy-record.ts';
import { type Key, keyGroupRangeFor } from '../runtime/key-groups.ts';
import type { StateDescriptor } from '../state/descriptors.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import type { InternalKeyedState, Namespace } from '../state/keyed-state-backend.ts';
import type { AppendingState } from '../state/state.ts';
import { NO_TIMESTAMP, type WindowAssigner, type WindowAssignerContext, isValidTimestamp, missingTimestampError } from '../windowing/assigners/window-assigner.ts';
import { closeAll, openAll } from '../windowing/functions/rich-functions.ts';
import type { TimeWindow } from '../windowing/windows/time-window.ts';
import type { InspectableKeyedOperator, KeyedInspection } from './keyed-inspection.ts';
import { restoreKeyGroups, holdKeyGroups } from './keyed-snapshots.ts';
import { WINDOW_CONTENTS_STATE } from './window-operator.ts';

export interface AlignedWindowSpec<T, V> {
  readonly keySelector: KeySelector;
  /** Tumbling or sliding, event time (isAlignedEventTimeAssigner). */
  readonly assigner: WindowAssigner<T, TimeWindow>;
  readonly allowedLateness: number;
  readonly lateDataTag: string | null;
  /** A reducing or aggregating state named WINDOW_CONTENTS_STATE. */
  readonly contents: StateDescriptor<AppendingState<T, V>>;
  /** The user's reduce or aggregate function, opened and closed with the operator. */
  readonly rich: readonly RichFunction[];
}

/** Whether `assigner` makes fixed-size event-time windows (the built-in tumbling and sliding ones, by shape). */
export function isAlignedEventTimeAssigner(assigner: WindowAssigner<unknown, never>): boolean {
  const candidate = assigner as unknown as { size?: unknown; slide?: unknown; offset?: unknown; mergeWindows?: unknown };
  return typeof candidate.size === 'number' && typeof candidate.slide === 'number' && typeof candidate.offset === 'number' && candidate.mergeWindows === undefined && assigner.isEventTime();
}

type Contents<T, V> = AppendingState<T, V> & InternalKeyedState & { readonly table: { dropNamespace(namespace: Namespace): void; namespaces(): Set<Namespace> } };

export class AlignedWindowOperator<T, V, K extends Key> extends ChainOperator<T> implements InspectableKeyedOperator {
  private readonly backend: HeapKeyedStateBackend<K>;
  private readonly contents: Contents<T, V>;
  private readonly assignerContext: WindowAssignerContext;
  private readonly lateOutput: Output<unknown> | null;
  private readonly copies: boolean;
  /** Windows holding contents that have not fired yet, by start; their maxTimestamp fires them. */
  private readonly toFire = new Map<number, TimeWindow>();
  /** Fired windows kept for late records, by start, until maxTimestamp + allowedLateness. */
  private readonly toClean = new Map<number, TimeWindow>();
  /** The last window start put into `toFire` (a record's window is usually its predecessor's). */
  private lastPending = Number.NaN;
  /** The earliest maxTimestamp in `toFire` (Infinity when none): most watermarks fire nothing. */
  private nextFire = Number.POSITIVE_INFINITY;
  /** Late records dropped (no late-data side output): Flink's numLateRecordsDropped. */
  lateRecordsDropped = 0;

  constructor(
    private readonly runtime: OperatorRuntime,
    private readonly spec: AlignedWindowSpec<T, V>,
    private readonly output: Output<V>,
  ) {
    super(runtime);
    const { subtaskIndex, parallelism, maxParallelism, processingTimeService } = runtime.subtask;
    const operator = describeOperator(this.descriptor);
    this.backend = new HeapKeyedStateBackend<K>(keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism), maxParallelism, operator);
    runtime.runtimeContext.bindKeyedState(this.backend.keyedStateStore);
    this.contents = this.backend.getOrCreateKeyedState(spec.contents) as Contents<T, V>;
    this.assignerContext = { getCurrentProcessingTime: () => processingTimeService.getCurrentProcessingTime() };
    this.lateOutput = spec.lateDataTag === null ? null : runtime.sideOutput(spec.lateDataTag);
    this.copies = !runtime.objectReuse;
  }

  override async open(): Promise<void> {
    try {
      await openAll(this.spec.rich, this.runtime.runtimeContext);
    } catch (error) {
      throw userFunctionError(this.descriptor, 'failed in open()', error);
    }
  }

  override snapshotState(): TakenOperatorSnapshot {
    return { watermark: this.currentWatermark, keyGroups: holdKeyGroups({ backend: this.backend as HeapKeyedStateBackend<Key>, timers: null }) };
  }

  /** The contents per key group, then the pending windows found from their namespaces (see the header). */
  override restoreState(snapshot: OperatorSnapshot): void {
    super.restoreState(snapshot);
    restoreKeyGroups({ backend: this.backend as HeapKeyedStateBackend<Key>, timers: null }, snapshot.keyGroups, describeOperator(this.descriptor));
    const codec = this.spec.assigner.getNamespaceCodec();
    const watermark = this.currentWatermark;
    for (const namespace of this.contents.table.namespaces()) {
      const window = codec.fromNamespace(namespace);
      const maxTimestamp = window.end - 1;
      if (maxTimestamp > watermark) {
        this.toFire.set(window.start, window);
        this.nextFire = Math.min(this.nextFire, maxTimestamp);
      } else if (maxTimestamp + this.spec.allowedLateness > watermark) this.toClean.set(window.start, window);
      // A window past its lateness was dropped before the snapshot; nothing can be left of it.
      else this.contents.table.dropNamespace(namespace);
    }
  }

  /** No timers: windows fire per window, when the watermark reaches them (see the header). */
  inspectKeyed(): KeyedInspection {
    return { backend: this.backend as HeapKeyedStateBackend<Key>, timers: null };
  }

  override async close(): Promise<void> {
    try {
      await closeAll(this.spec.rich);
    } catch (error) {
      throw userFunctionError(this.descriptor, 'failed in close()', error);
    }
  }

  collect(value: T, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.backend.setCurrentKey(this.spec.keySelector(value));
    const time = timestamp ?? NO_TIMESTAMP;
    if (!isValidTimestamp(time)) throw missingTimestampError(describeOperator(this.descriptor), timestamp);
    const windows = this.spec.assigner.assignWindows(value, time, this.assignerContext);
    const watermark = this.currentWatermark;
    const lateness = this.spec.allowedLateness;
    const contents = this.contents;
    let skipped = true;
    const last = windows.length - 1;
    for (let index = 0; index <= last; index++) {
      const window = windows[index];
      const maxTimestamp = window.end - 1;
      if (maxTimestamp + lateness <= watermark) continue;
      skipped = false;
      contents.setCurrentNamespace(window.start);
      contents.add(index < last && this.copies ? copyRecord(value) : value);
      if (maxTimestamp <= watermark) {
        // Late within the lateness: the window fires again for this key at once (EventTimeTrigger),
        // and goes at its cleanup time even when no record reached it before the watermark did.
        this.emit(window, true);
        if (!this.toClean.has(window.start)) this.toClean.set(window.start, window);
      } else if (window.start !== this.lastPending) {
        this.lastPending = window.start;
        if (!this.toFire.has(window.start)) {
          this.toFire.set(window.start, window);
          if (maxTimestamp < this.nextFire) this.nextFire = maxTimestamp;
        }
      }
    }
    if (skipped && time + lateness <= watermark) {
      if (this.lateOutput !== null) this.lateOutput.collect(value, timestamp);
      else this.lateRecordsDropped++;
    }
  }

  /** Fires every window the watermark reached (every key of it), drops what is past its lateness, then forwards. */
  override processWatermark(watermark: number): void {
    if (watermark >= this.nextFire) this.fireUpTo(watermark);
    if (this.toClean.size > 0) this.cleanUpTo(watermark);
    super.processWatermark(watermark);
  }

  private fireUpTo(watermark: number): void {
    const due = [...this.toFire.values()].filter((window) => window.end - 1 <= watermark).sort((a, b) => a.start - b.start);
    const lateness = this.spec.allowedLateness;
    for (const window of due) {
      this.toFire.delete(window.start);
      const kept = window.end - 1 + lateness > watermark;
      this.contents.setCurrentNamespace(window.start);
      for (const key of [...this.backend.getKeys(WINDOW_CONTENTS_STATE, window.start)]) {
        this.backend.setCurrentKey(key);
        this.emit(window, kept);
      }
      if (kept) this.toClean.set(window.start, window);
      else this.contents.table.dropNamespace(window.start);
    }
    this.lastPending = Number.NaN;
    this.nextFire = Number.POSITIVE_INFINITY;
    for (const window of this.toFire.values()) this.nextFire = Math.min(this.nextFire, window.end - 1);
  }

  private cleanUpTo(watermark: number): void {
    const lateness = this.spec.allowedLateness;
    for (const [start, window] of this.toClean) {
      if (window.end - 1 + lateness > watermark && watermark < MAX_WATERMARK) continue;
      this.toClean.delete(start);
      this.contents.table.dropNamespace(start);
    }
  }

  /** The current key's result for `window` (its namespace is current), a copy when the window keeps it. */
  private emit(window: TimeWindow, kept: boolean): void {
    const result = this.contents.get();
    if (result === undefined) return;
    this.tracker.current = this.descriptor;
    this.output.collect(kept && this.copies ? copyRecord(result) : result, window.end - 1);
    // Downstream operators overwrote the tracker; the record's next window runs the user's function.
    this.tracker.current = this.descriptor;
  }
}
