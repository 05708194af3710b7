// Mutual challenge-response over a shared secret, for every connection between Weir processes
// (actor remoting here, the data plane in cluster/taskmanager/network). Each side sends a random
// nonce; the dialler proves first, then the listener: HMAC-SHA256(secret, a label naming the plane
// and the prover's role, both nonces, both addresses). The secret never crosses the wire; a fresh
// nonce of the verifier's makes a recorded proof useless (replay), and the role label makes the
// peer's own proof useless as an answer (reflection). Proofs are compared in constant time.
import { type KeyObject, createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { AUTH_NONCE_BYTES, isProof } from '../../messages/auth.ts';
import { WeirError } from '../../messages/errors.ts';
import type { Logger } from '../log.ts';

/** Shorter secrets are refused: a recorded handshake lets anyone try guesses offline. */
export const MIN_SECRET_BYTES = 16;

/** Which connections a proof is for: a proof made for one plane is worthless on the other. */
export type AuthPlane = 'rpc' | 'data';
/** Who proves: the side that dialled, or the side that accepted. */
export type AuthRole = 'dialler' | 'listener';

/** What a proof binds: everything that identifies one handshake. */
export interface HandshakeFacts {
  readonly plane: AuthPlane;
  readonly diallerNonce: Uint8Array;
  readonly listenerNonce: Uint8Array;
  /** The dialler's own address, as its hello names it ('' when it does not listen). */
  readonly dialler: string;
  /** The listener's address, as the dialler dialled it (the listener checks it is its own). */
  readonly listener: string;
}

/**
 * The shared secret. Never printed: it shows as "[auth secret]" in logs, JSON and inspection, so a
 * configuration object holding it can be logged whole.
 */
export class AuthSecret {
  readonly #key: KeyObject;

  private constructor(key: KeyObject) {
    this.#key = key;
  }

  /** From its text; `source` names where it came from in the error (never the value itself). */
  static from(text: string, source = 'the auth secret'): AuthSecret {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new WeirError(
        'INVALID_CONFIG',
        `${source} is ${bytes.length} bytes long, under the ${MIN_SECRET_BYTES} a secret needs; generate one with "openssl rand -base64 32"`,
      );
    }
    return new AuthSecret(createSecretKey(bytes));
  }

  /** The proof `role` gives for the handshake `facts`. */
  prove(role: AuthRole, facts: HandshakeFacts): Uint8Array {
    const hmac = createHmac('sha256', this.#key);
    for (const part of [LABEL, facts.plane, role, facts.diallerNonce, facts.listenerNonce, facts.dialler, facts.listener]) {
      // Length-prefixed, so that no two different statements are the same bytes.
      const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      hmac.update(length).update(bytes);
    }
    return hmac.digest();
  }

  /** True when `proof` is what `role` must give for `facts`; constant-time in the proof's bytes. */
  verify(role: AuthRole, facts: HandshakeFacts, proof: unknown): boolean {
    if (!isProof(proof)) return false;
    return timingSafeEqual(this.prove(role, facts), proof);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

const LABEL = 'weir-auth-1';
const REDACTED = '[auth secret]';

export function newNonce(): Uint8Array {
  return randomBytes(AUTH_NONCE_BYTES);
}

/**
 * Why a peer's hello cannot go on to a challenge, or undefined when it can (both sides have a secret)
 * or needs none (neither has). The code is the Reject's and the log's; the reason says what to fix.
 */
export function authMismatch(ownSecret: AuthSecret | undefined, peerOffers: boolean, peer: string): { code: AuthRefusalCode; reason: string } | undefined {
  if (ownSecret && !peerOffers) {
    return { code: 'AUTHENTICATION_REQUIRED', reason: `${peer} offered no proof, and this process requires one (security.auth.secret is set here)` };
  }
  if (!ownSecret && peerOffers) {
    return { code: 'AUTHENTICATION_NOT_CONFIGURED', reason: `${peer} offered a proof, but this process has no security.auth.secret to check it; set the same secret on both` };
  }
  return undefined;
}

/**
 * How a handshake is refused for authentication: no proof, a wrong one, one this side cannot check,
 * or one made for another address than this side's (the proofs bind the address dialled).
 */
export const AUTH_REFUSAL_CODES = ['AUTHENTICATION_REQUIRED', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_NOT_CONFIGURED', 'AUTHENTICATION_ADDRESS_MISMATCH'] as const;
export type AuthRefusalCode = (typeof AUTH_REFUSAL_CODES)[number];

export const isAuthRefusalCode = (value: unknown): value is AuthRefusalCode => (AUTH_REFUSAL_CODES as readonly unknown[]).includes(value);

/**
 * A handshake that failed for authentication, as the dialling side sees it: refused by the peer
 * (`refusedBy: 'peer'`, with the peer's code), or refused here because the peer's proof did not
 * check out or was missing. The code is always AUTHENTICATION_FAILED; `refusal` says which case,
 * `reason` why in words (the peer's, when it refused).
 */
export class AuthenticationError extends WeirError {
  constructor(
    readonly refusal: AuthRefusalCode,
    readonly refusedBy: 'peer' | 'self',
    readonly reason: string,
    message: string,
  ) {
    super('AUTHENTICATION_FAILED', message);
    this.name = 'AuthenticationError';
  }
}

/** Failed authentications this process saw, by why; metrics proper come later. */
export interface AuthStats {
  /** A peer offered no proof where this side requires one. */
  readonly missingProofs: number;
  /** A peer's proof did not check out: another secret, a replayed or a reflected proof. */
  readonly wrongProofs: number;
  /** A peer offered a proof to this side, which has no secret. */
  readonly unexpectedProofs: number;
  /** Peers that refused this side's own proof (or lack of one). */
  readonly refusedByPeers: number;
  /** Peers refused in the TLS handshake (security.ssl.internal): no certificate, or one the cluster's CA did not sign. */
  readonly tlsRefusals: number;
}

export const NO_AUTH_FAILURES: AuthStats = { missingProofs: 0, wrongProofs: 0, unexpectedProofs: 0, refusedByPeers: 0, tlsRefusals: 0 };

const STAT_OF: Readonly<Record<AuthRefusalCode, keyof AuthStats>> = {
  AUTHENTICATION_REQUIRED: 'missingProofs',
  AUTHENTICATION_FAILED: 'wrongProofs',
  AUTHENTICATION_NOT_CONFIGURED: 'unexpectedProofs',
  AUTHENTICATION_ADDRESS_MISMATCH: 'wrongProofs',
};

/** Peers remembered as already logged; past this the memory starts over (and each logs once more). */
const MAX_LOGGED_PEERS = 4096;

/**
 * Counts failed authentications and logs each peer's first one: a misconfigured TaskManager that
 * dials again every few seconds is one line, with its address, not a line per try.
 */
export class AuthMonitor {
  private readonly counts: { -readonly [K in keyof AuthStats]: number } = { ...NO_AUTH_FAILURES };
  private readonly loggedPeers = new Set<string>();

  constructor(private readonly log: Logger) {}

  get stats(): AuthStats {
    return { ...this.counts };
  }

  /**
   * This side refused `peer` for `code`: an error. A peer not known yet is its host, and `claimed`
   * the address its hello names: one line per process (a TaskManager that dials again and again),
   * while the log's rate limit per host bounds one that makes up a new address each time.
   */
  refused(code: AuthRefusalCode, peer: string, message: string, claimed = ''): void {
    this.counts[STAT_OF[code]]++;
    this.logOnce('error', `refused ${peer} ${claimed}`, message, code, peer);
  }

  /**
   * `peer` refused this side's proof (or its lack of one): `code` and `reason` are the peer's. A
   * warning: whoever waits for the connection (a client, a registration) gets the error itself.
   */
  refusedBy(peer: string, code: string, reason: string): void {
    this.counts.refusedByPeers++;
    this.logOnce('warn', `refused by ${peer}`, `${peer} refused this process's authentication: ${reason}`, code, peer);
  }

  /** A peer at `remote` (host:port) failed this side's TLS handshake: counted, its host's first logged. */
  tlsRefused(remote: string, reason: string): void {
    this.counts.tlsRefusals++;
    const peer = hostOf(remote);
    this.logOnce('error', `tls ${peer}`, `refused TLS connection from ${remote}: ${reason}`, 'TLS_HANDSHAKE_FAILED', peer);
  }

  private logOnce(level: 'error' | 'warn', key: string, message: string, code: string, peer: string): void {
    if (this.loggedPeers.has(key)) {
      this.log.debug(message, { code, peer });
      return;
    }
    if (this.loggedPeers.size >= MAX_LOGGED_PEERS) this.loggedPeers.clear();
    this.loggedPeers.add(key);
    this.log[level](`${message} (logged once per peer; later refusals are only counted)`, { code, peer });
  }
}

/** The host of a socket's "host:port" (IPv6 too): a peer that is not known yet is named by it. */
export function hostOf(remote: string): string {
  const colon = remote.lastIndexOf(':');
  const host = colon < 0 ? remote : remote.slice(0, colon);
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
