// Death watch across systems. The watching side keeps, per remote actor, the local watchers and sends
// one Watch frame; the watched side adds one proxy watcher per peer to the actor and answers with a
// Terminated frame when it stops. A lost or restarted peer terminates every watch at its address.
import { FrameKind } from '../../messages/remoting.ts';
import type { ActorRef, BaseRef, Watcher } from '../actor-ref.ts';
import type { Association } from './association.ts';
import type { RemoteRef } from './remote-ref.ts';

export class RemoteWatches {
  /** Watching side: watchee full path -> its ref and local watchers by key. */
  private readonly watched = new Map<string, { readonly ref: RemoteRef<unknown>; readonly watchers: Map<string, Watcher> }>();
  /** Watched side: per association, the proxy watcher and the local actors it watches. */
  private readonly proxies = new Map<Association, { readonly proxy: Watcher; readonly refs: Map<BaseRef<unknown>, string> }>();

  watch(association: Association, ref: RemoteRef<unknown>, watcher: Watcher): void {
    let entry = this.watched.get(ref.path);
    if (!entry) {
      entry = { ref, watchers: new Map() };
      this.watched.set(ref.path, entry);
      association.sendControl([FrameKind.Watch, ref.localPath, watcher.key]);
    }
    entry.watchers.set(watcher.key, watcher);
  }

  unwatch(association: Association, ref: RemoteRef<unknown>, watcher: Watcher): void {
    const entry = this.watched.get(ref.path);
    if (!entry?.watchers.delete(watcher.key) || entry.watchers.size > 0) return;
    this.watched.delete(ref.path);
    association.sendControl([FrameKind.Unwatch, ref.localPath, watcher.key]);
  }

  /** Sends the Watch frames for `association`'s peer again, after it dropped them with a lost connection. */
  rewatch(association: Association): void {
    for (const [path, entry] of this.watched) {
      const watcher = entry.watchers.values().next().value;
      if (watcher && path.startsWith(association.address + '/')) association.sendControl([FrameKind.Watch, entry.ref.localPath, watcher.key]);
    }
  }

  /** Any watch of an actor at `address`? */
  watchesAt(address: string): boolean {
    for (const path of this.watched.keys()) if (path.startsWith(address + '/')) return true;
    return false;
  }

  /** A Terminated frame arrived from `association` for its actor at `localPath`. */
  terminatedAt(association: Association, localPath: string, error: unknown): void {
    this.terminated(association.address + localPath, error, false);
  }

  private terminated(path: string, error: unknown, addressTerminated: boolean): void {
    const entry = this.watched.get(path);
    if (!entry) return;
    this.watched.delete(path);
    for (const watcher of entry.watchers.values()) watcher.notifyTerminated(entry.ref as ActorRef<never>, error, addressTerminated);
  }

  /** The peer at `address` is gone: every watch of its actors fires. */
  addressTerminated(address: string): void {
    for (const path of [...this.watched.keys()]) {
      if (path.startsWith(address + '/')) this.terminated(path, undefined, true);
    }
  }

  /** A peer asks to hear when local actor `ref` stops (a missing actor answers at once). */
  watchedByPeer(association: Association, ref: BaseRef<unknown>, localPath: string): void {
    let entry = this.proxies.get(association);
    if (!entry) {
      const refs = new Map<BaseRef<unknown>, string>();
      const proxy: Watcher = {
        key: `remote:${association.address}`,
        notifyTerminated: (stopped, error) => {
          const path = refs.get(stopped as BaseRef<unknown>) ?? localPath;
          refs.delete(stopped as BaseRef<unknown>);
          const reason = error === undefined ? null : error instanceof Error ? error.message : String(error);
          association.sendControl([FrameKind.Terminated, path, reason]);
        },
      };
      entry = { proxy, refs };
      this.proxies.set(association, entry);
    }
    entry.refs.set(ref, localPath);
    ref.addWatcher(entry.proxy);
  }

  unwatchedByPeer(association: Association, ref: BaseRef<unknown>): void {
    const entry = this.proxies.get(association);
    if (!entry) return;
    entry.refs.delete(ref);
    ref.removeWatcher(entry.proxy);
  }

  /** The association is gone: its proxies stop watching. */
  forgetPeer(association: Association): void {
    const entry = this.proxies.get(association);
    if (!entry) return;
    this.proxies.delete(association);
    for (const ref of entry.refs.keys()) ref.removeWatcher(entry.proxy);
  }
}
