// State time-to-live (Flink's StateTtlConfig): an entry of a keyed state expires `ttlMs` of
// processing time after it was last written (or read, with OnReadAndWrite). Built once, shared by
// descriptors; plain data, so a plan can describe it.
import { WeirError } from '../../messages/errors.ts';

/** When the expiry clock of an entry restarts. */
export type TtlUpdateType = 'OnCreateAndWrite' | 'OnReadAndWrite';
/** Whether an expired entry that is still stored may be returned. */
export type TtlStateVisibility = 'NeverReturnExpired' | 'ReturnExpiredIfNotCleanedUp';

export interface TtlCleanup {
  /** Expired entries are removed when they are read (always on). */
  readonly onRead: true;
  /** Incremental cleanup: check this many entries per state access (0: off). */
  readonly incrementalCleanupSize: number;
  /** Incremental cleanup also runs once per processed record, not only per state access. */
  readonly incrementalRunForEveryRecord: boolean;
  /** Expired entries are left out of full snapshots. */
  readonly inFullSnapshot: boolean;
}

export class StateTtlConfig {
  private constructor(
    readonly ttlMs: number,
    readonly updateType: TtlUpdateType,
    readonly stateVisibility: TtlStateVisibility,
    readonly cleanup: TtlCleanup,
  ) {}

  static newBuilder(ttlMs: number): StateTtlConfigBuilder {
    return new StateTtlConfigBuilder(ttlMs);
  }

  /** @internal the builder's constructor. */
  static create(ttlMs: number, updateType: TtlUpdateType, stateVisibility: TtlStateVisibility, cleanup: TtlCleanup): StateTtlConfig {
    return new StateTtlConfig(ttlMs, updateType, stateVisibility, cleanup);
  }
}

export class StateTtlConfigBuilder {
  private updateType: TtlUpdateType = 'OnCreateAndWrite';
  private stateVisibility: TtlStateVisibility = 'NeverReturnExpired';
  private incrementalCleanupSize = 0;
  private incrementalRunForEveryRecord = false;
  private inFullSnapshot = false;

  constructor(private readonly ttlMs: number) {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new WeirError('INVALID_ARGUMENT', `StateTtlConfig needs a time to live above 0 ms; got ${String(ttlMs)}`);
  }

  setUpdateType(updateType: TtlUpdateType): this {
    this.updateType = updateType;
    return this;
  }

  updateTtlOnCreateAndWrite(): this {
    return this.setUpdateType('OnCreateAndWrite');
  }

  updateTtlOnReadAndWrite(): this {
    return this.setUpdateType('OnReadAndWrite');
  }

  setStateVisibility(visibility: TtlStateVisibility): this {
    this.stateVisibility = visibility;
    return this;
  }

  neverReturnExpired(): this {
    return this.setStateVisibility('NeverReturnExpired');
  }

  returnExpiredIfNotCleanedUp(): this {
    return this.setStateVisibility('ReturnExpiredIfNotCleanedUp');
  }

  /** Checks `cleanupSize` entries per state access (and per record with `runCleanupForEveryRecord`). */
  cleanupIncrementally(cleanupSize: number, runCleanupForEveryRecord = false): this {
    if (!Number.isInteger(cleanupSize) || cleanupSize < 0) throw new WeirError('INVALID_ARGUMENT', `cleanupIncrementally needs a whole number of entries >= 0; got ${String(cleanupSize)}`);
    this.incrementalCleanupSize = cleanupSize;
    this.incrementalRunForEveryRecord = runCleanupForEveryRecord;
    return this;
  }

  cleanupFullSnapshot(): this {
    this.inFullSnapshot = true;
    return this;
  }

  build(): StateTtlConfig {
    return StateTtlConfig.create(this.ttlMs, this.updateType, this.stateVisibility, {
      onRead: true,
      incrementalCleanupSize: this.incrementalCleanupSize,
      incrementalRunForEveryRecord: this.incrementalRunForEveryRecord,
      inFullSnapshot: this.inFullSnapshot,
    });
  }
}
