// The TTL versions of the collection states (Flink's TtlListState, TtlMapState): every list element
// and every user key of a map has its own expiry. A read removes the expired ones it meets (cleanup on
// read; ReturnExpiredIfNotCleanedUp returns them that once) and, with OnReadAndWrite, restarts the
// expiry of the ones it returns. Snapshot forms: [[element, expiresAt], ...] and
// [[userKey, value, expiresAt], ...].
import type { Key } from '../runtime/key-groups.ts';
import type { InternalMergingState, StateMeta } from './keyed-state-backend.ts';
import { EMPTY_LIST } from './heap-collection-states.ts';
import { MALFORMED, OMITTED } from './heap-state.ts';
import type { ListState, MapState } from './state.ts';
import { TtlState, TtlValue, restoreTtlValue } from './ttl.ts';

export class TtlListState<K extends Key, T> extends TtlState<K, TtlValue<T>[]> implements ListState<T>, InternalMergingState {
  readonly meta: StateMeta = { kind: 'list', ttl: true };

  /** A new array of the visible elements (the stored one holds wrappers). */
  get(): readonly T[] {
    this.accessed();
    const list = this.entry();
    if (list === undefined) return EMPTY_LIST;
    const ttl = this.ttl;
    const now = ttl.clock();
    const values: T[] = [];
    let kept = 0;
    for (const element of list) {
      if (element.expiresAt > now) {
        if (ttl.updateOnRead) element.expiresAt = now + ttl.ttlMs;
        list[kept++] = element;
        values.push(element.value);
      } else if (ttl.returnExpired) {
        values.push(element.value);
      }
    }
    if (kept === 0) this.removeEntry();
    else list.length = kept;
    return values;
  }

  add(value: T): void {
    this.accessed();
    const element = new TtlValue(value, this.ttl.clock() + this.ttl.ttlMs);
    const list = this.entry();
    if (list === undefined) this.setEntry([element]);
    else list.push(element);
  }

  addAll(values: Iterable<T>): void {
    this.accessed();
    const expiresAt = this.ttl.clock() + this.ttl.ttlMs;
    const list = this.entry() ?? [];
    const before = list.length;
    for (const value of values) list.push(new TtlValue(value, expiresAt));
    if (before === 0 && list.length > 0) this.setEntry(list);
  }

  update(values: Iterable<T>): void {
    this.accessed();
    const expiresAt = this.ttl.clock() + this.ttl.ttlMs;
    const list = Array.from(values, (value) => new TtlValue(value, expiresAt));
    if (list.length === 0) this.removeEntry();
    else this.setEntry(list);
  }

  protected override mergeEntries(first: TtlValue<T>[], second: TtlValue<T>[]): TtlValue<T>[] | undefined {
    for (const element of second) first.push(element);
    return this.cleanEntry(first, this.ttl.clock());
  }

  cleanEntry(list: TtlValue<T>[], now: number): TtlValue<T>[] | undefined {
    let kept = 0;
    for (const element of list) if (element.expiresAt > now) list[kept++] = element;
    list.length = kept;
    return kept === 0 ? undefined : list;
  }

  snapshotEntry(list: TtlValue<T>[], now: number): unknown {
    const dropExpired = this.ttl.cleanupInFullSnapshot;
    const elements: [T, number][] = [];
    for (const element of list) if (!dropExpired || element.expiresAt > now) elements.push([element.value, element.expiresAt]);
    return elements.length === 0 ? OMITTED : elements;
  }

  restoreEntry(value: unknown): TtlValue<T>[] | typeof MALFORMED {
    if (!Array.isArray(value) || value.length === 0) return MALFORMED;
    const list: TtlValue<T>[] = [];
    for (const element of value) {
      const restored = restoreTtlValue<T>(element);
      if (restored === undefined) return MALFORMED;
      list.push(restored);
    }
    return list;
  }
}

export class TtlMapState<K extends Key, UK, UV> extends TtlState<K, Map<UK, TtlValue<UV>>> implements MapState<UK, UV> {
  readonly meta: StateMeta = { kind: 'map', ttl: true };

  get(userKey: UK): UV | undefined {
    return this.visible(userKey)?.value;
  }

