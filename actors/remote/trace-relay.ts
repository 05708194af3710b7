// Remote trace subscriptions over an association: the subscriber sends TraceSubscribe with a filter;
// the traced system filters its own trace$ and sends the events back in batches (TraceEvents frames
// are not envelopes, so relaying a trace never traces itself).
import { Observable, type Subscriber, type Subscription, filter as rxFilter } from 'rxjs';
import { WeirError } from '../../messages/errors.ts';
import { type Frame, FrameKind } from '../../messages/remoting.ts';
import type { Scheduler } from '../scheduler.ts';
import { type TraceEvent, type TraceFilter, matchesTraceFilter } from '../trace.ts';
import type { Association } from './association.ts';

/** Events per TraceEvents frame at most, and the longest an event waits to be sent. */
export const TRACE_BATCH = 256;
export const TRACE_FLUSH_MS = 20;

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

  /** TraceEvents arrived for subscription `id`. */
  received(id: number, events: readonly unknown[]): void {
    const entry = this.subscriptions.get(id);
    if (!entry) return;
    for (const event of events) {
      if (typeof event === 'object' && event !== null && typeof (event as TraceEvent).to === 'string') entry.subscriber.next(event as TraceEvent);
    }
  }

  /** A peer subscribes to our trace. */
  serve(association: Association, id: number, filter: TraceFilter): void {
    let batch: TraceEvent[] = [];
    let flushTimer: { cancel(): void } | undefined;
    const flush = (): void => {
      flushTimer?.cancel();
      flushTimer = undefined;
      if (batch.length === 0) return;
      const events = batch;
      batch = [];
      association.sendControl([FrameKind.TraceEvents, id, events]);
    };
    const subscription = this.trace$.pipe(rxFilter((event) => matchesTraceFilter(event, filter))).subscribe((event) => {
      batch.push(event);
      if (batch.length >= TRACE_BATCH) flush();
      else flushTimer ??= this.scheduler.schedule(TRACE_FLUSH_MS, flush);
    });
    subscription.add(() => flush());
    let served = this.served.get(association);
    if (!served) this.served.set(association, (served = new Map()));
    served.get(id)?.unsubscribe();
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

function subscribeFrame(id: number, filter: TraceFilter | undefined): Frame {
  return [FrameKind.TraceSubscribe, id, { types: filter?.types, path: filter?.path }];
}
