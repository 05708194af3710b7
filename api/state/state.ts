// The user-facing state interfaces (Flink's org.apache.flink.api.common.state). A keyed state is
// scoped to the current key of the operator (and a namespace, e.g. a window, set by the runtime);
// an operator state belongs to one subtask of a non-keyed operator. Backends implement these.
import type { ListStateDescriptor, MapStateDescriptor, AggregatingStateDescriptor, ReducingStateDescriptor, StateDescriptor, ValueStateDescriptor } from './descriptors.ts';

/** Every state can be cleared: the current key's (and namespace's) entry is removed. */
export interface State {
  clear(): void;
}

/** One value per key. `update(undefined)` clears it, as Flink's update(null). */
export interface ValueState<T> extends State {
  /** The current key's value; undefined when it has none (or it expired). */
  value(): T | undefined;
  update(value: T | undefined): void;
}

/** A state that values are added to, read back as one result. */
export interface AppendingState<IN, OUT> extends State {
  /** The current result; undefined when nothing was added since the last clear. */
  get(): OUT | undefined;
  add(value: IN): void;
}

/** A list per key. get() never returns undefined: an empty list when nothing was added. */
export interface ListState<T> extends State {
  /** The list as stored: read-only, valid until the next write to this state. */
  get(): readonly T[];
  add(value: T): void;
  addAll(values: Iterable<T>): void;
  /** Replaces the list; an empty iterable clears it. */
  update(values: Iterable<T>): void;
}

/** A map per key (user keys compare as Map keys do). */
export interface MapState<UK, UV> extends State {
  get(key: UK): UV | undefined;
  put(key: UK, value: UV): void;
  putAll(entries: Iterable<readonly [UK, UV]>): void;
  remove(key: UK): void;
  contains(key: UK): boolean;
  entries(): IterableIterator<[UK, UV]>;
  keys(): IterableIterator<UK>;
  values(): IterableIterator<UV>;
  isEmpty(): boolean;
}

/** Values added are combined with the descriptor's reduce function into one. */
export type ReducingState<T> = AppendingState<T, T>;

/** Values added go into an accumulator (the descriptor's AggregateFunction); get() is its result. */
export type AggregatingState<IN, OUT> = AppendingState<IN, OUT>;

/** The read-only view of broadcast state that the non-broadcast side of a broadcast connect gets. */
export interface ReadOnlyBroadcastState<K, V> {
  get(key: K): V | undefined;
  contains(key: K): boolean;
  entries(): IterableIterator<[K, V]>;
  isEmpty(): boolean;
}

/** Broadcast state, as the broadcast side sees it: the same on every subtask if every subtask writes the same. */
export interface BroadcastState<K, V> extends ReadOnlyBroadcastState<K, V> {
  put(key: K, value: V): void;
  putAll(entries: Iterable<readonly [K, V]>): void;
  remove(key: K): void;
  clear(): void;
}

/** Where a rich function on a keyed stream gets its keyed states (Flink's KeyedStateStore). */
export interface KeyedStateStore {
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
}

/** Any keyed state by its descriptor (what window triggers and the runtime use). */
export interface PartitionedStateStore {
  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S;
}

/**
 * Operator state of a non-keyed function (Flink's OperatorStateStore). On restore at another
 * parallelism a list state's items are split evenly over the new subtasks; a union list state gives
 * every subtask all items; broadcast state gives every subtask the same map.
 */
export interface OperatorStateStore {
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V>;
}
