// A growable ring buffer: O(1) push, shift and unshift without the O(n) shift of a plain array.
// Mailboxes, stashes and the dispatcher's ready queue are built on it.

const INITIAL_CAPACITY = 16;

export class Queue<T> {
  private items: (T | undefined)[] = new Array(INITIAL_CAPACITY);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  /** Removes and returns the first item; undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** Puts `items` in front, keeping their order (used to unstash). */
  unshiftAll(items: readonly T[]): void {
    for (let i = items.length - 1; i >= 0; i--) {
      if (this.count === this.items.length) this.grow();
      this.head = (this.head - 1) & (this.items.length - 1);
      this.items[this.head] = items[i];
      this.count++;
    }
  }

  /** Empties the queue and returns what it held, in order. */
  drain(): T[] {
    const out: T[] = [];
    while (this.count > 0) out.push(this.shift() as T);
    return out;
  }

  private grow(): void {
    const old = this.items;
    const next: (T | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.items = next;
    this.head = 0;
  }
}
