// One association: this system's link to one other system (one connection, used both ways).
//
// Lifecycle: 'idle' -> 'connecting' (dialling, then the handshake of dial.ts) -> 'connected' (hello
// exchanged and, with a secret, proofs checked; either side may have initiated) -> 'idle' on a broken link (reconnect with backoff while anything here needs
// the peer) -> removed by Remoting when the failure detector declares the peer unreachable, or at
// once when a reconnect after a lost connection is refused (nothing listens there any more).
// Invariants: envelopes leave in the order they were sent, control frames after the envelopes
// queued before them; at most `maxPendingEnvelopes` wait for a connection, the rest go to dead
// letters; `tell` never blocks and never throws for the link.
import { tlsFailure } from './tls.ts';
import { WeirError, describeError } from '../../messages/errors.ts';
import { encode, encodeSmall } from '../../messages/codec.ts';
import { type Envelope, type Frame, FrameKind, type HelloBody } from '../../messages/remoting.ts';
import type { Logger } from '../log.ts';
import type { AuthMonitor } from './auth.ts';
import { type DiallerHost, dialHandshake } from './dial.ts';
import type { ActorPath } from '../path.ts';
import type { Cancellable } from '../scheduler.ts';
import { DeadlineFailureDetector } from './failure-detector.ts';
import type { ResolvedRemoteOptions } from './options.ts';
import type { Connection } from './transport.ts';

export type AssociationState = 'idle' | 'connecting' | 'connected' | 'removed';

/** What an association needs from Remoting. */
export interface AssociationHost {
  readonly options: ResolvedRemoteOptions;
  readonly log: Logger;
  readonly auth: AuthMonitor;
  now(): number;
  schedule(delayMs: number, task: () => void): Cancellable;
  connect(host: string, port: number): Promise<Connection>;
  ownHello(): HelloBody;
  /** A hello (ours acknowledged, or theirs accepted) named this uid; may quarantine the previous one. */
  adoptUid(association: Association, uid: string): void;
  onFrame(association: Association, frame: Uint8Array): void;
  /** Decodes and checks a handshake answer; the error says what is wrong with it. */
  decodeControl(frame: Uint8Array): Frame | WeirError;
  /** True while watches or trace subscriptions depend on this peer. */
  hasInterest(association: Association): boolean;
  /**
   * A new connection replaced a lost one. The peer may have forgotten what we asked of it over the
   * old one (it drops a peer's watches and trace subscriptions when their connection closes).
   */
  reconnected(association: Association): void;
  deadLetter(association: Association, envelope: Envelope, reason: string): void;
  unreachable(association: Association, reason: string): void;
  /** The link closed and nothing needs it: Remoting may forget the association. */
  idle(association: Association): void;
}

export class Association {
  state: AssociationState = 'idle';
  /** Incarnation uid of the peer, once a hello named it. */
  remoteUid = '';
  /** True while the link is a connection this system dialled (rather than accepted). */
  dialledByUs = false;
  /** True once any connection was attached: a later attach is a reconnect. */
  private everAttached = false;
  private connection: Connection | undefined;
  private pending: Envelope[] = [];
  private pendingControl: Frame[] = [];
  private flushScheduled = false;
  private reconnectAttempt = 0;
  private reconnectTimer: Cancellable | undefined;
  private readonly detector: DeadlineFailureDetector;
  private heartbeatTimer: Cancellable | undefined;
  /** Callers of whenConnected waiting for the next handshake's outcome. */
  private waiters: Array<{ readonly resolve: () => void; readonly reject: (error: Error) => void }> = [];

  constructor(
    private readonly host: AssociationHost,
    readonly path: ActorPath,
  ) {
    this.detector = new DeadlineFailureDetector(host.options.acceptablePauseMs, host.now());
    this.scheduleHeartbeat();
  }

  get address(): string {
    return this.path.addressText;
  }

  get isConnected(): boolean {
    return this.connection !== undefined;
  }

