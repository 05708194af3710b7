// ActorContext of a cell: children, watches, adapters, asks, timers and stashes of one actor.
import { WeirError, describeError } from '../messages/errors.ts';
import { type ActorRef, asBaseRef } from './actor-ref.ts';
import type { Behavior } from './behavior.ts';
import type { ActorCell } from './cell.ts';
import type { ActorContext, Props, Result } from './context.ts';
import { AdaptedMessage, PIPED_ERROR, PIPED_VALUE } from './internal-message.ts';
import { AdapterRef, LocalRef } from './local-ref.ts';
import type { Logger } from './log.ts';
import type { Cancellable } from './scheduler.ts';
import { StashBuffer } from './stash.ts';
import type { ActorSystem } from './system.ts';
import { TimerScheduler } from './timers.ts';

/** Child names: letters, digits, '_', '-', '.'; '$' starts only the names the runtime makes. */
const ACTOR_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export class CellContext<M> implements ActorContext<M> {
  private timerScheduler: TimerScheduler<M> | undefined;
  private adapters: AdapterRef<unknown, M>[] | undefined;
  private anonymousCounter = 0;

  constructor(private readonly cell: ActorCell<M>) {}

  get self(): ActorRef<M> {
    return this.cell.ref;
  }

  get system(): ActorSystem {
    return this.cell.system;
  }

  get log(): Logger {
    return this.cell.log;
  }

  get timers(): TimerScheduler<M> {
    return (this.timerScheduler ??= new TimerScheduler<M>(this.cell.system.scheduler, (tick) => this.cell.enqueueOwn(tick)));
  }

  spawn<C>(behavior: Behavior<C>, name: string, props?: Props): ActorRef<C> {
    if (!ACTOR_NAME.test(name)) {
      throw new WeirError('INVALID_ACTOR_NAME', `invalid actor name "${name}" under ${this.cell.path}: use letters, digits, '_', '-' and '.'`);
    }
    return this.spawnChild(behavior, name, props);
  }

  spawnAnonymous<C>(behavior: Behavior<C>, props?: Props): ActorRef<C> {
    return this.spawnChild(behavior, `$${(this.anonymousCounter++).toString(36)}`, props);
  }

  /** Also used by the system for its guardians' children, where names are checked by the caller. */
  spawnChild<C>(behavior: Behavior<C>, name: string, props?: Props): ActorRef<C> {
    const parent = this.cell;
    if (parent.children.has(name)) {
      throw new WeirError('DUPLICATE_ACTOR_NAME', `${parent.path} already has a child named "${name}"`);
    }
    if (parent.status === 'stopped') {
      throw new WeirError('ACTOR_STOPPED', `cannot spawn "${name}": ${parent.path} has stopped`);
    }
    const child = parent.system.createCell(parent as unknown as ActorCell<unknown>, name, behavior, props);
    parent.children.set(name, child as ActorCell<unknown>);
    child.systemMessage({ kind: 'create' });
    return child.ref;
  }

  stop(child: ActorRef<never>): void {
    const cell = child instanceof LocalRef ? (child.cell as ActorCell<unknown>) : undefined;
    if (!cell || cell.parent !== (this.cell as ActorCell<unknown>)) {
      throw new WeirError('NOT_A_CHILD', `${this.cell.path} can only stop its own children, not ${child.path}`);
    }
    cell.stop();
  }

  children(): ActorRef<unknown>[] {
    return [...this.cell.children.values()].map((cell) => cell.ref);
  }

  child(name: string): ActorRef<unknown> | undefined {
    return this.cell.children.get(name)?.ref;
  }

  watch(ref: ActorRef<never>): void {
    this.cell.watch(asBaseRef(ref), false);
  }

  watchWith(ref: ActorRef<never>, msg: M): void {
    this.cell.watch(asBaseRef(ref), true, msg);
  }

  unwatch(ref: ActorRef<never>): void {
    this.cell.unwatch(asBaseRef(ref));
  }

  messageAdapter<U>(adapt: (msg: U) => M): ActorRef<U> {
    const localPath = `${this.cell.localPath}/$adapter-${(this.adapters?.length ?? 0).toString(36)}`;
    const ref = new AdapterRef<U, M>(this.cell, this.cell.system.address + localPath, adapt);
    (this.adapters ??= []).push(ref as AdapterRef<unknown, M>);
    this.cell.system.register(localPath, ref);
    return ref;
  }

  ask<Req, Res>(
    target: ActorRef<Req>,
    makeRequest: (replyTo: ActorRef<Res>) => Req,
    timeoutMs: number,
    toMessage: (result: Result<Res>) => M,
  ): void {
    this.pipeToSelf(this.cell.system.ask(target, makeRequest, timeoutMs), toMessage);
  }

  pipeToSelf<T>(promise: Promise<T>, toMessage: (result: Result<T>) => M): void {
    promise.then(
      (value) => this.cell.enqueueOwn(new AdaptedMessage(() => toMessage({ ok: true, value }), PIPED_VALUE)),
      (error: unknown) => this.cell.enqueueOwn(new AdaptedMessage(() => toMessage({ ok: false, error }), PIPED_ERROR)),
    );
  }

  scheduleOnce<T>(delayMs: number, target: ActorRef<T>, msg: T): Cancellable {
    return this.cell.system.scheduler.schedule(delayMs, () => {
      try {
        target.tell(msg);
      } catch (error) {
        // A full fail-sender mailbox: no handler is running to fail, so the message is a dead letter.
        this.cell.system.deadLetter(msg, target.path, describeError(error));
      }
    });
  }

  createStash(capacity: number): StashBuffer<M> {
    return new StashBuffer<M>(capacity, this.cell.path, (messages) => this.cell.prepend(messages));
  }

  /** On restart: timers go; adapters stay (refs handed out keep working for the new behavior). */
  releaseOnRestart(): void {
    this.timerScheduler?.cancelAll();
  }

  /** On stop: timers go and the adapters' paths are freed. */
  releaseOnStop(): void {
    this.timerScheduler?.cancelAll();
    for (const adapter of this.adapters ?? []) this.cell.system.unregister(adapter.path.slice(this.cell.system.address.length), adapter);
    this.adapters = undefined;
  }
}
