// The message trace hook. Every envelope, local or remote, passes `TraceHub.emit`; callers check
// `active` first, so with no subscriber tracing costs one boolean read per message.
//
// Two ways to watch: `trace$` hands every raw event over synchronously (in-process tools that keep
// up); `items$` and the remote relay go through a TraceTap: filtered here, bounded, summarised when
// taken, with a `dropped` item for what did not fit. A task's per-step self-messages are not listed
// one by one: they are counted (`aggregate`) and reported once per actor per AGGREGATE_PERIOD_MS.
import { Observable, type Subscriber } from 'rxjs';
import { type Cancellable, type Scheduler, realScheduler } from './scheduler.ts';
import { type TraceFilter, compileTraceFilter } from './trace-filter.ts';
import { MAX_BUFFERED_TRACE_EVENTS, TraceTap } from './trace-tap.ts';

export { type TraceFilter, compileTraceFilter, matchesTraceFilter } from './trace-filter.ts';

export interface TraceEvent {
  /** Milliseconds since the epoch, from the system's scheduler. */
  readonly at: number;
  /** Path of the sending actor, when the message was sent from inside one. */
  readonly from?: string;
  readonly to: string;
  /** The message's `type` tag (or its JS type). */
  readonly type: string;
  /** Encoded size, for messages that crossed (or will cross) the wire. */
  readonly bytes?: number;
  readonly remote: boolean;
  /** 'local' inside one system, 'out' when sent to another system, 'in' when received from one. */
  readonly direction: 'local' | 'out' | 'in';
  /** The system that observed the event. */
  readonly system: string;
  /** The job the message is about (items$ and remote traces; see jobIdOf). */
  readonly jobId?: string;
  /** A bounded summary of the payload (items$ and remote traces; see summarizePayload). */
  readonly summary?: unknown;
  /** On a summary event: it stands for `count` self-messages of this type handled in `totalMs` over `periodMs`. */
  readonly aggregate?: TraceAggregate;
}

export interface TraceAggregate {
  readonly count: number;
  readonly totalMs: number;
  readonly periodMs: number;
}

/** What a bounded trace subscription delivers: events, and how many the traced side shed. */
export type TraceItem = { readonly kind: 'event'; readonly event: TraceEvent } | { readonly kind: 'dropped'; readonly system: string; readonly count: number };

/**
 * Marks a message an actor sends itself for every step of its work (a task's Step): the hub does
 * not list it; the actor reports it through `aggregate` instead.
 */
export const TRACE_AGGREGATED: unique symbol = Symbol('weir.trace.aggregated');

/** How often aggregated self-messages are reported, per actor and type. */
export const AGGREGATE_PERIOD_MS = 1_000;
/** The longest a local items$ event waits before it is delivered. */
export const LOCAL_TRACE_FLUSH_MS = 20;

const DIRECTIONS: ReadonlySet<unknown> = new Set(['local', 'out', 'in']);

/** True when `value` has a trace event's shape: what a peer's TraceEvents frame must carry. */
export function isTraceEvent(value: unknown): value is TraceEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<Record<keyof TraceEvent, unknown>>;
  return (
    typeof event.at === 'number' &&
    (event.from === undefined || typeof event.from === 'string') &&
    typeof event.to === 'string' &&
    typeof event.type === 'string' &&
    (event.bytes === undefined || typeof event.bytes === 'number') &&
    typeof event.remote === 'boolean' &&
    DIRECTIONS.has(event.direction) &&
    typeof event.system === 'string' &&
    (event.jobId === undefined || typeof event.jobId === 'string') &&
    (event.aggregate === undefined || isAggregate(event.aggregate))
  );
}

function isAggregate(value: unknown): value is TraceAggregate {
  const aggregate = value as Partial<Record<keyof TraceAggregate, unknown>> | null;
  return typeof aggregate === 'object' && aggregate !== null && typeof aggregate.count === 'number' && typeof aggregate.totalMs === 'number' && typeof aggregate.periodMs === 'number';
}

/** `msg`, marked TRACE_AGGREGATED. */
export function markAggregated<M extends object>(msg: M): M {
  return Object.assign(msg, { [TRACE_AGGREGATED]: true });
}

/** True for a message marked TRACE_AGGREGATED. Read only while tracing is active. */
export function isAggregated(msg: unknown): boolean {
  return typeof msg === 'object' && msg !== null && (msg as { [TRACE_AGGREGATED]?: unknown })[TRACE_AGGREGATED] === true;
}

interface TapEntry {
  readonly tap: TraceTap;
  readonly fail: (error: unknown) => void;
}

