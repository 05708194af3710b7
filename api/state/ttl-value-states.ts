// The TTL versions of the one-value states (Flink's TtlValueState, TtlReducingState,
// TtlAggregatingState): the entry is a TtlValue; writes restart its expiry, reads do too with
// OnReadAndWrite. A write that builds on the stored value (add) ignores an expired one, whatever the
// visibility: a reduce or an aggregate never folds in expired data (Flink's TtlReduceFunction).
// Snapshot form: [value, expiresAt].
import type { AggregateFunction, ReduceFunction } from '../functions.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { InternalMergingState, StateMeta } from './keyed-state-backend.ts';
import { type KeyContext, MALFORMED, OMITTED } from './heap-state.ts';
import type { AggregatingState, ReducingState, ValueState } from './state.ts';
import { TtlSettings, TtlState, TtlValue, restoreTtlValue } from './ttl.ts';

abstract class TtlSingleValueState<K extends Key, V> extends TtlState<K, TtlValue<V>> {
  /** The current entry's value for a reader (after the access's cleanup share). */
  protected read(): V | undefined {
    this.accessed();
    const entry = this.entry();
    if (entry === undefined) return undefined;
    const ttl = this.ttl;
    const now = ttl.clock();
    if (entry.expiresAt <= now) {
      this.removeEntry();
      return ttl.returnExpired ? entry.value : undefined;
    }
    if (ttl.updateOnRead) entry.expiresAt = now + ttl.ttlMs;
    return entry.value;
  }

  /** The stored value a write builds on: undefined when there is none or it expired. */
  protected unexpired(now: number): V | undefined {
    const entry = this.entry();
    return entry === undefined || entry.expiresAt <= now ? undefined : entry.value;
  }

  protected write(value: V, now: number): void {
    const entry = this.entry();
    const expiresAt = now + this.ttl.ttlMs;
    if (entry === undefined) return this.setEntry(new TtlValue(value, expiresAt));
    entry.value = value;
    entry.expiresAt = expiresAt;
  }

  /** Merges two entries of merging namespaces: expired ones are dropped, the result expires afresh. */
  protected mergeValues(first: TtlValue<V>, second: TtlValue<V>, combine: (first: V, second: V) => V): TtlValue<V> | undefined {
    const now = this.ttl.clock();
    const firstLive = first.expiresAt > now;
    const secondLive = second.expiresAt > now;
    if (!firstLive && !secondLive) return undefined;
    const value = firstLive && secondLive ? combine(first.value, second.value) : firstLive ? first.value : second.value;
    return new TtlValue(value, now + this.ttl.ttlMs);
  }

  cleanEntry(entry: TtlValue<V>, now: number): TtlValue<V> | undefined {
    return entry.expiresAt <= now ? undefined : entry;
  }

  snapshotEntry(entry: TtlValue<V>, now: number): unknown {
    if (this.ttl.cleanupInFullSnapshot && entry.expiresAt <= now) return OMITTED;
    return [entry.value, entry.expiresAt];
  }

  restoreEntry(value: unknown): TtlValue<V> | typeof MALFORMED {
    return restoreTtlValue<V>(value) ?? MALFORMED;
  }
}

export class TtlValueState<K extends Key, V> extends TtlSingleValueState<K, V> implements ValueState<V> {
  readonly meta: StateMeta = { kind: 'value', ttl: true };

  value(): V | undefined {
    return this.read();
  }

  update(value: V | undefined): void {
    this.accessed();
    if (value === undefined) this.removeEntry();
    else this.write(value, this.ttl.clock());
  }
}

export class TtlReducingState<K extends Key, V> extends TtlSingleValueState<K, V> implements ReducingState<V>, InternalMergingState {
  readonly meta: StateMeta = { kind: 'reducing', ttl: true };

  constructor(
    backend: KeyContext<K>,
    name: string,
    ttl: TtlSettings,
    private readonly reducer: ReduceFunction<V>,
  ) {
    super(backend, name, ttl);
  }

  get(): V | undefined {
    return this.read();
  }

  add(value: V): void {
    this.accessed();
    const now = this.ttl.clock();
    const current = this.unexpired(now);
    this.write(current === undefined ? value : this.reducer.reduce(current, value), now);
  }

  protected override mergeEntries(first: TtlValue<V>, second: TtlValue<V>): TtlValue<V> | undefined {
    return this.mergeValues(first, second, (a, b) => this.reducer.reduce(a, b));
  }
}

export class TtlAggregatingState<K extends Key, IN, ACC, OUT> extends TtlSingleValueState<K, ACC> implements AggregatingState<IN, OUT>, InternalMergingState {
  readonly meta: StateMeta = { kind: 'aggregating', ttl: true };

  constructor(
    backend: KeyContext<K>,
    name: string,
    ttl: TtlSettings,
    private readonly aggregate: AggregateFunction<IN, ACC, OUT>,
  ) {
    super(backend, name, ttl);
  }

  get(): OUT | undefined {
    const accumulator = this.read();
    return accumulator === undefined ? undefined : this.aggregate.getResult(accumulator);
  }

  add(value: IN): void {
    this.accessed();
    const now = this.ttl.clock();
    const accumulator = this.unexpired(now) ?? this.aggregate.createAccumulator();
    this.write(this.aggregate.add(value, accumulator), now);
  }

  protected override mergeEntries(first: TtlValue<ACC>, second: TtlValue<ACC>): TtlValue<ACC> | undefined {
    return this.mergeValues(first, second, (a, b) => this.aggregate.merge(a, b));
  }
}
