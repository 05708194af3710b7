// The heap keyed state backend (Flink's HeapKeyedStateBackend, in miniature): one operator's keyed
// states, each in Maps per key group of the subtask's range (state-table.ts), so that a checkpoint
// writes it key group by key group and a restore at another parallelism hands each group to its new
// owner. The operator sets the current key before each record; states read and write under it and
// under their own current namespace (VOID_NAMESPACE unless a window operator sets one).
//
// States are made on first request by descriptor name; a later request for the same name gets the
// same object. Restored entries of a state not requested yet wait for the request (kept meanwhile,
// and written to later snapshots, as Flink keeps restored state until it is registered).
//
// Asynchronous snapshots: `guard` (key-group-guard.ts) watches every state's table; a snapshot holds
// the key groups through it and captures each with captureKeyGroup() before it changes.
//
// Threading: none; only the operator that owns the backend touches it, on the task's turn.
import { WeirError } from '../../messages/errors.ts';
import { type Key, type KeyGroupRange, invalidKeyError, isKey, keyGroupOf, keyOutOfRangeError } from '../runtime/key-groups.ts';
import { type CapturedKeyGroupState, type CapturedTables, tablesOfTriples } from './captured-key-group.ts';
import { ValueStateDescriptor, type StateDescriptor } from './descriptors.ts';
import { type AnyHeapState, STATE_KINDS, createHeapState, describeKind, metaOf, sameKind } from './heap-state-factory.ts';
import { type KeyContext, MALFORMED, type SnapshotTriple } from './heap-state.ts';
import { HeapValueState } from './heap-value-states.ts';
import { KeyGroupGuard } from './key-group-guard.ts';
import type { InternalKeyedState, KeyGroupSnapshot, KeyedStateBackend, Namespace, StateMeta } from './keyed-state-backend.ts';
import { BackendKeyedStateStore } from './keyed-state-store.ts';
import type { KeyedStateStore, State } from './state.ts';
import { TtlState } from './ttl.ts';

/** The one table of an unpartitioned backend. */
const SINGLE_TABLE: KeyGroupRange = { start: 0, end: 0 };

export interface HeapKeyedStateBackendOptions {
  /** The processing-time clock (ms) that state TTL runs on; Date.now by default. */
  readonly clock?: () => number;
}

/** Restored entries of a state nobody has asked for yet. */
interface PendingState {
  readonly meta: StateMeta;
  readonly groups: Map<number, readonly SnapshotTriple[]>;
}

export class HeapKeyedStateBackend<K extends Key> implements KeyedStateBackend<K>, KeyContext<K> {
  /** Read by the states; set only by setCurrentKey. */
  currentKey = undefined as unknown as K;
  /** The index of `currentKey`'s group in the states' tables (group - range.start). */
  slot = -1;
  readonly range: KeyGroupRange;
  readonly groups: number;
  readonly keyedStateStore: KeyedStateStore;
  /** What a snapshot holds key groups through; every state's table asks it before a held group changes. */
  readonly guard: KeyGroupGuard;
  private readonly partitioned: boolean;
  private readonly clock: () => number;
  private readonly states = new Map<string, AnyHeapState<K>>();
  private readonly pending = new Map<string, PendingState>();
  /** TTL states whose incremental cleanup runs once per record; null while there are none (one check per key). */
  private recordCleanups: TtlState<K, unknown>[] | null = null;

  /**
   * `range` null: one table, no key groups, no hashing, no snapshots (a BATCH combiner's state is
   * local to the producer task, never redistributed, never snapshotted).
   */
  constructor(
    range: KeyGroupRange | null,
    readonly maxParallelism: number,
    /** How errors name the operator, e.g. `operator "Sum" (id "sum-3")`. */
    readonly operator: string,
    options: HeapKeyedStateBackendOptions = {},
  ) {
    this.range = range ?? SINGLE_TABLE;
    this.partitioned = range !== null;
    this.groups = Math.max(0, this.range.end - this.range.start + 1);
    this.clock = options.clock ?? Date.now;
    this.keyedStateStore = new BackendKeyedStateStore(this);
    this.guard = new KeyGroupGuard(this.groups);
  }

  /** The processing time (ms) TTL runs on: what a snapshot filters expired entries by. */
  now(): number {
    return this.clock();
  }

