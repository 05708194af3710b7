// The heap keyed states with one value per key and namespace: ValueState, ReducingState and
// AggregatingState (Flink's HeapValueState, HeapReducingState, HeapAggregatingState). Their snapshot
// form is the value (the accumulator for an aggregating state) itself.
import type { AggregateFunction, ReduceFunction } from '../functions.ts';
import type { Key } from '../runtime/key-groups.ts';
import { type InternalMergingState, type StateMeta, VOID_NAMESPACE } from './keyed-state-backend.ts';
import { HeapState, type KeyContext, type MALFORMED } from './heap-state.ts';
import type { AggregatingState, ReducingState, ValueState } from './state.ts';

/** A heap state whose entry is the value itself. */
abstract class SingleValueState<K extends Key, V> extends HeapState<K, V> {
  protected override readonly entriesAreSnapshotForm = true;

  snapshotEntry(value: V): unknown {
    return value;
  }

  restoreEntry(value: unknown): V | typeof MALFORMED {
    return value as V;
  }
}

export class HeapValueState<K extends Key, V> extends SingleValueState<K, V> implements ValueState<V> {
  readonly meta: StateMeta = { kind: 'value', ttl: false };

  value(): V | undefined {
    const backend = this.backend;
    return this.table.get(backend.slot, this.namespace, backend.currentKey);
  }

  update(value: V | undefined): void {
    const backend = this.backend;
    if (value === undefined) this.table.delete(backend.slot, this.namespace, backend.currentKey);
    else this.table.set(backend.slot, this.namespace, backend.currentKey, value);
  }

  /** Every key's value under VOID_NAMESPACE, key group by key group (an operator's final emission). */
  entries(): IterableIterator<[K, V]> {
    return this.table.entries(VOID_NAMESPACE);
  }
}

export class HeapReducingState<K extends Key, V> extends SingleValueState<K, V> implements ReducingState<V>, InternalMergingState {
  readonly meta: StateMeta = { kind: 'reducing', ttl: false };

  constructor(
    backend: KeyContext<K>,
    name: string,
    private readonly reducer: ReduceFunction<V>,
  ) {
    super(backend, name);
  }

  get(): V | undefined {
    return this.entry();
  }

  add(value: V): void {
    const current = this.entry();
    if (current === undefined) return this.setEntry(value);
    const next = this.reducer.reduce(current, value);
    // A reduce that updated the value in place left the entry as it should be.
    if (next !== current) this.setEntry(next);
  }

  protected override mergeEntries(first: V, second: V): V {
    return this.reducer.reduce(first, second);
  }
}

export class HeapAggregatingState<K extends Key, IN, ACC, OUT> extends SingleValueState<K, ACC> implements AggregatingState<IN, OUT>, InternalMergingState {
  readonly meta: StateMeta = { kind: 'aggregating', ttl: false };

  constructor(
    backend: KeyContext<K>,
    name: string,
    private readonly aggregate: AggregateFunction<IN, ACC, OUT>,
  ) {
    super(backend, name);
  }

  get(): OUT | undefined {
    const accumulator = this.entry();
    return accumulator === undefined ? undefined : this.aggregate.getResult(accumulator);
  }

  add(value: IN): void {
    const current = this.entry();
    const accumulator = current === undefined ? this.aggregate.createAccumulator() : current;
    const next = this.aggregate.add(value, accumulator);
    if (next !== current) this.setEntry(next);
  }

  protected override mergeEntries(first: ACC, second: ACC): ACC {
    return this.aggregate.merge(first, second);
  }
}
