// The runtime's view of keyed state (Flink's KeyedStateBackend and InternalKvState): what operators
// (keyed process, windows, joins) use beneath the user-facing states. A state is scoped to the
// backend's current key and to its own current namespace: VOID_NAMESPACE for user state, a window's
// namespace for window contents. Entries live per key group, so a snapshot or a rescale moves whole
// key groups.
//
// Threading: none; only the operator that owns the backend touches it, on the task's turn.
import type { Key } from '../runtime/key-groups.ts';
import type { StateDescriptor, StateKind } from './descriptors.ts';
import type { KeyedStateStore, State } from './state.ts';

/** A namespace as states store it: a primitive, so that equal namespaces are equal Map keys. */
export type Namespace = string | number;

/** The namespace of state a user function asks for: '' is no window's (a fixed-size window's is its start, a number). */
export const VOID_NAMESPACE: Namespace = '';

/** Every keyed state the backend makes is also this: its namespace is set before use. */
export interface InternalKeyedState {
  setCurrentNamespace(namespace: Namespace): void;
}

/** List, reducing and aggregating states can merge namespaces (merging windows). */
export interface InternalMergingState extends InternalKeyedState {
  /** Merges the current key's entries under `sources` into `target` and removes the sources. */
  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void;
}

/** What a snapshot records of each state: entries of another kind, or with(out) TTL, do not restore. */
export interface StateMeta {
  readonly kind: StateKind;
  /** The entries carry expiry timestamps (the descriptor had a StateTtlConfig). */
  readonly ttl: boolean;
}

/** One key group of one backend as plain, msgpack-encodable data (what a checkpoint writes). */
export interface KeyGroupSnapshot {
  readonly keyGroup: number;
  /** Per state name: [key, namespace, value] triples, in a form the same backend kind restores. */
  readonly states: Readonly<Record<string, readonly (readonly [Key, Namespace, unknown])[]>>;
  /** Per state name (every name of `states`): its kind, checked when the state is restored. */
  readonly meta: Readonly<Record<string, StateMeta>>;
}

export interface KeyedStateBackend<K extends Key> {
  /** Checks the key (a Key in this backend's key groups; WeirError naming the operator otherwise) and makes it current. */
  setCurrentKey(key: unknown): void;
  getCurrentKey(): K;
  /** The key group of the current key. */
  getCurrentKeyGroup(): number;
  /** The state of that descriptor, made on first use; the same name with another kind fails. */
  getOrCreateKeyedState<S extends State>(descriptor: StateDescriptor<S>): S & InternalKeyedState;
  /** The keys that have an entry in state `stateName` under `namespace` (Flink's getKeys). */
  getKeys(stateName: string, namespace: Namespace): Iterable<K>;
  /** The user-facing store: states under VOID_NAMESPACE. */
  readonly keyedStateStore: KeyedStateStore;
  snapshotKeyGroup(keyGroup: number): KeyGroupSnapshot;
  restoreKeyGroup(snapshot: KeyGroupSnapshot): void;
}
