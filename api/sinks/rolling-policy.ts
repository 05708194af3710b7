// When the file sink closes a part file and starts the next (Flink's RollingPolicy for row formats).
// A row-format part file always rolls at a checkpoint (its transaction is pre-committed there); a
// policy may roll it sooner, by size or by age. Rolled part files are committed with the others of
// their checkpoint.
import { WeirError } from '../../messages/errors.ts';

/** What a rolling policy sees of the part file being written. */
export interface PartFileInfo {
  /** Bytes written to it so far (encoded lines and their newlines). */
  readonly sizeBytes: number;
  /** When it was opened (ms since the epoch). */
  readonly createdAt: number;
}

export interface RollingPolicy {
  /** Before each record: true to close the part file and write the record to a new one. */
  shouldRollOnEvent(part: PartFileInfo): boolean;
  /** Before each record too, with the time now (no timer checks an idle part file). */
  shouldRollOnProcessingTime(part: PartFileInfo, now: number): boolean;
}

/** Flink's default maximum part size: 128 MiB. */
export const DEFAULT_MAX_PART_SIZE_BYTES = 128 * 1024 * 1024;
/** Flink's default rollover interval: 60 s. */
export const DEFAULT_ROLLOVER_INTERVAL_MS = 60_000;

/** Rolls a part file once it holds maxPartSizeBytes, or once it is rolloverIntervalMs old (Flink's DefaultRollingPolicy, without the inactivity interval). */
export class DefaultRollingPolicy implements RollingPolicy {
  /** Use DefaultRollingPolicy.builder(). */
  constructor(
    readonly maxPartSizeBytes: number = DEFAULT_MAX_PART_SIZE_BYTES,
    readonly rolloverIntervalMs: number = DEFAULT_ROLLOVER_INTERVAL_MS,
  ) {
    positive(maxPartSizeBytes, 'withMaxPartSize()');
    positive(rolloverIntervalMs, 'withRolloverInterval()');
  }

  static builder(): DefaultRollingPolicyBuilder {
    return new DefaultRollingPolicyBuilder();
  }

  shouldRollOnEvent(part: PartFileInfo): boolean {
    return part.sizeBytes >= this.maxPartSizeBytes;
  }

  shouldRollOnProcessingTime(part: PartFileInfo, now: number): boolean {
    return now - part.createdAt >= this.rolloverIntervalMs;
  }
}

export class DefaultRollingPolicyBuilder {
  private maxPartSizeBytes = DEFAULT_MAX_PART_SIZE_BYTES;
  private rolloverIntervalMs = DEFAULT_ROLLOVER_INTERVAL_MS;

  /** Roll once a part file holds this many bytes (default 128 MiB). */
  withMaxPartSize(bytes: number): this {
    this.maxPartSizeBytes = positive(bytes, 'withMaxPartSize()');
    return this;
  }

  /** Roll once a part file is this old, checked when a record arrives (default 60 s). */
  withRolloverInterval(ms: number): this {
    this.rolloverIntervalMs = positive(ms, 'withRolloverInterval()');
    return this;
  }

  build(): DefaultRollingPolicy {
    return new DefaultRollingPolicy(this.maxPartSizeBytes, this.rolloverIntervalMs);
  }
}

/** Rolls at checkpoints only (Flink's OnCheckpointRollingPolicy). */
export class OnCheckpointRollingPolicy implements RollingPolicy {
  private constructor() {}

  static build(): OnCheckpointRollingPolicy {
    return new OnCheckpointRollingPolicy();
  }

  shouldRollOnEvent(): boolean {
    return false;
  }

  shouldRollOnProcessingTime(): boolean {
    return false;
  }
}

function positive(value: number, method: string): number {
  if (typeof value !== 'number' || !(value > 0)) throw new WeirError('INVALID_ARGUMENT', `DefaultRollingPolicy ${method} needs a positive number, got ${String(value)}`);
  return value;
}
