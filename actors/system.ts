// The actor system: guardians, the registry of local paths, dead letters, tracing, asks, and (when
// given a listen address) remoting. One per process role; specs run several in one process.
import type { Observable } from 'rxjs';
import { v4 as uuid } from 'uuid';
import { WeirError, messageType } from '../messages/errors.ts';
import { type ActorRef, BaseRef, type Watcher } from './actor-ref.ts';
import { type Behavior, Behaviors } from './behavior.ts';
import { ActorCell } from './cell.ts';
import type { Props } from './context.ts';
import { type DeadLetter, type DeadLetterClass, DeadLetterOffice } from './dead-letters.ts';
import { Dispatcher } from './dispatcher.ts';
import { MissingRef } from './local-ref.ts';
import { Logger, type LoggerOptions } from './log.ts';
import { SYSTEM_NAME, formatAddress, parseActorPath } from './path.ts';
import { type AuthStats, NO_AUTH_FAILURES } from './remote/auth.ts';
import type { RemoteOptions } from './remote/options.ts';
import { Remoting } from './remote/remoting.ts';
import { type Scheduler, realScheduler } from './scheduler.ts';
import { resume } from './supervision.ts';
import { type TraceEvent, type TraceFilter, TraceHub, type TraceItem } from './trace.ts';

export interface ActorSystemOptions {
  /** Letters, digits, '_' and '-'; part of every actor path. */
  readonly name: string;
  /** Listen for other systems (ws). Absent: a local-only system. */
  readonly remote?: RemoteOptions;
  /** Messages an actor handles per turn before others run; default 100. */
  readonly throughput?: number;
  /** Clock and timers; specs pass a manual one. */
  readonly scheduler?: Scheduler;
  readonly log?: LoggerOptions;
}

const guardianBehavior: Behavior<never> = Behaviors.supervise(
  Behaviors.receive<never>(
    () => Behaviors.same,
    () => Behaviors.same,
  ),
  resume(),
);

export class ActorSystem {
  readonly name: string;
  /** Incarnation uid: a restarted process is a new incarnation at the same address. */
  readonly uid: string = uuid();
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly dispatcher: Dispatcher;
  readonly traceHub: TraceHub;
  readonly deadLetterOffice: DeadLetterOffice;
  readonly whenTerminated: Promise<void>;
  private address_: string;
  private readonly registry = new Map<string, BaseRef<unknown>>();
  private userGuardian!: ActorCell<never>;
  private systemGuardian!: ActorCell<never>;
  private remoting: Remoting | undefined;
  private terminating = false;
  private tempCounter = 0;
  private readonly pendingAsks = new Set<(error: Error) => void>();
  private markTerminated!: () => void;

  static async create(options: ActorSystemOptions): Promise<ActorSystem> {
    if (!SYSTEM_NAME.test(options.name)) {
      throw new WeirError('INVALID_ACTOR_NAME', `invalid actor system name "${options.name}": use letters, digits, '_' and '-'`);
    }
    const system = new ActorSystem(options);
    if (options.remote) {
      system.remoting = new Remoting(system, options.remote);
      const { host, port } = await system.remoting.listen();
      system.address_ = formatAddress({ system: options.name, host, port });
    }
    system.startGuardians();
    return system;
  }

  private constructor(options: ActorSystemOptions) {
    this.name = options.name;
    this.address_ = formatAddress({ system: options.name });
    this.scheduler = options.scheduler ?? realScheduler;
    this.traceHub = new TraceHub(options.name, this.scheduler);
    this.log = new Logger(options.log).child({ system: options.name });
    this.dispatcher = new Dispatcher(options.throughput);
    this.deadLetterOffice = new DeadLetterOffice(this.log, () => this.scheduler.now());
    this.whenTerminated = new Promise((resolve) => (this.markTerminated = resolve));
  }

