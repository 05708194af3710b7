// The operator behind mapAsync, flatMapAsync and filterAsync (Flink's AsyncWaitOperator): its user
// function may return a promise. Up to `capacity` records are held at once, each a call in flight or
// a result waiting for an earlier one; results leave in input order, or, with a key selector, in
// each key's input order (different keys overtake each other). Records are never reordered within
// a key.
//
// Threading: collect() and every emission run on the task's turn. A call's completion runs between
// steps, when downstream operators and the tracker must not be used: its handler only marks the
// entry settled, lists it in `completed` and wakes the subtask; the next step's emitCompleted() emits
// (emitFinal() too while draining). The timeout timer only sets `failure` and wakes the subtask.
// Watermarks and status (Flink's ordered and unordered stream element queues): an event never
// overtakes a record that arrived before it. Records are grouped in segments, one per interval
// between two events; an entry may leave only while its segment is the oldest open one, and a
// segment's closing event goes downstream once every record of it has left. A job without events has
// one segment for good: a counter per record.
// Lifecycle: as ChainOperator; once closed (after a finish, a failure or a cancel), calls still
// pending are abandoned: their settlements change nothing.
// Invariants: held <= capacity; every queue's first entry is pending or listed in `completed`; a
// record waits in `waiting` only while the operator is full; no record is called before an earlier one.
import { WeirError } from '../../messages/errors.ts';
import type { WatermarkStatus } from '../eventtime/watermark.ts';
import type { RichFunction } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import type { OperatorSnapshot, SnapshotContext, TakenOperatorSnapshot } from '../runtime/checkpointing/snapshot.ts';
import { type OperatorRuntime, type Output, describeOperator, userFunctionError } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { CompletionSignal, SETTLED, isThenable } from './async-completion.ts';
import type { AsyncSettings } from './async-options.ts';
import { UdfOperator } from './udf-operator.ts';

/** What an operator sees between records: a watermark or a watermark status (barriers never reach operators). */
type TimeEvent = number | WatermarkStatus;

/** One record held by the operator: its call in flight, or its result waiting for an earlier record of its key. */
interface Entry {
  /**
   * The input record, kept while the entry is held: a checkpoint writes the inputs of the entries
   * held (and the records in `waiting`), to call them again after a restore, as Flink's
   * AsyncWaitOperator does.
   */
  readonly value: unknown;
  /** The record's place in the input (ascending): a snapshot lists the held records in input order. */
  readonly sequence: number;
  /** The input record's event timestamp: what its results carry. */
  readonly timestamp: number | undefined;
  readonly key: unknown;
  /** The interval between two events the record arrived in. */
  readonly segment: Segment;
  pending: boolean;
  /** What the call returned (resolved to), once not pending. */
  result: unknown;
  /** When a pending call times out (Date.now() ms); 0 without a timeout. */
  readonly deadline: number;
}

/** Records that arrived between two events; `event` (set when the segment closes) follows them downstream. */
interface Segment {
  /** Records of the segment not emitted yet (held or waiting). */
  count: number;
  event: TimeEvent | null;
}

/**
 * What a snapshot keeps of an async operator (its `extra`): the records it held, not emitted yet, and
 * the events between them, in input order. A restore processes them again before any new input.
 */
export interface AsyncWaitSnapshot {
  /** ['record', value, timestamp] or ['event', watermark or status]. */
  readonly elements: readonly (readonly ['record', unknown, number | null] | readonly ['event', TimeEvent])[];
}

/** The key of every record when results leave in input order: then there is one queue. */
const INPUT_ORDER = Symbol('input order');

