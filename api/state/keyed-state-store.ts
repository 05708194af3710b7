// The user-facing keyed state store (Flink's DefaultKeyedStateStore): what getRuntimeContext() gives
// a rich function on a keyed stream, its states the backend's under VOID_NAMESPACE (or, for a window
// function's windowState(), under the window's namespace); like Flink,
// it sets the namespace when the state is fetched, so fetch user state in open() or per record.
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, StateDescriptor, ValueStateDescriptor } from './descriptors.ts';
import { type KeyedStateBackend, type Namespace, VOID_NAMESPACE } from './keyed-state-backend.ts';
import type { AggregatingState, KeyedStateStore, ListState, MapState, ReducingState, State, ValueState } from './state.ts';
import type { Key } from '../runtime/key-groups.ts';

export class BackendKeyedStateStore implements KeyedStateStore {
  /** The namespace states are fetched under: VOID_NAMESPACE for user state, a window's for windowState(). */
  namespace: Namespace = VOID_NAMESPACE;

  constructor(private readonly backend: KeyedStateBackend<Key>) {}

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.scoped(descriptor);
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.scoped(descriptor);
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.scoped(descriptor);
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.scoped(descriptor);
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.scoped(descriptor);
  }

  /** The state of `descriptor` under this store's namespace (set at each fetch, as Flink's). */
  scoped<S extends State>(descriptor: StateDescriptor<S>): S {
    const state = this.backend.getOrCreateKeyedState(descriptor);
    state.setCurrentNamespace(this.namespace);
    return state;
  }
}
