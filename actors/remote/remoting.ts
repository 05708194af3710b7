// Remoting: listens for other systems, keeps one association per peer address, handshakes, routes
// inbound frames, and runs death watch and trace subscriptions across systems.
//
// Bad input never breaks anything else: a malformed or oversized frame, an unknown frame kind or a
// second hello closes that connection; an unknown message type or a message for an unknown actor is
// logged with the peer's address and dropped; a peer of another protocol version is refused.
import type { Observable } from 'rxjs';
import { checkMessage, decode, encode, registerRefExtension } from '../../messages/codec.ts';
import { WeirError, describeError, messageType } from '../../messages/errors.ts';
import { type Envelope, type Frame, FrameKind, type HelloAckBody, type HelloBody, PROTOCOL_VERSION, frameKindName, parseFrame } from '../../messages/remoting.ts';
import { BaseRef, type Watcher } from '../actor-ref.ts';
import type { Logger } from '../log.ts';
import { type ActorPath, parseActorPath } from '../path.ts';
import type { Cancellable } from '../scheduler.ts';
import type { ActorSystem } from '../system.ts';
import type { TraceFilter, TraceItem } from '../trace.ts';
import { type AcceptorHost, type Refuse, acceptConnection } from './accept.ts';
import { Association, type AssociationHost } from './association.ts';
import { AuthMonitor, type AuthSecret, isAuthRefusalCode } from './auth.ts';
import { type RemoteOptions, type ResolvedRemoteOptions, resolveRemoteOptions } from './options.ts';
import { RemoteRef, type RemoteRefHost } from './remote-ref.ts';
import { RemoteWatches } from './remote-watch.ts';
import { TraceRelay } from './trace-relay.ts';
import type { Connection, Transport } from './transport.ts';
import { WsTransport } from './ws-transport.ts';

registerRefExtension<BaseRef<unknown>>({
  Class: BaseRef,
  write: (ref) => [ref.path, ref.uid],
  read: (path, uid, context) => {
    if (!(context instanceof Object) || !('resolveWithUid' in context)) {
      throw new WeirError('MALFORMED_FRAME', `an actor ref (${path}) was decoded outside an actor system`);
    }
    return (context as ActorSystem).resolveWithUid(path, uid);
  },
});

export class Remoting implements AssociationHost, AcceptorHost, RemoteRefHost {
  readonly options: ResolvedRemoteOptions;
  readonly log: Logger;
  /** Failed authentications, both ways; each peer's first is logged. */
  readonly auth: AuthMonitor;
  private readonly transport: Transport;
  private readonly associations = new Map<string, Association>();
  private readonly quarantined = new Set<string>();
  private readonly watches = new RemoteWatches();
  private readonly traces: TraceRelay;
  private shuttingDown = false;
  /** The recipient of the previous envelope of the frame being delivered (see deliver). */
  private lastTo: string | undefined;
  private lastTarget: BaseRef<unknown> | undefined;

  constructor(
    private readonly system: ActorSystem,
    options: RemoteOptions,
  ) {
    this.options = resolveRemoteOptions(options);
    this.transport = options.transport ?? new WsTransport(options.tls, (remote, reason) => this.auth.tlsRefused(remote, reason));
    this.log = system.log.child({ component: 'remoting' });
    this.auth = new AuthMonitor(this.log);
    this.traces = new TraceRelay(system.traceHub, system.scheduler, this.log);
  }

  async listen(): Promise<{ host: string; port: number }> {
    const { host, port, maxFrameBytes, maxHandshakeFrameBytes } = this.options;
    return this.transport.listen(host, port, { maxFrameBytes, maxHandshakeFrameBytes }, (connection) => acceptConnection(this, connection));
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.traces.completeAll();
    for (const association of this.associations.values()) association.remove('system terminated');
    this.associations.clear();
    await this.transport.close();
  }

  refFor(path: ActorPath, uid: string): RemoteRef<unknown> {
    if (path.address.host === undefined) {
      throw new WeirError('INVALID_ADDRESS', `${path.addressText} has no host:port, so it is not reachable from ${this.system.address}`);
    }
    return new RemoteRef(this.system, this, path.addressText, path.localPath, uid);
  }

