// The TaskManager's protocol (Flink's TaskExecutorGateway).
// ResourceManager -> TaskManager: AllocateSlot (answered, to the ResourceManager, by SlotAllocated
//   or SlotAllocationFailed). The allocation belongs to the JobManager it names from then on.
// JobManager -> TaskManager: SubmitTask (answered by TaskSubmitted or TaskSubmissionFailed),
//   CancelTask, FailTask, ReleaseJob (the job is over here: free its slots and its bundle),
//   PrepareJob (a restart's replacement slot is here: load the job's code now, during the restart's
//   delay, so that its tasks start without waiting for it),
//   JobManagerHeartbeat (the answer to a TaskManagerHeartbeat: the job's allocations and live
//   executions here as the JobManager sees them; the TaskManager frees and cancels what is not in
//   it), RequestTaskWatermarks (answered by TaskWatermarks: each named task's reading, taken on its turn),
//   TriggerCheckpoint / NotifyCheckpointComplete / NotifyCheckpointAborted (messages/checkpoint.ts),
//   handed to the tasks they name; RequestTaskMetrics (messages/metrics.ts).
// ResourceManager -> TaskManager: RequestTaskManagerMetrics (messages/metrics.ts).
import type { ActorRef } from './actor-ref.ts';
import type { CheckpointTaskMsg } from './checkpoint.ts';
import { registerMessages } from './registry.ts';
import {
  type AllocationId,
  AllocationIdKey,
  type ExecutionAttemptId,
  ExecutionAttemptIdKey,
  ExecutionAttemptIdSchema,
  type JobId,
  JobIdKey,
  JobIdSchema,
  type JobMasterId,
  JobMasterIdKey,
  type ResourceId,
  ResourceIdKey,
} from './ids.ts';
import { type JobVertex, JobVertexSchema } from './job-graph.ts';
import type { JobManagerMsg } from './job-manager.ts';
import { type TaskWatermarkReading, TaskWatermarkReadingSchema } from './watermarks.ts';
import type { RequestTaskManagerMetrics, RequestTaskMetrics } from './metrics.ts';
import { actorRef, arrayOf, boolean, count, message, nonNegativeNumber, nullable, object, optional, positiveInteger, safeId, string, validators } from './schema.ts';

export type TaskManagerMsg =
  | AllocateSlot
  | SubmitTask
  | CancelTask
  | FailTask
  | ReleaseJob
  | PrepareJob
  | JobManagerHeartbeat
  | RequestTaskWatermarks
  | CheckpointTaskMsg
  // messages/metrics.ts
  | RequestTaskMetrics
  | RequestTaskManagerMetrics;

export interface AllocateSlot {
  readonly type: 'AllocateSlot';
  readonly allocationId: AllocationId;
  readonly jobId: JobId;
  readonly slotIndex: number;
  /** The owner of the allocation: its loss, ReleaseJob or heartbeat frees the slot. */
  readonly jobManager: ActorRef<JobManagerMsg>;
  readonly replyTo: ActorRef<AllocateSlotReply>;
}

export type AllocateSlotReply = SlotAllocated | SlotAllocationFailed;

export interface SlotAllocated {
  readonly type: 'SlotAllocated';
  readonly allocationId: AllocationId;
}

export interface SlotAllocationFailed {
  readonly type: 'SlotAllocationFailed';
  readonly allocationId: AllocationId;
  readonly reason: string;
}

/** Where one input channel's producer is: its partition, the subpartition to read, its TaskManager. */
export interface ChannelLocation {
  readonly partitionKey: string;
  readonly subpartition: number;
  readonly resourceId: ResourceId;
  /** host:port of the producer TaskManager's data server; null when it has none (embedded). */
  readonly dataAddress: string | null;
}

/** One input edge of the subtask: a channel per producer subtask, by producer subtask index. */
export interface InputGateDeployment {
  readonly channels: readonly ChannelLocation[];
}

/** One output edge of the subtask: the partition it produces and the consumer count. */
export interface ResultPartitionDeployment {
  readonly partitionKey: string;
  readonly subpartitions: number;
  /**
   * Who writes into the partition, for errors: `operator "Tokenize" (id "flat-map-1") of
   * "Source: Lines -> Tokenize" sending to "Count"`. Absent from descriptors of older JobManagers.
   */
  readonly producer?: string;
}

