// Behaviors: what an actor does with its next message. Functional (Behaviors.receive / setup) or a
// class (AbstractBehavior). A handler returns the behavior for the next message: `Behaviors.same`,
// a new behavior, or `Behaviors.stopped`.
import type { ActorContext } from './context.ts';
import type { Signal } from './signals.ts';
import type { SupervisorStrategy } from './supervision.ts';
import type { TimerScheduler } from './timers.ts';
import type { StashBuffer } from './stash.ts';

export interface ReceiveBehavior<M> {
  readonly kind: 'receive';
  readonly onMessage: (ctx: ActorContext<M>, msg: M) => Behavior<M>;
  readonly onSignal?: (ctx: ActorContext<M>, signal: Signal) => Behavior<M>;
}

export interface SetupBehavior<M> {
  readonly kind: 'setup';
  readonly factory: (ctx: ActorContext<M>) => Behavior<M>;
}

export interface SuperviseBehavior<M> {
  readonly kind: 'supervise';
  readonly behavior: Behavior<M>;
  readonly strategy: SupervisorStrategy;
}

export interface SameBehavior {
  readonly kind: 'same';
}

export interface UnhandledBehavior {
  readonly kind: 'unhandled';
}

export interface StoppedBehavior {
  readonly kind: 'stopped';
  readonly postStop?: () => void;
}

/** Class form of a behavior, as Akka's AbstractBehavior: state in fields, a switch in onMessage. */
export abstract class AbstractBehavior<M> {
  readonly kind = 'class' as const;

  constructor(protected readonly context: ActorContext<M>) {}

  abstract onMessage(msg: M): Behavior<M>;

  onSignal(_signal: Signal): Behavior<M> {
    return Behaviors.unhandled;
  }
}

export type Behavior<M> =
  | ReceiveBehavior<M>
  | AbstractBehavior<M>
  | SetupBehavior<M>
  | SuperviseBehavior<M>
  | SameBehavior
  | UnhandledBehavior
  | StoppedBehavior;

const same: SameBehavior = { kind: 'same' };
const unhandled: UnhandledBehavior = { kind: 'unhandled' };
const stopped: StoppedBehavior = { kind: 'stopped' };

export const Behaviors = {
  /** Keep the current behavior. */
  same,
  /** The message was not understood: it is logged and counted as unhandled. */
  unhandled,
  /** Stop the actor after this message. */
  stopped,

  /** Stop the actor and run `postStop` after its PostStop signal. */
  stoppedWith(postStop: () => void): StoppedBehavior {
    return { kind: 'stopped', postStop };
  },

  /** Runs `factory` when the actor starts (and again on each restart). */
  setup<M>(factory: (ctx: ActorContext<M>) => Behavior<M>): Behavior<M> {
    return { kind: 'setup', factory };
  },

  receive<M>(
    onMessage: (ctx: ActorContext<M>, msg: M) => Behavior<M>,
    onSignal?: (ctx: ActorContext<M>, signal: Signal) => Behavior<M>,
  ): Behavior<M> {
    return { kind: 'receive', onMessage, onSignal };
  },

  receiveMessage<M>(onMessage: (msg: M) => Behavior<M>): Behavior<M> {
    return { kind: 'receive', onMessage: (_ctx, msg) => onMessage(msg) };
  },

  /** Handles only signals; every message is unhandled. */
  receiveSignal<M>(onSignal: (ctx: ActorContext<M>, signal: Signal) => Behavior<M>): Behavior<M> {
    return { kind: 'receive', onMessage: () => unhandled, onSignal };
  },

  /** Treats every message as unhandled. */
  empty<M>(): Behavior<M> {
    return { kind: 'receive', onMessage: () => unhandled };
  },

  /** Drops every message silently. */
  ignore<M>(): Behavior<M> {
    return { kind: 'receive', onMessage: () => same };
  },

  withTimers<M>(factory: (timers: TimerScheduler<M>) => Behavior<M>): Behavior<M> {
    return { kind: 'setup', factory: (ctx) => factory(ctx.timers) };
  },

  withStash<M>(capacity: number, factory: (stash: StashBuffer<M>) => Behavior<M>): Behavior<M> {
    return { kind: 'setup', factory: (ctx) => factory(ctx.createStash(capacity)) };
  },

  supervise<M>(behavior: Behavior<M>, strategy: SupervisorStrategy): Behavior<M> {
    return { kind: 'supervise', behavior, strategy };
  },
};

/** `supervise(behavior, restartWithBackoff({ minMs, maxMs }))`. */
export const supervise = Behaviors.supervise;
