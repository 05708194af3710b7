// A job's checkpointing as its module sets it (Flink's CheckpointConfig): env.enableCheckpointing()
// turns it on, env.getCheckpointConfig() tunes it. Only what the module set travels in the JobGraph;
// the cluster fills the rest from its execution.checkpointing.* keys, then Flink's defaults, so a
// getter here shows the job's value or Flink's default, not what a cluster may configure.
import { fileURLToPath } from 'node:url';
import { WeirError } from '../../messages/errors.ts';
import { CHECKPOINT_RETENTIONS, type CheckpointRetention, type CheckpointingMode as Mode, type CheckpointingSettings } from '../../messages/job-graph.ts';
import { describeValue } from '../../messages/schema.ts';
import { COUNT, NON_NEGATIVE_MS, POSITIVE_COUNT, POSITIVE_MS, checked } from './setting-checks.ts';

/** Flink's CheckpointingMode: `CheckpointingMode.EXACTLY_ONCE`, or the string itself. */
export const CheckpointingMode: { readonly EXACTLY_ONCE: 'EXACTLY_ONCE'; readonly AT_LEAST_ONCE: 'AT_LEAST_ONCE' } = {
  EXACTLY_ONCE: 'EXACTLY_ONCE',
  AT_LEAST_ONCE: 'AT_LEAST_ONCE',
};
export type CheckpointingMode = Mode;

const MODES: readonly CheckpointingMode[] = Object.values(CheckpointingMode);

// Flink's defaults (execution.checkpointing.*); cluster/config/schema.ts repeats them for the keys.
export const DEFAULT_CHECKPOINTING_MODE: CheckpointingMode = 'EXACTLY_ONCE';
export const DEFAULT_CHECKPOINT_TIMEOUT_MS = 600_000;
export const DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS = 0;
export const DEFAULT_MAX_CONCURRENT_CHECKPOINTS = 1;
export const DEFAULT_TOLERABLE_CHECKPOINT_FAILURES = 0;
export const DEFAULT_UNALIGNED_CHECKPOINTS = false;
export const DEFAULT_ALIGNED_CHECKPOINT_TIMEOUT_MS = 0;

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

/** Set by the class's static block: what only the environment may do. */
let settingsOf: (config: CheckpointConfig) => CheckpointingSettings | undefined;
let enable: (config: CheckpointConfig, intervalMs: number, mode: CheckpointingMode | undefined) => void;

export class CheckpointConfig {
  /** Only what was set: an absent field is the cluster's to decide. */
  private readonly settings: Mutable<CheckpointingSettings> = {};

  /** Checkpointing is on once an interval is set (env.enableCheckpointing). */
  isCheckpointingEnabled(): boolean {
    return this.settings.intervalMs !== undefined;
  }

  /** Between the triggers of two checkpoints; setting it turns checkpointing on. */
  setCheckpointInterval(intervalMs: number): this {
    return this.setInterval('CheckpointConfig.setCheckpointInterval()', intervalMs);
  }

  /** The interval in ms, or -1 while checkpointing is off (as Flink). */
  getCheckpointInterval(): number {
    return this.settings.intervalMs ?? -1;
  }

  /** EXACTLY_ONCE aligns barriers at inputs with several channels; AT_LEAST_ONCE never blocks one. */
  setCheckpointingMode(mode: CheckpointingMode): this {
    return this.setMode('CheckpointConfig.setCheckpointingMode()', mode);
  }

  getCheckpointingMode(): CheckpointingMode {
    return this.settings.mode ?? DEFAULT_CHECKPOINTING_MODE;
  }

  /** A checkpoint not complete after this long is aborted (default 10 min). */
  setCheckpointTimeout(timeoutMs: number): this {
    this.settings.timeoutMs = checked('CheckpointConfig.setCheckpointTimeout()', 'timeoutMs', POSITIVE_MS, timeoutMs);
    return this;
  }

  getCheckpointTimeout(): number {
    return this.settings.timeoutMs ?? DEFAULT_CHECKPOINT_TIMEOUT_MS;
  }

  /** At least this long from the end of one checkpoint to the trigger of the next (default 0). */
  setMinPauseBetweenCheckpoints(minPauseMs: number): this {
    this.settings.minPauseMs = checked('CheckpointConfig.setMinPauseBetweenCheckpoints()', 'minPauseMs', NON_NEGATIVE_MS, minPauseMs);
    return this;
  }

  getMinPauseBetweenCheckpoints(): number {
    return this.settings.minPauseMs ?? DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS;
  }

  /** Checkpoints in progress at once (default 1). */
  setMaxConcurrentCheckpoints(maxConcurrent: number): this {
    this.settings.maxConcurrent = checked('CheckpointConfig.setMaxConcurrentCheckpoints()', 'maxConcurrent', POSITIVE_COUNT, maxConcurrent);
    return this;
  }

  getMaxConcurrentCheckpoints(): number {
    return this.settings.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_CHECKPOINTS;
  }

  /** Failed checkpoints in a row the job tolerates before it fails (default 0). */
  setTolerableCheckpointFailureNumber(tolerableFailures: number): this {
    this.settings.tolerableFailures = checked('CheckpointConfig.setTolerableCheckpointFailureNumber()', 'tolerableFailures', COUNT, tolerableFailures);
    return this;
  }

  getTolerableCheckpointFailureNumber(): number {
    return this.settings.tolerableFailures ?? DEFAULT_TOLERABLE_CHECKPOINT_FAILURES;
  }