  private startGuardians(): void {
    this.userGuardian = this.createCell(undefined, 'user', guardianBehavior);
    this.systemGuardian = this.createCell(undefined, 'system', guardianBehavior);
    this.userGuardian.systemMessage({ kind: 'create' });
    this.systemGuardian.systemMessage({ kind: 'create' });
  }

  /** weir://name@host:port, or weir://name when the system does not listen. */
  get address(): string {
    return this.address_;
  }

  /** Every message sent, local and remote, while subscribed. */
  get trace$(): Observable<TraceEvent> {
    return this.traceHub.trace$;
  }

  get deadLetters$(): Observable<DeadLetter> {
    return this.deadLetterOffice.deadLetters$;
  }

  get deadLetterCount(): number {
    return this.deadLetterOffice.count;
  }

  /** Dead letters so far by reason class: `invalid-message` counts what the wire refused, and so on. */
  get deadLetterCounts(): Readonly<Record<DeadLetterClass, number>> {
    return this.deadLetterOffice.counts;
  }

  get isTerminated(): boolean {
    return this.terminating;
  }

  /** Starts a top-level actor at /user/<name>. */
  spawn<M>(behavior: Behavior<M>, name: string, props?: Props): ActorRef<M> {
    return this.userGuardian.context.spawn(behavior, name, props);
  }

  /** Starts a runtime actor at /system/<name> (remoting, trace relays). */
  systemActorOf<M>(behavior: Behavior<M>, name: string): ActorRef<M> {
    return this.systemGuardian.context.spawnChild(behavior, name);
  }

  /** A ref for a full actor path; a remote path needs this system to listen. */
  resolve<M>(path: string): ActorRef<M> {
    return this.resolveWithUid(path, '') as ActorRef<M>;
  }

  /** Resolves a ref read off the wire; `uid` is the incarnation of the system that hosts it. */
  resolveWithUid(path: string, uid: string): BaseRef<unknown> {
    const parsed = parseActorPath(path);
    if (parsed.addressText === this.address_ || uid === this.uid) {
      return this.registry.get(parsed.localPath) ?? new MissingRef(this, this.address_ + parsed.localPath);
    }
    if (!this.remoting) {
      throw new WeirError('NOT_REMOTE', `system "${this.name}" does not listen, so it cannot reach ${path}; give ActorSystem.create a remote address`);
    }
    return this.remoting.refFor(parsed, uid);
  }

