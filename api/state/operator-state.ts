// Operator state of one subtask of a non-keyed function (Flink's DefaultOperatorStateBackend): list
// states (split evenly over the subtasks on a restore at another parallelism), union list states
// (every subtask gets every item) and broadcast states (a map, the same on every subtask). A state is
// made on first request by name; one name is one state, of one kind. Items and values are stored by
// reference, as in the keyed heap backend; a snapshot copies the containers, not the items.
//
// Threading: none; only the subtask's operator touches it, on the task's turn.
import { WeirError } from '../../messages/errors.ts';
import type { ListStateDescriptor, MapStateDescriptor } from './descriptors.ts';
import { EMPTY_LIST } from './heap-collection-states.ts';
import type { BroadcastState, ListState, OperatorStateStore, ReadOnlyBroadcastState } from './state.ts';

/** How a list state's items go to the subtasks of a restore (Flink's OperatorStateHandle.Mode). */
export type ListDistribution = 'split' | 'union';

/** One subtask's operator state as plain, msgpack-encodable data (what a checkpoint writes). */
export interface OperatorStateSnapshot {
  /** Per list state name: its distribution and this subtask's items. */
  readonly lists: Readonly<Record<string, { readonly mode: ListDistribution; readonly items: readonly unknown[] }>>;
  /** Per broadcast state name: this subtask's [key, value] entries. */
  readonly broadcast: Readonly<Record<string, readonly (readonly [unknown, unknown])[]>>;
}

/** An operator list state: the subtask's items, in the order added. */
export class OperatorListState<T> implements ListState<T> {
  items: T[] = [];

  constructor(readonly mode: ListDistribution) {}

  get(): readonly T[] {
    return this.items.length === 0 ? EMPTY_LIST : this.items;
  }

  add(value: T): void {
    this.items.push(value);
  }

  addAll(values: Iterable<T>): void {
    for (const value of values) this.items.push(value);
  }

  update(values: Iterable<T>): void {
    this.items = Array.from(values);
  }

  clear(): void {
    this.items = [];
  }
}

