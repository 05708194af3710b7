// reduce / sum / min / max / minBy / maxBy on a keyed stream (Flink's StreamGroupedReduceOperator):
// the running value per key lives in the heap keyed state backend. STREAMING emits the updated value
// after every record; BATCH emits each key's final value once every input has ended. The same class,
// with every key group and final emission, is the BATCH combiner chained before the shuffle.
//
// The running value is the object the reduce function returned: a function that mutates and returns
// its first argument mutates the state (fine). What STREAMING mode emits must not change afterwards
// (see "Record ownership" in docs/architecture.md), so a user's reduce and the built-in aggregations
// emit a copy of the running value (unless object reuse is on). The built-in aggregations copy a
// key's first record once and then update that copy in place (one allocation per key, plus the
// copy each emission needs); with object reuse they make a new object per update instead.
//
// The combiner keeps its running values in one plain Map rather than in the keyed state backend: its
// state is local to the producer task, never redistributed and never snapshotted, so it needs no key
// groups, and its per-record path (one Map lookup, the reduce) is what BATCH word counts spend on.
import type { ReduceFunction } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { copyRecord } from '../runtime/copy-record.ts';
import { type Key, type KeyGroupRange, invalidKeyError, isKey } from '../runtime/key-groups.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import type { HeapValueState } from '../state/heap-value-states.ts';
import type { KeyedParts } from './keyed-snapshots.ts';
import { UdfOperator } from './udf-operator.ts';

/** The name of the running values' state (in snapshots; Flink's StreamGroupedReduceOperator says "_op_state"). */
const REDUCE_STATE_NAME = 'reduce';

export interface KeyedReduceOptions<T> {
  /** True: emit the new value per record (STREAMING); false: emit final values at end of input. */
  readonly emitEachUpdate: boolean;
  /** The key groups this subtask owns; null for a combiner, which keeps one unpartitioned Map. */
  readonly keyGroups: KeyGroupRange | null;
  /** Makes a key's first record its running value (a private copy that reduce may update in place); the record itself by default. */
  readonly firstValue?: (value: T) => T;
  /** STREAMING with a user's reduce (which may update its first argument): emit copies of the running value. */
  readonly copyOnEmit?: boolean;
}

export class KeyedReduceOperator<T> extends UdfOperator<T, ReduceFunction<T>> {
  private readonly backend: HeapKeyedStateBackend<Key>;
  private readonly state: HeapValueState<Key, T>;
  /** A combiner's running values (see the header); null for a keyed reduction, whose state is `state`. */
  private readonly combined: Map<Key, T> | null;
  private readonly emitEachUpdate: boolean;
  private readonly copyOnEmit: boolean;
  private readonly firstValue: ((value: T) => T) | undefined;
  /** The final values still to emit, once emitFinal has started. */
  private remaining: Iterator<T> | null = null;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<ReduceFunction<T>>,
    private readonly keySelector: KeySelector,
    private readonly output: Output<T>,
    options: KeyedReduceOptions<T>,
  ) {
    super(runtime, factory);
    this.backend = new HeapKeyedStateBackend(options.keyGroups, runtime.subtask.maxParallelism, describeOperator(this.descriptor));
    this.state = this.backend.valueState<T>(REDUCE_STATE_NAME);
    this.combined = options.keyGroups === null ? new Map() : null;
    this.emitEachUpdate = options.emitEachUpdate;
    this.copyOnEmit = options.copyOnEmit === true && !runtime.objectReuse;
    this.firstValue = options.firstValue;
  }

  /** The running values per key group; a combiner's (BATCH, local to its task) are never snapshotted. */
  protected override keyedParts(): KeyedParts | null {
    return this.combined === null ? { backend: this.backend, timers: null } : null;
  }

  collect(value: T, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    if (this.combined !== null) return this.combine(this.combined, value);
    this.backend.setCurrentKey(this.keySelector(value));
    const state = this.state;
    const current = state.value();
    let next: T;
    if (current === undefined) {
      next = this.firstValue ? this.firstValue(value) : value;
      state.update(next);
    } else {
      next = this.udf.reduce(current, value);
      // A reduce that updated the running value in place (the BATCH aggregations) left the state as
      // it should be: writing the same object back would cost a second Map lookup per record.
      if (next !== current) state.update(next);
    }
    if (this.emitEachUpdate) this.output.collect(this.copyOnEmit ? copyRecord(next) : next, timestamp);
  }

  override emitFinal(maxRecords: number): boolean {
    if (this.emitEachUpdate) return true;
    const remaining = (this.remaining ??= this.combined !== null ? this.combined.values() : this.finalValues());
    const output = this.output;
    for (let emitted = 0; emitted < maxRecords; emitted++) {
      const entry = remaining.next();
      if (entry.done) return true;
      output.collect(entry.value, undefined);
    }
    return false;
  }

  /** A combiner's record: one lookup, then the reduce (in place for the built-in aggregations). */
  private combine(combined: Map<Key, T>, value: T): void {
    const key = this.keySelector(value);
    const current = combined.get(key as Key);
    if (current === undefined) {
      if (!isKey(key)) throw invalidKeyError(describeOperator(this.descriptor), key);
      combined.set(key, this.firstValue ? this.firstValue(value) : value);
      return;
    }
    const next = this.udf.reduce(current, value);
    if (next !== current) combined.set(key as Key, next);
  }

  private *finalValues(): IterableIterator<T> {
    for (const [, value] of this.state.entries()) yield value;
  }
}
