// The TaskManager's protocol (Flink's TaskExecutorGateway).
// ResourceManager -> TaskManager: AllocateSlot (answered by SlotAllocated or SlotAllocationFailed).
// JobManager -> TaskManager: SubmitTask (answered by TaskSubmitted or TaskSubmissionFailed),
//   CancelTask, FailTask, ReleaseJob (the job is over here: free its slots and its bundle).
import type { ActorRef } from './actor-ref.ts';
import { registerMessages } from './registry.ts';
import type { AllocationId, ExecutionAttemptId, JobId, JobMasterId, ResourceId } from './ids.ts';
import type { JobVertex } from './job-graph.ts';
import type { JobManagerMsg } from './job-manager.ts';

export type TaskManagerMsg = AllocateSlot | SubmitTask | CancelTask | FailTask | ReleaseJob;

export interface AllocateSlot {
  readonly type: 'AllocateSlot';
  readonly allocationId: AllocationId;
  readonly jobId: JobId;
  readonly slotIndex: number;
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

registerMessages([
  'AllocateSlot',
  'SlotAllocated',
  'SlotAllocationFailed',
  'SubmitTask',
  'TaskSubmitted',
  'TaskSubmissionFailed',
  'CancelTask',
  'FailTask',
  'ReleaseJob',
]);
