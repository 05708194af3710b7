// Mutual TLS for the cluster's internal connections (Flink's security.ssl.internal.*): actor remoting
// and data connections become wss, both sides present a certificate, and each accepts only a peer
// whose certificate the cluster's CA signed. One place builds the listening side (an https server
// under the ws server) and the dialling side's options, for both transports.
import { type Server, createServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { type ClientOptions, WebSocketServer } from 'ws';
import { WeirError } from '../../messages/errors.ts';

/** PEM text of this process's certificate and key, and of the CA every peer's certificate must chain to. */
export interface TlsOptions {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  /**
   * security.ssl.verify-hostname: a dialled peer's certificate must name the host dialled (a DNS name
   * or IP address in its subject alternative names). Default true.
   */
  readonly verifyHostname?: boolean;
}

/** The reason phrase of the 403 a peer whose certificate is refused gets at its WebSocket upgrade. */
export const CERTIFICATE_REFUSED = 'TLS client certificate refused';

/** What a refused TLS peer is reported with: its address and Node's reason. */
export type TlsRefusal = (remote: string, reason: string) => void;

export interface WsListener {
  readonly server: WebSocketServer;
  /** Settles once listening; rejects with Node's error (EADDRINUSE kept as its code). */
  readonly listening: Promise<void>;
  /** The port bound. */
  port(): number;
  /** Stops listening (connections are the caller's to cut first). */
  close(): Promise<void>;
}

/**
 * A ws server on host:port, over TLS when `tls` is given: then a client without a certificate of
 * the cluster's CA is refused in the TLS handshake, before a WebSocket frame is read.
 */
export function listenWs(options: { readonly host: string; readonly port: number; readonly path: string; readonly maxPayload: number; readonly tls?: TlsOptions; readonly onRefused?: TlsRefusal }): WsListener {
  const { host, port, path, maxPayload, tls } = options;
  if (!tls) {
    const server = new WebSocketServer({ host, port, path, maxPayload, perMessageDeflate: false });
    return {
      server,
      listening: listened(once(server, 'listening'), [server]),
      port: () => boundPort(server.address(), port),
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  // The client's certificate is checked at the WebSocket upgrade, not inside the TLS handshake: the
  // refusal then names the peer and Node's reason on both sides (TLS 1.3 would report a rejected
  // client certificate to the client as a bare "socket hang up"). No frame is read either way.
  const https: Server = createServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' });
  https.on('tlsClientError', (error: Error & { code?: string }, socket: TLSSocket) => {
    // A peer that closed before saying anything (a TCP probe: the client's probeTcp, a port scan) was not refused.
    if (error.code === 'ECONNRESET') return;
    options.onRefused?.(remoteOf(socket), error.message);
  });
  const server = new WebSocketServer({
    server: https,
    path,
    maxPayload,
    perMessageDeflate: false,
    verifyClient: (info, done) => {
      const socket = info.req.socket as TLSSocket;
      if (socket.authorized) return done(true);
      const reason = socket.authorizationError ? String(socket.authorizationError) : 'no client certificate';
      options.onRefused?.(remoteOf(socket), `client certificate refused: ${reason}`);
      done(false, 403, `${CERTIFICATE_REFUSED}: ${reason}`);
    },
  });
  const listening = listened(once(https, 'listening'), [server, https]);
  https.listen(port, host);
  return {
    server,
    listening,
    port: () => boundPort(https.address(), port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close();
        https.close(() => resolve());
        https.closeAllConnections();
      }),
  };
}

/** The URL and ws client options of a dial: wss with this process's certificate when `tls` is given. */
export function dialWsOptions(host: string, port: number, path: string, tls: TlsOptions | undefined): { readonly url: string; readonly options: ClientOptions } {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  if (!tls) return { url: `ws://${hostPart}:${port}${path}`, options: {} };
  return {
    url: `wss://${hostPart}:${port}${path}`,
    options: {
      cert: tls.cert,
      key: tls.key,
      ca: tls.ca,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      // ws hands this to tls.connect, where undefined means "accepted" (ws types it as returning boolean).
      ...(tls.verifyHostname === false ? { checkServerIdentity: (() => undefined) as unknown as ClientOptions['checkServerIdentity'] } : {}),
    },
  };
}

/** Checks that each part looks like PEM, naming the part (and where it came from) when one does not. */
export function checkTlsOptions(tls: TlsOptions, source: string): TlsOptions {
  const parts: ReadonlyArray<readonly [keyof TlsOptions, RegExp]> = [
    ['cert', /-----BEGIN CERTIFICATE-----/],
    ['key', /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/],
    ['ca', /-----BEGIN CERTIFICATE-----/],
  ];
  for (const [part, marker] of parts) {
    const value = tls[part];
    if (typeof value !== 'string' || !marker.test(value)) throw new WeirError('INVALID_CONFIG', `${source}: the TLS ${part} is not PEM (expected a "${marker.source.replace(/\\|\(\?:\[A-Z\]\+ \)\?/g, '')}" block)`);
  }
  return tls;
}

function once(emitter: { once(event: string, listener: (...args: unknown[]) => void): unknown; off(event: string, listener: (...args: unknown[]) => void): unknown }, event: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: unknown): void => {
      emitter.off(event, done);
      reject(error);
    };
    const done = (): void => {
      emitter.off('error', failed);
      resolve();
    };
    emitter.once(event, done);
    emitter.once('error', failed);
  });
}

/** Once listening, later errors surface per connection: the servers' own error events are ignored. */
function listened(listening: Promise<void>, servers: ReadonlyArray<{ on(event: 'error', listener: () => void): unknown }>): Promise<void> {
  return listening.then(() => {
    for (const server of servers) server.on('error', () => {});
  });
}

/** host:port of a TLS socket; once the handshake failed, only its underlying socket still knows. */
function remoteOf(socket: TLSSocket): string {
  const raw = (socket as TLSSocket & { readonly _parent?: { readonly remoteAddress?: string; readonly remotePort?: number } })._parent;
  return `${socket.remoteAddress ?? raw?.remoteAddress ?? '?'}:${socket.remotePort ?? raw?.remotePort ?? 0}`;
}

function boundPort(address: ReturnType<Server['address']>, fallback: number): number {
  return typeof address === 'object' && address !== null ? address.port : fallback;
}

/** Node's codes of a TLS handshake that failed on a certificate or a protocol mismatch (not a lost socket). */
const TLS_FAILURE = /^(ERR_SSL_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|CERT_|ERR_OSSL_)/;

/** The TLS failure along `error`'s cause chain (its message), or undefined when it is not one. */
export function tlsFailure(error: unknown): string | undefined {
  for (let cause = error, depth = 0; cause !== null && typeof cause === 'object' && depth < 5; depth++) {
    const message = (cause as { message?: unknown }).message;
    // ws reports a refused upgrade as "Unexpected server response: 403"; the listener's 403 says why in its status line.
    if (typeof message === 'string' && message.includes('Unexpected server response: 403')) return `the peer refused this process's certificate (${CERTIFICATE_REFUSED})`;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_FAILURE.test(code)) return `${code}: ${(cause as { message?: unknown }).message}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}
