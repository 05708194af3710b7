// A ring buffer of the newest `capacity` items: the trace list and the TaskManager charts keep a
// bounded history however long the console stays open. Appending is O(1); the oldest item goes.

export class BoundedList<T> {
  private readonly items: (T | undefined)[];
  /** Index of the oldest item. */
  private start = 0;
  private length = 0;
  /** Items pushed out by newer ones since the last clear(). */
  evicted = 0;
  /** Bumped on every change, so a view can tell a new state from the same one. */
  version = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a bounded list needs a capacity of at least 1, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(item: T): void {
    if (this.length < this.capacity) {
      this.items[(this.start + this.length) % this.capacity] = item;
      this.length++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
      this.evicted++;
    }
    this.version++;
  }

  pushAll(items: Iterable<T>): void {
    for (const item of items) this.push(item);
  }

  /** The item at `index`, 0 being the oldest kept; undefined outside 0..size-1. */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    return this.items[(this.start + index) % this.capacity];
  }

  /** Items `from` (inclusive) to `to` (exclusive), oldest first, clamped to what is kept. */
  slice(from = 0, to = this.length): T[] {
    const first = Math.max(0, from);
    const last = Math.min(this.length, to);
    const out: T[] = [];
    for (let index = first; index < last; index++) out.push(this.items[(this.start + index) % this.capacity] as T);
    return out;
  }

  toArray(): T[] {
    return this.slice();
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.length = 0;
    this.evicted = 0;
    this.version++;
  }
}
