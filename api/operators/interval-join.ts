// a.keyBy(k).intervalJoin(b.keyBy(k)).between(lower, upper).process(fn) (Flink's IntervalJoinOperator):
// an inner join of two keyed streams in event time. A left record at time t meets every right record
// of its key at time s with t + lower <= s <= t + upper, whichever of the two arrives first; fn gets
// each pair once, and what it emits carries max(t, s).
//
// As Flink's: each side buffers its records in keyed MapState by timestamp (a list per timestamp). A
// record first joins the other side's buffer, then waits in its own. A record whose timestamp is below
// the current watermark is late: dropped, or sent to the side's late-data side output. Each buffered
// timestamp has a cleanup timer at the time after which no record of the other side can still join
// it (left: t + upper, right: s - lower; no earlier than the record itself); once the watermark
// reaches it, the bucket is removed. BATCH: no watermark arrives before the end of input, so nothing
// is late, every pair within the bounds joins, and the buffers are emptied at the end.
//
// Timestamps and bounds are whole ms (Flink's longs): an exclusive bound is the bound moved 1 ms
// inward, as Flink does. Unlike Flink, each side's cleanup timers keep the bucket's timestamp as their
// namespace (one timer service per side), so removal never recomputes it from the timer's time.
import { WeirError } from '../../messages/errors.ts';
import { MAX_WATERMARK, MIN_WATERMARK } from '../eventtime/watermark.ts';
import type { ProcessJoinContext, ProcessJoinFunction } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import type { OperatorSnapshot, SnapshotContext, TakenOperatorSnapshot } from '../runtime/checkpointing/snapshot.ts';
import { copyRecord } from '../runtime/copy-record.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { HeapInternalTimerService } from '../runtime/time/heap-timer-service.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { MapStateDescriptor } from '../state/descriptors.ts';
import type { HeapMapState } from '../state/heap-collection-states.ts';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import { VOID_NAMESPACE } from '../state/keyed-state-backend.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import type { InspectableKeyedOperator, KeyedInspection } from './keyed-inspection.ts';
import { createKeyedBackend, createTimerService } from './keyed-runtime.ts';
import { type KeyedParts, restoreTimerGroups, snapshotTimerGroups } from './keyed-snapshots.ts';
import { OperatorCollector, SideOutputContext } from './process-context.ts';
import { TwoInputUdfOperator } from './two-input-udf-operator.ts';

export const INTERVAL_JOIN_KIND = 'interval-join';
/** The buffers' state names (Flink's), in the operator's keyed state beside the function's own. */
export const LEFT_BUFFER = 'LEFT_BUFFER';
export const RIGHT_BUFFER = 'RIGHT_BUFFER';

/** What between() and its modifiers declared; checked at declaration (lowerBound <= upperBound, whole ms). */
export interface IntervalJoinSettings {
  readonly lowerBound: number;
  readonly upperBound: number;
  readonly lowerBoundInclusive: boolean;
  readonly upperBoundInclusive: boolean;
  /** OutputTag ids of the late-data side outputs; undefined: late records are dropped. */
  readonly leftLateDataTag: string | undefined;
  readonly rightLateDataTag: string | undefined;
}

/** One input of the join: its buffer, its cleanup timers and where its late records go. */
interface JoinSide<K extends Key> {
  readonly name: 'left' | 'right';
  readonly keySelector: KeySelector;
  readonly buffer: HeapMapState<K, number, unknown[]>;
  readonly cleanup: HeapInternalTimerService<K>;
  readonly late: Output<unknown> | null;
  /** The other side's timestamps that join a record at t: [t + relativeLower, t + relativeUpper]. */
  readonly relativeLower: number;
  readonly relativeUpper: number;
}

class JoinContext extends SideOutputContext implements ProcessJoinContext {
  leftTimestamp = MIN_WATERMARK;
  rightTimestamp = MIN_WATERMARK;

  getLeftTimestamp(): number {
    return this.leftTimestamp;
  }

  getRightTimestamp(): number {
    return this.rightTimestamp;
  }

  getTimestamp(): number {
    return this.timestampOfRecord as number;
  }
}