  /** Queues an envelope; coalesced with the others sent in the same turn into one frame. */
  send(envelope: Envelope): void {
    if (this.connection) {
      if (this.connection.bufferedAmount > this.host.options.maxBufferedBytes) {
        this.host.deadLetter(this, envelope, `link to ${this.address} overloaded (${this.connection.bufferedAmount} bytes unsent)`);
        return;
      }
    } else if (this.pending.length >= this.host.options.maxPendingEnvelopes) {
      this.host.deadLetter(this, envelope, `${this.host.options.maxPendingEnvelopes} envelopes already wait for ${this.address}`);
      return;
    }
    this.pending.push(envelope);
    if (!this.connection) this.connectSoon();
    else if (this.pending.length >= this.host.options.maxEnvelopesPerFrame) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      RESOLVED.then(this.flushLater); // cheaper than queueMicrotask (see dispatcher.ts)
    }
  }

  /** Sends a control frame after the envelopes queued before it. */
  sendControl(frame: Frame): void {
    if (this.connection) {
      this.flush();
      this.connection.send(encode(frame));
    } else {
      this.pendingControl.push(frame);
      this.connectSoon();
    }
  }

  /**
   * True when a trace frame may be sent now: connected, the envelopes queued before it written
   * first, and under `maxTraceBufferedBytes` unsent (far below the envelopes' limit). The relay
   * sends only then and otherwise lets its tap drop (and count), so trace frames never crowd out
   * cluster messages and are the first thing shed when the link is slow.
   */
  hasTraceRoom(): boolean {
    const connection = this.connection;
    if (!connection) return false;
    this.flush();
    return connection.bufferedAmount <= this.host.options.maxTraceBufferedBytes;
  }

  /**
   * Resolves once a connection to the peer is up (dialling it if need be); rejects when the peer
   * refuses the handshake (AUTHENTICATION_FAILED, PROTOCOL_VERSION_MISMATCH, HANDSHAKE_FAILED) or
   * the association is removed. A peer that does not answer is dialled again with backoff: the
   * caller bounds the wait.
   */
  whenConnected(): Promise<void> {
    if (this.connection) return Promise.resolve();
    if (this.state === 'removed') return Promise.reject(new WeirError('SYSTEM_TERMINATED', `the association with ${this.address} is removed`));
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.connectSoon();
    });
  }

  /** Drops envelopes addressed to a previous incarnation of the peer. */
  dropPendingFor(uid: string, reason: string): void {
    const keep: Envelope[] = [];
    for (const envelope of this.pending) {
      if (envelope[1] === uid) this.host.deadLetter(this, envelope, reason);
      else keep.push(envelope);
    }
    this.pending = keep;
  }

  /** A handshaken connection becomes this association's link (replacing any older one). */
  attach(connection: Connection, dialledByUs: boolean): void {
    const previous = this.connection;
    this.connection = connection;
    this.dialledByUs = dialledByUs;
    this.state = 'connected';
    this.reconnectAttempt = 0;
    this.reconnectTimer?.cancel();
    this.reconnectTimer = undefined;
    this.detector.heartbeat(this.host.now());
    connection.setHandlers({
      onFrame: (frame) => {
        this.detector.heartbeat(this.host.now());
        this.host.onFrame(this, frame);
      },
      onClose: (reason) => this.connectionClosed(connection, reason),
    });
    previous?.close('replaced by a newer connection');
    this.host.log.debug(`connected to ${this.address} (${dialledByUs ? 'dialled by us' : 'it dialled us'})`);
    const control = this.pendingControl;
    this.pendingControl = [];
    this.flush();
    for (const frame of control) connection.send(encode(frame));
    if (this.everAttached && !previous) this.host.reconnected(this);
    this.everAttached = true;
    for (const waiter of this.takeWaiters()) waiter.resolve();
  }

  /** Closes the link because the peer cannot be trusted (malformed frame, protocol violation). */
  closeConnection(reason: string): void {
    this.connection?.close(reason);
  }

  /** Forgets everything; what still waits goes to dead letters. */
  remove(reason: string): void {
    if (this.state === 'removed') return;
    this.state = 'removed';
    this.heartbeatTimer?.cancel();
    this.reconnectTimer?.cancel();
    const connection = this.connection;
    this.connection = undefined;
    connection?.close(reason);
    for (const envelope of this.pending) this.host.deadLetter(this, envelope, reason);
    this.pending = [];
    this.pendingControl = [];
    this.handshakeFailed(new WeirError('SYSTEM_TERMINATED', `the association with ${this.address} is removed: ${reason}`));
  }

  /** A handshake was refused (or the association removed): whoever waits for a connection hears why. */
  private handshakeFailed(error: Error): void {
    for (const waiter of this.takeWaiters()) waiter.reject(error);
  }

  private takeWaiters(): Array<{ readonly resolve: () => void; readonly reject: (error: Error) => void }> {
    const waiters = this.waiters;
    this.waiters = [];
    return waiters;
  }

  /** Something here still needs the link: envelopes or control frames to send, waiters, watches or traces. */
  private get needed(): boolean {
    return this.pending.length > 0 || this.pendingControl.length > 0 || this.waiters.length > 0 || this.host.hasInterest(this);
  }

  private readonly flushLater = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  private flush(): void {
    const connection = this.connection;
    if (!connection || this.pending.length === 0) return;
    const max = this.host.options.maxEnvelopesPerFrame;
    const pending = this.pending;
    this.pending = [];
    for (let start = 0; start < pending.length; start += max) {
      const chunk = start === 0 && pending.length <= max ? pending : pending.slice(start, start + max);
      this.writeEnvelopes(connection, chunk);
    }
  }

  private writeEnvelopes(connection: Connection, envelopes: readonly Envelope[]): void {
    let frame: Uint8Array;
    try {
      frame = envelopes.length <= SMALL_FRAME_ENVELOPES ? encodeSmall([FrameKind.Envelopes, envelopes]) : encode([FrameKind.Envelopes, envelopes]);
    } catch {
      // One message msgpack cannot write must not sink the others: write them one by one.
      for (const envelope of envelopes) {
        try {
          connection.send(encode([FrameKind.Envelopes, [envelope]]));
        } catch (error) {
          this.host.deadLetter(this, envelope, `cannot be encoded: ${describeError(error)}`);
        }
      }
      return;
    }
    if (frame.length > this.host.options.maxFrameBytes && envelopes.length > 1) {
      const half = envelopes.length >> 1;
      this.writeEnvelopes(connection, envelopes.slice(0, half));
      this.writeEnvelopes(connection, envelopes.slice(half));
      return;
    }
    if (frame.length > this.host.options.maxFrameBytes) {
      this.host.deadLetter(this, envelopes[0], `encodes to ${frame.length} bytes, over the ${this.host.options.maxFrameBytes}-byte frame limit`);
      return;
    }
    connection.send(frame);
  }

  // --- connecting --------------------------------------------------------------------------

  private connectSoon(): void {
    if (this.state === 'idle' && !this.reconnectTimer) void this.connect();
  }

  private async connect(): Promise<void> {
    const { host, port } = this.path.address;
    if (host === undefined || port === undefined || this.state !== 'idle') return;
    this.state = 'connecting';
    let connection: Connection;
    try {
      connection = await this.host.connect(host, port);
    } catch (error) {
      if (this.everAttached && isConnectionRefused(error)) {
        // We were connected; now nothing listens at the address: the process is gone (a new
        // incarnation would be another peer anyway). Waiting for the failure detector would only
        // keep its watchers waiting for an acceptable pause.
        this.state = 'idle';
        this.host.unreachable(this, 'the connection was lost, and a new one was refused: nothing listens there any more');
        return;
      }
      const tls = tlsFailure(error);
      if (tls !== undefined) {
        // A certificate the other side (or this one) does not accept: whoever waits hears why now,
        // and the retries go on (the peer may get the right certificate).
        this.handshakeFailed(new WeirError('TLS_HANDSHAKE_FAILED', `the TLS handshake with ${this.address} failed: ${tls} (security.ssl.internal: both sides need certificates of the same CA)`));
      } else {
        this.host.log.debug(`cannot connect to ${this.address}`, { error });
      }
      this.connectFailed();
      return;
    }
    if (this.state !== 'connecting') {
      connection.close(this.state === 'connected' ? 'already connected' : 'association removed');
      return;
    }
    dialHandshake(this.dialling(), connection);
  }

  /** What the dialler's side of the handshake (dial.ts) reads and does here. */
  private dialling(): DiallerHost {
    return {
      host: this.host,
      address: this.address,
      stillConnecting: () => this.state === 'connecting',
      admitted: (connection, uid) => {
        this.host.adoptUid(this, uid);
        connection.peerKnown();
        this.attach(connection, true);
      },
      refused: (error) => this.handshakeFailed(error),
      closed: () => {
        if (this.state === 'connecting') this.connectFailed();
      },
    };
  }

  private connectFailed(): void {
    if (this.state === 'removed' || this.connection) return;
    this.state = 'idle';
    const { reconnectMinMs, reconnectMaxMs } = this.host.options;
    const delay = Math.min(reconnectMaxMs, reconnectMinMs * 2 ** this.reconnectAttempt++);
    this.reconnectTimer?.cancel();
    this.reconnectTimer = this.host.schedule(delay, () => {
      this.reconnectTimer = undefined;
      if (this.state === 'idle' && this.needed) void this.connect();
    });
  }

  private connectionClosed(connection: Connection, reason: string): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    if (this.state === 'removed') return;
    this.state = 'idle';
    this.host.log.info(`connection to ${this.address} closed: ${reason}`);
    if (this.needed) this.connectFailed();
    else this.host.idle(this);
  }

  // --- heartbeats and failure detection ----------------------------------------------------

  private scheduleHeartbeat(): void {
    this.heartbeatTimer = this.host.schedule(this.host.options.heartbeatIntervalMs, () => {
      if (this.state === 'removed') return;
      if (this.connection) this.connection.send(HEARTBEAT);
      const now = this.host.now();
      if (!this.detector.isAvailable(now)) {
        this.host.unreachable(this, `no heartbeat for ${now - this.detector.lastHeard} ms (acceptable pause ${this.host.options.acceptablePauseMs} ms)`);
        return;
      }
      this.scheduleHeartbeat();
    });
  }
}

/** ECONNREFUSED anywhere in the error's cause chain (a transport wraps the socket's error). */
function isConnectionRefused(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== null && typeof cause === 'object' && depth < 5; depth++) {
    if ((cause as { code?: unknown }).code === 'ECONNREFUSED') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

const HEARTBEAT = encode([FrameKind.Heartbeat]);
const RESOLVED = Promise.resolve();
/** Frames of at most this many envelopes are written without the records extension. */
const SMALL_FRAME_ENVELOPES = 2;