export class TraceHub {
  /** True while anyone subscribes; read on every tell. */
  active = false;
  private readonly subscribers = new Set<Subscriber<TraceEvent>>();
  private readonly taps = new Set<TapEntry>();
  /** Actors that work for one job (tasks), by path: their messages carry that job id. */
  private readonly actorJobs = new Map<string, string>();
  /** Aggregated self-messages of this period, by path and type. */
  private aggregates = new Map<string, { path: string; type: string; jobId: string | undefined; count: number; totalMs: number }>();
  private aggregateTimer: Cancellable | undefined;

  constructor(
    private readonly systemName = 'local',
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  readonly trace$ = new Observable<TraceEvent>((subscriber) => {
    this.subscribers.add(subscriber);
    this.active = true;
    return () => {
      this.subscribers.delete(subscriber);
      this.updateActive();
    };
  });

  /**
   * The trace filtered here, delivered every LOCAL_TRACE_FLUSH_MS with job ids and payload
   * summaries; at most `capacity` events wait, the rest become `dropped` items.
   */
  items$(filter?: TraceFilter, capacity: number = MAX_BUFFERED_TRACE_EVENTS): Observable<TraceItem> {
    return new Observable<TraceItem>((subscriber) => {
      let timer: Cancellable | undefined;
      const drain = (): void => {
        timer = undefined;
        const dropped = tap.takeDropped();
        for (const event of tap.take(tap.pending)) subscriber.next({ kind: 'event', event });
        if (dropped > 0) subscriber.next({ kind: 'dropped', system: this.systemName, count: dropped });
      };
      const tap = this.openTap(filter, () => (timer ??= this.scheduler.schedule(LOCAL_TRACE_FLUSH_MS, drain)), (error) => subscriber.error(error), capacity);
      return () => {
        timer?.cancel();
        this.closeTap(tap);
      };
    });
  }

  /**
   * A bounded subscription the caller drains itself (the remote relay). `onPending` is called when
   * it has something to take; `fail` when it ended because its filter threw. Throws when the filter
   * does not compile.
   */
  openTap(filter: TraceFilter | undefined, onPending: () => void, fail: (error: unknown) => void, capacity: number = MAX_BUFFERED_TRACE_EVENTS): TraceTap {
    const tap = new TraceTap(compileTraceFilter(filter), this.actorJobs, onPending, capacity);
    this.taps.add({ tap, fail });
    this.active = true;
    return tap;
  }

  closeTap(tap: TraceTap): void {
    for (const entry of this.taps) if (entry.tap === tap) this.taps.delete(entry);
    tap.clear();
    this.updateActive();
  }

  /** `msg` is what was sent: taps read its job id and summary from it, only for events they keep. */
  emit(event: TraceEvent, msg?: unknown): void {
    for (const subscriber of this.subscribers) subscriber.next(event);
    for (const entry of this.taps) {
      try {
        entry.tap.offer(event, msg);
      } catch (error) {
        // A tap that throws (its filter) ends alone; the tell that traced goes on.
        this.closeTap(entry.tap);
        entry.fail(error);
      }
    }
  }

  /** The actor at `path` works for `jobId` until forgotten (a task: its Step, CancelTask... carry no job id). */
  setActorJob(path: string, jobId: string): void {
    this.actorJobs.set(path, jobId);
  }

  forgetActorJob(path: string): void {
    this.actorJobs.delete(path);
  }

  /** One handled TRACE_AGGREGATED self-message of `type` at `path`, which took `durationMs`. Call only while active. */
  aggregate(path: string, type: string, durationMs: number): void {
    const key = `${type} ${path}`;
    const entry = this.aggregates.get(key);
    if (entry) {
      entry.count++;
      entry.totalMs += durationMs;
    } else this.aggregates.set(key, { path, type, jobId: this.actorJobs.get(path), count: 1, totalMs: durationMs }); // the job now: the actor may be gone at the report
    this.aggregateTimer ??= this.scheduler.schedule(AGGREGATE_PERIOD_MS, () => this.reportAggregates());
  }

  complete(): void {
    for (const subscriber of this.subscribers) subscriber.complete();
    this.subscribers.clear();
    for (const entry of this.taps) entry.tap.clear();
    this.taps.clear();
    this.aggregateTimer?.cancel();
    this.aggregateTimer = undefined;
    this.aggregates.clear();
    this.active = false;
  }

  private reportAggregates(): void {
    this.aggregateTimer = undefined;
    const aggregates = this.aggregates;
    this.aggregates = new Map();
    if (!this.active) return;
    const at = this.scheduler.now();
    for (const { path, type, jobId, count, totalMs } of aggregates.values()) {
      const aggregate = { count, totalMs: Math.round(totalMs * 1000) / 1000, periodMs: AGGREGATE_PERIOD_MS };
      this.emit({ at, from: path, to: path, type, remote: false, direction: 'local', system: this.systemName, ...(jobId !== undefined ? { jobId } : {}), aggregate });
    }
  }

  private updateActive(): void {
    this.active = this.subscribers.size > 0 || this.taps.size > 0;
  }
}