  /**
   * The directory checkpoints are written to (state.checkpoints.dir): a path, or a file:// URI as
   * Flink takes; a relative path starts at the JobManager's and TaskManagers' working directory.
   * Unset, the cluster's: `<env.log.dir>/checkpoints` on a standalone cluster, a temp dir embedded.
   */
  setCheckpointStorage(directory: string): this {
    this.settings.directory = localDirectory(directory);
    return this;
  }

  /**
   * What the job's checkpoints become when it ends (Flink's setExternalizedCheckpointRetention):
   * DELETE_ON_CANCELLATION (the cluster's default) keeps them when the job fails,
   * RETAIN_ON_CANCELLATION also when it is cancelled, NO_EXTERNALIZED_CHECKPOINTS never.
   */
  setExternalizedCheckpointRetention(retention: CheckpointRetention): this {
    if (!CHECKPOINT_RETENTIONS.includes(retention)) {
      throw new WeirError('INVALID_ARGUMENT', `CheckpointConfig.setExternalizedCheckpointRetention(): retention must be ${CHECKPOINT_RETENTIONS.join(', ')}, got ${describeValue(retention)}`);
    }
    this.settings.retention = retention;
    return this;
  }

  /** The retention set with setExternalizedCheckpointRetention, or undefined for the cluster's. */
  getExternalizedCheckpointRetention(): CheckpointRetention | undefined {
    return this.settings.retention;
  }

  /**
   * Unaligned checkpoints (Flink's FLIP-76, execution.checkpointing.unaligned): barriers overtake the
   * data in flight, which joins the snapshot, so a backpressured job checkpoints as fast as an idle
   * one. EXACTLY_ONCE only: a job that also asks for AT_LEAST_ONCE is refused at submit.
   */
  enableUnalignedCheckpoints(enabled = true): this {
    if (typeof enabled !== 'boolean') throw new WeirError('INVALID_ARGUMENT', `CheckpointConfig.enableUnalignedCheckpoints(): enabled must be a boolean, got ${describeValue(enabled)}`);
    this.settings.unaligned = enabled;
    return this;
  }

  /** Whether the job enables unaligned checkpoints (false when unset: the cluster's key decides). */
  isUnalignedCheckpointsEnabled(): boolean {
    return this.settings.unaligned ?? DEFAULT_UNALIGNED_CHECKPOINTS;
  }

  /**
   * With unaligned checkpoints: each checkpoint starts aligned and switches to unaligned at a subtask
   * whose alignment has lasted `timeoutMs` since the trigger (execution.checkpointing.aligned-checkpoint-timeout); 0: unaligned at once.
   */
  setAlignedCheckpointTimeout(timeoutMs: number): this {
    this.settings.alignedCheckpointTimeoutMs = checked('CheckpointConfig.setAlignedCheckpointTimeout()', 'timeoutMs', NON_NEGATIVE_MS, timeoutMs);
    return this;
  }

  getAlignedCheckpointTimeout(): number {
    return this.settings.alignedCheckpointTimeoutMs ?? DEFAULT_ALIGNED_CHECKPOINT_TIMEOUT_MS;
  }

  /** The directory set with setCheckpointStorage, or undefined for the cluster's. */
  getCheckpointStorage(): string | undefined {
    return this.settings.directory;
  }

  /** For env.enableCheckpointing(), whose errors name it. */
  private setInterval(where: string, intervalMs: number): this {
    this.settings.intervalMs = checked(where, 'intervalMs', POSITIVE_MS, intervalMs);
    return this;
  }

  private setMode(where: string, mode: CheckpointingMode): this {
    if (!MODES.includes(mode)) throw new WeirError('INVALID_ARGUMENT', `${where}: mode must be ${MODES.join(' or ')}, got ${describeValue(mode)}`);
    this.settings.mode = mode;
    return this;
  }

  static {
    settingsOf = (config) => (config.settings.intervalMs === undefined ? undefined : ({ ...config.settings } as CheckpointingSettings));
    enable = (config, intervalMs, mode) => {
      config.setInterval('env.enableCheckpointing()', intervalMs);
      if (mode !== undefined) config.setMode('env.enableCheckpointing()', mode);
    };
  }
}

/** env.enableCheckpointing(intervalMs, mode?): the mode stays the cluster's unless given. */
export function enableCheckpointing(config: CheckpointConfig, intervalMs: number, mode: CheckpointingMode | undefined): void {
  enable(config, intervalMs, mode);
}

/** What the JobGraph carries: undefined unless checkpointing was enabled. */
export function checkpointingSettings(config: CheckpointConfig): CheckpointingSettings | undefined {
  return settingsOf(config);
}

/** A local directory from a path or a file:// URI; another scheme (s3://, hdfs://) is refused. */
function localDirectory(directory: string): string {
  const where = 'CheckpointConfig.setCheckpointStorage()';
  if (typeof directory !== 'string' || directory.trim() === '' || directory.includes('\0')) {
    throw new WeirError('INVALID_ARGUMENT', `${where}: directory must be a directory path or a file:// URI, got ${describeValue(directory)}`);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(directory)?.[1];
  if (scheme === undefined) return directory;
  if (scheme.toLowerCase() !== 'file') {
    throw new WeirError('INVALID_ARGUMENT', `${where}: directory must be a local directory (a path or a file:// URI), got ${describeValue(directory)}: Weir writes checkpoints to local or shared file systems only`);
  }
  try {
    return fileURLToPath(directory);
  } catch (error) {
    throw new WeirError('INVALID_ARGUMENT', `${where}: ${describeValue(directory)} is not a file:// URI of a local path: ${(error as Error).message}`, { cause: error });
  }
}
