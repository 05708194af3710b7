// The REST API's HTTP server: started on the Dispatcher's process (the standalone JobManager, or a
// MiniCluster that asks for it), bound to loopback unless configured, the first free port of its range.
//
// Lifecycle: startRestServer() resolves once listening -> close() stops accepting, ends every open
// connection (a trace stream never ends by itself) and resolves once the server is closed.
import { type ServerType, createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import type { ActorRef, ActorSystem, AuthSecret } from '../../../actors/index.ts';
import { RestAuthentication } from './auth.ts';
import type { DispatcherMsg } from '../../../messages/dispatcher.ts';
import type { MiddlewareHandler } from 'hono';
import { ANY_PORT, type PortRange } from '../../config/port-range.ts';
import { bindInRange } from '../../entrypoints/bind-in-range.ts';
import { clusterTrace$ } from '../cluster-trace.ts';
import { restApp } from './app.ts';
import type { RestEnv } from './context.ts';
import { DEFAULT_ASK_TIMEOUT_MS, DispatcherGateway } from './gateway.ts';
import { weirVersion } from './version.ts';

/** Loopback: the REST API reaches other machines only when rest.bind-address says so. */
export const DEFAULT_REST_HOST = '127.0.0.1';
/** A request whose headers and body take longer than this is answered 408 and closed (slow senders). */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface RestServerOptions {
  /** The Dispatcher's system: its log, and the home of the cluster trace. */
  readonly system: ActorSystem;
  readonly dispatcher: ActorRef<DispatcherMsg>;
  /** rest.bind-address; default 127.0.0.1. */
  readonly host?: string;
  /** rest.bind-port: the first free port of these; default any free port. */
  readonly ports?: PortRange;
  /** How long each ask to the Dispatcher may take; default DEFAULT_ASK_TIMEOUT_MS. */
  readonly askTimeoutMs?: number;
  /** Before every route, after authentication. */
  readonly middleware?: readonly MiddlewareHandler<RestEnv>[];
  /** security.auth.secret: every request carries it as a bearer token, or a console session from /login. */
  readonly secret?: AuthSecret;
  /** security.ssl.rest.*: https with this certificate and key (PEM); the session cookie is Secure. */
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly now?: () => number;
}

export interface RestServer {
  readonly host: string;
  readonly port: number;
  /** http://host:port, without a trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const host = options.host ?? DEFAULT_REST_HOST;
  const { system, dispatcher } = options;
  const app = restApp({
    gateway: new DispatcherGateway(dispatcher, options.askTimeoutMs ?? DEFAULT_ASK_TIMEOUT_MS),
    log: system.log,
    trace$: (query) => clusterTrace$(system, dispatcher, query),
    now: options.now ?? Date.now,
    version: weirVersion(),
    ...(options.middleware ? { middleware: options.middleware } : {}),
    ...(options.secret ? { authentication: new RestAuthentication({ secret: options.secret, log: system.log, secure: options.tls !== undefined }) } : {}),
  });
  const tls = options.tls;
  const create = (): ServerType =>
    tls ? createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' } }) : createAdaptorServer({ fetch: app.fetch });
  const server = await bindInRange(options.ports ?? ANY_PORT, 'rest.bind-port', (port) => listen(create, host, port));
  const { port } = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  system.log.info(`REST API listening on ${url}`, { restPort: port });
  return { host, port, url, close: () => close(server) };
}

/** A new server listening on host:port; rejects with Node's error (EADDRINUSE: bindInRange tries the next port). */
function listen(create: () => ServerType, host: string, port: number): Promise<Server> {
  const server = create() as Server;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