  /** Sends `makeRequest(replyTo)` to `target`; rejects with ASK_TIMEOUT naming both if no reply comes in time. */
  ask<Req, Res>(target: ActorRef<Req>, makeRequest: (replyTo: ActorRef<Res>) => Req, timeoutMs: number): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      if (this.terminating) {
        reject(new WeirError('SYSTEM_TERMINATED', `system "${this.name}" is terminated; cannot ask ${target.path}`));
        return;
      }
      const localPath = `/temp/$${(this.tempCounter++).toString(36)}`;
      const finish = (): void => {
        timer.cancel();
        this.pendingAsks.delete(fail);
        this.unregister(localPath, replyTo);
      };
      const fail = (error: Error): void => {
        replyTo.complete(); // a reply after a timeout is a dead letter, not silently dropped
        finish();
        reject(error);
      };
      const replyTo = new AskRef<Res>(this, this.address_ + localPath, (reply) => {
        finish();
        resolve(reply);
      });
      this.register(localPath, replyTo);
      this.pendingAsks.add(fail);
      let request: Req | undefined;
      const timer = this.scheduler.schedule(timeoutMs, () => {
        const type = request === undefined ? 'request' : `"${messageType(request)}"`;
        fail(new WeirError('ASK_TIMEOUT', `ask to ${target.path} with ${type} got no reply within ${timeoutMs} ms`));
      });
      try {
        request = makeRequest(replyTo);
        target.tell(request);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** This system's trace, filtered, bounded and summarised (TraceHub.items$). */
  traceItems$(filter?: TraceFilter): Observable<TraceItem> {
    return this.traceHub.items$(filter);
  }

  /** The trace of another system, filtered there, bounded there, streamed over the same connection. */
  remoteTrace$(address: string, filter?: TraceFilter): Observable<TraceItem> {
    if (!this.remoting) {
      throw new WeirError('NOT_REMOTE', `system "${this.name}" does not listen, so it cannot subscribe to the trace of ${address}`);
    }
    return this.remoting.remoteTrace$(address, filter);
  }

  /**
   * Resolves once this system is connected to the system at `address` (weir://name@host:port),
   * dialling it if need be; rejects with the reason when that system refuses the handshake
   * (AUTHENTICATION_FAILED, PROTOCOL_VERSION_MISMATCH, ...). Unbounded while nothing answers: the
   * caller bounds the wait. Lets a client tell a refusal from silence before it asks anything.
   */
  connectTo(address: string): Promise<void> {
    if (!this.remoting) return Promise.reject(new WeirError('NOT_REMOTE', `system "${this.name}" does not listen, so it cannot connect to ${address}`));
    return this.remoting.connectTo(address);
  }

  /** Failed authentications of this system's connections, by why (all 0 without remoting). */
  get authStats(): AuthStats {
    return this.remoting?.auth.stats ?? NO_AUTH_FAILURES;
  }

  /** Stops every actor (children first), closes connections, fails pending asks. */
  async terminate(): Promise<void> {
    if (this.terminating) return this.whenTerminated;
    this.terminating = true;
    this.userGuardian.stop();
    this.systemGuardian.stop();
    for (const fail of [...this.pendingAsks]) fail(new WeirError('SYSTEM_TERMINATED', `system "${this.name}" terminated before the reply came`));
    await this.remoting?.shutdown();
    this.traceHub.complete();
    this.deadLetterOffice.complete();
    this.markTerminated();
    return this.whenTerminated;
  }

  // --- runtime internals ----------------------------------------------------------------------

  createCell<M>(parent: ActorCell<unknown> | undefined, name: string, behavior: Behavior<M>, props?: Props): ActorCell<M> {
    const localPath = `${parent ? parent.localPath : ''}/${name}`;
    const cell = new ActorCell<M>(this, parent, name, localPath, behavior, props?.mailbox);
    this.registry.set(localPath, cell.ref as BaseRef<unknown>);
    return cell;
  }

  lookup(localPath: string): BaseRef<unknown> | undefined {
    return this.registry.get(localPath);
  }

  register(localPath: string, ref: BaseRef<unknown>): void {
    this.registry.set(localPath, ref);
  }

  unregister(localPath: string, ref: BaseRef<unknown>): void {
    if (this.registry.get(localPath) === ref) this.registry.delete(localPath);
  }

  /** `reasonClass`, when not given, is read from how the runtime words `reason` (classifyReason). */
  deadLetter(msg: unknown, recipient: string, reason: string, reasonClass?: DeadLetterClass): void {
    this.deadLetterOffice.record(msg, recipient, reason, reasonClass);
  }

  unhandled(msg: unknown, recipient: string): void {
    this.deadLetterOffice.unhandled(msg, recipient);
  }
}

/** The temporary actor that receives an ask's reply. */
class AskRef<Res> extends BaseRef<Res> {
  private done = false;

  constructor(
    readonly system: ActorSystem,
    readonly path: string,
    private readonly onReply: (reply: Res) => void,
  ) {
    super();
  }

  get uid(): string {
    return this.system.uid;
  }

  tell(msg: Res): void {
    if (this.done) {
      this.system.deadLetter(msg, this.path, 'ask already completed');
      return;
    }
    this.done = true;
    this.onReply(msg);
  }

  /** The ask failed (timeout, termination): later replies go to dead letters. */
  complete(): void {
    this.done = true;
  }

  addWatcher(watcher: Watcher): void {
    if (this.done) watcher.notifyTerminated(this, undefined, false);
  }

  removeWatcher(): void {}
}