  connectTo(address: string): Promise<void> {
    return this.association(parseActorPath(address)).whenConnected();
  }

  remoteTrace$(address: string, filter?: TraceFilter): Observable<TraceItem> {
    return this.traces.subscribe(this.association(parseActorPath(address)), filter);
  }

  // --- RemoteRefHost -----------------------------------------------------------------------

  send(ref: RemoteRef<unknown>, msg: unknown): void {
    // ref.address is already canonical (refFor stores path.addressText) and the same string object on
    // every send, so its hash is cached: no regex parse and no fresh key per message.
    const association = this.associations.get(ref.address) ?? this.association(parseActorPath(ref.address));
    const envelope: Envelope = [ref.localPath, ref.uid, this.system.dispatcher.current?.path ?? null, msg];
    const problem = checkMessage(msg, this.system.address);
    if (problem) {
      this.log.error(`cannot send to ${ref.path}: ${problem.message}`, { code: problem.code });
      this.deadLetter(association, envelope, problem.message);
      return;
    }
    if (ref.uid !== '' && association.remoteUid !== '' && ref.uid !== association.remoteUid) {
      this.deadLetter(association, envelope, `${ref.address} restarted; the actor this ref named is gone`);
      return;
    }
    if (this.system.traceHub.active) this.trace(ref.path, envelope[2], msg, 'out', encode([envelope]).length);
    association.send(envelope);
  }

  watch(ref: RemoteRef<unknown>, watcher: Watcher): void {
    this.watches.watch(this.association(parseActorPath(ref.address)), ref, watcher);
  }

  unwatch(ref: RemoteRef<unknown>, watcher: Watcher): void {
    const association = this.associations.get(ref.address);
    if (association) this.watches.unwatch(association, ref, watcher);
  }

  // --- AssociationHost ---------------------------------------------------------------------

  now(): number {
    return this.system.scheduler.now();
  }

  schedule(delayMs: number, task: () => void): Cancellable {
    return this.system.scheduler.schedule(delayMs, task);
  }

  connect(host: string, port: number): Promise<Connection> {
    return this.transport.connect(host, port, this.options.maxFrameBytes, this.options.maxHandshakeFrameBytes);
  }

  ownHello(): HelloBody {
    return { version: PROTOCOL_VERSION, address: this.system.address, uid: this.system.uid };
  }

  private ownHelloAck(proof: Uint8Array | undefined): HelloAckBody {
    const hello = this.ownHello();
    return proof === undefined ? hello : { ...hello, proof };
  }

  decodeControl(bytes: Uint8Array): Frame | WeirError {
    try {
      // No actor system behind it: a ref in an answer to our hello is an error, not a lookup.
      return parseFrame(decode(bytes));
    } catch (error) {
      return error instanceof WeirError ? error : new WeirError('MALFORMED_FRAME', describeError(error), { cause: error });
    }
  }

  adoptUid(association: Association, uid: string): void {
    const previous = association.remoteUid;
    association.remoteUid = uid;
    if (previous === '' || previous === uid) return;
    // The peer restarted: nothing meant for the old incarnation may reach the new one.
    this.quarantined.add(previous);
    this.log.warn(`${association.address} restarted (incarnation ${previous} -> ${uid}); the old one is quarantined`, { code: 'QUARANTINED' });
    association.dropPendingFor(previous, `${association.address} restarted; quarantined incarnation ${previous}`);
    this.watches.addressTerminated(association.address);
    this.watches.forgetPeer(association);
    this.traces.forget(association, 'peer restarted');
  }

  hasInterest(association: Association): boolean {
    return this.watches.watchesAt(association.address) || this.traces.hasSubscriptionsTo(association);
  }

  reconnected(association: Association): void {
    this.watches.rewatch(association);
    this.traces.resubscribe(association);
  }

  deadLetter(association: Association, envelope: Envelope, reason: string): void {
    this.system.deadLetter(envelope[3], association.address + envelope[0], reason);
  }

