// One bounded trace subscription on the traced side: the events its filter lets through wait here
// until the consumer takes them (a timer, a link with room); past `capacity` they are counted and
// dropped, and the count reaches the subscriber. The job id and the payload summary are made when an
// event is taken, so what is dropped costs a filter check and a counter.
//
// Threading: offer() runs inside tell() (the hub's emit); take() in the consumer's timer. Both on the
// event loop, never at once.
import { jobIdOf, summarizePayload } from './trace-payload.ts';
import type { TraceMatcher } from './trace-filter.ts';
import type { TraceEvent } from './trace.ts';

/** Events one subscription holds at most on the traced side; more are dropped and counted. */
export const MAX_BUFFERED_TRACE_EVENTS = 1024;

export class TraceTap {
  /** Parallel arrays: the event and the message it describes (kept for the summary). */
  private events: TraceEvent[] = [];
  private messages: unknown[] = [];
  private droppedSinceTaken = 0;
  private droppedTotal = 0;

  constructor(
    private readonly matches: TraceMatcher,
    private readonly actorJobs: ReadonlyMap<string, string>,
    /** Called when the tap goes from nothing to tell to something: the consumer schedules a take. */
    private readonly onPending: () => void,
    readonly capacity: number = MAX_BUFFERED_TRACE_EVENTS,
  ) {}

  /** Events waiting to be taken. */
  get pending(): number {
    return this.events.length;
  }

  /** True when events were dropped since the last takeDropped. */
  get hasDropped(): boolean {
    return this.droppedSinceTaken > 0;
  }

  /** Everything this tap dropped since it started. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** A traced message; `msg` is what was sent (undefined for a summary event). May throw (the filter): the hub ends the tap. */
  offer(event: TraceEvent, msg: unknown): void {
    if (!this.matches(event, () => event.jobId ?? jobIdOf(msg, event.to, event.from, this.actorJobs))) return;
    const wasIdle = this.events.length === 0 && this.droppedSinceTaken === 0;
    if (this.events.length >= this.capacity) {
      this.droppedSinceTaken++;
      this.droppedTotal++;
    } else {
      this.events.push(event);
      this.messages.push(msg);
    }
    if (wasIdle) this.onPending();
  }

  /** Up to `max` of the oldest events, each with its job id and payload summary. */
  take(max: number): TraceEvent[] {
    const count = Math.min(max, this.events.length);
    const taken: TraceEvent[] = new Array(count);
    for (let index = 0; index < count; index++) {
      const event = this.events[index];
      const msg = this.messages[index];
      const jobId = event.jobId ?? jobIdOf(msg, event.to, event.from, this.actorJobs);
      taken[index] = {
        ...event,
        ...(jobId !== undefined ? { jobId } : {}),
        ...(msg !== undefined && event.summary === undefined ? { summary: summarizePayload(msg) } : {}),
      };
    }
    this.events = count === this.events.length ? [] : this.events.slice(count);
    this.messages = count === this.messages.length ? [] : this.messages.slice(count);
    return taken;
  }

  /** How many were dropped since the last call (and resets that count). */
  takeDropped(): number {
    const dropped = this.droppedSinceTaken;
    this.droppedSinceTaken = 0;
    return dropped;
  }

  /** Forgets what waits (the subscription ended). */
  clear(): void {
    this.events = [];
    this.messages = [];
    this.droppedSinceTaken = 0;
  }
}
