// Makes the heap state a descriptor asks for: the plain state, or its TTL version when the descriptor
// has a StateTtlConfig (so that states without TTL never pay for it). Descriptors are told apart by
// their `kind` tag, not by class: a job bundle may carry its own copy of the descriptor classes.
import type { AggregateFunction } from '../functions.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { AggregatingStateDescriptor, ReducingStateDescriptor, StateDescriptor, StateKind } from './descriptors.ts';
import { HeapListState, HeapMapState } from './heap-collection-states.ts';
import type { HeapState, KeyContext } from './heap-state.ts';
import { HeapAggregatingState, HeapReducingState, HeapValueState } from './heap-value-states.ts';
import type { StateMeta } from './keyed-state-backend.ts';
import type { State } from './state.ts';
import { TtlListState, TtlMapState } from './ttl-collection-states.ts';
import { TtlSettings } from './ttl.ts';
import { TtlAggregatingState, TtlReducingState, TtlValueState } from './ttl-value-states.ts';

/** Any heap state, whatever its entries. */
export type AnyHeapState<K extends Key> = HeapState<K, unknown>;

export function createHeapState<K extends Key>(descriptor: StateDescriptor<State>, backend: KeyContext<K>, clock: () => number): AnyHeapState<K> {
  const name = descriptor.name;
  const ttl = descriptor.ttlConfig === undefined ? undefined : new TtlSettings(descriptor.ttlConfig, clock);
  let state: unknown;
  switch (descriptor.kind) {
    case 'value':
      state = ttl ? new TtlValueState(backend, name, ttl) : new HeapValueState(backend, name);
      break;
    case 'list':
      state = ttl ? new TtlListState(backend, name, ttl) : new HeapListState(backend, name);
      break;
    case 'map':
      state = ttl ? new TtlMapState(backend, name, ttl) : new HeapMapState(backend, name);
      break;
    case 'reducing': {
      const { reduceFunction } = descriptor as unknown as ReducingStateDescriptor<unknown>;
      state = ttl ? new TtlReducingState(backend, name, ttl, reduceFunction) : new HeapReducingState(backend, name, reduceFunction);
      break;
    }
    case 'aggregating': {
      const aggregate = (descriptor as unknown as AggregatingStateDescriptor<unknown, unknown, unknown>).aggregateFunction as AggregateFunction<unknown, unknown, unknown>;
      state = ttl ? new TtlAggregatingState(backend, name, ttl, aggregate) : new HeapAggregatingState(backend, name, aggregate);
      break;
    }
  }
  return state as AnyHeapState<K>;
}

/** The meta a descriptor's state will have. */
export function metaOf(descriptor: StateDescriptor<State>): StateMeta {
  return { kind: descriptor.kind, ttl: descriptor.ttlConfig !== undefined };
}

/** "value state", "list state with TTL": how errors name a kind of state. */
export function describeKind(meta: StateMeta): string {
  return `${meta.kind} state${meta.ttl ? ' with TTL' : ''}`;
}

export function sameKind(a: StateMeta, b: StateMeta): boolean {
  return a.kind === b.kind && a.ttl === b.ttl;
}

export const STATE_KINDS: readonly StateKind[] = ['value', 'list', 'map', 'reducing', 'aggregating'];
