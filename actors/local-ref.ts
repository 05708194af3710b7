// Refs to actors of this system: a cell's ref, and the light refs that forward to a cell
// (message adapters) or complete a promise (asks).
import { BaseRef, type Watcher } from './actor-ref.ts';
import type { ActorCell } from './cell.ts';
import { AdaptedMessage } from './internal-message.ts';
import type { ActorSystem } from './system.ts';

export class LocalRef<M> extends BaseRef<M> {
  constructor(readonly cell: ActorCell<M>) {
    super();
  }

  get path(): string {
    return this.cell.path;
  }

  get uid(): string {
    return this.cell.system.uid;
  }

  get system(): ActorSystem {
    return this.cell.system;
  }

  tell(msg: M): void {
    this.cell.enqueue(msg, true);
  }

  override tellUntraced(msg: M): void {
    this.cell.enqueue(msg, false);
  }

  addWatcher(watcher: Watcher): void {
    this.cell.addWatcher(watcher);
  }

  removeWatcher(watcher: Watcher): void {
    this.cell.removeWatcher(watcher);
  }
}

/** Accepts U and hands the owner `adapt(u)`, computed in the owner's turn. Dies with its owner. */
export class AdapterRef<U, M> extends BaseRef<U> {
  constructor(
    private readonly owner: ActorCell<M>,
    readonly path: string,
    private readonly adapt: (msg: U) => M,
  ) {
    super();
  }

  get uid(): string {
    return this.owner.system.uid;
  }

  get system(): ActorSystem {
    return this.owner.system;
  }

  tell(msg: U): void {
    this.owner.enqueue(new AdaptedMessage(() => this.adapt(msg), msg), true);
  }

  override tellUntraced(msg: U): void {
    this.owner.enqueue(new AdaptedMessage(() => this.adapt(msg), msg), false);
  }

  addWatcher(watcher: Watcher): void {
    this.owner.addWatcher(watcher);
  }

  removeWatcher(watcher: Watcher): void {
    this.owner.removeWatcher(watcher);
  }
}

/** A path of this system with no actor behind it: everything sent goes to dead letters. */
export class MissingRef<M> extends BaseRef<M> {
  constructor(
    readonly system: ActorSystem,
    readonly path: string,
  ) {
    super();
  }

  get uid(): string {
    return this.system.uid;
  }

  tell(msg: M): void {
    this.system.deadLetter(msg, this.path, 'no actor at this path');
  }

  addWatcher(watcher: Watcher): void {
    watcher.notifyTerminated(this, undefined, false);
  }

  removeWatcher(): void {}
}