  unreachable(association: Association, reason: string): void {
    this.log.warn(`${association.address} is unreachable: ${reason}`, { peer: association.address });
    this.forget(association, `${association.address} unreachable: ${reason}`);
  }

  idle(association: Association): void {
    this.forget(association, 'connection closed');
  }

  private forget(association: Association, reason: string): void {
    if (this.associations.get(association.address) === association) this.associations.delete(association.address);
    association.remove(reason);
    this.watches.addressTerminated(association.address);
    this.watches.forgetPeer(association);
    this.traces.forget(association, reason);
  }

  private association(path: ActorPath): Association {
    let association = this.associations.get(path.addressText);
    if (!association) {
      if (this.shuttingDown) throw new WeirError('SYSTEM_TERMINATED', `system "${this.system.name}" is terminated`);
      association = new Association(this, path);
      this.associations.set(path.addressText, association);
    }
    return association;
  }

  // --- inbound -----------------------------------------------------------------------------

  get secret(): AuthSecret | undefined {
    return this.options.secret;
  }

  get handshakeTimeoutMs(): number {
    return this.options.handshakeTimeoutMs;
  }

  get ownAddress(): string {
    return this.system.address;
  }

  admit(connection: Connection, hello: HelloBody, refuse: Refuse, ackProof: Uint8Array | undefined): void {
    let path: ActorPath;
    try {
      path = parseActorPath(hello.address);
    } catch (error) {
      return refuse('INVALID_ADDRESS', describeError(error));
    }
    if (path.address.host === undefined) return refuse('INVALID_ADDRESS', `${hello.address} has no host:port`);
    if (this.quarantined.has(hello.uid)) return refuse('QUARANTINED', `incarnation ${hello.uid} of ${hello.address} is quarantined`);
    if (this.shuttingDown) return refuse('SYSTEM_TERMINATED', `system "${this.system.name}" is terminating`);
    const association = this.association(path);
    // Both dialled at once: the connection dialled by the lower address wins, on both sides. The
    // peer's hello may come before or after our own hello was acknowledged, hence 'connected' too.
    const duplicate =
      association.state === 'connecting' || (association.state === 'connected' && association.dialledByUs && hello.uid === association.remoteUid);
    if (duplicate && this.system.address < path.addressText) {
      connection.send(encode([FrameKind.Reject, { code: 'DUPLICATE', reason: 'a connection dialled by the lower address is in progress' }]));
      connection.close('DUPLICATE');
      return;
    }
    this.adoptUid(association, hello.uid);
    connection.peerKnown();
    connection.send(encode([FrameKind.HelloAck, this.ownHelloAck(ackProof)]));
    association.attach(connection, false);
  }

  /** Handles one frame of a connected peer. Total: a frame that breaks a rule closes its connection, logged. */
  onFrame(association: Association, bytes: Uint8Array): void {
    // One try per frame: each handler checks what it reads, and this catches what a check missed
    // (a ref in the frame whose path does not parse throws from the decoder, for one).
    try {
      this.handle(association, parseFrame(decode(bytes, this.system)), bytes.length);
    } catch (error) {
      this.distrust(association, describeError(error), error instanceof WeirError ? error.code : 'MALFORMED_FRAME');
    }
  }