/** What a TaskManager needs to run one subtask (Flink's TaskDeploymentDescriptor). */
export interface TaskDeploymentDescriptor {
  readonly jobId: JobId;
  readonly jobName: string;
  readonly jobMasterId: JobMasterId;
  readonly executionAttemptId: ExecutionAttemptId;
  readonly allocationId: AllocationId;
  readonly vertex: JobVertex;
  readonly subtaskIndex: number;
  readonly attemptNumber: number;
  readonly maxParallelism: number;
  /** Identifies the job bundle; the TaskManager fetches it once per job (RequestJobBundle). */
  readonly bundleHash: string;
  readonly jobArgs: readonly string[];
  /** The parallelism the client planned the job with; the TaskManager plans it the same way. */
  readonly planParallelism?: number;
  readonly jobManager: ActorRef<JobManagerMsg>;
  /** In `vertex.inputs` order. */
  readonly inputs: readonly InputGateDeployment[];
  /** In `outputEdges(graph, vertex.id)` order. */
  readonly outputs: readonly ResultPartitionDeployment[];
  readonly bufferTimeoutMs: number;
  /** Set when the job checkpoints (or restores): where snapshots go and what to start from. */
  readonly checkpoint?: TaskCheckpointing;
}

/** A deployed subtask's part in checkpoints. */
export interface TaskCheckpointing {
  /** The job's checkpoint directory (`<state.checkpoints.dir>/<jobId>`); the task writes under chk-<id>/. */
  readonly directory: string;
  /** The snapshot file this subtask starts from (a restart, a savepoint) at the parallelism it was taken at; absent on a fresh start. */
  readonly restore?: { readonly checkpointId: number; readonly path: string };
  /** Instead of `restore`, when its vertex ran at another parallelism in the checkpoint: what to take from the old subtasks. */
  readonly rescaledRestore?: RescaledRestore;
  /** `weir run -s --allowNonRestoredState`: state of an operator this job lacks is skipped, not a failure. */
  readonly allowNonRestoredState?: boolean;
  /** Periodic checkpoints: a transactional sink's subtask that ends waits for a final checkpoint to commit (FLIP-147). */
  readonly finalCheckpoint?: boolean;
}

/**
 * A restore at another parallelism (the subtask is `subtaskIndex` of `vertex.parallelism` of the
 * descriptor): the Task reads the old subtasks' files it needs and merges them (rescale.ts).
 */
export interface RescaledRestore {
  readonly checkpointId: number;
  /** Every old subtask's snapshot file, by old subtask index (null: it had no state); as many as the old parallelism. */
  readonly files: readonly (string | null)[];
  /** The key groups this subtask owns now, start..end inclusive (of the descriptor's maxParallelism). */
  readonly keyGroups: { readonly start: number; readonly end: number };
  /** A source subtask: the splits (InputSplit.index) it takes over from the old readers, in reading order. */
  readonly splits?: readonly number[];
}

export interface SubmitTask {
  readonly type: 'SubmitTask';
  readonly descriptor: TaskDeploymentDescriptor;
  readonly replyTo: ActorRef<SubmitTaskReply>;
}

export type SubmitTaskReply = TaskSubmitted | TaskSubmissionFailed;

export interface TaskSubmitted {
  readonly type: 'TaskSubmitted';
  readonly executionAttemptId: ExecutionAttemptId;
}

export interface TaskSubmissionFailed {
  readonly type: 'TaskSubmissionFailed';
  readonly executionAttemptId: ExecutionAttemptId;
  readonly reason: string;
}

export interface CancelTask {
  readonly type: 'CancelTask';
  readonly executionAttemptId: ExecutionAttemptId;
}

export interface FailTask {
  readonly type: 'FailTask';
  readonly executionAttemptId: ExecutionAttemptId;
  readonly reason: string;
}

export interface ReleaseJob {
  readonly type: 'ReleaseJob';
  readonly jobId: JobId;
  readonly reason: string;
}

/** Loads the job's code ahead of its tasks (told for an allocation the job holds here; ignored otherwise). */
export interface PrepareJob {
  readonly type: 'PrepareJob';
  readonly jobId: JobId;
  /** As in TaskDeploymentDescriptor: the same plan its tasks will use. */
  readonly bundleHash: string;
  readonly jobArgs: readonly string[];
  readonly planParallelism?: number;
  /** Where the bundle is fetched from (RequestJobBundle). */
  readonly jobManager: ActorRef<JobManagerMsg>;
}

/** What the JobManager holds on the TaskManager it answers: anything else of the job there is stale. */
export interface JobManagerHeartbeat {
  readonly type: 'JobManagerHeartbeat';
  readonly jobId: JobId;
  readonly allocations: readonly AllocationId[];
  /** The executions it deployed there and does not know to be over yet. */
  readonly executions: readonly ExecutionAttemptId[];
}

export interface RequestTaskWatermarks {
  readonly type: 'RequestTaskWatermarks';
  readonly jobId: JobId;
  readonly executionAttemptIds: readonly ExecutionAttemptId[];
  readonly replyTo: ActorRef<TaskWatermarks>;
}

export interface TaskWatermarks {
  readonly type: 'TaskWatermarks';
  /** One per asked attempt, in the order asked; a task that is not running here says so. */
  readonly readings: readonly TaskWatermarkReading[];
}

// --- schemas ---------------------------------------------------------------------------------------
// A deployment names things by its ids: the Task actor (`task-<attempt>`), the job's bundle
// directory and file (job id, bundle hash). Those are checked for their format.

