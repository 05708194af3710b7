// The actor cell: one actor's mailbox, current behavior, children, watches and supervision.
//
// Threading: everything here runs on the one JS thread; a cell's handlers run only inside `run`,
// called by the dispatcher, so behaviors see one message at a time.
// Lifecycle: 'new' (until its Create system message) -> 'running' <-> 'suspended' (restart backoff)
// -> 'stopped'. A stopped cell sends whatever reaches it to dead letters.
// Invariants: system messages (create, terminated, escalated, restart) are handled before any
// ordinary message of the same turn; `scheduled` is true exactly while the cell is in the
// dispatcher's ready queue.
import { WeirError, describeError, messageType } from '../messages/errors.ts';
import type { ActorRef, BaseRef, Watcher } from './actor-ref.ts';
import { type AbstractBehavior, type Behavior, type ReceiveBehavior, Behaviors } from './behavior.ts';
import { CellContext } from './cell-context.ts';
import type { MailboxOptions } from './context.ts';
import type { Dispatcher, Runnable } from './dispatcher.ts';
import { InternalMessage, SKIP } from './internal-message.ts';
import { LocalRef } from './local-ref.ts';
import type { Logger } from './log.ts';
import { Queue } from './queue.ts';
import type { Cancellable } from './scheduler.ts';
import { type Signal, postStop, preRestart } from './signals.ts';
import { RestartCounter, type SupervisorStrategy, backoffDelay } from './supervision.ts';
import type { ActorSystem } from './system.ts';
import { type TraceHub, isAggregated } from './trace.ts';

export type CellStatus = 'new' | 'running' | 'suspended' | 'stopped';

type SystemMessage =
  | { readonly kind: 'create' }
  | { readonly kind: 'terminated'; readonly ref: ActorRef<never>; readonly error: unknown; readonly addressTerminated: boolean }
  | { readonly kind: 'escalated'; readonly child: ActorRef<never>; readonly error: unknown }
  | { readonly kind: 'restart' };

type ActiveBehavior<M> = ReceiveBehavior<M> | AbstractBehavior<M>;

const STOP: SupervisorStrategy = { kind: 'stop' };

export class ActorCell<M> implements Runnable, Watcher {
  readonly ref: LocalRef<M>;
  readonly path: string;
  readonly log: Logger;
  /** Children by name; touched by this cell's context and by a child that stops. */
  readonly children = new Map<string, ActorCell<unknown>>();
  status: CellStatus = 'new';
  /** True while queued in the dispatcher. */
  scheduled = false;

  private behavior: ActiveBehavior<M> | undefined;
  private strategy: SupervisorStrategy | undefined;
  private restarts: RestartCounter | undefined;
  private backoffTimer: Cancellable | undefined;
  private currentMessage: unknown;
  private readonly mailbox = new Queue<unknown>();
  private readonly systemQueue = new Queue<SystemMessage>();
  private readonly capacity: number;
  private readonly failSender: boolean;
  private readonly dispatcher: Dispatcher;
  private readonly trace: TraceHub;
  /** Who watches this actor, by watcher key. */
  private watchers: Map<string, Watcher> | undefined;
  /** Whom this actor watches, by path, with the message to deliver instead of Terminated. */
  private watching: Map<string, { readonly ref: BaseRef<never>; readonly custom: boolean; readonly msg?: M }> | undefined;
  readonly context: CellContext<M>;

  constructor(
    readonly system: ActorSystem,
    readonly parent: ActorCell<unknown> | undefined,
    readonly name: string,
    /** The path inside the system: /user/a/b. */
    readonly localPath: string,
    private readonly initial: Behavior<M>,
    mailbox: MailboxOptions = {},
  ) {
    this.path = system.address + localPath;
    this.ref = new LocalRef(this);
    this.log = system.log.child({ path: this.path });
    this.capacity = mailbox.capacity ?? Infinity;
    this.failSender = mailbox.overflow === 'fail-sender';
    this.dispatcher = system.dispatcher;
    this.trace = system.traceHub;
    this.context = new CellContext(this);
  }