  contains(userKey: UK): boolean {
    return this.visible(userKey) !== undefined;
  }

  put(userKey: UK, value: UV): void {
    this.accessed();
    const expiresAt = this.ttl.clock() + this.ttl.ttlMs;
    const map = this.entry();
    const existing = map?.get(userKey);
    if (existing !== undefined) {
      existing.value = value;
      existing.expiresAt = expiresAt;
    } else if (map !== undefined) map.set(userKey, new TtlValue(value, expiresAt));
    else this.setEntry(new Map([[userKey, new TtlValue(value, expiresAt)]]));
  }

  putAll(entries: Iterable<readonly [UK, UV]>): void {
    for (const [userKey, value] of entries) this.put(userKey, value);
  }

  remove(userKey: UK): void {
    this.accessed();
    const map = this.entry();
    if (map !== undefined && map.delete(userKey) && map.size === 0) this.removeEntry();
  }

  entries(): IterableIterator<[UK, UV]> {
    this.accessed();
    const map = this.entry();
    return map === undefined ? noEntries() : this.visibleEntries(map, this.ttl.clock());
  }

  *keys(): IterableIterator<UK> {
    for (const [userKey] of this.entries()) yield userKey;
  }

  *values(): IterableIterator<UV> {
    for (const [, value] of this.entries()) yield value;
  }

  isEmpty(): boolean {
    return this.entries().next().done === true;
  }

  /** The wrapper of a user key that a read may see; an expired one is removed. */
  private visible(userKey: UK): TtlValue<UV> | undefined {
    this.accessed();
    const map = this.entry();
    const element = map?.get(userKey);
    if (element === undefined) return undefined;
    const ttl = this.ttl;
    const now = ttl.clock();
    if (element.expiresAt <= now) {
      map!.delete(userKey);
      if (map!.size === 0) this.removeEntry();
      return ttl.returnExpired ? element : undefined;
    }
    if (ttl.updateOnRead) element.expiresAt = now + ttl.ttlMs;
    return element;
  }

  /** The map's entries as of `now`: expired ones are removed as they are met (and shown only with ReturnExpiredIfNotCleanedUp). */
  private *visibleEntries(map: Map<UK, TtlValue<UV>>, now: number): IterableIterator<[UK, UV]> {
    const ttl = this.ttl;
    const { slot, currentKey } = this.backend;
    const namespace = this.namespace;
    for (const [userKey, element] of map) {
      if (element.expiresAt <= now) {
        map.delete(userKey);
        if (ttl.returnExpired) yield [userKey, element.value];
        continue;
      }
      if (ttl.updateOnRead) element.expiresAt = now + ttl.ttlMs;
      yield [userKey, element.value];
    }
    // The key may have moved on while the caller iterated: remove the emptied map by its own key.
    if (map.size === 0 && this.table.get(slot, namespace, currentKey) === map) this.table.delete(slot, namespace, currentKey);
  }

  cleanEntry(map: Map<UK, TtlValue<UV>>, now: number): Map<UK, TtlValue<UV>> | undefined {
    for (const [userKey, element] of map) if (element.expiresAt <= now) map.delete(userKey);
    return map.size === 0 ? undefined : map;
  }

  snapshotEntry(map: Map<UK, TtlValue<UV>>, now: number): unknown {
    const dropExpired = this.ttl.cleanupInFullSnapshot;
    const entries: [UK, UV, number][] = [];
    for (const [userKey, element] of map) if (!dropExpired || element.expiresAt > now) entries.push([userKey, element.value, element.expiresAt]);
    return entries.length === 0 ? OMITTED : entries;
  }

  restoreEntry(value: unknown): Map<UK, TtlValue<UV>> | typeof MALFORMED {
    if (!Array.isArray(value) || value.length === 0) return MALFORMED;
    const map = new Map<UK, TtlValue<UV>>();
    for (const entry of value) {
      if (!Array.isArray(entry) || entry.length !== 3 || typeof entry[2] !== 'number') return MALFORMED;
      map.set(entry[0] as UK, new TtlValue(entry[1] as UV, entry[2]));
    }
    return map;
  }
}

function* noEntries<UK, UV>(): IterableIterator<[UK, UV]> {}
