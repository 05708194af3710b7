// The heap keyed states that hold a collection per key and namespace: ListState (an array) and
// MapState (a Map) (Flink's HeapListState, HeapMapState). An empty collection is never stored: the
// last element or user key removed removes the entry. Snapshot forms: the list copied; the map as
// [userKey, value] pairs (msgpack maps would turn number user keys into strings).
import type { Key } from '../runtime/key-groups.ts';
import type { InternalMergingState, StateMeta } from './keyed-state-backend.ts';
import { HeapState, MALFORMED } from './heap-state.ts';
import type { ListState, MapState } from './state.ts';

/** What get() returns for a key with no list; frozen, so a caller cannot fill it by mistake. */
export const EMPTY_LIST: readonly never[] = Object.freeze([]);
const EMPTY_MAP: ReadonlyMap<never, never> = new Map<never, never>();

export class HeapListState<K extends Key, T> extends HeapState<K, T[]> implements ListState<T>, InternalMergingState {
  readonly meta: StateMeta = { kind: 'list', ttl: false };
  /** The array is the snapshot form; snapshotEntry copies it only for a snapshot that is not encoded at once. */
  protected override readonly entriesAreSnapshotForm = true;

  get(): readonly T[] {
    return this.entry() ?? EMPTY_LIST;
  }

  add(value: T): void {
    const list = this.entry();
    if (list === undefined) this.setEntry([value]);
    else list.push(value);
  }

  addAll(values: Iterable<T>): void {
    const list = this.entry();
    if (list === undefined) return this.update(values);
    for (const value of values) list.push(value);
  }

  update(values: Iterable<T>): void {
    const list = Array.from(values);
    if (list.length === 0) this.clear();
    else this.setEntry(list);
  }

  /** Appends in place: `first` is the state's own array (a target's, or a source's already removed). */
  protected override mergeEntries(first: T[], second: T[]): T[] {
    for (const value of second) first.push(value);
    return first;
  }

  snapshotEntry(list: T[]): unknown {
    return list.slice();
  }

  restoreEntry(value: unknown): T[] | typeof MALFORMED {
    return Array.isArray(value) && value.length > 0 ? (value as T[]) : MALFORMED;
  }
}

export class HeapMapState<K extends Key, UK, UV> extends HeapState<K, Map<UK, UV>> implements MapState<UK, UV> {
  readonly meta: StateMeta = { kind: 'map', ttl: false };

  get(userKey: UK): UV | undefined {
    return this.entry()?.get(userKey);
  }

  put(userKey: UK, value: UV): void {
    const map = this.entry();
    if (map === undefined) this.setEntry(new Map([[userKey, value]]));
    else map.set(userKey, value);
  }

  putAll(entries: Iterable<readonly [UK, UV]>): void {
    for (const [userKey, value] of entries) this.put(userKey, value);
  }

  remove(userKey: UK): void {
    const map = this.entry();
    if (map !== undefined && map.delete(userKey) && map.size === 0) this.clear();
  }

  contains(userKey: UK): boolean {
    return this.entry()?.has(userKey) ?? false;
  }

  entries(): IterableIterator<[UK, UV]> {
    return (this.entry() ?? EMPTY_MAP).entries();
  }

  keys(): IterableIterator<UK> {
    return (this.entry() ?? EMPTY_MAP).keys();
  }

  values(): IterableIterator<UV> {
    return (this.entry() ?? EMPTY_MAP).values();
  }

  isEmpty(): boolean {
    return this.entry() === undefined;
  }

  snapshotEntry(map: Map<UK, UV>): unknown {
    return Array.from(map);
  }

  restoreEntry(value: unknown): Map<UK, UV> | typeof MALFORMED {
    if (!Array.isArray(value) || value.length === 0) return MALFORMED;
    for (const pair of value) if (!Array.isArray(pair) || pair.length !== 2) return MALFORMED;
    return new Map(value as [UK, UV][]);
  }
}
