// Remote trace subscriptions over an association: the subscriber sends TraceSubscribe with a filter;
// the traced system filters its own trace$ and sends the events back in batches (TraceEvents frames
// are not envelopes, so relaying a trace never traces itself).
import { Observable, type Subscriber, type Subscription, filter as rxFilter } from 'rxjs';
import { WeirError, describeError } from '../../messages/errors.ts';
import { type Frame, FrameKind } from '../../messages/remoting.ts';
import type { Logger } from '../log.ts';
import type { Scheduler } from '../scheduler.ts';
import { type TraceEvent, type TraceFilter, isTraceEvent, matchesTraceFilter } from '../trace.ts';
import type { Association } from './association.ts';

/** Events per TraceEvents frame at most, and the longest an event waits to be sent. */
export const TRACE_BATCH = 256;
export const TRACE_FLUSH_MS = 20;
/**
 * Trace subscriptions one peer may hold here at once; more are refused, logged. Each one filters
 * every message this system handles, so a peer must not be able to open them without bound.
 */
export const MAX_TRACE_SUBSCRIPTIONS_PER_PEER = 16;

export class TraceRelay {
  private nextId = 1;
  /** Subscriber side: our subscriptions to other systems' traces. */
  private readonly subscriptions = new Map<
    number,
    { readonly association: Association; readonly subscriber: Subscriber<TraceEvent>; readonly filter: TraceFilter | undefined }
  >();
  /** Traced side: per association, the subscriptions it asked for. */
  private readonly served = new Map<Association, Map<number, Subscription>>();

  constructor(
    private readonly trace$: Observable<TraceEvent>,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
  ) {}

  subscribe(association: Association, filter: TraceFilter | undefined): Observable<TraceEvent> {
    return new Observable<TraceEvent>((subscriber) => {
      const id = this.nextId++;
      this.subscriptions.set(id, { association, subscriber, filter });
      association.sendControl(subscribeFrame(id, filter));
      return () => {
        if (this.subscriptions.delete(id) && association.state !== 'removed') association.sendControl([FrameKind.TraceUnsubscribe, id]);
      };
    });
  }

  /** Subscribes again over a new connection: the traced system ends what it served over the old one. */
  resubscribe(association: Association): void {
    for (const [id, entry] of this.subscriptions) if (entry.association === association) association.sendControl(subscribeFrame(id, entry.filter));
  }

  hasSubscriptionsTo(association: Association): boolean {
    for (const entry of this.subscriptions.values()) if (entry.association === association) return true;
    return false;
  }

  /** TraceEvents arrived from `association` for subscription `id`; events that are not trace events are dropped, logged. */
  received(association: Association, id: number, events: readonly unknown[]): void {
    const entry = this.subscriptions.get(id);
    if (!entry || entry.association !== association) return;
    let dropped = 0;
    for (const event of events) {
      if (isTraceEvent(event)) entry.subscriber.next(event);
      else dropped++;
    }
    if (dropped > 0) {
      this.log.warn(`dropped ${dropped} of ${events.length} trace events from ${association.address}: not {at, to, type, remote, direction, system}`, {
        code: 'MALFORMED_FRAME',
        peer: association.address,
      });
    }
  }

  /**
   * A peer subscribes to our trace (parseFrame checked the filter). Nothing the subscription does can
   * throw into the trace hub: a failure ends that subscription, logged, and nothing else.
   */
  serve(association: Association, id: number, filter: TraceFilter): void {
    let served = this.served.get(association);
    if (!served) this.served.set(association, (served = new Map()));
    served.get(id)?.unsubscribe();
    served.delete(id);
    if (served.size >= MAX_TRACE_SUBSCRIPTIONS_PER_PEER) {
      this.log.warn(`refused trace subscription ${id} of ${association.address}: it holds ${served.size}, the most allowed`, { peer: association.address });
      return;
    }
    let batch: TraceEvent[] = [];
    let flushTimer: { cancel(): void } | undefined;
    let subscription: Subscription | undefined;
    const end = (error: unknown): void => {
      this.log.error(`ended trace subscription ${id} of ${association.address}: ${describeError(error)}`, { peer: association.address });
      batch = [];
      subscription?.unsubscribe();
      if (this.served.get(association)?.get(id) === subscription) this.served.get(association)?.delete(id);
    };
    const flush = (): void => {
      flushTimer?.cancel();
      flushTimer = undefined;
      if (batch.length === 0) return;
      const events = batch;
      batch = [];
      try {
        association.sendControl([FrameKind.TraceEvents, id, events]);
      } catch (error) {
        end(error);
      }
    };
    subscription = this.trace$.pipe(rxFilter((event) => matchesTraceFilter(event, filter))).subscribe({
      next: (event) => {
        try {
          batch.push(event);
          if (batch.length >= TRACE_BATCH) flush();
          else flushTimer ??= this.scheduler.schedule(TRACE_FLUSH_MS, flush);
        } catch (error) {
          end(error);
        }
      },
      // The filter threw (RxJS routes it here); unhandled, RxJS would rethrow it in a timer.
      error: end,
    });
    if (subscription.closed) return; // ended while subscribing
    subscription.add(() => flush());
    served.set(id, subscription);
  }

  stopServing(association: Association, id: number): void {
    const served = this.served.get(association);
    served?.get(id)?.unsubscribe();
    served?.delete(id);
  }

  /** The association is gone: its served subscriptions end, ours to it fail. */
  forget(association: Association, reason: string): void {
    for (const subscription of this.served.get(association)?.values() ?? []) subscription.unsubscribe();
    this.served.delete(association);
    for (const [id, entry] of [...this.subscriptions]) {
      if (entry.association !== association) continue;
      this.subscriptions.delete(id);
      entry.subscriber.error(new WeirError('CONNECTION_FAILED', `trace of ${association.address} ended: ${reason}`));
    }
  }

  /** Shutdown: our subscriptions complete. */
  completeAll(): void {
    for (const entry of this.subscriptions.values()) entry.subscriber.complete();
    this.subscriptions.clear();
    for (const served of this.served.values()) for (const subscription of served.values()) subscription.unsubscribe();
    this.served.clear();
  }
}

/** The filter's fields that are set: the traced system refuses any other. */
function subscribeFrame(id: number, filter: TraceFilter | undefined): Frame {
  const body: { types?: readonly string[]; path?: string } = {};
  if (filter?.types !== undefined) body.types = filter.types;
  if (filter?.path !== undefined) body.path = filter.path;
  return [FrameKind.TraceSubscribe, id, body];
}