/** A broadcast state: a map per subtask, which the broadcast side keeps the same on every subtask. */
export class HeapBroadcastState<K, V> implements BroadcastState<K, V> {
  readonly map = new Map<K, V>();

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  contains(key: K): boolean {
    return this.map.has(key);
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  isEmpty(): boolean {
    return this.map.size === 0;
  }

  put(key: K, value: V): void {
    this.map.set(key, value);
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    for (const [key, value] of entries) this.map.set(key, value);
  }

  remove(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}

/**
 * What the non-broadcast side of a broadcast connect sees: reads only, even at run time. The write
 * methods exist only to fail with STATE_READ_ONLY (a plain JS caller would otherwise get "not a
 * function"), as Flink's read-only view throws on writes.
 */
class ReadOnlyBroadcastStateView<K, V> implements ReadOnlyBroadcastState<K, V> {
  constructor(
    private readonly state: HeapBroadcastState<K, V>,
    private readonly operator: string,
    private readonly name: string,
  ) {}

  get(key: K): V | undefined {
    return this.state.get(key);
  }

  contains(key: K): boolean {
    return this.state.contains(key);
  }

  entries(): IterableIterator<[K, V]> {
    return this.state.entries();
  }

  isEmpty(): boolean {
    return this.state.isEmpty();
  }

  put(): never {
    throw this.readOnly('put');
  }

  putAll(): never {
    throw this.readOnly('putAll');
  }

  remove(): never {
    throw this.readOnly('remove');
  }

  clear(): never {
    throw this.readOnly('clear');
  }

  private readOnly(method: string): WeirError {
    return new WeirError(
      'STATE_READ_ONLY',
      `${this.operator}: ${method}() on broadcast state "${this.name}", which is read-only here: only processBroadcastElement() may change broadcast state, so that every subtask keeps the same`,
    );
  }
}

type OperatorState = OperatorListState<unknown> | HeapBroadcastState<unknown, unknown>;

const kindOf = (state: OperatorState): string => (state instanceof HeapBroadcastState ? 'broadcast state' : state.mode === 'union' ? 'union list state' : 'list state');

export class HeapOperatorStateBackend implements OperatorStateStore {
  private readonly states = new Map<string, OperatorState>();
  /** Restored states nobody has asked for yet (kept for later snapshots meanwhile). */
  private readonly pending = new Map<string, OperatorState>();

  constructor(
    /** How errors name the operator, e.g. `operator "Source" (id "source-1")`. */
    readonly operator: string,
  ) {}

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.listState<T>(descriptor.name, 'split');
  }

  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.listState<T>(descriptor.name, 'union');
  }

  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    return this.state(descriptor.name, new HeapBroadcastState<unknown, unknown>()) as HeapBroadcastState<K, V>;
  }

  /** The broadcast state as the non-broadcast side of a broadcast connect sees it (a new view per call: keep it). */
  getReadOnlyBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    return new ReadOnlyBroadcastStateView(this.getBroadcastState(descriptor) as HeapBroadcastState<K, V>, this.operator, descriptor.name);
  }

  snapshot(): OperatorStateSnapshot {
    const lists: Record<string, { mode: ListDistribution; items: unknown[] }> = {};
    const broadcast: Record<string, [unknown, unknown][]> = {};
    for (const states of [this.states, this.pending]) {
      for (const [name, state] of states) {
        if (state instanceof HeapBroadcastState) broadcast[name] = Array.from(state.map);
        else lists[name] = { mode: state.mode, items: state.items.slice() };
      }
    }
    return { lists, broadcast };
  }

  /** Restores this subtask's share (see redistributeOperatorState); replaces what the states hold. */
  restore(snapshot: OperatorStateSnapshot): void {
    for (const [name, { mode, items }] of Object.entries(snapshot.lists)) {
      if ((mode !== 'split' && mode !== 'union') || !Array.isArray(items)) throw this.malformed(name, 'a list state needs a mode and an array of items');
      const restored = new OperatorListState<unknown>(mode);
      restored.items = items.slice();
      this.restoreState(name, restored);
    }
    for (const [name, entries] of Object.entries(snapshot.broadcast)) {
      if (!Array.isArray(entries) || !entries.every((entry) => Array.isArray(entry) && entry.length === 2)) throw this.malformed(name, 'a broadcast state needs [key, value] entries');
      const restored = new HeapBroadcastState<unknown, unknown>();
      restored.putAll(entries);
      this.restoreState(name, restored);
    }
  }

  private listState<T>(name: string, mode: ListDistribution): OperatorListState<T> {
    return this.state(name, new OperatorListState<unknown>(mode)) as OperatorListState<T>;
  }

  /** The state of that name, `made` if there is none (or the restored one, which must be of the same kind). */
  private state(name: string, made: OperatorState): OperatorState {
    const existing = this.states.get(name) ?? this.pending.get(name);
    if (existing === undefined) {
      this.states.set(name, made);
      return made;
    }
    if (kindOf(existing) !== kindOf(made)) {
      const verb = this.states.has(name) ? 'is' : 'was snapshotted as';
      throw new WeirError('STATE_KIND_MISMATCH', `${this.operator}: operator state "${name}" ${verb} a ${kindOf(existing)}; it cannot be used as a ${kindOf(made)}`);
    }
    this.pending.delete(name);
    this.states.set(name, existing);
    return existing;
  }

  private restoreState(name: string, restored: OperatorState): void {
    const existing = this.states.get(name);
    if (existing === undefined) return void this.pending.set(name, restored);
    if (kindOf(existing) !== kindOf(restored)) {
      throw new WeirError('STATE_KIND_MISMATCH', `${this.operator}: operator state "${name}" was snapshotted as a ${kindOf(restored)}; it cannot be restored as a ${kindOf(existing)}`);
    }
    if (existing instanceof HeapBroadcastState) {
      existing.clear();
      existing.putAll((restored as HeapBroadcastState<unknown, unknown>).map);
    } else existing.items = (restored as OperatorListState<unknown>).items;
  }

  private malformed(name: string, problem: string): WeirError {
    return new WeirError('STATE_RESTORE_FAILED', `${this.operator}: cannot restore operator state "${name}": ${problem}`);
  }
}