  get key(): string {
    return this.path;
  }

  /** The hot path of every local tell; `traced` is false for deliveries already traced. */
  enqueue(msg: unknown, traced = true): void {
    if (this.status === 'stopped') {
      this.system.deadLetter(sentMessage(msg), this.path, 'recipient stopped');
      return;
    }
    if (this.mailbox.length >= this.capacity) {
      this.overflow(msg);
      return;
    }
    if (this.trace.active && traced) this.traceLocal(msg);
    this.mailbox.push(msg);
    if (!this.scheduled) {
      this.scheduled = true;
      this.dispatcher.schedule(this);
    }
  }

  /** Deliveries the runtime makes for this actor (timer ticks, piped results) have no sender to throw at. */
  enqueueOwn(msg: InternalMessage): void {
    if (this.failSender && this.status !== 'stopped' && this.mailbox.length >= this.capacity) {
      this.system.deadLetter(sentMessage(msg), this.path, `mailbox full (${this.capacity})`);
      return;
    }
    this.enqueue(msg);
  }

  /** Puts stashed messages back in front of the mailbox. */
  prepend(messages: readonly unknown[]): void {
    this.mailbox.unshiftAll(messages);
  }

  systemMessage(msg: SystemMessage): void {
    if (this.status === 'stopped') return;
    this.systemQueue.push(msg);
    if (!this.scheduled) {
      this.scheduled = true;
      this.dispatcher.schedule(this);
    }
  }

  run(throughput: number): boolean {
    this.dispatcher.current = this;
    while (this.systemQueue.length > 0 && this.status !== 'stopped') {
      try {
        this.handleSystemMessage(this.systemQueue.shift() as SystemMessage);
      } catch (error) {
        this.fail(error);
      }
    }
    let handled = 0;
    const dispatcher = this.dispatcher;
    // One try per slice, not per message; after a failure the slice goes on with the next message.
    // The clock is read every 8th message (never in one-message turns: ping-pong): a turn of slow
    // messages (a Task's steps) still ends within 8 of them past the deadline.
    while (this.status === 'running' && handled < throughput && this.mailbox.length > 0 && !dispatcher.overdue) {
      try {
        do {
          handled++;
          this.invoke(this.mailbox.shift());
          if ((handled & 7) === 0 && performance.now() > dispatcher.deadline) dispatcher.overdue = true;
        } while (this.status === 'running' && handled < throughput && this.mailbox.length > 0 && !dispatcher.overdue);
      } catch (error) {
        this.fail(error);
      }
    }
    const more = this.status !== 'stopped' && (this.systemQueue.length > 0 || (this.status === 'running' && this.mailbox.length > 0));
    if (!more) this.scheduled = false;
    return more;
  }

  private invoke(received: unknown): void {
    let msg = received;
    if (msg instanceof InternalMessage) {
      msg = msg.unwrap();
      if (msg === SKIP) return;
    }
    this.currentMessage = msg;
    const behavior = this.behavior as ActiveBehavior<M>;
    const next = behavior.kind === 'receive' ? behavior.onMessage(this.context, msg as M) : behavior.onMessage(msg as M);
    if (next !== behavior && next.kind !== 'same') this.become(next);
  }

  private become(next: Behavior<M>): void {
    switch (next.kind) {
      case 'same':
        return;
      case 'receive':
      case 'class':
        this.behavior = next;
        return;
      case 'setup': {
        const inner = next.factory(this.context);
        if (inner.kind === 'same' || inner.kind === 'unhandled') {
          throw new TypeError(`setup of ${this.path} returned Behaviors.${inner.kind}; it must return a behavior`);
        }
        this.become(inner);
        return;
      }
      case 'supervise':
        this.strategy = next.strategy;
        this.become(next.behavior);
        return;
      case 'unhandled':
        this.system.unhandled(this.currentMessage, this.path);
        return;
      case 'stopped':
        this.stop(undefined, next.postStop);
        return;
      default: {
        const impossible: never = next;
        throw new TypeError(`unknown behavior ${String(impossible)}`);
      }
    }
  }