  /** Checks the key (a Key, in this subtask's key groups) and makes it current. */
  setCurrentKey(key: unknown): void {
    if (!this.partitioned) {
      if (!isKey(key)) throw invalidKeyError(this.operator, key);
      this.currentKey = key as K;
      this.slot = 0;
    } else {
      const keyGroup = keyGroupOf(key, this.maxParallelism);
      if (keyGroup < 0) throw invalidKeyError(this.operator, key);
      const range = this.range;
      if (keyGroup < range.start || keyGroup > range.end) throw keyOutOfRangeError(this.operator, key, keyGroup, range);
      this.currentKey = key as K;
      this.slot = keyGroup - range.start;
    }
    // Flink runs per-record TTL cleanup on key selection too (registerKeySelectionListener).
    if (this.recordCleanups !== null) for (const state of this.recordCleanups) state.cleanupForRecord();
  }

  getCurrentKey(): K {
    return this.currentKey;
  }

  getCurrentKeyGroup(): number {
    return this.range.start + this.slot;
  }

  getOrCreateKeyedState<S extends State>(descriptor: StateDescriptor<S>): S & InternalKeyedState {
    const existing = this.states.get(descriptor.name);
    if (existing !== undefined) {
      const requested = metaOf(descriptor);
      if (!sameKind(existing.meta, requested)) {
        throw new WeirError('STATE_KIND_MISMATCH', `${this.operator}: state "${descriptor.name}" is a ${describeKind(existing.meta)}; it cannot be used as a ${describeKind(requested)}`);
      }
      return existing as unknown as S & InternalKeyedState;
    }
    const state = createHeapState<K>(descriptor, this, this.clock);
    this.guard.watch(state.table);
    const pending = this.pending.get(descriptor.name);
    if (pending !== undefined) {
      this.checkRestoredKind(descriptor.name, pending.meta, state.meta);
      // Its restored values become live (and changeable): a snapshot holding their groups takes them first.
      for (const keyGroup of pending.groups.keys()) this.guard.touch(keyGroup - this.range.start);
      for (const [keyGroup, triples] of pending.groups) this.restoreEntries(state, keyGroup, triples);
      this.pending.delete(descriptor.name);
    }
    this.states.set(descriptor.name, state);
    if (state instanceof TtlState && state.cleansPerRecord) (this.recordCleanups ??= []).push(state);
    return state as unknown as S & InternalKeyedState;
  }

  /** The operator's own value state (no TTL), with entries() for a final emission. */
  valueState<V>(name: string): HeapValueState<K, V> {
    const state = this.getOrCreateKeyedState(new ValueStateDescriptor<V>(name));
    if (!(state instanceof HeapValueState)) throw new WeirError('STATE_KIND_MISMATCH', `${this.operator}: state "${name}" is a ${describeKind(this.states.get(name)!.meta)}; it cannot be used as a value state`);
    return state as HeapValueState<K, V>;
  }

  *getKeys(stateName: string, namespace: Namespace): IterableIterator<K> {
    const state = this.states.get(stateName);
    if (state !== undefined) yield* state.table.keys(namespace);
  }

  snapshotKeyGroup(keyGroup: number): KeyGroupSnapshot {
    const slot = this.ownSlot(keyGroup, 'INVALID_ARGUMENT', 'snapshot');
    const now = this.clock();
    const states: Record<string, readonly SnapshotTriple[]> = {};
    const meta: Record<string, StateMeta> = {};
    for (const [name, state] of this.states) {
      states[name] = state.snapshotGroup(slot, now);
      meta[name] = state.meta;
    }
    for (const [name, pending] of this.pending) {
      states[name] = pending.groups.get(keyGroup) ?? [];
      meta[name] = pending.meta;
    }
    return { keyGroup, states, meta };
  }

  /**
   * One key group as an asynchronous snapshot captures it (captured-key-group.ts), or null when it
   * holds nothing: it may hold live Maps, so encode it before the group changes.
   */
  captureKeyGroup(keyGroup: number, now: number): CapturedKeyGroupState | null {
    const slot = this.ownSlot(keyGroup, 'INVALID_ARGUMENT', 'snapshot');
    let tables: Record<string, CapturedTables> | null = null;
    let meta: Record<string, StateMeta> | null = null;
    for (const [name, state] of this.states) {
      const captured = state.captureGroup(slot, now);
      if (captured.length === 0) continue;
      (tables ??= {})[name] = captured;
      (meta ??= {})[name] = state.meta;
    }
    for (const [name, pending] of this.pending) {
      const triples = pending.groups.get(keyGroup);
      if (triples === undefined || triples.length === 0) continue;
      (tables ??= {})[name] = tablesOfTriples(triples);
      (meta ??= {})[name] = pending.meta;
    }
    return tables === null || meta === null ? null : { meta, tables };
  }

