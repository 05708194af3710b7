// What a behavior may do while it handles a message: its own ref, children, death watch, timers,
// asks and piped promises. Only the actor itself may use its context.
import type { ActorRef } from './actor-ref.ts';
import type { Behavior } from './behavior.ts';
import type { Logger } from './log.ts';
import type { Cancellable } from './scheduler.ts';
import type { StashBuffer } from './stash.ts';
import type { ActorSystem } from './system.ts';
import type { TimerScheduler } from './timers.ts';

export type OverflowPolicy = 'drop-newest' | 'fail-sender';

export interface MailboxOptions {
  /** Messages the mailbox holds at most; default unbounded. */
  readonly capacity?: number;
  /** What a full mailbox does: send the new message to dead letters, or throw MAILBOX_FULL at the sender. */
  readonly overflow?: OverflowPolicy;
}

export interface Props {
  readonly mailbox?: MailboxOptions;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export interface ActorContext<M> {
  readonly self: ActorRef<M>;
  readonly system: ActorSystem;
  /** Logger with this actor's path. */
  readonly log: Logger;
  /** Timers owned by this actor, cancelled when it stops or restarts. */
  readonly timers: TimerScheduler<M>;

  spawn<C>(behavior: Behavior<C>, name: string, props?: Props): ActorRef<C>;
  spawnAnonymous<C>(behavior: Behavior<C>, props?: Props): ActorRef<C>;
  /** Stops a child of this actor (and its children first). */
  stop(child: ActorRef<never>): void;
  children(): ActorRef<unknown>[];
  child(name: string): ActorRef<unknown> | undefined;

  /** Delivers the Terminated signal when `ref` stops or its node is lost. */
  watch(ref: ActorRef<never>): void;
  /** Delivers `msg` instead of the Terminated signal. */
  watchWith(ref: ActorRef<never>, msg: M): void;
  unwatch(ref: ActorRef<never>): void;

  /** A ref that accepts U and hands `adapt(u)` to this actor, applied in this actor's turn. */
  messageAdapter<U>(adapt: (msg: U) => M): ActorRef<U>;
  /** Asks `target`; the reply (or the timeout) comes back as a message built by `toMessage`. */
  ask<Req, Res>(
    target: ActorRef<Req>,
    makeRequest: (replyTo: ActorRef<Res>) => Req,
    timeoutMs: number,
    toMessage: (result: Result<Res>) => M,
  ): void;
  /** The promise's outcome comes back as a message to self: state changes stay in handlers. */
  pipeToSelf<T>(promise: Promise<T>, toMessage: (result: Result<T>) => M): void;
  /** Sends `msg` to `target` after `delayMs` (prefer timers for messages to self). */
  scheduleOnce<T>(delayMs: number, target: ActorRef<T>, msg: T): Cancellable;
  createStash(capacity: number): StashBuffer<M>;
}
