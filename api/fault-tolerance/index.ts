// Checkpointing and restarts as a job module sets them: env.enableCheckpointing(), the CheckpointConfig
// of env.getCheckpointConfig(), and the RestartStrategies of env.setRestartStrategy().
export {
  CheckpointConfig,
  CheckpointingMode,
  DEFAULT_CHECKPOINTING_MODE,
  DEFAULT_CHECKPOINT_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENT_CHECKPOINTS,
  DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS,
  DEFAULT_TOLERABLE_CHECKPOINT_FAILURES,
  DEFAULT_UNALIGNED_CHECKPOINTS,
  DEFAULT_ALIGNED_CHECKPOINT_TIMEOUT_MS,
} from './checkpoint-config.ts';
export { RestartStrategies, type RestartStrategyConfiguration } from './restart-strategies.ts';
export type { CheckpointRetention } from '../../messages/job-graph.ts';
