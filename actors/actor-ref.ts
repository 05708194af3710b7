// Actor references. An ActorRef<M> is typed by its protocol M; `tell` never blocks and never throws
// for a slow or missing remote peer (delivery is at most once, as in Akka).
import type { ActorRef } from '../messages/actor-ref.ts';
import type { ActorSystem } from './system.ts';

export type { ActorRef };

/** Who wants to hear that an actor stopped: a local actor, or a remote system's watcher. */
export interface Watcher {
  readonly key: string;
  notifyTerminated(ref: ActorRef<never>, error: unknown, addressTerminated: boolean): void;
}

/** The base of every ref the runtime hands out; the codec writes refs by this class. */
export abstract class BaseRef<M> implements ActorRef<M> {
  abstract readonly path: string;
  /** Incarnation uid of the system that hosts the actor ('' when not known yet). */
  abstract readonly uid: string;
  /** The system this ref object belongs to (the one asks and watches go through). */
  abstract readonly system: ActorSystem;
  abstract tell(msg: M): void;
  abstract addWatcher(watcher: Watcher): void;
  abstract removeWatcher(watcher: Watcher): void;

  /** tell() without a trace event: for deliveries already traced (remote inbound). */
  tellUntraced(msg: M): void {
    this.tell(msg);
  }

  narrow<U extends M>(): ActorRef<U> {
    return this as unknown as ActorRef<U>;
  }

  toString(): string {
    return this.path;
  }

  toJSON(): string {
    return this.path;
  }
}

export function asBaseRef<M>(ref: ActorRef<M>): BaseRef<M> {
  if (!(ref instanceof BaseRef)) throw new TypeError(`not an actor ref made by Weir: ${String(ref)}`);
  return ref as BaseRef<M>;
}