  private signal(signal: Signal): void {
    const behavior = this.behavior;
    if (!behavior) return;
    let next: Behavior<M>;
    if (behavior.kind === 'receive') next = behavior.onSignal ? behavior.onSignal(this.context, signal) : Behaviors.unhandled;
    else next = behavior.onSignal(signal);
    if (signal.signal !== 'Terminated') return;
    if (next.kind === 'unhandled') {
      throw new WeirError('DEATH_PACT', `${this.path} watched ${signal.ref.path}, which stopped, and did not handle Terminated`, {
        cause: signal.error,
      });
    }
    if (next !== behavior) this.become(next);
  }

  private handleSystemMessage(msg: SystemMessage): void {
    switch (msg.kind) {
      case 'create':
        this.status = 'running';
        this.become(this.initial);
        return;
      case 'terminated': {
        const watched = this.watching?.get(msg.ref.path);
        if (!watched || this.status !== 'running') return;
        this.watching?.delete(msg.ref.path);
        if (watched.custom) this.invoke(watched.msg);
        else this.signal({ signal: 'Terminated', ref: msg.ref, error: msg.error, addressTerminated: msg.addressTerminated });
        return;
      }
      case 'escalated':
        throw new WeirError('CHILD_FAILED', `child ${msg.child.path} failed: ${describeError(msg.error)}`, { cause: msg.error });
      case 'restart':
        if (this.status === 'suspended') this.restartNow();
        return;
      default: {
        const impossible: never = msg;
        throw new TypeError(`unknown system message ${String(impossible)}`);
      }
    }
  }

  /** Supervision: what happens when a handler, setup or signal handler throws. */
  private fail(error: unknown): void {
    if (this.status === 'stopped') return;
    const strategy = this.strategy ?? STOP;
    this.log.error(`actor failed handling ${messageType(this.currentMessage)}; supervision: ${strategy.kind}`, { error });
    switch (strategy.kind) {
      case 'resume':
        if (this.behavior) return;
        this.stop(error); // nothing to resume when setup failed
        return;
      case 'stop':
        this.stop(error);
        return;
      case 'escalate':
        this.stop(error);
        this.parent?.systemMessage({ kind: 'escalated', child: this.ref, error });
        return;
      case 'restart':
      case 'backoff':
        this.restartAfterFailure(strategy, error);
        return;
      default: {
        const impossible: never = strategy;
        throw new TypeError(`unknown strategy ${String(impossible)}`);
      }
    }
  }

  private restartAfterFailure(strategy: SupervisorStrategy & { kind: 'restart' | 'backoff' }, error: unknown): void {
    const restarts = (this.restarts ??= new RestartCounter());
    if (!restarts.allow(strategy, this.system.scheduler.now())) {
      const limit = `${strategy.maxRestarts} restarts within ${strategy.withinMs ?? 60_000} ms`;
      this.stop(new WeirError('RESTART_LIMIT_EXCEEDED', `${this.path} failed more than ${limit}: ${describeError(error)}`, { cause: error }));
      return;
    }
    this.prepareRestart();
    if (strategy.kind === 'restart') {
      this.restartNow();
      return;
    }
    const delay = backoffDelay(strategy, restarts.recent);
    this.status = 'suspended';
    this.log.info(`restarting in ${delay} ms`, { attempt: restarts.recent });
    this.backoffTimer = this.system.scheduler.schedule(delay, () => this.systemMessage({ kind: 'restart' }));
  }