  /** Restores one key group (of this subtask's range); its entries replace any the group holds for the same keys. */
  restoreKeyGroup(snapshot: KeyGroupSnapshot): void {
    const { keyGroup } = snapshot;
    this.ownSlot(keyGroup, 'STATE_RESTORE_FAILED', 'restore');
    if (typeof snapshot.states !== 'object' || snapshot.states === null) {
      throw new WeirError('STATE_RESTORE_FAILED', `${this.operator}: the snapshot of key group ${keyGroup} has no states`);
    }
    for (const [name, triples] of Object.entries(snapshot.states)) {
      const meta = snapshot.meta?.[name];
      if (meta === undefined || !STATE_KINDS.includes(meta.kind) || typeof meta.ttl !== 'boolean') {
        throw new WeirError('STATE_RESTORE_FAILED', `${this.operator}: the snapshot of key group ${keyGroup} does not say what kind of state "${name}" is`);
      }
      if (!Array.isArray(triples)) throw this.malformed(name, keyGroup, 'its entries are not an array');
      for (const triple of triples) this.checkTriple(name, keyGroup, triple);
      const state = this.states.get(name);
      if (state !== undefined) {
        this.checkRestoredKind(name, meta, state.meta);
        this.restoreEntries(state, keyGroup, triples);
        continue;
      }
      let pending = this.pending.get(name);
      if (pending === undefined) this.pending.set(name, (pending = { meta, groups: new Map() }));
      else this.checkRestoredKind(name, meta, pending.meta);
      pending.groups.set(keyGroup, triples);
    }
  }

  /** The slot of a key group this backend owns; `code` naming `action` otherwise. */
  private ownSlot(keyGroup: number, code: 'INVALID_ARGUMENT' | 'STATE_RESTORE_FAILED', action: string): number {
    const { start, end } = this.range;
    if (!this.partitioned) throw new WeirError(code, `${this.operator}: an unpartitioned state backend (a combiner's) cannot ${action} key groups`);
    if (!Number.isInteger(keyGroup) || keyGroup < start || keyGroup > end) {
      throw new WeirError(code, `${this.operator}: cannot ${action} key group ${String(keyGroup)}, which this subtask does not own (${start}..${end})`);
    }
    return keyGroup - start;
  }

  private checkTriple(name: string, keyGroup: number, triple: unknown): void {
    if (!Array.isArray(triple) || triple.length !== 3) throw this.malformed(name, keyGroup, 'an entry is not [key, namespace, value]');
    const [key, namespace] = triple as [unknown, unknown];
    const group = keyGroupOf(key, this.maxParallelism);
    if (group < 0) throw this.malformed(name, keyGroup, `an entry's key is ${typeof key}, not a Key`);
    if (group !== keyGroup) throw this.malformed(name, keyGroup, `key ${JSON.stringify(String(key))} belongs to key group ${group}`);
    if (typeof namespace !== 'string' && typeof namespace !== 'number') throw this.malformed(name, keyGroup, `an entry's namespace is ${typeof namespace}`);
  }

  private restoreEntries(state: AnyHeapState<K>, keyGroup: number, triples: readonly SnapshotTriple[]): void {
    const slot = keyGroup - this.range.start;
    for (const [key, namespace, value] of triples) {
      const entry = state.restoreEntry(value);
      if (entry === MALFORMED) throw this.malformed(state.name, keyGroup, `the value of key ${JSON.stringify(String(key))} is not what a ${describeKind(state.meta)} writes`);
      state.table.set(slot, namespace, key as K, entry);
    }
  }

  private checkRestoredKind(name: string, restored: StateMeta, current: StateMeta): void {
    if (sameKind(restored, current)) return;
    throw new WeirError('STATE_KIND_MISMATCH', `${this.operator}: state "${name}" was snapshotted as a ${describeKind(restored)}; it cannot be restored as a ${describeKind(current)}`);
  }

  private malformed(name: string, keyGroup: number, problem: string): WeirError {
    return new WeirError('STATE_RESTORE_FAILED', `${this.operator}: cannot restore state "${name}" of key group ${keyGroup}: ${problem}`);
  }
}
