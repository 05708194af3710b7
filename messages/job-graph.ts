// The JobGraph: what a client submits. Built by api/ from the user's pipeline, run by cluster/.
// Pure data: user functions never travel; each TaskManager rebuilds them from the job bundle by
// stable operator id (same code, same graph).
import { type Schema, arrayOf, boolean, count, literal, nonNegativeNumber, numberWithin, object, oneOfTagged, optional, positiveInteger, positiveNumber, recordOf, string, unknownValue } from './schema.ts';

export type RuntimeMode = 'STREAMING' | 'BATCH';

/** One operator of a chain; `kind` names the operator implementation, `config` is its data. */
export interface OperatorDescriptor {
  /** Stable id: from uid() when given, else derived from the position in the pipeline. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** A unit of source work handed out lazily by the JobManager (RequestNextInputSplit). */
export interface InputSplit {
  readonly index: number;
  readonly payload: unknown;
}

export type Partitioning = 'forward' | 'rebalance' | 'rescale' | 'shuffle' | 'broadcast' | 'global' | 'hash' | 'custom';

/** A network exchange into a vertex: records of one operator of the source vertex, partitioned. */
export interface JobEdge {
  readonly sourceVertexId: string;
  readonly partitioning: Partitioning;
  /** The operator of the source vertex whose output (or side output) travels on this edge. */
  readonly sourceOperatorId: string;
  /** Set when the edge carries a side output (OutputTag id) instead of the main output. */
  readonly outputTag?: string;
  /** 'hash': the id under which the key selector is found in the plan; 'custom': the partitioner's. */
  readonly partitionerId?: string;
  /** Which input of the target vertex's head operator the edge feeds: 0, or 1 for two-input operators. */
  readonly targetInput: number;
}

/** An edge seen from its source vertex: where its records go. */
export interface OutputEdge {
  readonly edge: JobEdge;
  readonly targetVertexId: string;
  readonly targetParallelism: number;
}

/**
 * The edges leaving `vertexId`, in one order both sides agree on: target vertices in graph order,
 * then each target's inputs in order. A subtask's OutputWriters come in this order.
 */
export function outputEdges(graph: JobGraph, vertexId: string): OutputEdge[] {
  const out: OutputEdge[] = [];
  for (const target of graph.vertices) {
    for (const edge of target.inputs) {
      if (edge.sourceVertexId === vertexId) out.push({ edge, targetVertexId: target.id, targetParallelism: target.parallelism });
    }
  }
  return out;
}

/** A chain of operators run by `parallelism` subtasks. */
export interface JobVertex {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  /** The chain, head first. */
  readonly operators: readonly OperatorDescriptor[];
  readonly inputs: readonly JobEdge[];
  /** Splits of a source vertex; none for other vertices. */
  readonly splits?: readonly InputSplit[];
  /** A source whose splits the JobManager asks its enumerator for (fromSource), not `splits`. */
  readonly enumeratedSplits?: boolean;
  /** A bounded source ends; an unbounded one runs until cancelled. */
  readonly bounded: boolean;
}

export interface JobGraph {
  readonly name: string;
  readonly maxParallelism: number;
  readonly runtimeMode: RuntimeMode;
  /** How long a partly filled batch may wait before it is sent (0: every record at once). Default 100. */
  readonly bufferTimeoutMs?: number;
  /** How often (ms) watermark generators are asked for a watermark (pipeline.auto-watermark-interval); 0: never. Default 200. */
  readonly autoWatermarkIntervalMs?: number;
  /** Flink's object reuse: Weir skips the copies that keep one record from reaching two owners (see copy-record.ts). */
  readonly objectReuse?: boolean;
  /** env.enableCheckpointing(): absent when the job does not checkpoint (unless the cluster's config says so). */
  readonly checkpointing?: CheckpointingSettings;
  /** env.setRestartStrategy(): absent to use the cluster's `restart-strategy.*` keys. */
  readonly restartStrategy?: RestartStrategySettings;
  /** Topologically ordered: every vertex after its inputs. */
  readonly vertices: readonly JobVertex[];
}

/** EXACTLY_ONCE aligns barriers at multi-channel inputs; AT_LEAST_ONCE does not block any channel. */
export type CheckpointingMode = 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';

/**
 * A job's checkpointing (Flink's `execution.checkpointing.*`). Only `intervalMs` is required; an
 * absent field takes the cluster's configured value, then Flink's default.
 */
export interface CheckpointingSettings {
  /** Between the triggers of two checkpoints (> 0). */
  readonly intervalMs: number;
  readonly mode?: CheckpointingMode;
  /** A checkpoint not complete after this long is aborted (default 10 min). */
  readonly timeoutMs?: number;
  /** At least this long from the end of one checkpoint to the trigger of the next (default 0). */
  readonly minPauseMs?: number;
  /** Checkpoints in progress at once (default 1). */
  readonly maxConcurrent?: number;
  /** Failed checkpoints in a row the job tolerates before it fails (default 0). */
  readonly tolerableFailures?: number;
  /** Completed checkpoints kept on disk (default 1). */
  readonly retained?: number;
  /** Where checkpoints are written (state.checkpoints.dir); a directory path. */
  readonly directory?: string;
  /** What a job's checkpoints become when it ends (execution.checkpointing.externalized-checkpoint-retention). */
  readonly retention?: CheckpointRetention;
  /**
   * Unaligned checkpoints (execution.checkpointing.unaligned, Flink's FLIP-76): barriers overtake the
   * data in flight, which joins the snapshot. EXACTLY_ONCE only; savepoints stay aligned.
   */
  readonly unaligned?: boolean;
  /**
   * execution.checkpointing.aligned-checkpoint-timeout: with `unaligned`, a checkpoint starts aligned
   * and switches to unaligned once it has taken this long since its trigger; 0: unaligned at once.
   */
  readonly alignedCheckpointTimeoutMs?: number;
}

/**
 * Flink's externalized checkpoint retention: DELETE_ON_CANCELLATION (the default) keeps a FAILED
 * job's checkpoints and deletes a CANCELED one's; RETAIN_ON_CANCELLATION keeps both;
 * NO_EXTERNALIZED_CHECKPOINTS deletes them at any end. A FINISHED job's are always deleted. Kept
 * checkpoints resume like savepoints (weir run -s <dir>/<jobId>/chk-<n>).
 */
export type CheckpointRetention = 'DELETE_ON_CANCELLATION' | 'RETAIN_ON_CANCELLATION' | 'NO_EXTERNALIZED_CHECKPOINTS';
export const CHECKPOINT_RETENTIONS: readonly CheckpointRetention[] = ['DELETE_ON_CANCELLATION', 'RETAIN_ON_CANCELLATION', 'NO_EXTERNALIZED_CHECKPOINTS'];

/** Flink's restart strategies (`restart-strategy.type` and its keys), in ms. */
export type RestartStrategySettings =
  | { readonly type: 'none' }
  | { readonly type: 'fixed-delay'; readonly attempts: number; readonly delayMs: number }
  | {
      readonly type: 'exponential-delay';
      readonly initialBackoffMs: number;
      readonly maxBackoffMs: number;
      readonly backoffMultiplier: number;
      /** A job running this long without failure starts again from the initial backoff. */
      readonly resetBackoffThresholdMs: number;
      /** Each delay is moved by up to this fraction, at random (0..1). */
      readonly jitterFactor: number;
      /** Restarts before the job fails, counted since the backoff was last reset (Flink's attempts-before-reset-backoff); absent: unlimited. */
      readonly attempts?: number;
    }
  | { readonly type: 'failure-rate'; readonly maxFailuresPerInterval: number; readonly failureRateIntervalMs: number; readonly delayMs: number };

/** The highest parallelism of any vertex: the slots a job needs with slot sharing. */
export function requiredSlots(graph: JobGraph): number {
  return graph.vertices.reduce((max, vertex) => Math.max(max, vertex.parallelism), 0);
}

// --- schemas: the shape of a graph off the wire (what it means is the Dispatcher's to check) --------

export const OperatorDescriptorSchema = object<OperatorDescriptor>({ id: string, kind: string, name: string, config: recordOf(unknownValue) });

export const InputSplitSchema = object<InputSplit>({ index: count, payload: unknownValue });

export const PartitioningSchema = literal<Partitioning>('forward', 'rebalance', 'rescale', 'shuffle', 'broadcast', 'global', 'hash', 'custom');

export const JobEdgeSchema = object<JobEdge>({
  sourceVertexId: string,
  partitioning: PartitioningSchema,
  sourceOperatorId: string,
  outputTag: optional(string),
  partitionerId: optional(string),
  targetInput: count,
});

export const JobVertexSchema = object<JobVertex>({
  id: string,
  name: string,
  parallelism: positiveInteger,
  operators: arrayOf(OperatorDescriptorSchema),
  inputs: arrayOf(JobEdgeSchema),
  splits: optional(arrayOf(InputSplitSchema)),
  enumeratedSplits: optional(boolean),
  bounded: boolean,
});

export const CheckpointingSettingsSchema = object<CheckpointingSettings>({
  intervalMs: positiveNumber,
  mode: optional(literal<CheckpointingMode>('EXACTLY_ONCE', 'AT_LEAST_ONCE')),
  timeoutMs: optional(positiveNumber),
  minPauseMs: optional(nonNegativeNumber),
  maxConcurrent: optional(positiveInteger),
  tolerableFailures: optional(count),
  retained: optional(positiveInteger),
  directory: optional(string),
  retention: optional(literal<CheckpointRetention>(...CHECKPOINT_RETENTIONS)),
  unaligned: optional(boolean),
  alignedCheckpointTimeoutMs: optional(nonNegativeNumber),
});

/** Checked by `type`: each strategy has its own keys. */
export const RestartStrategySettingsSchema: Schema<RestartStrategySettings> = oneOfTagged<RestartStrategySettings>('type', {
  none: object({}),
  'fixed-delay': object({ attempts: count, delayMs: nonNegativeNumber }),
  'exponential-delay': object({
    // Flink's bounds; that the initial backoff is at most the maximum is the Dispatcher's to check.
    initialBackoffMs: positiveNumber,
    maxBackoffMs: positiveNumber,
    backoffMultiplier: numberWithin(1, Infinity, { aboveMin: true }),
    resetBackoffThresholdMs: positiveNumber,
    jitterFactor: numberWithin(0, 1),
    attempts: optional(positiveInteger),
  }),
  'failure-rate': object({ maxFailuresPerInterval: positiveInteger, failureRateIntervalMs: positiveNumber, delayMs: nonNegativeNumber }),
});

export const JobGraphSchema = object<JobGraph>({
  name: string,
  maxParallelism: positiveInteger,
  runtimeMode: literal<RuntimeMode>('STREAMING', 'BATCH'),
  bufferTimeoutMs: optional(nonNegativeNumber),
  autoWatermarkIntervalMs: optional(nonNegativeNumber),
  objectReuse: optional(boolean),
  checkpointing: optional(CheckpointingSettingsSchema),
  restartStrategy: optional(RestartStrategySettingsSchema),
  vertices: arrayOf(JobVertexSchema),
});
