// What the routes share: the Hono app type and the dependencies each route group is given.
import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Observable } from 'rxjs';
import type { ClusterTraceItem, TraceQuery } from '../cluster-trace.ts';
import type { DispatcherGateway } from './gateway.ts';

export type RestEnv = { Bindings: HttpBindings };
export type RestApp = Hono<RestEnv>;

export interface RestDependencies {
  readonly gateway: DispatcherGateway;
  /** Epoch ms; a spec may fix it. */
  readonly now: () => number;
  /** Weir's version (package.json), reported as Flink reports flink-version. */
  readonly version: string;
  /** The cluster's live message trace, filtered (clusterTrace$ of the Dispatcher's system). */
  readonly trace$: (query: TraceQuery) => Observable<ClusterTraceItem>;
}
