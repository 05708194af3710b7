// The heap keyed state backend (Flink's HeapKeyedStateBackend, in miniature): one operator's keyed
// state, in Maps, one Map per key group of the subtask's range, so that a checkpoint can later write
// it key group by key group and a restore at another parallelism can hand each group to its new
// owner. The operator sets the current key before each record; states read and write under it.
//
// Threading: none; only the operator that owns the backend touches it, on the task's turn.
import { type Key, type KeyGroupRange, invalidKeyError, isKey, keyGroupOf, keyOutOfRangeError } from '../runtime/key-groups.ts';

/** The one table of an unpartitioned backend. */
const SINGLE_TABLE: KeyGroupRange = { start: 0, end: 0 };

export class HeapKeyedStateBackend<K extends Key> {
  private currentKey: K | undefined = undefined;
  /** The key group of `currentKey`, minus the range's start: the index of its Map in every state. */
  private currentSlot = -1;
  readonly range: KeyGroupRange;
  private readonly partitioned: boolean;

  /**
   * `range` null: one Map, no key groups, no hashing (a BATCH combiner: its state is local to the
   * producer task, never redistributed, never snapshotted).
   */
  constructor(
    range: KeyGroupRange | null,
    readonly maxParallelism: number,
    /** How errors name the operator, e.g. `operator "Sum" (id "sum-3")`. */
    private readonly operator: string,
  ) {
    this.range = range ?? SINGLE_TABLE;
    this.partitioned = range !== null;
  }

  /** Checks the key (a Key, in this subtask's key groups) and makes it current. */
  setCurrentKey(key: unknown): void {
    if (!this.partitioned) {
      if (!isKey(key)) throw invalidKeyError(this.operator, key);
      this.currentKey = key as K;
      this.currentSlot = 0;
      return;
    }
    const keyGroup = keyGroupOf(key, this.maxParallelism);
    if (keyGroup < 0) throw invalidKeyError(this.operator, key);
    const range = this.range;
    if (keyGroup < range.start || keyGroup > range.end) throw keyOutOfRangeError(this.operator, key, keyGroup, range);
    this.currentKey = key as K;
    this.currentSlot = keyGroup - range.start;
  }

  getCurrentKey(): K {
    return this.currentKey as K;
  }

  /** The Map index of the current key's group (for the states of this backend). */
  get slot(): number {
    return this.currentSlot;
  }

  /** A value per key (Flink's ValueState). */
  valueState<V>(): HeapValueState<K, V> {
    return new HeapValueState<K, V>(this);
  }
}

/** One value per key, scoped to the backend's current key. */
export class HeapValueState<K extends Key, V> {
  /** One Map per key group of the range (index: key group - range.start), made on first write. */
  private readonly tables: (Map<K, V> | undefined)[];

  constructor(private readonly backend: HeapKeyedStateBackend<K>) {
    const { start, end } = backend.range;
    this.tables = new Array<Map<K, V> | undefined>(Math.max(0, end - start + 1)).fill(undefined);
  }

  /** The current key's value; undefined when it has none. */
  value(): V | undefined {
    return this.tables[this.backend.slot]?.get(this.backend.getCurrentKey());
  }

  update(value: V): void {
    const slot = this.backend.slot;
    let table = this.tables[slot];
    if (table === undefined) this.tables[slot] = table = new Map();
    table.set(this.backend.getCurrentKey(), value);
  }

  clear(): void {
    this.tables[this.backend.slot]?.delete(this.backend.getCurrentKey());
  }

  /** The entries of one key group (what a snapshot of that group writes); undefined when empty. Partitioned backends only. */
  keyGroup(keyGroup: number): ReadonlyMap<K, V> | undefined {
    return this.tables[keyGroup - this.backend.range.start];
  }

  /** Every entry, key group by key group, each group in insertion order. */
  *entries(): IterableIterator<[K, V]> {
    for (const table of this.tables) if (table !== undefined) yield* table;
  }

  get size(): number {
    let size = 0;
    for (const table of this.tables) size += table?.size ?? 0;
    return size;
  }
}
