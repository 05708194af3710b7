// Lifecycle signals an actor's behavior may handle besides its messages.
import type { ActorRef } from './actor-ref.ts';

/** Before the actor is restarted by its supervisor; its children are stopped next. */
export interface PreRestart {
  readonly signal: 'PreRestart';
}

/** The actor has stopped (its children before it); the last thing it sees. */
export interface PostStop {
  readonly signal: 'PostStop';
}

/**
 * A watched actor stopped. `error` is set when it stopped because it failed; `addressTerminated`
 * when its node was declared unreachable or restarted (the actor may never have stopped itself).
 * An actor that watches another and does not handle this signal fails with DEATH_PACT, as in Akka.
 */
export interface Terminated {
  readonly signal: 'Terminated';
  readonly ref: ActorRef<never>;
  readonly error?: unknown;
  readonly addressTerminated: boolean;
}

export type Signal = PreRestart | PostStop | Terminated;

export const preRestart: PreRestart = { signal: 'PreRestart' };
export const postStop: PostStop = { signal: 'PostStop' };
