// A job's checkpointing and restart strategy as the JobManager runs them: what the job set
// (JobGraph.checkpointing, .restartStrategy) first, then the cluster's keys, which hold Flink's
// defaults where weir.yaml sets nothing. Flink's rule for the strategy: configured nowhere, a job
// that checkpoints restarts with exponential-delay, any other job is not restarted (none).
import type { CheckpointingSettings, JobGraph, RestartStrategySettings } from '../../messages/job-graph.ts';
import type { RestartStrategyType, WeirConfig } from './schema.ts';

/** The keys read here: a loaded WeirConfig, or DEFAULT_CONFIG where no weir.yaml is read (the mini cluster). */
export type FaultToleranceConfig = Pick<
  WeirConfig,
  | 'checkpointIntervalMs'
  | 'checkpointingMode'
  | 'checkpointTimeoutMs'
  | 'unalignedCheckpoints'
  | 'alignedCheckpointTimeoutMs'
  | 'checkpointMinPauseMs'
  | 'maxConcurrentCheckpoints'
  | 'tolerableFailedCheckpoints'
  | 'retainedCheckpoints'
  | 'checkpointsDir'
  | 'checkpointRetention'
  | 'restartStrategy'
  | 'fixedDelayAttempts'
  | 'fixedDelayMs'
  | 'exponentialInitialBackoffMs'
  | 'exponentialMaxBackoffMs'
  | 'exponentialBackoffMultiplier'
  | 'exponentialResetBackoffThresholdMs'
  | 'exponentialJitterFactor'
  | 'exponentialAttempts'
  | 'failureRateMaxFailures'
  | 'failureRateIntervalMs'
  | 'failureRateDelayMs'
>;

/** Every setting of a checkpointing job, decided. */
export interface ResolvedCheckpointing extends Required<Omit<CheckpointingSettings, 'directory'>> {
  /**
   * The job's directory, else the cluster's execution.checkpointing.dir (relative to the Weir
   * folder); null when neither is set: the cluster picks (standalone `<env.log.dir>/checkpoints`,
   * embedded a temp dir).
   */
  readonly directory: string | null;
}

/**
 * The checkpointing of `graph` on a cluster configured by `config`; undefined when the job does
 * not checkpoint: neither it nor execution.checkpointing.interval enables it, or it runs in BATCH
 * mode, where Flink does not checkpoint (a failed batch job is run again from its start).
 */
export function checkpointingFor(config: FaultToleranceConfig, graph: JobGraph): ResolvedCheckpointing | undefined {
  if (graph.runtimeMode === 'BATCH') return undefined;
  const job: Partial<CheckpointingSettings> = graph.checkpointing ?? {};
  const intervalMs = job.intervalMs ?? (config.checkpointIntervalMs > 0 ? config.checkpointIntervalMs : undefined);
  if (intervalMs === undefined) return undefined;
  return {
    intervalMs,
    mode: job.mode ?? config.checkpointingMode,
    timeoutMs: job.timeoutMs ?? config.checkpointTimeoutMs,
    minPauseMs: job.minPauseMs ?? config.checkpointMinPauseMs,
    maxConcurrent: job.maxConcurrent ?? config.maxConcurrentCheckpoints,
    tolerableFailures: job.tolerableFailures ?? config.tolerableFailedCheckpoints,
    retained: job.retained ?? config.retainedCheckpoints,
    directory: job.directory ?? config.checkpointsDir,
    retention: job.retention ?? config.checkpointRetention,
    unaligned: job.unaligned ?? config.unalignedCheckpoints,
    alignedCheckpointTimeoutMs: job.alignedCheckpointTimeoutMs ?? config.alignedCheckpointTimeoutMs,
  };
}

/**
 * Why the checkpointing of `graph` cannot run on this cluster, or undefined: unaligned checkpoints
 * with AT_LEAST_ONCE (Flink refuses them too: without alignment there is no in-flight data to keep).
 */
export function checkpointingProblem(config: FaultToleranceConfig, graph: JobGraph): string | undefined {
  const resolved = checkpointingFor(config, graph);
  if (resolved === undefined || !resolved.unaligned || resolved.mode === 'EXACTLY_ONCE') return undefined;
  const unalignedBy = graph.checkpointing?.unaligned === true ? 'the job enables unaligned checkpoints (enableUnalignedCheckpoints())' : 'execution.checkpointing.unaligned is true';
  const modeBy = graph.checkpointing?.mode === 'AT_LEAST_ONCE' ? 'the job' : 'execution.checkpointing.mode';
  return `${unalignedBy}, but ${modeBy} asks for AT_LEAST_ONCE: unaligned checkpoints need EXACTLY_ONCE (set execution.checkpointing.mode to EXACTLY_ONCE or execution.checkpointing.unaligned to false)`;
}

/**
 * The restart strategy of `graph`: the job's (an exponential-delay without attempts takes the
 * cluster's attempts-before-reset-backoff), else restart-strategy.type with its keys, else
 * exponential-delay with the cluster's keys for a job that checkpoints, else none.
 */
export function restartStrategyFor(config: FaultToleranceConfig, graph: JobGraph): RestartStrategySettings {
  const job = graph.restartStrategy;
  if (job) {
    const inheritsAttempts = job.type === 'exponential-delay' && job.attempts === undefined && config.exponentialAttempts !== null;
    return inheritsAttempts ? { ...job, attempts: config.exponentialAttempts as number } : job;
  }
  return restartStrategyOfKeys(config, config.restartStrategy ?? (checkpointingFor(config, graph) ? 'exponential-delay' : 'none'));
}

/** The strategy `type` with the cluster's restart-strategy.<type>.* keys. */
export function restartStrategyOfKeys(config: FaultToleranceConfig, type: RestartStrategyType): RestartStrategySettings {
  switch (type) {
    case 'none':
      return { type };
    case 'fixed-delay':
      return { type, attempts: config.fixedDelayAttempts, delayMs: config.fixedDelayMs };
    case 'exponential-delay':
      return {
        type,
        initialBackoffMs: config.exponentialInitialBackoffMs,
        maxBackoffMs: config.exponentialMaxBackoffMs,
        backoffMultiplier: config.exponentialBackoffMultiplier,
        resetBackoffThresholdMs: config.exponentialResetBackoffThresholdMs,
        jitterFactor: config.exponentialJitterFactor,
        ...(config.exponentialAttempts === null ? {} : { attempts: config.exponentialAttempts }),
      };
    case 'failure-rate':
      return { type, maxFailuresPerInterval: config.failureRateMaxFailures, failureRateIntervalMs: config.failureRateIntervalMs, delayMs: config.failureRateDelayMs };
    default:
      return type satisfies never;
  }
}
