// A ref to an actor in another system. tell() hands the message to the association with that
// system; it never blocks and never throws for the link (at-most-once delivery, as in Akka).
import { BaseRef, type Watcher } from '../actor-ref.ts';
import type { ActorSystem } from '../system.ts';

/** What a remote ref needs from Remoting. */
export interface RemoteRefHost {
  send(ref: RemoteRef<unknown>, msg: unknown): void;
  watch(ref: RemoteRef<unknown>, watcher: Watcher): void;
  unwatch(ref: RemoteRef<unknown>, watcher: Watcher): void;
}

export class RemoteRef<M> extends BaseRef<M> {
  constructor(
    readonly system: ActorSystem,
    private readonly host: RemoteRefHost,
    /** weir://name@host:port */
    readonly address: string,
    /** /user/a/b */
    readonly localPath: string,
    /** The peer's incarnation this ref was handed out by ('' when resolved from a path). */
    readonly uid: string,
  ) {
    super();
  }

  get path(): string {
    return this.address + this.localPath;
  }

  tell(msg: M): void {
    this.host.send(this as RemoteRef<unknown>, msg);
  }

  addWatcher(watcher: Watcher): void {
    this.host.watch(this as RemoteRef<unknown>, watcher);
  }

  removeWatcher(watcher: Watcher): void {
    this.host.unwatch(this as RemoteRef<unknown>, watcher);
  }
}
