// Remote trace subscriptions over an association: the subscriber sends TraceSubscribe with a filter;
// the traced system filters its own trace there (a TraceTap: bounded, summarised when sent) and sends
// the events back in batches, with how many it dropped. TraceEvents frames are not envelopes, so
// relaying a trace never traces itself, and they leave only while Association.hasTraceRoom: they
// wait while the link is busy with cluster messages, and the tap drops (and counts) what no longer fits.
import { Observable, type Subscriber } from 'rxjs';
import { WeirError, describeError } from '../../messages/errors.ts';
import { type Frame, FrameKind } from '../../messages/remoting.ts';
import type { Logger } from '../log.ts';
import type { Cancellable, Scheduler } from '../scheduler.ts';
import type { TraceTap } from '../trace-tap.ts';
import { type TraceFilter, type TraceHub, type TraceItem, isTraceEvent } from '../trace.ts';
import type { Association } from './association.ts';

/** Events per TraceEvents frame at most, and the longest an event waits to be sent. */
export const TRACE_BATCH = 256;
export const TRACE_FLUSH_MS = 20;
/**
 * Trace subscriptions one peer may hold here at once; more are refused, logged. Each one filters
 * every message this system handles, so a peer must not be able to open them without bound.
 */
export const MAX_TRACE_SUBSCRIPTIONS_PER_PEER = 16;

/** What the traced side keeps of one subscription it serves. */
interface Served {
  readonly tap: TraceTap;
  timer: Cancellable | undefined;
}

export class TraceRelay {
  private nextId = 1;
  /** Subscriber side: our subscriptions to other systems' traces. */
  private readonly subscriptions = new Map<
    number,
    { readonly association: Association; readonly subscriber: Subscriber<TraceItem>; readonly filter: TraceFilter | undefined }
  >();
  /** Traced side: per association, the subscriptions it asked for. */
  private readonly served = new Map<Association, Map<number, Served>>();

  constructor(
    private readonly hub: TraceHub,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
  ) {}

  subscribe(association: Association, filter: TraceFilter | undefined): Observable<TraceItem> {
    return new Observable<TraceItem>((subscriber) => {
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
  received(association: Association, id: number, events: readonly unknown[], dropped: number): void {
    const entry = this.subscriptions.get(id);
    if (!entry || entry.association !== association) return;
    let malformed = 0;
    for (const event of events) {
      if (isTraceEvent(event)) entry.subscriber.next({ kind: 'event', event });
      else malformed++;
    }
    if (dropped > 0) entry.subscriber.next({ kind: 'dropped', system: association.path.address.system, count: dropped });
    if (malformed > 0) {
      this.log.warn(`dropped ${malformed} of ${events.length} trace events from ${association.address}: not {at, to, type, remote, direction, system}`, {
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
    this.stopServing(association, id);
    if (served.size >= MAX_TRACE_SUBSCRIPTIONS_PER_PEER) {
      this.log.warn(`refused trace subscription ${id} of ${association.address}: it holds ${served.size}, the most allowed`, { peer: association.address });
      return;
    }
    const end = (error: unknown): void => {
      this.log.error(`ended trace subscription ${id} of ${association.address}: ${describeError(error)}`, { peer: association.address });
      this.stopServing(association, id);
    };
    const flush = (): void => {
      entry.timer = undefined;
      try {
        const { tap } = entry;
        // Batches while the link has room; what stays waits for the next flush (and fills the tap).
        while ((tap.pending > 0 || tap.hasDropped) && association.hasTraceRoom()) {
          association.sendControl([FrameKind.TraceEvents, id, tap.take(TRACE_BATCH), tap.takeDropped()]);
        }
        if (tap.pending > 0 || tap.hasDropped) entry.timer = this.scheduler.schedule(TRACE_FLUSH_MS, flush);
      } catch (error) {
        end(error);
      }
    };
    let entry: Served;
    try {
      entry = { tap: this.hub.openTap(filter, () => (entry.timer ??= this.scheduler.schedule(TRACE_FLUSH_MS, flush)), end), timer: undefined };
    } catch (error) {
      // The filter does not compile (parseFrame bounds it; a local caller may not).
      this.log.error(`ended trace subscription ${id} of ${association.address}: ${describeError(error)}`, { peer: association.address });
      return;
    }
    served.set(id, entry);
  }

  stopServing(association: Association, id: number): void {
    const served = this.served.get(association);
    const entry = served?.get(id);
    if (!entry) return;
    entry.timer?.cancel();
    this.hub.closeTap(entry.tap);
    served?.delete(id);
  }

  /** The association is gone: its served subscriptions end, ours to it fail. */
  forget(association: Association, reason: string): void {
    for (const id of [...(this.served.get(association)?.keys() ?? [])]) this.stopServing(association, id);
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
    for (const association of [...this.served.keys()]) for (const id of [...(this.served.get(association)?.keys() ?? [])]) this.stopServing(association, id);
    this.served.clear();
  }
}

/** The filter's fields that are set: the traced system refuses any other. */
function subscribeFrame(id: number, filter: TraceFilter | undefined): Frame {
  const body: { types?: readonly string[]; path?: string; job?: string; actor?: string; type?: string } = {};
  if (filter?.types !== undefined) body.types = filter.types;
  for (const key of ['path', 'job', 'actor', 'type'] as const) if (filter?.[key] !== undefined) body[key] = filter[key];
  return [FrameKind.TraceSubscribe, id, body];
}
