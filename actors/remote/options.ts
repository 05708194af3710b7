// Remoting settings: one typed object, defaults here, validated once when the system starts.
import { WeirError } from '../../messages/errors.ts';
import { AuthSecret } from './auth.ts';
import type { Transport } from './transport.ts';
import { type TlsOptions, checkTlsOptions } from './tls.ts';

export interface RemoteOptions {
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (tests). Default 0. */
  readonly port?: number;
  /** The wire; default WebSocket (ws). Specs may pass the in-memory transport. */
  readonly transport?: Transport;
  /**
   * The shared secret (security.auth.secret): every connection, both ways, proves it knows it before
   * a message is decoded, and a peer without it is refused. Absent: no authentication (and a peer
   * that offers it is refused).
   */
  readonly secret?: AuthSecret;
  /**
   * Mutual TLS (security.ssl.internal.*): the WebSocket transport listens and dials with wss, and
   * accepts only peers whose certificate the CA signed. Absent: plain ws. Ignored with a `transport`.
   */
  readonly tls?: TlsOptions;
  /** How often a connected system sends a heartbeat; default 10 s (Flink's heartbeat.interval). */
  readonly heartbeatIntervalMs?: number;
  /** Silence after which a peer is declared unreachable; default 50 s (Flink's heartbeat.timeout). */
  readonly acceptablePauseMs?: number;
  /** Time a new connection has to complete the hello exchange; default 10 s. */
  readonly handshakeTimeoutMs?: number;
  /** Largest frame accepted; a larger one closes the connection. Default 16 MiB. */
  readonly maxFrameBytes?: number;
  /**
   * Largest frame of a connection until its handshake checked out (the hello and proof of a peer
   * that dialled; the answers of one dialled); default MAX_HANDSHAKE_FRAME_BYTES. A peer not yet
   * known cannot make this system buffer more.
   */
  readonly maxHandshakeFrameBytes?: number;
  /** Envelopes coalesced into one frame at most; default 1000. */
  readonly maxEnvelopesPerFrame?: number;
  /** Envelopes kept for a peer that is not connected; more go to dead letters. Default 100 000. */
  readonly maxPendingEnvelopes?: number;
  /** Bytes written but not yet sent on a connection past which new envelopes are dropped; default 64 MiB. */
  readonly maxBufferedBytes?: number;
  /**
   * Bytes unsent past which trace frames wait (and the traced side drops trace events); default 1 MiB.
   * Far below maxBufferedBytes: a busy link sheds its trace long before any cluster message.
   */
  readonly maxTraceBufferedBytes?: number;
  /** Reconnect backoff bounds; defaults 100 ms and 5 s. */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
}

/**
 * The default limit on the first frame of an accepted connection, before its hello checked out. A
 * hello is a few hundred bytes (its address and uid are bounded: messages/remoting.ts), far under it.
 */
export const MAX_HANDSHAKE_FRAME_BYTES = 16 * 1024;

/** The options that are not plain settings with a default. */
type Given = 'transport' | 'secret' | 'tls';

export type ResolvedRemoteOptions = Required<Omit<RemoteOptions, Given>> & Pick<RemoteOptions, Given>;

export const REMOTE_DEFAULTS: Omit<ResolvedRemoteOptions, Given> = {
  host: '127.0.0.1',
  port: 0,
  heartbeatIntervalMs: 10_000,
  acceptablePauseMs: 50_000,
  handshakeTimeoutMs: 10_000,
  maxFrameBytes: 16 * 1024 * 1024,
  maxHandshakeFrameBytes: MAX_HANDSHAKE_FRAME_BYTES,
  maxEnvelopesPerFrame: 1000,
  maxPendingEnvelopes: 100_000,
  maxBufferedBytes: 64 * 1024 * 1024,
  maxTraceBufferedBytes: 1024 * 1024,
  reconnectMinMs: 100,
  reconnectMaxMs: 5_000,
};

/** Fills in defaults; throws INVALID_CONFIG naming the key and what it expects. */
export function resolveRemoteOptions(options: RemoteOptions): ResolvedRemoteOptions {
  for (const key of Object.keys(options)) {
    if (key !== 'transport' && key !== 'secret' && key !== 'tls' && !(key in REMOTE_DEFAULTS)) {
      throw new WeirError('INVALID_CONFIG', `unknown remote option "${key}"; known: ${Object.keys(REMOTE_DEFAULTS).join(', ')}, transport, secret, tls`);
    }
  }
  const resolved = { ...REMOTE_DEFAULTS, ...stripUndefined(options) } as ResolvedRemoteOptions;
  for (const [key, value] of Object.entries(resolved)) {
    if (key === 'transport') {
      if (!isTransport(value)) throw new WeirError('INVALID_CONFIG', `remote option "transport" must be a Transport (listen, connect, close), got ${JSON.stringify(value)}`);
      continue;
    }
    if (key === 'secret') {
      // Never printed: a string here is the secret itself.
      if (!(value instanceof AuthSecret)) throw new WeirError('INVALID_CONFIG', 'remote option "secret" must be an AuthSecret (AuthSecret.from(text))');
      continue;
    }
    if (key === 'tls') {
      // Never printed: it holds the private key.
      if (typeof value !== 'object' || value === null) throw new WeirError('INVALID_CONFIG', 'remote option "tls" must be { cert, key, ca } (PEM text)');
      checkTlsOptions(value as TlsOptions, 'remote option "tls"');
      continue;
    }
    if (key === 'host') {
      if (typeof value !== 'string' || value === '') throw new WeirError('INVALID_CONFIG', `remote option "host" must be a non-empty string, got ${JSON.stringify(value)}`);
      continue;
    }
    const min = key === 'port' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (key === 'port' && value > 65535)) {
      throw new WeirError('INVALID_CONFIG', `remote option "${key}" must be an integer >= ${min}${key === 'port' ? ' and <= 65535' : ''}, got ${JSON.stringify(value)}`);
    }
  }
  if (resolved.acceptablePauseMs <= resolved.heartbeatIntervalMs) {
    throw new WeirError('INVALID_CONFIG', `remote option "acceptablePauseMs" (${resolved.acceptablePauseMs}) must exceed "heartbeatIntervalMs" (${resolved.heartbeatIntervalMs})`);
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isTransport(value: unknown): value is Transport {
  const transport = value as Partial<Record<keyof Transport, unknown>> | null;
  return typeof transport === 'object' && transport !== null && typeof transport.listen === 'function' && typeof transport.connect === 'function' && typeof transport.close === 'function';
}
