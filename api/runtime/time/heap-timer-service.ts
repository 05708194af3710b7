// An operator's timers on the heap (Flink's InternalTimerServiceImpl over HeapPriorityQueueSet): one
// TimerHeap for event time, one for processing time, each deduplicating (key, namespace, timestamp)
// and keeping its timers per key group of the subtask's range, so a checkpoint writes them key group
// by key group and a restore at another parallelism hands each group to its new owner.
//
// How the runtime uses it: a keyed operator with timers (KeyedProcessOperator, WindowOperator) makes
// one at open with its keyed state backend as the key context, the task's ProcessingTimeService and
// itself as the Triggerable; it gives user functions `userTimerService(service)` (or uses the
// namespaced methods itself); on each watermark that reaches it, it calls advanceWatermark(wm) before
// forwarding the watermark; at checkpoints snapshotKeyGroup(g) for each group of its range; on
// restore restoreKeyGroup(s) for each group it now owns; close() at the end.
//
// Firing, as in Flink: advanceWatermark(wm) fires every event-time timer with timestamp <= wm in
// timestamp order (ties in registration order), making each timer's key current first; a timer
// registered while firing at or below wm fires in the same call. Processing-time timers keep one
// registration on the ProcessingTimeService, for the earliest timer; when it calls back, every timer
// due by then fires in order, and one registration is made for the next. Deleting a processing-time
// timer leaves the registration: the callback then finds nothing due and registers for the next.
//
// Threading: none; the operator's task turn only (processing-time callbacks arrive as mail).
import { WeirError } from '../../../messages/errors.ts';
import { describeValue } from '../../eventtime/describe-value.ts';
import { MIN_WATERMARK } from '../../eventtime/watermark.ts';
import type { Key, KeyGroupRange } from '../key-groups.ts';
import type { KeyGroupGuard } from '../../state/key-group-guard.ts';
import type { KeyedStateBackend, Namespace } from '../../state/keyed-state-backend.ts';
import { TimerHeap } from './timer-heap.ts';
import type { Cancellable, InternalTimer, InternalTimerService, ProcessingTimeService, Triggerable } from './timer-service.ts';

/** What the timer service needs of the keyed state backend. */
export type TimerKeyContext<K extends Key> = Pick<KeyedStateBackend<K>, 'setCurrentKey' | 'getCurrentKey' | 'getCurrentKeyGroup'>;

/** A timer as a snapshot writes it: plain, msgpack-encodable. */
export type TimerTriple = readonly [key: Key, namespace: Namespace, timestamp: number];

/** One key group of one operator's timers, in firing order. */
export interface TimerKeyGroupSnapshot {
  readonly keyGroup: number;
  readonly eventTimeTimers: readonly TimerTriple[];
  readonly processingTimeTimers: readonly TimerTriple[];
}

export interface HeapTimerServiceOptions<K extends Key> {
  /** The key groups of this subtask. */
  readonly range: KeyGroupRange;
  readonly keyContext: TimerKeyContext<K>;
  readonly processingTimeService: ProcessingTimeService;
  readonly triggerable: Triggerable<K>;
  /** How errors name the operator, e.g. `operator "Alerts" (id "process-2")`. */
  readonly operator: string;
}

export class HeapInternalTimerService<K extends Key> implements InternalTimerService {
  private readonly eventTimeTimers: TimerHeap<K>;
  private readonly processingTimeTimers: TimerHeap<K>;
  private readonly keyContext: TimerKeyContext<K>;
  private readonly processingTimeService: ProcessingTimeService;
  private readonly triggerable: Triggerable<K>;
  private readonly operator: string;
  private watermark = MIN_WATERMARK;
  /** The one registration on the processing-time service, for the earliest timer; undefined when none. */
  private nextProcessingTimer: Cancellable | undefined = undefined;
  /** Bound once, so that a registration allocates no closure. */
  private readonly onProcessingTime = (time: number): void => this.fireProcessingTimers(time);

  constructor(options: HeapTimerServiceOptions<K>) {
    this.eventTimeTimers = new TimerHeap<K>(options.range);
    this.processingTimeTimers = new TimerHeap<K>(options.range);
    this.keyContext = options.keyContext;
    this.processingTimeService = options.processingTimeService;
    this.triggerable = options.triggerable;
    this.operator = options.operator;
  }

  currentProcessingTime(): number {
    return this.processingTimeService.getCurrentProcessingTime();
  }

  currentWatermark(): number {
    return this.watermark;
  }

  /** Timers waiting, for metrics and specs. */
  get eventTimeTimerCount(): number {
    return this.eventTimeTimers.size;
  }

  get processingTimeTimerCount(): number {
    return this.processingTimeTimers.size;
  }

  registerEventTimeTimer(namespace: Namespace, timestamp: number): void {
    checkTimestamp(this.operator, 'registerEventTimeTimer', timestamp);
    this.eventTimeTimers.add(this.keyContext.getCurrentKey(), namespace, timestamp, this.currentKeyGroup('registerEventTimeTimer'));
  }

  deleteEventTimeTimer(namespace: Namespace, timestamp: number): void {
    this.eventTimeTimers.remove(this.keyContext.getCurrentKey(), namespace, timestamp, this.currentKeyGroup('deleteEventTimeTimer'));
  }

  registerProcessingTimeTimer(namespace: Namespace, timestamp: number): void {
    checkTimestamp(this.operator, 'registerProcessingTimeTimer', timestamp);
    this.addProcessingTimer(this.keyContext.getCurrentKey(), namespace, timestamp, this.currentKeyGroup('registerProcessingTimeTimer'));
  }