  private handle(association: Association, frame: Frame, frameBytes: number): void {
    switch (frame[0]) {
      case FrameKind.Reject:
        // The peer refused the proof in our HelloAck (it dialled): both sides say so.
        if (isAuthRefusalCode(frame[1].code)) {
          this.auth.refusedBy(association.address, frame[1].code, frame[1].reason);
          return association.closeConnection(frame[1].code);
        }
        return this.distrust(association, `a ${frameKindName(frame[0])} frame after the handshake`, 'MALFORMED_FRAME');
      case FrameKind.Hello:
      case FrameKind.HelloAck:
      case FrameKind.Challenge:
      case FrameKind.Proof:
        return this.distrust(association, `a ${frameKindName(frame[0])} frame after the handshake`, 'MALFORMED_FRAME');
      case FrameKind.Envelopes:
        return this.deliver(association, frame[1], frameBytes);
      case FrameKind.Heartbeat:
        return association.sendControl([FrameKind.HeartbeatAck]);
      case FrameKind.HeartbeatAck:
        return;
      case FrameKind.Watch:
      case FrameKind.Unwatch: {
        // parseFrame checked the path (/a/b), so it resolves; an actor not here is a MissingRef.
        const ref = this.system.lookup(frame[1]) ?? (this.system.resolve(this.system.address + frame[1]) as BaseRef<unknown>);
        if (frame[0] === FrameKind.Watch) this.watches.watchedByPeer(association, ref, frame[1]);
        else this.watches.unwatchedByPeer(association, ref);
        return;
      }
      case FrameKind.Terminated:
        // A path we never watched (or no longer watch) is ignored there.
        return this.watches.terminatedAt(association, frame[1], frame[2] === null ? undefined : new Error(frame[2]));
      case FrameKind.TraceSubscribe:
        return this.traces.serve(association, frame[1], frame[2]);
      case FrameKind.TraceUnsubscribe:
        return this.traces.stopServing(association, frame[1]);
      case FrameKind.TraceEvents:
        return this.traces.received(association, frame[1], frame[2], frame[3] ?? 0);
      default: {
        const impossible: never = frame;
        return impossible;
      }
    }
  }

  private deliver(association: Association, envelopes: readonly unknown[], frameBytes: number): void {
    const peer = association.address;
    let index = 0;
    // Envelopes of a frame mostly go to one actor: look the path up once per run of equal paths.
    // The registry cannot change inside this loop (handlers run later, in the dispatcher's turn).
    this.lastTo = undefined;
    this.lastTarget = undefined;
    // One try per frame: a recipient that refuses (fail-sender mailbox) loses that message only.
    while (index < envelopes.length) {
      try {
        for (; index < envelopes.length; index++) this.deliverOne(peer, envelopes[index], frameBytes / envelopes.length);
      } catch (error) {
        this.log.warn(`message from ${peer} refused: ${describeError(error)}`);
        index++;
      }
    }
  }

  private deliverOne(peer: string, envelope: unknown, bytes: number): void {
    if (!Array.isArray(envelope) || envelope.length !== 4 || typeof envelope[0] !== 'string' || typeof envelope[1] !== 'string' || (envelope[2] !== null && typeof envelope[2] !== 'string')) {
      this.log.error(`dropped a malformed envelope from ${peer}`, { code: 'MALFORMED_FRAME', peer });
      return;
    }
    const [to, toUid, , msg] = envelope as unknown as Envelope;
    const problem = checkMessage(msg, peer);
    if (problem) {
      this.log.error(`dropped a message for ${to}: ${problem.message}`, { code: problem.code, peer });
      this.system.deadLetter(msg, this.system.address + to, problem.message);
      return;
    }
    if (toUid !== '' && toUid !== this.system.uid) {
      this.system.deadLetter(msg, this.system.address + to, `from ${peer}, addressed to a previous incarnation (${toUid}) of this system`);
      return;
    }
    let target = this.lastTarget;
    if (to !== this.lastTo) {
      target = this.lastTarget = this.system.lookup(to);
      this.lastTo = to;
    }
    if (!target) {
      this.system.deadLetter(msg, this.system.address + to, `no actor at this path (sent from ${peer})`);
      return;
    }
    if (this.system.traceHub.active) this.trace(this.system.address + to, envelope[2] ?? peer, msg, 'in', Math.round(bytes));
    target.tellUntraced(msg);
  }

  private distrust(association: Association, detail: string, code: string): void {
    this.log.error(`closing the connection to ${association.address}: ${detail}`, { code, peer: association.address });
    association.closeConnection(`${code}: ${detail}`);
  }

  private trace(to: string, from: string | null, msg: unknown, direction: 'in' | 'out', bytes: number): void {
    this.system.traceHub.emit({
      at: this.system.scheduler.now(),
      from: from ?? undefined,
      to,
      type: messageType(msg),
      bytes,
      remote: true,
      direction,
      system: this.system.name,
    }, msg);
  }
}