export class IntervalJoinOperator<K extends Key, A, B, R> extends TwoInputUdfOperator<A, B, ProcessJoinFunction<A, B, R>> implements InspectableKeyedOperator {
  private readonly backend: HeapKeyedStateBackend<K>;
  private readonly left: JoinSide<K>;
  private readonly right: JoinSide<K>;
  private readonly context: JoinContext;
  private readonly collector: OperatorCollector<R>;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<ProcessJoinFunction<A, B, R>>,
    keySelectors: readonly [left: KeySelector, right: KeySelector],
    settings: IntervalJoinSettings,
    output: Output<R>,
  ) {
    super(runtime, factory);
    this.copies = !runtime.objectReuse;
    const lower = settings.lowerBoundInclusive ? settings.lowerBound : settings.lowerBound + 1;
    const upper = settings.upperBoundInclusive ? settings.upperBound : settings.upperBound - 1;
    this.backend = createKeyedBackend<K>(runtime);
    const side = (name: 'left' | 'right', bufferName: string, lateTag: string | undefined, relativeLower: number, relativeUpper: number): JoinSide<K> => {
      const buffer = this.backend.getOrCreateKeyedState(new MapStateDescriptor<number, unknown[]>(bufferName)) as unknown as HeapMapState<K, number, unknown[]>;
      // The timer's namespace is the bucket's timestamp; its key is current when it fires.
      const cleanup = createTimerService(runtime, this.backend, { onEventTime: (timer) => buffer.remove(timer.namespace as number), onProcessingTime: () => {} });
      const late = lateTag === undefined ? null : runtime.sideOutput(lateTag);
      return { name, keySelector: keySelectors[name === 'left' ? 0 : 1], buffer, cleanup, late, relativeLower, relativeUpper };
    };
    this.left = side('left', LEFT_BUFFER, settings.leftLateDataTag, lower, upper);
    this.right = side('right', RIGHT_BUFFER, settings.rightLateDataTag, -upper, -lower);
    this.context = new JoinContext(runtime);
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
  }

  collect(value: A, timestamp: number | undefined): void {
    this.processElement(value, timestamp, this.left, this.right);
  }

  collect2(value: B, timestamp: number | undefined): void {
    this.processElement(value, timestamp, this.right, this.left);
  }

  /** Cleanup first: a bucket the watermark passed is gone before the next record looks for partners. */
  override processWatermark(watermark: number): void {
    this.left.cleanup.advanceWatermark(watermark);
    this.right.cleanup.advanceWatermark(watermark);
    super.processWatermark(watermark);
  }

  override async close(): Promise<void> {
    this.left.cleanup.close();
    this.right.cleanup.close();
    await super.close();
  }

  /** The left side's cleanup timers go per key group with the state; the right side's in `extra` (one timer service each). */
  protected override keyedParts(): KeyedParts {
    return { backend: this.backend as HeapKeyedStateBackend<Key>, timers: this.left.cleanup as unknown as HeapInternalTimerService<Key> };
  }

  override snapshotState(context: SnapshotContext): TakenOperatorSnapshot {
    const rightCleanupTimers = snapshotTimerGroups(this.right.cleanup as unknown as HeapInternalTimerService<Key>);
    return { ...super.snapshotState(context), extra: { rightCleanupTimers } };
  }

  override restoreState(snapshot: OperatorSnapshot): void {
    super.restoreState(snapshot);
    const right = this.right.cleanup as unknown as HeapInternalTimerService<Key>;
    restoreTimerGroups(right, (snapshot.extra as { rightCleanupTimers?: unknown } | undefined)?.rightCleanupTimers, describeOperator(this.descriptor));
    right.restoreWatermark(this.currentWatermark);
  }

  /** Records buffered per side over every key, and cleanup timers pending (for metrics and specs). */
  bufferedRecords(): { readonly left: number; readonly right: number; readonly cleanupTimers: number } {
    return { left: countBuffered(this.left.buffer), right: countBuffered(this.right.buffer), cleanupTimers: this.left.cleanup.eventTimeTimerCount + this.right.cleanup.eventTimeTimerCount };
  }

  inspectKeyed(): KeyedInspection {
    return { backend: this.backend as HeapKeyedStateBackend<Key>, timers: [this.left.cleanup, this.right.cleanup] };
  }

  /** Whether the join function gets copies of buffered records (no object reuse). */
  private readonly copies: boolean;

  private processElement(value: unknown, timestamp: number | undefined, own: JoinSide<K>, other: JoinSide<K>): void {
    this.tracker.current = this.descriptor;
    this.backend.setCurrentKey(own.keySelector(value));
    if (!((timestamp as number) > MIN_WATERMARK && (timestamp as number) < MAX_WATERMARK)) throw this.missingTimestamp(timestamp, own.name);
    const ourTimestamp = timestamp as number;
    if (ourTimestamp < this.currentWatermark) {
      own.late?.collect(value, ourTimestamp);
      return;
    }
    const bucket = own.buffer.get(ourTimestamp);
    if (bucket === undefined) own.buffer.put(ourTimestamp, [value]);
    else bucket.push(value);
    const lowest = ourTimestamp + own.relativeLower;
    const highest = ourTimestamp + own.relativeUpper;
    const isLeft = own === this.left;
    for (const [otherTimestamp, others] of other.buffer.entries()) {
      if (otherTimestamp < lowest || otherTimestamp > highest) continue;
      for (let index = 0; index < others.length; index++) {
        if (isLeft) this.join(value as A, others[index] as B, ourTimestamp, otherTimestamp);
        else this.join(others[index] as A, value as B, otherTimestamp, ourTimestamp);
      }
    }
    own.cleanup.registerEventTimeTimer(ourTimestamp, own.relativeUpper > 0 ? ourTimestamp + own.relativeUpper : ourTimestamp);
  }

  private join(left: A, right: B, leftTimestamp: number, rightTimestamp: number): void {
    const timestamp = leftTimestamp > rightTimestamp ? leftTimestamp : rightTimestamp;
    const context = this.context;
    context.leftTimestamp = leftTimestamp;
    context.rightTimestamp = rightTimestamp;
    context.timestampOfRecord = timestamp;
    this.collector.timestamp = timestamp;
    // Both records stay buffered for later pairs: the function gets copies it may keep or emit.
    const copies = this.copies;
    const returned: unknown = this.udf.processElement(copies ? copyRecord(left) : left, copies ? copyRecord(right) : right, context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement', returned);
  }

  private missingTimestamp(timestamp: number | undefined, side: 'left' | 'right'): WeirError {
    const got = timestamp === undefined || timestamp === MIN_WATERMARK ? 'a record without a timestamp' : `a record with timestamp ${String(timestamp)}`;
    return new WeirError(
      'MISSING_TIMESTAMP',
      `${describeOperator(this.descriptor)} got ${got} on its ${side} input: an interval join works in event time and needs records with timestamps. ` +
        'Assign them with assignTimestampsAndWatermarks(WatermarkStrategy) before keyBy() (or read a source that sets them).',
    );
  }
}

function countBuffered<K extends Key>(buffer: HeapMapState<K, number, unknown[]>): number {
  let count = 0;
  for (const [, buckets] of buffer.table.entries(VOID_NAMESPACE)) for (const bucket of buckets.values()) count += bucket.length;
  return count;
}