  private prepareRestart(): void {
    try {
      this.signal(preRestart);
    } catch (error) {
      this.log.error('PreRestart handler failed', { error });
    }
    this.stopChildren();
    this.context.releaseOnRestart();
    this.unwatchAll();
    this.behavior = undefined;
  }

  private restartNow(): void {
    this.status = 'running';
    try {
      this.become(this.initial);
    } catch (error) {
      // A plain restart that fails in setup would fail again at once: stop instead of spinning.
      if ((this.strategy ?? STOP).kind === 'restart') this.stop(error);
      else throw error;
    }
  }

  /** Stops this actor: children first, then PostStop, then watchers are told. Idempotent. */
  stop(error?: unknown, afterPostStop?: () => void): void {
    if (this.status === 'stopped') return;
    const started = this.behavior !== undefined;
    this.status = 'stopped';
    this.backoffTimer?.cancel();
    this.stopChildren();
    this.context.releaseOnStop();
    try {
      if (started) this.signal(postStop);
      afterPostStop?.();
    } catch (postStopError) {
      this.log.error('PostStop handler failed', { error: postStopError });
    }
    if (this.parent?.children.get(this.name) === this) this.parent.children.delete(this.name);
    this.system.unregister(this.localPath, this.ref);
    this.unwatchAll();
    const watchers = this.watchers;
    this.watchers = undefined;
    if (watchers) for (const watcher of watchers.values()) watcher.notifyTerminated(this.ref, error, false);
    while (this.mailbox.length > 0) {
      const shown = sentMessage(this.mailbox.shift());
      if (shown !== SKIP) this.system.deadLetter(shown, this.path, 'recipient stopped');
    }
    this.systemQueue.drain();
  }

  private stopChildren(): void {
    for (const child of [...this.children.values()]) child.stop();
  }

  // --- death watch -------------------------------------------------------------------------

  watch(ref: BaseRef<never>, custom: boolean, msg?: M): void {
    if (ref.path === this.path) return;
    (this.watching ??= new Map()).set(ref.path, { ref, custom, msg });
    ref.addWatcher(this);
  }

  unwatch(ref: BaseRef<never>): void {
    if (this.watching?.delete(ref.path)) ref.removeWatcher(this);
  }

  private unwatchAll(): void {
    if (!this.watching) return;
    for (const { ref } of this.watching.values()) ref.removeWatcher(this);
    this.watching = undefined;
  }

  addWatcher(watcher: Watcher): void {
    if (this.status === 'stopped') watcher.notifyTerminated(this.ref, undefined, false);
    else (this.watchers ??= new Map()).set(watcher.key, watcher);
  }

  removeWatcher(watcher: Watcher): void {
    this.watchers?.delete(watcher.key);
  }

  notifyTerminated(ref: ActorRef<never>, error: unknown, addressTerminated: boolean): void {
    this.systemMessage({ kind: 'terminated', ref, error, addressTerminated });
  }

  // --- mailbox edges -----------------------------------------------------------------------

  private overflow(msg: unknown): void {
    const shown = sentMessage(msg);
    if (this.failSender) {
      throw new WeirError('MAILBOX_FULL', `mailbox of ${this.path} is full (${this.capacity}); "${messageType(shown)}" refused`);
    }
    this.system.deadLetter(shown, this.path, `mailbox full (${this.capacity})`);
  }

  private traceLocal(msg: unknown): void {
    const shown = sentMessage(msg);
    if (isAggregated(shown)) return; // counted by the actor that handles it (TraceHub.aggregate)
    this.trace.emit({
      at: this.system.scheduler.now(),
      from: this.dispatcher.current?.path,
      to: this.path,
      type: messageType(shown),
      remote: false,
      direction: 'local',
      system: this.system.name,
    }, shown);
  }
}

/** What was sent, for dead letters, traces and errors: the runtime's wrappers (ticks, adapted replies) stay inside. */
function sentMessage(msg: unknown): unknown {
  return msg instanceof InternalMessage ? msg.original : msg;
}
