// The message trace hook. Every envelope, local or remote, passes `TraceHub.emit`; callers check
// `active` first, so with no subscriber tracing costs one boolean read per message.
import { Observable, type Subscriber } from 'rxjs';

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
}

export interface TraceFilter {
  /** Only these message types. */
  readonly types?: readonly string[];
  /** Only events whose sender or recipient path contains this text. */
  readonly path?: string;
}

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
    typeof event.system === 'string'
  );
}

export function matchesTraceFilter(event: TraceEvent, filter: TraceFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.types && filter.types.length > 0 && !filter.types.includes(event.type)) return false;
  if (filter.path && !event.to.includes(filter.path) && !(event.from ?? '').includes(filter.path)) return false;
  return true;
}

export class TraceHub {
  /** True while anyone subscribes; read on every tell. */
  active = false;
  private readonly subscribers = new Set<Subscriber<TraceEvent>>();

  readonly trace$ = new Observable<TraceEvent>((subscriber) => {
    this.subscribers.add(subscriber);
    this.active = true;
    return () => {
      this.subscribers.delete(subscriber);
      this.active = this.subscribers.size > 0;
    };
  });

  emit(event: TraceEvent): void {
    for (const subscriber of this.subscribers) subscriber.next(event);
  }

  complete(): void {
    for (const subscriber of this.subscribers) subscriber.complete();
    this.subscribers.clear();
    this.active = false;
  }
}