export const AllocateSlotSchema = message<AllocateSlot>('AllocateSlot', {
  allocationId: AllocationIdKey,
  jobId: JobIdSchema,
  slotIndex: count,
  jobManager: actorRef(),
  replyTo: actorRef(),
});
export const SlotAllocatedSchema = message<SlotAllocated>('SlotAllocated', { allocationId: AllocationIdKey });
export const SlotAllocationFailedSchema = message<SlotAllocationFailed>('SlotAllocationFailed', { allocationId: AllocationIdKey, reason: string });

export const ChannelLocationSchema = object<ChannelLocation>({ partitionKey: string, subpartition: count, resourceId: ResourceIdKey, dataAddress: nullable(string) });
export const InputGateDeploymentSchema = object<InputGateDeployment>({ channels: arrayOf(ChannelLocationSchema) });
export const ResultPartitionDeploymentSchema = object<ResultPartitionDeployment>({ partitionKey: string, subpartitions: positiveInteger, producer: optional(string) });

export const RescaledRestoreSchema = object<RescaledRestore>({
  checkpointId: positiveInteger,
  files: arrayOf(nullable(string)),
  keyGroups: object<RescaledRestore['keyGroups']>({ start: count, end: count }),
  splits: optional(arrayOf(count)),
});

export const TaskCheckpointingSchema = object<TaskCheckpointing>({
  directory: string,
  restore: optional(object<{ readonly checkpointId: number; readonly path: string }>({ checkpointId: positiveInteger, path: string })),
  rescaledRestore: optional(RescaledRestoreSchema),
  allowNonRestoredState: optional(boolean),
  finalCheckpoint: optional(boolean),
});

export const TaskDeploymentDescriptorSchema = object<TaskDeploymentDescriptor>({
  jobId: JobIdSchema,
  jobName: string,
  jobMasterId: JobMasterIdKey,
  executionAttemptId: ExecutionAttemptIdSchema,
  allocationId: AllocationIdKey,
  vertex: JobVertexSchema,
  subtaskIndex: count,
  attemptNumber: count,
  maxParallelism: positiveInteger,
  bundleHash: safeId('a bundle hash'),
  jobArgs: arrayOf(string),
  planParallelism: optional(positiveInteger),
  jobManager: actorRef(),
  inputs: arrayOf(InputGateDeploymentSchema),
  outputs: arrayOf(ResultPartitionDeploymentSchema),
  bufferTimeoutMs: nonNegativeNumber,
  checkpoint: optional(TaskCheckpointingSchema),
});

export const SubmitTaskSchema = message<SubmitTask>('SubmitTask', { descriptor: TaskDeploymentDescriptorSchema, replyTo: actorRef() });
export const TaskSubmittedSchema = message<TaskSubmitted>('TaskSubmitted', { executionAttemptId: ExecutionAttemptIdKey });
export const TaskSubmissionFailedSchema = message<TaskSubmissionFailed>('TaskSubmissionFailed', { executionAttemptId: ExecutionAttemptIdKey, reason: string });
export const CancelTaskSchema = message<CancelTask>('CancelTask', { executionAttemptId: ExecutionAttemptIdKey });
export const FailTaskSchema = message<FailTask>('FailTask', { executionAttemptId: ExecutionAttemptIdKey, reason: string });
export const ReleaseJobSchema = message<ReleaseJob>('ReleaseJob', { jobId: JobIdKey, reason: string });
export const PrepareJobSchema = message<PrepareJob>('PrepareJob', {
  jobId: JobIdKey,
  bundleHash: safeId('a bundle hash'),
  jobArgs: arrayOf(string),
  planParallelism: optional(positiveInteger),
  jobManager: actorRef(),
});
export const JobManagerHeartbeatSchema = message<JobManagerHeartbeat>('JobManagerHeartbeat', {
  jobId: JobIdKey,
  allocations: arrayOf(AllocationIdKey),
  executions: arrayOf(ExecutionAttemptIdKey),
});
export const RequestTaskWatermarksSchema = message<RequestTaskWatermarks>('RequestTaskWatermarks', {
  jobId: JobIdKey,
  executionAttemptIds: arrayOf(ExecutionAttemptIdKey),
  replyTo: actorRef(),
});
export const TaskWatermarksSchema = message<TaskWatermarks>('TaskWatermarks', { readings: arrayOf(TaskWatermarkReadingSchema) });

registerMessages(
  validators([
    AllocateSlotSchema,
    SlotAllocatedSchema,
    SlotAllocationFailedSchema,
    SubmitTaskSchema,
    TaskSubmittedSchema,
    TaskSubmissionFailedSchema,
    CancelTaskSchema,
    FailTaskSchema,
    ReleaseJobSchema,
    PrepareJobSchema,
    JobManagerHeartbeatSchema,
    RequestTaskWatermarksSchema,
    TaskWatermarksSchema,
  ]),
);