/** T in, R out, calling a user function of type F (see async-map.ts, async-flat-map.ts, async-filter.ts). */
export abstract class AsyncWaitOperator<T, R, F extends RichFunction> extends UdfOperator<T, F> {
  private readonly capacity: number;
  private readonly timeoutMs: number;
  private readonly keySelector: KeySelector | null;
  /** The entries held, per key (one queue under INPUT_ORDER without a key selector), each queue in input order. */
  private readonly queues = new Map<unknown, Entry[]>();
  /** Entries in `queues`. */
  private held = 0;
  /** Entries whose call is pending. */
  private inFlight = 0;
  /** Records that arrived while the operator was full, in input order, not called yet (at most about one step's records). */
  private waiting: T[] = [];
  /** The timestamps and segments of `waiting`, index by index. */
  private waitingTimestamps: (number | undefined)[] = [];
  private waitingSegments: Segment[] = [];
  /** Open segments, oldest first; the last one takes arriving records. Never empty. */
  private readonly segments: Segment[] = [{ count: 0, event: null }];
  /** Settled queue heads that could not leave because their segment was not the oldest. */
  private deferred: Entry[] = [];
  /** Entries whose call settled since the last emitCompleted(), in completion order; the completion handlers append. */
  private readonly completed: Entry[] = [];
  /** The first rejection or timeout; set by a completion handler or the timer, thrown on the task's turn. */
  private failure: WeirError | null = null;
  private readonly signal = new CompletionSignal();
  /** The one timeout timer, due at the earliest deadline it knew of; null when unarmed. */
  private timer: NodeJS.Timeout | null = null;
  private inputEnded = false;
  private closed = false;
  /** The next record's `sequence`. */
  private nextSequence = 0;
  /** What restoreState() read, processed again by open(); null once done (or on a fresh start). */
  private restoredElements: AsyncWaitSnapshot['elements'] | null = null;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<F>,
    protected readonly output: Output<R>,
    settings: AsyncSettings,
  ) {
    super(runtime, factory);
    this.capacity = settings.capacity;
    this.timeoutMs = settings.timeoutMs;
    this.keySelector = settings.keySelector;
  }

  /** Calls the user function on `value`: its result, or a promise of it. */
  protected abstract call(value: T): unknown;

  /** Emits what the call for `value` resulted in, carrying `timestamp` (on the task's turn; may run user code, e.g. a generator). */
  protected abstract emit(value: T, result: unknown, timestamp: number | undefined): void;

  /** The records held and the events between them, in input order (see AsyncWaitSnapshot). */
  override snapshotState(context: SnapshotContext): TakenOperatorSnapshot {
    const elements: AsyncWaitSnapshot['elements'][number][] = [];
    const held: Entry[] = [];
    for (const queue of this.queues.values()) held.push(...queue);
    held.sort((a, b) => a.sequence - b.sequence);
    let next = 0;
    for (const segment of this.segments) {
      for (; next < held.length && held[next].segment === segment; next++) elements.push(['record', held[next].value, held[next].timestamp ?? null]);
      for (let index = 0; index < this.waiting.length; index++) {
        if (this.waitingSegments[index] === segment) elements.push(['record', this.waiting[index], this.waitingTimestamps[index] ?? null]);
      }
      if (segment.event !== null) elements.push(['event', segment.event]);
    }
    const extra: AsyncWaitSnapshot = { elements };
    return { ...super.snapshotState(context), extra };
  }

  /** Keeps the held records for open(), which processes them again once the function is open. */
  override restoreState(snapshot: OperatorSnapshot): void {
    super.restoreState(snapshot);
    const elements = (snapshot.extra as Partial<AsyncWaitSnapshot> | undefined)?.elements;
    if (elements === undefined) return;
    const valid = Array.isArray(elements) && elements.every((element) => Array.isArray(element) && (element[0] === 'record' ? element.length === 3 : element[0] === 'event' && element.length === 2));
    if (!valid) throw new WeirError('STATE_RESTORE_FAILED', `${describeOperator(this.descriptor)}: the snapshot's held records are not ['record', value, timestamp] or ['event', event] elements`);
    this.restoredElements = elements;
  }

  /** After the function opened: the records held at the snapshot are called again, in order (Flink's AsyncWaitOperator). */
  override async open(): Promise<void> {
    await super.open();
    const restored = this.restoredElements;
    this.restoredElements = null;
    if (restored === null) return;
    for (const element of restored) {
      if (element[0] === 'record') this.collect(element[1] as T, element[2] ?? undefined);
      else this.event(element[1]);
    }
  }

  collect(value: T, timestamp: number | undefined): void {
    const segment = this.segments[this.segments.length - 1];
    segment.count++;
    if (this.held < this.capacity && this.waiting.length === 0) this.start(value, timestamp, segment);
    else {
      this.waiting.push(value);
      this.waitingTimestamps.push(timestamp);
      this.waitingSegments.push(segment);
    }
  }

  override processWatermark(watermark: number): void {
    this.event(watermark);
  }

  override processWatermarkStatus(status: WatermarkStatus): void {
    this.event(status);
  }

  override emitCompleted(): Promise<void> | null {
    if (this.failure !== null) throw this.failure;
    if (this.completed.length > 0) this.emitReady();
    if (this.waiting.length === 0) return null;
    this.startWaiting();
    // Still full: no input until a call completes (its queue's head is pending, so one will).
    return this.waiting.length > 0 ? this.signal.wait() : null;
  }

  override whenCompleted(): Promise<void> | null {
    if (this.failure !== null || this.completed.length > 0) return SETTLED;
    return this.inFlight > 0 ? this.signal.wait() : null;
  }

  /** Full, or draining with entries held: the next step waits for a completion. */
  override afterStep(): Promise<void> | null {
    if (this.held === 0) return null;
    return this.held >= this.capacity || this.inputEnded ? this.whenCompleted() : null;
  }

  override emitFinal(): boolean {
    this.inputEnded = true;
    this.emitCompleted();
    return this.held === 0 && this.waiting.length === 0;
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queues.clear();
    this.waiting = [];
    this.waitingTimestamps = [];
    this.waitingSegments = [];
    this.deferred = [];
    this.completed.length = 0;
    this.signal.notify();
    await super.close();
  }

  /** An event goes downstream at once when no record before it is held, else when the last of them has left. */
  private event(event: TimeEvent): void {
    const segments = this.segments;
    const open = segments[segments.length - 1];
    if (segments.length === 1 && open.count === 0) {
      this.forward(event);
      return;
    }
    open.event = event;
    segments.push({ count: 0, event: null });
  }

  private forward(event: TimeEvent): void {
    if (typeof event === 'number') super.processWatermark(event);
    else super.processWatermarkStatus(event);
  }

  /** A record of `segment` left; closes the oldest segments that are done, sending their events on. */
  private left(segment: Segment): void {
    segment.count--;
    const segments = this.segments;
    while (segments.length > 1 && segments[0].count === 0) {
      const done = segments.shift() as Segment;
      this.forward(done.event as TimeEvent);
    }
  }

  /** Calls the user function on `value`; a plain result with nothing of its key held leaves at once. */
  private start(value: T, timestamp: number | undefined, segment: Segment): void {
    this.tracker.current = this.descriptor;
    const key = this.keySelector === null ? INPUT_ORDER : this.keySelector(value);
    const result = this.call(value);
    const queue = this.held === 0 ? undefined : this.queues.get(key);
    if (!isThenable(result)) {
      if (queue === undefined && segment === this.segments[0]) {
        this.emit(value, result, timestamp);
        this.left(segment);
      } else {
        this.hold(queue, key, { value, sequence: this.nextSequence++, timestamp, key, segment, pending: false, result, deadline: 0 });
        if (queue === undefined) this.completed.push(this.queues.get(key)?.[0] as Entry);
      }
      return;
    }
    const entry: Entry = { value, sequence: this.nextSequence++, timestamp, key, segment, pending: true, result: undefined, deadline: this.timeoutMs > 0 ? Date.now() + this.timeoutMs : 0 };
    this.hold(queue, key, entry);
    this.inFlight++;
    result.then(
      (resolved) => this.settled(entry, resolved),
      (error: unknown) => this.rejected(entry, error),
    );
    if (this.timeoutMs > 0 && this.timer === null) this.timer = setTimeout(() => this.checkTimeouts(), this.timeoutMs);
  }

  private hold(queue: Entry[] | undefined, key: unknown, entry: Entry): void {
    if (queue === undefined) this.queues.set(key, [entry]);
    else queue.push(entry);
    this.held++;
  }

  /**
   * Emits, per completed entry, its queue's settled head entries, up to the next pending one or the
   * first of a younger segment (deferred until the segments before it are done).
   */
  private emitReady(): void {
    let work = this.completed;
    while (work.length > 0) {
      const progressBefore = this.segments.length;
      for (let index = 0; index < work.length; index++) {
        const key = work[index].key;
        const queue = this.queues.get(key);
        // Not its queue's head: an earlier entry is pending, and emits this one when it completes.
        if (queue === undefined || queue[0] !== work[index]) continue;
        while (queue.length > 0 && !queue[0].pending) {
          const entry = queue[0];
          if (entry.segment !== this.segments[0]) {
            this.deferred.push(entry);
            break;
          }
          queue.shift();
          this.held--;
          this.emit(entry.value as T, entry.result, entry.timestamp);
          this.left(entry.segment);
        }
        if (queue.length === 0) this.queues.delete(key);
      }
      work.length = 0;
      // A segment closed: heads deferred for it may leave now.
      if (this.segments.length === progressBefore || this.deferred.length === 0) break;
      work = this.deferred;
      this.deferred = [];
    }
  }

  private startWaiting(): void {
    const waiting = this.waiting;
    let started = 0;
    while (started < waiting.length && this.held < this.capacity) {
      this.start(waiting[started], this.waitingTimestamps[started], this.waitingSegments[started]);
      started++;
    }
    waiting.splice(0, started);
    this.waitingTimestamps.splice(0, started);
    this.waitingSegments.splice(0, started);
  }

  private settled(entry: Entry, result: unknown): void {
    if (this.closed || !entry.pending) return;
    entry.pending = false;
    entry.result = result;
    this.inFlight--;
    this.completed.push(entry);
    this.signal.notify();
  }

  private rejected(entry: Entry, error: unknown): void {
    if (this.closed || !entry.pending) return;
    entry.pending = false;
    this.inFlight--;
    this.failure ??= userFunctionError(this.descriptor, 'failed on a record', error);
    this.signal.notify();
  }

  /** The timer: fails the operator if a pending call is past its deadline, else waits for the earliest one. */
  private checkTimeouts(): void {
    this.timer = null;
    if (this.closed || this.failure !== null) return;
    const now = Date.now();
    let earliest = Infinity;
    for (const queue of this.queues.values()) {
      for (const entry of queue) {
        if (!entry.pending) continue;
        if (entry.deadline <= now) {
          this.failure = new WeirError('USER_FUNCTION_FAILED', `${describeOperator(this.descriptor)} timed out: a call did not settle within ${this.timeoutMs} ms (timeoutMs)`);
          this.signal.notify();
          return;
        }
        earliest = Math.min(earliest, entry.deadline);
      }
    }
    if (earliest !== Infinity) this.timer = setTimeout(() => this.checkTimeouts(), earliest - now);
  }
}
