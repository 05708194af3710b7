// The cluster's live message trace: the JobManager process's own trace (Dispatcher, ResourceManager,
// JobManagers) plus every registered TaskManager's, each filtered, bounded and summarised at its own
// side (TraceHub.items$ there, or a remote trace subscription), with `dropped` items for what a side
// shed. Works from the JobManager process itself (the REST API) and from a client's system (weir
// trace): what differs is only whether a part is local or remote.
//
// TaskManagers are followed with WatchTaskManagers: one that registers later joins the stream; one
// that is lost (or whose link fails) ends its part alone. The JobManager process's part is the
// stream: when it fails or completes, so does the whole.
import { Observable, type Subscription } from 'rxjs';
import { type ActorRef, type ActorSystem, Behaviors, type TraceEvent, type TraceFilter, type TraceItem, parseActorPath } from '../../actors/index.ts';
import type { DispatcherMsg } from '../../messages/dispatcher.ts';
import type { TaskManagersChanged } from '../../messages/resource-manager.ts';

export interface TraceQuery {
  /** Only messages about this job (a `jobId` field, or the actor it is sent to works for the job). */
  readonly job?: string;
  /** An actor path glob, matched against sender and recipient: `*` within a segment, `**` across. */
  readonly actor?: string;
  /** A message type glob, e.g. `Submit*`; `A,B` for either. */
  readonly type?: string;
}

export type ClusterTraceItem =
  | { readonly kind: 'event'; readonly event: TraceEvent & { readonly jobId?: string; readonly summary?: unknown } }
  | { readonly kind: 'dropped'; readonly system: string; readonly count: number };

type WatcherMsg = TaskManagersChanged | { readonly type: 'StopWatching' };

/** Names the watcher actors of this process's cluster traces apart. */
let nextWatcher = 1;

/** Every traced message of the cluster `dispatcher` belongs to, filtered at each traced side by `query`. */
export function clusterTrace$(system: ActorSystem, dispatcher: ActorRef<DispatcherMsg>, query: TraceQuery): Observable<ClusterTraceItem> {
  return new Observable<ClusterTraceItem>((subscriber) => {
    const filter = traceFilterOf(query);
    const home = parseActorPath(dispatcher.path).addressText;
    const parts = new Map<string, Subscription>();
    const join = (address: string, essential: boolean): void => {
      if (parts.has(address) || subscriber.closed) return;
      const items$: Observable<TraceItem> = address === system.address ? system.traceItems$(filter) : system.remoteTrace$(address, filter);
      let ended = false;
      const part = items$.subscribe({
        next: (item) => subscriber.next(item),
        error: (error: unknown) => {
          ended = true;
          parts.delete(address);
          if (essential) subscriber.error(error);
        },
        complete: () => {
          ended = true;
          parts.delete(address);
          if (essential) subscriber.complete();
        },
      });
      if (!ended) parts.set(address, part);
    };
    join(home, true);
    const followed = (changed: TaskManagersChanged): void => {
      const current = new Set(changed.addresses);
      for (const [address, part] of [...parts]) {
        if (address !== home && !current.has(address)) {
          part.unsubscribe();
          parts.delete(address);
        }
      }
      for (const address of current) join(address, false);
    };
    const watcher = system.systemActorOf(
      Behaviors.receiveMessage<WatcherMsg>((msg) => {
        if (msg.type === 'StopWatching') return Behaviors.stopped;
        followed(msg);
        return Behaviors.same;
      }),
      `cluster-trace-${nextWatcher++}`,
    );
    dispatcher.tell({ type: 'WatchTaskManagers', watcher: watcher as ActorRef<TaskManagersChanged> });
    return () => {
      watcher.tell({ type: 'StopWatching' });
      for (const part of parts.values()) part.unsubscribe();
      parts.clear();
    };
  });
}

/** The query as the traced sides' filter: only the fields that are set. */
export function traceFilterOf(query: TraceQuery): TraceFilter {
  return {
    ...(query.job !== undefined && query.job !== '' ? { job: query.job } : {}),
    ...(query.actor !== undefined && query.actor !== '' ? { actor: query.actor } : {}),
    ...(query.type !== undefined && query.type !== '' ? { type: query.type } : {}),
  };
}