  deleteProcessingTimeTimer(namespace: Namespace, timestamp: number): void {
    this.processingTimeTimers.remove(this.keyContext.getCurrentKey(), namespace, timestamp, this.currentKeyGroup('deleteProcessingTimeTimer'));
  }

  /** Fires, in order, every event-time timer at or before `watermark` (the operator's new watermark). */
  advanceWatermark(watermark: number): void {
    this.watermark = watermark;
    this.fireDue(this.eventTimeTimers, watermark, true);
  }

  /**
   * Restore: the operator's watermark from the snapshot, without firing anything (every timer at or
   * below it had fired before the snapshot; one registered at or below it since fires at the next).
   */
  restoreWatermark(watermark: number): void {
    this.watermark = watermark;
  }

  /** The key groups this service keeps timers for. */
  get range(): KeyGroupRange {
    return this.eventTimeTimers.range;
  }

  snapshotKeyGroup(keyGroup: number): TimerKeyGroupSnapshot {
    this.checkOwned(keyGroup, 'snapshotKeyGroup');
    const triples = (heap: TimerHeap<K>): TimerTriple[] => heap.timersOfKeyGroup(keyGroup).map((timer) => [timer.key, timer.namespace, timer.timestamp] as const);
    return { keyGroup, eventTimeTimers: triples(this.eventTimeTimers), processingTimeTimers: triples(this.processingTimeTimers) };
  }

  /** Asynchronous snapshots: both heaps ask `guard` (the keyed state backend's, same range) before a held key group's timers change. */
  guardWith(guard: KeyGroupGuard): void {
    guard.watch(this.eventTimeTimers);
    guard.watch(this.processingTimeTimers);
  }

  /** Adds a snapshot's timers (a group this subtask owns now); processing-time ones are scheduled. */
  restoreKeyGroup(snapshot: TimerKeyGroupSnapshot): void {
    const { keyGroup } = snapshot;
    this.checkOwned(keyGroup, 'restoreKeyGroup');
    for (const [key, namespace, timestamp] of snapshot.eventTimeTimers) this.eventTimeTimers.add(key as K, namespace, timestamp, keyGroup);
    for (const [key, namespace, timestamp] of snapshot.processingTimeTimers) this.addProcessingTimer(key as K, namespace, timestamp, keyGroup);
  }

  /** Cancels the processing-time registration; timers stay (they are state). */
  close(): void {
    this.nextProcessingTimer?.cancel();
    this.nextProcessingTimer = undefined;
  }

  private addProcessingTimer(key: K, namespace: Namespace, timestamp: number, keyGroup: number): void {
    const timers = this.processingTimeTimers;
    const oldHead = timers.peek();
    if (!timers.add(key, namespace, timestamp, keyGroup)) return;
    // Register again only for a new earliest timer; a later one is found when the earlier fires.
    if (oldHead === undefined || timestamp < oldHead.timestamp) {
      this.nextProcessingTimer?.cancel();
      this.nextProcessingTimer = this.processingTimeService.registerTimer(timestamp, this.onProcessingTime);
    }
  }

  /** BATCH at the end of input: every processing-time timer fires now, in order (Flink's batch timers). */
  fireAllProcessingTimers(): void {
    this.nextProcessingTimer?.cancel();
    this.fireProcessingTimers(Number.POSITIVE_INFINITY);
  }

  private fireProcessingTimers(time: number): void {
    this.nextProcessingTimer = undefined;
    const next = this.fireDue(this.processingTimeTimers, time, false);
    if (next !== undefined && this.nextProcessingTimer === undefined) {
      this.nextProcessingTimer = this.processingTimeService.registerTimer(next.timestamp, this.onProcessingTime);
    }
  }

  /**
   * Fires every timer at or before `time`, in order, its key current; re-reads the head after each,
   * so a timer registered while firing fires too when due. Returns the first timer not due.
   */
  private fireDue(timers: TimerHeap<K>, time: number, eventTime: boolean): InternalTimer<K> | undefined {
    let timer = timers.peek();
    while (timer !== undefined && timer.timestamp <= time) {
      this.keyContext.setCurrentKey(timer.key);
      timers.poll();
      if (eventTime) this.triggerable.onEventTime(timer);
      else this.triggerable.onProcessingTime(timer);
      timer = timers.peek();
    }
    return timer;
  }

  /** The current key's group; fails naming the method when no key is current. */
  private currentKeyGroup(method: string): number {
    const keyGroup = this.keyContext.getCurrentKeyGroup();
    const { start, end } = this.eventTimeTimers.range;
    if (!(keyGroup >= start && keyGroup <= end)) {
      throw new WeirError('INVALID_KEY', `${this.operator}: ${method}() needs a current key (timers are per key: use it while processing a keyed record or in onTimer)`);
    }
    return keyGroup;
  }

  private checkOwned(keyGroup: number, method: string): void {
    const { start, end } = this.eventTimeTimers.range;
    if (!(keyGroup >= start && keyGroup <= end)) {
      throw new WeirError('ILLEGAL_SUBTASK_STATE', `${this.operator}: ${method}(${keyGroup}): key group ${keyGroup} is not in this subtask's range ${start}..${end}`);
    }
  }
}

function checkTimestamp(operator: string, method: string, timestamp: number): void {
  if (typeof timestamp !== 'number' || Number.isNaN(timestamp)) {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: ${method}() needs a timestamp in ms, got ${describeValue(timestamp)}`);
  }
}
