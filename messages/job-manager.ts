// The JobManager's protocol (Flink's JobMasterGateway), one JobManager per job.
// TaskManager -> JobManager: UpdateTaskExecutionState, RequestNextInputSplit (answered by
//   NextInputSplit; `split: null` means none left), RequestJobBundle (answered by JobBundle),
//   TaskManagerHeartbeat every heartbeat interval to each job it holds slots or tasks of (answered
//   by JobManagerHeartbeat, messages/task-manager.ts): the job's allocations there and the state of
//   each of its executions, so that a lost UpdateTaskExecutionState is repaired.
// ResourceManager -> JobManager: SlotsAllocated (as TaskManagers confirm), SlotRequestFailed
//   (messages/resource-manager.ts), the answers to its RequestSlots.
// Dispatcher -> JobManager: CancelJobExecution, and a client's RequestJobWatermarks and RequestJobMetrics forwarded
//   (messages/dispatcher.ts; the JobManager answers the client's replyTo itself).
// Task -> JobManager: AcknowledgeCheckpoint, DeclineCheckpoint (messages/checkpoint.ts).
// Messages carry the JobMasterId they were deployed with: a stale one is ignored (fencing).
import type { ActorRef } from './actor-ref.ts';
import type { CheckpointCoordinatorMsg } from './checkpoint.ts';
import type { RequestJobWatermarks, TriggerSavepoint } from './dispatcher.ts';
import { type RequestJobMetrics, type SubtaskMetrics, SubtaskMetricsSchema } from './metrics.ts';
import { registerMessages } from './registry.ts';
import {
  type AllocationId,
  AllocationIdKey,
  type ExecutionAttemptId,
  ExecutionAttemptIdKey,
  type JobId,
  JobIdKey,
  type JobMasterId,
  JobMasterIdKey,
  type ResourceId,
  ResourceIdKey,
} from './ids.ts';
import { type InputSplit, InputSplitSchema } from './job-graph.ts';
import { type ErrorInfo, ErrorInfoSchema, type ExecutionState, ExecutionStateSchema } from './job-status.ts';
import type { SlotRequestReply } from './resource-manager.ts';
import { actorRef, arrayOf, boolean, message, nullable, object, optional, string, validators } from './schema.ts';
import type { TaskManagerMsg } from './task-manager.ts';

export type JobManagerMsg =
  | UpdateTaskExecutionState
  | TaskManagerHeartbeat
  | SlotRequestReply
  | RequestNextInputSplit
  | RequestJobBundle
  | CancelJobExecution
  | RequestJobWatermarks
  | RequestJobMetrics
  | TriggerSavepoint
  | CheckpointCoordinatorMsg;

export interface UpdateTaskExecutionState {
  readonly type: 'UpdateTaskExecutionState';
  readonly jobId: JobId;
  readonly jobMasterId: JobMasterId;
  readonly executionAttemptId: ExecutionAttemptId;
  readonly state: ExecutionState;
  readonly error?: ErrorInfo;
  /** With a final state: the subtask's last figures (Flink's IOMetrics of a TaskExecutionState). */
  readonly metrics?: SubtaskMetrics;
}

/** One execution's latest state on a TaskManager (a final state stays reported until the JobManager stops listing it). */
export interface ExecutionReport {
  readonly executionAttemptId: ExecutionAttemptId;
  readonly state: ExecutionState;
  readonly error?: ErrorInfo;
}

export interface TaskManagerHeartbeat {
  readonly type: 'TaskManagerHeartbeat';
  readonly jobId: JobId;
  readonly resourceId: ResourceId;
  /** Gets the JobManagerHeartbeat. */
  readonly taskManager: ActorRef<TaskManagerMsg>;
  readonly allocations: readonly AllocationId[];
  readonly executions: readonly ExecutionReport[];
}

export interface RequestNextInputSplit {
  readonly type: 'RequestNextInputSplit';
  readonly jobMasterId: JobMasterId;
  readonly executionAttemptId: ExecutionAttemptId;
  readonly vertexId: string;
  readonly replyTo: ActorRef<NextInputSplit>;
}

export interface NextInputSplit {
  readonly type: 'NextInputSplit';
  /** null: no more splits for the asking subtask, unless `retry` is set. */
  readonly split: InputSplit | null;
  /** The source's enumerator has no answer yet: ask again (a long poll). */
  readonly retry?: boolean;
}

export interface RequestJobBundle {
  readonly type: 'RequestJobBundle';
  readonly bundleHash: string;
  readonly replyTo: ActorRef<JobBundle>;
}

export interface JobBundle {
  readonly type: 'JobBundle';
  readonly bundleHash: string;
  /** ESM JavaScript: the job module bundled into one file (its default export builds the pipeline). */
  readonly code: string;
}

export interface CancelJobExecution {
  readonly type: 'CancelJobExecution';
}

// --- schemas (the ids here are only compared: fencing drops what is not this deployment's) ----------

export const UpdateTaskExecutionStateSchema = message<UpdateTaskExecutionState>('UpdateTaskExecutionState', {
  jobId: JobIdKey,
  jobMasterId: JobMasterIdKey,
  executionAttemptId: ExecutionAttemptIdKey,
  state: ExecutionStateSchema,
  error: optional(ErrorInfoSchema),
  metrics: optional(SubtaskMetricsSchema),
});
export const ExecutionReportSchema = object<ExecutionReport>({ executionAttemptId: ExecutionAttemptIdKey, state: ExecutionStateSchema, error: optional(ErrorInfoSchema) });
export const TaskManagerHeartbeatSchema = message<TaskManagerHeartbeat>('TaskManagerHeartbeat', {
  jobId: JobIdKey,
  resourceId: ResourceIdKey,
  taskManager: actorRef(),
  allocations: arrayOf(AllocationIdKey),
  executions: arrayOf(ExecutionReportSchema),
});
export const RequestNextInputSplitSchema = message<RequestNextInputSplit>('RequestNextInputSplit', {
  jobMasterId: JobMasterIdKey,
  executionAttemptId: ExecutionAttemptIdKey,
  vertexId: string,
  replyTo: actorRef(),
});
export const NextInputSplitSchema = message<NextInputSplit>('NextInputSplit', { split: nullable(InputSplitSchema), retry: optional(boolean) });
export const RequestJobBundleSchema = message<RequestJobBundle>('RequestJobBundle', { bundleHash: string, replyTo: actorRef() });
export const JobBundleSchema = message<JobBundle>('JobBundle', { bundleHash: string, code: string });
export const CancelJobExecutionSchema = message<CancelJobExecution>('CancelJobExecution', {});

registerMessages(
  validators([
    UpdateTaskExecutionStateSchema,
    TaskManagerHeartbeatSchema,
    RequestNextInputSplitSchema,
    NextInputSplitSchema,
    RequestJobBundleSchema,
    JobBundleSchema,
    CancelJobExecutionSchema,
  ]),
);
