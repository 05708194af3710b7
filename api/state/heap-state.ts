// The base of every heap keyed state (Flink's AbstractHeapState): entries in a StateTable, read and
// written under the backend's current key and the state's current namespace, written to and read
// from a key group's snapshot in a plain, msgpack-encodable form.
//
// Values are stored by reference, never copied: a value the user wrote is the stored value, and what
// value() / get() return is the stored object. Mutating it in place changes the state (allowed, as on
// Flink's heap backend); keeping it after the key moves on and mutating it later changes that key's
// state too. Asynchronous snapshots copy nothing up front: the table's guard has a key group captured
// (encoded) before it changes or hands out an object (key-group-guard.ts); the snapshot form holds the
// same user objects and is only ever read right before it is encoded.
//
// Threading: none; only the backend's operator touches it, on the task's turn.
import { WeirError } from '../../messages/errors.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { CapturedTables } from './captured-key-group.ts';
import { type InternalKeyedState, type Namespace, type StateMeta, VOID_NAMESPACE } from './keyed-state-backend.ts';
import { StateTable } from './state-table.ts';

/** What a state reads of its backend. Invariant: `slot` is the index of `currentKey`'s key group in the tables. */
export interface KeyContext<K extends Key> {
  /** Set only by the backend's setCurrentKey. */
  readonly currentKey: K;
  readonly slot: number;
  /** How many key groups the tables hold (the range's size). */
  readonly groups: number;
  /** How errors name the operator. */
  readonly operator: string;
}

/** A snapshot entry as written: [key, namespace, the entry's snapshot form]. */
export type SnapshotTriple = readonly [Key, Namespace, unknown];

/** snapshotEntry's answer for an entry to leave out (expired, with cleanup in full snapshot). */
export const OMITTED: unique symbol = Symbol('omitted');
/** restoreEntry's answer for a snapshot form it does not recognise. */
export const MALFORMED: unique symbol = Symbol('malformed');

export abstract class HeapState<K extends Key, E> implements InternalKeyedState {
  /** Set by the runtime (setCurrentNamespace) before use; VOID_NAMESPACE for user state. */
  protected namespace: Namespace = VOID_NAMESPACE;
  /** A stored entry is its own snapshot form (snapshotEntry returns it or a plain copy): a capture takes the live Maps. */
  protected readonly entriesAreSnapshotForm: boolean = false;
  readonly table: StateTable<K, E>;
  abstract readonly meta: StateMeta;

  constructor(
    protected readonly backend: KeyContext<K>,
    readonly name: string,
  ) {
    this.table = new StateTable<K, E>(backend.groups);
  }

  setCurrentNamespace(namespace: Namespace): void {
    this.namespace = namespace;
  }

  clear(): void {
    const backend = this.backend;
    this.table.delete(backend.slot, this.namespace, backend.currentKey);
  }

  /** The current key's entry under the current namespace. */
  protected entry(): E | undefined {
    const backend = this.backend;
    return this.table.get(backend.slot, this.namespace, backend.currentKey);
  }

  protected setEntry(entry: E): void {
    const backend = this.backend;
    this.table.set(backend.slot, this.namespace, backend.currentKey, entry);
  }

  /**
   * Merges the current key's entries under `sources` into `target` (session windows), in the order
   * given, after what `target` holds; the sources are removed. Only list, reducing and aggregating
   * states define mergeEntries (InternalMergingState).
   */
  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void {
    const kind = this.meta.kind;
    if (kind === 'value' || kind === 'map') {
      throw new WeirError('INVALID_ARGUMENT', `${this.backend.operator}: ${kind} state "${this.name}" cannot merge namespaces; only list, reducing and aggregating states can`);
    }
    const { slot, currentKey } = this.backend;
    const table = this.table;
    let merged: E | undefined;
    for (const source of sources) {
      if (source === target) continue;
      const entry = table.get(slot, source, currentKey);
      if (entry === undefined) continue;
      table.delete(slot, source, currentKey);
      merged = merged === undefined ? entry : this.mergeEntries(merged, entry);
    }
    if (merged === undefined) return;
    const existing = table.get(slot, target, currentKey);
    const result = existing === undefined ? merged : this.mergeEntries(existing, merged);
    if (result === undefined) table.delete(slot, target, currentKey);
    else table.set(slot, target, currentKey, result);
  }

  /** Combines two entries of one key (the first is the earlier); undefined when nothing is left (TTL). Merging kinds only. */
  protected mergeEntries(first: E, _second: E): E | undefined {
    return first;
  }

  /** The plain form of an entry for a snapshot (containers copied), or OMITTED. */
  abstract snapshotEntry(entry: E, now: number): unknown;

  /** An entry from its snapshot form, or MALFORMED. */
  abstract restoreEntry(value: unknown): E | typeof MALFORMED;

  /**
   * One key group's tables as an asynchronous snapshot captures them (captured-key-group.ts): the
   * live Maps where entries are their own snapshot form, else Maps of snapshot forms. Encode at once.
   */
  captureGroup(slot: number, now: number): CapturedTables {
    const tables: (Namespace | Map<K, unknown>)[] = [];
    for (const { namespace, entries } of this.table.tablesOf(slot)) {
      if (this.entriesAreSnapshotForm) {
        tables.push(namespace, entries);
        continue;
      }
      const forms = new Map<K, unknown>();
      for (const [key, entry] of entries) {
        const value = this.snapshotEntry(entry, now);
        if (value !== OMITTED) forms.set(key, value);
      }
      if (forms.size > 0) tables.push(namespace, forms);
    }
    return tables;
  }

  /** Every entry of one key group as snapshot triples. */
  snapshotGroup(slot: number, now: number): SnapshotTriple[] {
    const triples: SnapshotTriple[] = [];
    for (const { namespace, entries } of this.table.tablesOf(slot)) {
      for (const [key, entry] of entries) {
        const value = this.snapshotEntry(entry, now);
        if (value !== OMITTED) triples.push([key, namespace, value]);
      }
    }
    return triples;
  }
}
