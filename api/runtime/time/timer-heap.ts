// A priority queue of timers that is also a set (Flink's HeapPriorityQueueSet): one binary heap
// ordered by timestamp, plus per key group a map for deduplication, so that registering the same
// (key, namespace, timestamp) twice is once and a key group's timers can be listed for a snapshot.
//
// Cost: a registration of a timer that exists is three Map lookups and nothing allocated (windows
// register the same timer for every record of a window); a new timer is one object and a heap
// insert; removal of any timer is O(log n) through the index each entry keeps of its heap slot.
// Ties fire in registration order (a sequence number), so runs are deterministic.
//
// Asynchronous snapshots: while one holds key groups (state/key-group-guard.ts), a group is touched
// before a timer of it is added or removed, so the snapshot captures the group's timers first.
//
// Threading: none; the owning operator's turn only.
import type { Key, KeyGroupRange } from '../key-groups.ts';
import type { GuardedStructure, KeyGroupGuard } from '../../state/key-group-guard.ts';
import type { Namespace } from '../../state/keyed-state-backend.ts';
import type { InternalTimer } from './timer-service.ts';

/** A timer as the heap keeps it; handed to the Triggerable as an InternalTimer. */
export class TimerEntry<K extends Key> implements InternalTimer<K> {
  /** The entry's slot in the heap array; -1 once it left the heap. */
  heapIndex = -1;

  constructor(
    readonly key: K,
    readonly namespace: Namespace,
    readonly timestamp: number,
    readonly keyGroup: number,
    /** Registration order, to break ties between equal timestamps. */
    readonly seq: number,
  ) {}
}

/** key -> namespace -> timestamp -> entry, for the timers of one key group. */
type KeyGroupTimers<K extends Key> = Map<K, Map<Namespace, Map<number, TimerEntry<K>>>>;

function before<K extends Key>(a: TimerEntry<K>, b: TimerEntry<K>): boolean {
  return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq);
}

export class TimerHeap<K extends Key> implements GuardedStructure {
  /** Set by the operator's guard while a snapshot holds key groups; null otherwise. */
  guard: KeyGroupGuard | null = null;
  private readonly heap: TimerEntry<K>[] = [];
  /** One map per key group of the range (index: key group - range.start), made on first use. */
  private readonly tables: (KeyGroupTimers<K> | undefined)[];
  private nextSeq = 0;

  constructor(readonly range: KeyGroupRange) {
    this.tables = new Array<KeyGroupTimers<K> | undefined>(Math.max(0, range.end - range.start + 1)).fill(undefined);
  }

  get size(): number {
    return this.heap.length;
  }

  /** The earliest timer, or undefined when there is none. */
  peek(): TimerEntry<K> | undefined {
    return this.heap[0];
  }

  /** Adds the timer unless it exists; true when it was added. `keyGroup` must be in the range. */
  add(key: K, namespace: Namespace, timestamp: number, keyGroup: number): boolean {
    const slot = keyGroup - this.range.start;
    if (this.guard !== null) this.guard.touch(slot);
    let table = this.tables[slot];
    if (table === undefined) this.tables[slot] = table = new Map();
    let namespaces = table.get(key);
    if (namespaces === undefined) table.set(key, (namespaces = new Map()));
    let timestamps = namespaces.get(namespace);
    if (timestamps === undefined) namespaces.set(namespace, (timestamps = new Map()));
    else if (timestamps.has(timestamp)) return false;
    const entry = new TimerEntry(key, namespace, timestamp, keyGroup, this.nextSeq++);
    timestamps.set(timestamp, entry);
    entry.heapIndex = this.heap.length;
    this.heap.push(entry);
    this.siftUp(entry.heapIndex);
    return true;
  }

  /** Removes the timer if it exists; true when it did. */
  remove(key: K, namespace: Namespace, timestamp: number, keyGroup: number): boolean {
    const entry = this.tables[keyGroup - this.range.start]?.get(key)?.get(namespace)?.get(timestamp);
    if (entry === undefined) return false;
    if (this.guard !== null) this.guard.touch(keyGroup - this.range.start);
    this.forget(entry);
    this.removeAt(entry.heapIndex);
    return true;
  }

  /** Removes and returns the earliest timer. */
  poll(): TimerEntry<K> | undefined {
    const head = this.heap[0];
    if (head === undefined) return undefined;
    if (this.guard !== null) this.guard.touch(head.keyGroup - this.range.start);
    this.forget(head);
    this.removeAt(0);
    return head;
  }

  /** The timers of one key group, in firing order (what a snapshot writes). */
  timersOfKeyGroup(keyGroup: number): TimerEntry<K>[] {
    const entries: TimerEntry<K>[] = [];
    const table = this.tables[keyGroup - this.range.start];
    if (table === undefined) return entries;
    for (const namespaces of table.values()) for (const timestamps of namespaces.values()) for (const entry of timestamps.values()) entries.push(entry);
    return entries.sort((a, b) => (before(a, b) ? -1 : 1));
  }

  /** Drops the entry from its key group's map, and the maps it leaves empty. */
  private forget(entry: TimerEntry<K>): void {
    const table = this.tables[entry.keyGroup - this.range.start] as KeyGroupTimers<K>;
    const namespaces = table.get(entry.key) as Map<Namespace, Map<number, TimerEntry<K>>>;
    const timestamps = namespaces.get(entry.namespace) as Map<number, TimerEntry<K>>;
    timestamps.delete(entry.timestamp);
    if (timestamps.size > 0) return;
    namespaces.delete(entry.namespace);
    if (namespaces.size === 0) table.delete(entry.key);
  }

  private removeAt(index: number): void {
    const heap = this.heap;
    const removed = heap[index];
    removed.heapIndex = -1;
    const last = heap.pop() as TimerEntry<K>;
    if (index === heap.length) return;
    heap[index] = last;
    last.heapIndex = index;
    if (index > 0 && before(last, heap[(index - 1) >> 1])) this.siftUp(index);
    else this.siftDown(index);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const entry = heap[index];
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex];
      if (!before(entry, parent)) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.heapIndex = index;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const length = heap.length;
    const entry = heap[index];
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], entry)) break;
      heap[index] = heap[child];
      heap[index].heapIndex = index;
      index = child;
    }
    heap[index] = entry;
    entry.heapIndex = index;
  }
}
