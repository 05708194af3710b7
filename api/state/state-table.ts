// Where one heap keyed state keeps its entries: per key group of the backend's range, then per
// namespace, then per key. Key groups first, so that a snapshot or a rescale takes a group's entries
// without looking at any other.
//
// Within a group, VOID_NAMESPACE (all user state) has its own Map keyed by key: one Map lookup per
// access, as the value-only backend had (the keyed-reduce and ValueState hot paths). Other namespaces
// (windows) are keyed by namespace, then key: a tumbling or sliding window's namespace is shared by
// every key of the group, so there is one Map per live window per group, not one per key (a key-first
// layout costs a Map per key, ~100 B, for every key in a window). Session windows, whose namespaces
// are per key, pay a Map per session; an empty namespace's Map is dropped at once.
//
// Asynchronous snapshots (key-group-guard.ts): while a snapshot holds key groups, every write, and
// every read that hands out an object, touches the group first, so the snapshot captures it before
// it changes. tablesOf() is the capture's own read and touches nothing.
//
// Threading: none; only the backend's operator touches it, on the task's turn.
import type { Key } from '../runtime/key-groups.ts';
import type { GuardedStructure, KeyGroupGuard } from './key-group-guard.ts';
import { type Namespace, VOID_NAMESPACE } from './keyed-state-backend.ts';

/** One Map of entries: the keys of one namespace in one key group. */
export interface NamespaceTable<K, E> {
  readonly slot: number;
  readonly namespace: Namespace;
  readonly entries: Map<K, E>;
}

export class StateTable<K extends Key, E> implements GuardedStructure {
  /** Set by the backend's guard while a snapshot holds key groups; null otherwise. */
  guard: KeyGroupGuard | null = null;
  /** VOID_NAMESPACE's entries, one Map per key group (index: group - range.start), made on first write. */
  private readonly voidTables: (Map<K, E> | undefined)[];
  /** Every other namespace's entries: per key group, namespace -> key -> entry; no empty Maps. */
  private readonly namespaceTables: (Map<Namespace, Map<K, E>> | undefined)[];
  /**
   * The last namespace table looked up, by slot and namespace: a record's read and write of one state
   * (a window's add is a get, then a set) look it up once. Cleared when that table is dropped.
   */
  private cachedSlot = -1;
  private cachedNamespace: Namespace | undefined = undefined;
  private cachedTable: Map<K, E> | undefined = undefined;

  constructor(readonly groups: number) {
    this.voidTables = new Array<Map<K, E> | undefined>(groups).fill(undefined);
    this.namespaceTables = new Array<Map<Namespace, Map<K, E>> | undefined>(groups).fill(undefined);
  }

  get(slot: number, namespace: Namespace, key: K): E | undefined {
    const entry = namespace === VOID_NAMESPACE ? this.voidTables[slot]?.get(key) : this.namespaceTable(slot, namespace)?.get(key);
    // An object read may be changed in place by the caller: a snapshot holding the group takes it first.
    if (this.guard !== null && typeof entry === 'object') this.guard.touch(slot);
    return entry;
  }

  /** Before a change of group `slot` made outside get/set/delete (the TTL cleanup changes entries in place). */
  touch(slot: number): void {
    if (this.guard !== null) this.guard.touch(slot);
  }

  set(slot: number, namespace: Namespace, key: K, entry: E): void {
    if (this.guard !== null) this.guard.touch(slot);
    if (namespace === VOID_NAMESPACE) {
      const table = this.voidTables[slot];
      if (table === undefined) this.voidTables[slot] = new Map([[key, entry]]);
      else table.set(key, entry);
      return;
    }
    const table = this.namespaceTable(slot, namespace);
    if (table !== undefined) {
      table.set(key, entry);
      return;
    }
    let namespaces = this.namespaceTables[slot];
    if (namespaces === undefined) this.namespaceTables[slot] = namespaces = new Map();
    const created = new Map([[key, entry]]);
    namespaces.set(namespace, created);
    this.cache(slot, namespace, created);
  }

  /** Drops every key's entry under `namespace`, in every key group (a window's contents, all keys at once). */
  dropNamespace(namespace: Namespace): void {
    if (namespace === this.cachedNamespace) this.cache(-1, undefined, undefined);
    const guard = this.guard;
    for (let slot = 0; slot < this.groups; slot++) {
      const namespaces = this.namespaceTables[slot];
      if (namespaces === undefined || !namespaces.has(namespace)) continue;
      if (guard !== null) guard.touch(slot);
      namespaces.delete(namespace);
    }
  }

  private namespaceTable(slot: number, namespace: Namespace): Map<K, E> | undefined {
    if (slot === this.cachedSlot && namespace === this.cachedNamespace) return this.cachedTable;
    const table = this.namespaceTables[slot]?.get(namespace);
    if (table !== undefined) this.cache(slot, namespace, table);
    return table;
  }

  private cache(slot: number, namespace: Namespace | undefined, table: Map<K, E> | undefined): void {
    this.cachedSlot = slot;
    this.cachedNamespace = namespace;
    this.cachedTable = table;
  }

  delete(slot: number, namespace: Namespace, key: K): void {
    if (this.guard !== null) this.guard.touch(slot);
    if (namespace === VOID_NAMESPACE) {
      this.voidTables[slot]?.delete(key);
      return;
    }
    const namespaces = this.namespaceTables[slot];
    const table = namespaces?.get(namespace);
    if (table !== undefined && table.delete(key) && table.size === 0) {
      namespaces!.delete(namespace);
      if (table === this.cachedTable) this.cache(-1, undefined, undefined);
    }
  }

  /** The tables of one key group, VOID_NAMESPACE's first (what a snapshot of the group writes); touches nothing. */
  *tablesOf(slot: number): IterableIterator<NamespaceTable<K, E>> {
    const voidTable = this.voidTables[slot];
    if (voidTable !== undefined && voidTable.size > 0) yield { slot, namespace: VOID_NAMESPACE, entries: voidTable };
    const namespaces = this.namespaceTables[slot];
    if (namespaces !== undefined) for (const [namespace, entries] of namespaces) yield { slot, namespace, entries };
  }

  /** Every table, key group by key group (the incremental TTL cleanup's walk). */
  *tables(): IterableIterator<NamespaceTable<K, E>> {
    for (let slot = 0; slot < this.groups; slot++) yield* this.tablesOf(slot);
  }

  /** Every namespace but VOID_NAMESPACE that holds an entry in some key group (an aligned window operator's pending windows, after a restore). */
  namespaces(): Set<Namespace> {
    const found = new Set<Namespace>();
    for (const namespaces of this.namespaceTables) if (namespaces !== undefined) for (const namespace of namespaces.keys()) found.add(namespace);
    return found;
  }

  /** The keys with an entry under `namespace`, key group by key group. */
  *keys(namespace: Namespace): IterableIterator<K> {
    for (let slot = 0; slot < this.groups; slot++) {
      const table = namespace === VOID_NAMESPACE ? this.voidTables[slot] : this.namespaceTables[slot]?.get(namespace);
      if (table !== undefined) yield* table.keys();
    }
  }

  /** The entries under `namespace`, key group by key group (each group touched: its values are handed out). */
  *entries(namespace: Namespace): IterableIterator<[K, E]> {
    for (let slot = 0; slot < this.groups; slot++) {
      const table = namespace === VOID_NAMESPACE ? this.voidTables[slot] : this.namespaceTables[slot]?.get(namespace);
      if (table === undefined) continue;
      this.touch(slot);
      yield* table;
    }
  }
}
