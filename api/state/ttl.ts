// State time-to-live on the heap backend (Flink's AbstractTtlState, TtlIncrementalCleanup): a TTL
// state keeps each value with its expiry timestamp (per element of a list, per user key of a map, as
// Flink does) on the backend's processing-time clock. States without a StateTtlConfig are the plain
// heap states: TTL costs them nothing.
//
// Expired: expiresAt <= now (Flink: lastAccess + ttl <= now). An expired entry read is removed (cleanup
// on read); NeverReturnExpired hides it, ReturnExpiredIfNotCleanedUp returns it that once.
import type { Key } from '../runtime/key-groups.ts';
import { HeapState, type KeyContext } from './heap-state.ts';
import type { StateTable, NamespaceTable } from './state-table.ts';
import type { StateTtlConfig } from './ttl-config.ts';

/** A value with its expiry (Flink's TtlValue); the state's own wrapper, so it is updated in place. */
export class TtlValue<V> {
  constructor(
    public value: V,
    public expiresAt: number,
  ) {}
}

/** A StateTtlConfig resolved for the heap states, with the backend's processing-time clock. */
export class TtlSettings {
  readonly ttlMs: number;
  readonly updateOnRead: boolean;
  readonly returnExpired: boolean;
  /** Entries checked per state access (0: no incremental cleanup). */
  readonly cleanupSize: number;
  /** Incremental cleanup also runs at every setCurrentKey of the backend (once per record). */
  readonly cleanupPerRecord: boolean;
  /** Expired entries are left out of snapshots. */
  readonly cleanupInFullSnapshot: boolean;

  constructor(
    config: StateTtlConfig,
    readonly clock: () => number,
  ) {
    this.ttlMs = config.ttlMs;
    this.updateOnRead = config.updateType === 'OnReadAndWrite';
    this.returnExpired = config.stateVisibility === 'ReturnExpiredIfNotCleanedUp';
    this.cleanupSize = config.cleanup.incrementalCleanupSize;
    this.cleanupPerRecord = this.cleanupSize > 0 && config.cleanup.incrementalRunForEveryRecord;
    this.cleanupInFullSnapshot = config.cleanup.inFullSnapshot;
  }
}

/** The snapshot form of a TtlValue: [value, expiresAt]; undefined for anything else. */
export function restoreTtlValue<V>(value: unknown): TtlValue<V> | undefined {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[1] !== 'number') return undefined;
  return new TtlValue(value[0] as V, value[1]);
}

/** A TTL state's cleanup of one stored entry. */
export interface TtlCleanable<E> {
  /** The entry without its expired parts: the entry itself (changed in place) or undefined when nothing is left. */
  cleanEntry(entry: E, now: number): E | undefined;
}

/**
 * Incremental cleanup (Flink's TtlIncrementalCleanup on the heap backend): a cursor over every entry of
 * one state, key group by key group, that checks a few entries per call and wraps around at the end.
 * Map iterators stay valid while entries are deleted, so the cursor survives any write in between.
 */
export class IncrementalCleanup<K extends Key, E> {
  private tables: Iterator<NamespaceTable<K, E>>;
  private current: NamespaceTable<K, E> | undefined = undefined;
  private keys: Iterator<K> | undefined = undefined;

  constructor(
    private readonly table: StateTable<K, E>,
    private readonly cleanable: TtlCleanable<E>,
  ) {
    this.tables = table.tables();
  }

  /** Checks up to `count` entries, at most one pass over the state per call. */
  run(count: number, now: number): void {
    let wrapped = false;
    while (count > 0) {
      if (this.keys === undefined) {
        const next = this.tables.next();
        if (next.done === true) {
          if (wrapped) return;
          wrapped = true;
          this.tables = this.table.tables();
          continue;
        }
        this.current = next.value;
        this.keys = next.value.entries.keys();
      }
      const next = this.keys.next();
      if (next.done === true) {
        this.keys = undefined;
        continue;
      }
      count--;
      const { slot, namespace, entries } = this.current!;
      const key = next.value;
      const entry = entries.get(key)!;
      // cleanEntry changes the entry in place: a snapshot holding its group takes the group first.
      this.table.touch(slot);
      const cleaned = this.cleanable.cleanEntry(entry, now);
      if (cleaned === undefined) this.table.delete(slot, namespace, key);
      else if (cleaned !== entry) entries.set(key, cleaned);
    }
  }
}

/** The base of the TTL states: settings, the incremental cleanup, and removal without an access. */
export abstract class TtlState<K extends Key, E> extends HeapState<K, E> implements TtlCleanable<E> {
  private readonly cleanup: IncrementalCleanup<K, E> | null;

  constructor(
    backend: KeyContext<K>,
    name: string,
    protected readonly ttl: TtlSettings,
  ) {
    super(backend, name);
    this.cleanup = ttl.cleanupSize > 0 ? new IncrementalCleanup(this.table, this) : null;
  }

  abstract cleanEntry(entry: E, now: number): E | undefined;

  /** Whether the backend should call cleanupForRecord at every setCurrentKey. */
  get cleansPerRecord(): boolean {
    return this.ttl.cleanupPerRecord;
  }

  /** Every access of the state runs the incremental cleanup's share first (Flink's stateAccessed). */
  protected accessed(): void {
    if (this.cleanup !== null) this.cleanup.run(this.ttl.cleanupSize, this.ttl.clock());
  }

  /** The backend's per-record hook (cleanupIncrementally(n, true)): one more share. */
  cleanupForRecord(): void {
    this.accessed();
  }

  override clear(): void {
    this.accessed();
    this.removeEntry();
  }

  /** Removes the current key's entry (cleanup on read; no access counted). */
  protected removeEntry(): void {
    super.clear();
  }
}
