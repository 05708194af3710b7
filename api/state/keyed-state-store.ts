// The user-facing keyed state store (Flink's DefaultKeyedStateStore): what getRuntimeContext() gives
// a rich function on a keyed stream. Its states are the backend's, under VOID_NAMESPACE; like Flink,
// it sets the namespace when the state is fetched, so fetch user state in open() or per record.
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, StateDescriptor, ValueStateDescriptor } from './descriptors.ts';
import { type KeyedStateBackend, VOID_NAMESPACE } from './keyed-state-backend.ts';
import type { AggregatingState, KeyedStateStore, ListState, MapState, ReducingState, State, ValueState } from './state.ts';
import type { Key } from '../runtime/key-groups.ts';

export class BackendKeyedStateStore implements KeyedStateStore {
  constructor(private readonly backend: KeyedStateBackend<Key>) {}

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.userState(descriptor);
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.userState(descriptor);
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.userState(descriptor);
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.userState(descriptor);
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.userState(descriptor);
  }

  private userState<S extends State>(descriptor: StateDescriptor<S>): S {
    const state = this.backend.getOrCreateKeyedState(descriptor);
    state.setCurrentNamespace(VOID_NAMESPACE);
    return state;
  }
}
