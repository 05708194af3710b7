// A bounded buffer of messages an actor sets aside until it can handle them (e.g. while it waits for
// its initial state). unstashAll puts them back in front of the mailbox, in their original order.
import { WeirError, messageType } from '../messages/errors.ts';
import type { Behavior } from './behavior.ts';

export class StashBuffer<M> {
  private buffer: M[] = [];

  /** @param prepend puts messages in front of the owning actor's mailbox. */
  constructor(
    readonly capacity: number,
    private readonly ownerPath: string,
    private readonly prepend: (messages: readonly M[]) => void,
  ) {
    if (!(capacity > 0)) throw new RangeError(`stash capacity must be > 0, got ${capacity}`);
  }

  get size(): number {
    return this.buffer.length;
  }

  get isEmpty(): boolean {
    return this.buffer.length === 0;
  }

  get isFull(): boolean {
    return this.buffer.length >= this.capacity;
  }

  stash(msg: M): void {
    if (this.isFull) {
      throw new WeirError('STASH_FULL', `stash of ${this.ownerPath} is full (${this.capacity}) and cannot take a "${messageType(msg)}"`);
    }
    this.buffer.push(msg);
  }

  /** The stashed messages go back to the mailbox, ahead of newer ones; returns `behavior` to continue with. */
  unstashAll<B extends Behavior<M>>(behavior: B): B {
    const messages = this.buffer;
    this.buffer = [];
    this.prepend(messages);
    return behavior;
  }

  clear(): void {
    this.buffer = [];
  }
}
