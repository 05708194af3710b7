// The Dispatcher's protocol: what clients (the actor client, the CLI, the console) send.
// Client -> Dispatcher: SubmitJob (answered by JobSubmitted or JobRejected), CancelJob (answered by
//   CancellationSuccess or CancellationFailure), ListJobs (JobList), RequestJobDetails (JobDetails or
//   JobNotFound), SubscribeJobStatus (the subscriber gets the current status, then every
//   JobStatusChanged until the job ends), RequestClusterInfo (ClusterInfo), RequestJobWatermarks
//   (JobWatermarks or JobNotFound: the Dispatcher forwards it to the job's JobManager, which asks
//   the TaskManagers and answers the client itself; an ended job's is answered with no subtasks),
//   TriggerSavepoint (SavepointCompleted, SavepointFailed or JobNotFound: forwarded to the job's
//   JobManager, which answers the client itself; with `stop` the job ends once the savepoint exists),
//   WatchTaskManagers (forwarded to the ResourceManager: messages/resource-manager.ts),
//   RequestJobMetrics, RequestTaskManagers, RequestTaskManagerDetails (messages/metrics.ts).
import type { ActorRef } from './actor-ref.ts';
import { registerMessages } from './registry.ts';
import { type JobId, JobIdKey, JobIdSchema } from './ids.ts';
import { type JobGraph, JobGraphSchema, type Partitioning, PartitioningSchema } from './job-graph.ts';
import { type ErrorInfo, ErrorInfoSchema, type JobStatus, type JobStatusChanged, JobStatusSchema } from './job-status.ts';
import { type SubtaskWatermarkReport, SubtaskWatermarkReportSchema } from './watermarks.ts';
import type { WatchTaskManagers } from './resource-manager.ts';
import type { RequestJobMetrics, RequestTaskManagerDetails, RequestTaskManagers } from './metrics.ts';
import { actorRef, arrayOf, boolean, count, message, nullable, number, object, optional, positiveInteger, recordOf, string, validators } from './schema.ts';

export type DispatcherMsg =
  | SubmitJob
  | CancelJob
  | ListJobs
  | RequestJobDetails
  | SubscribeJobStatus
  | RequestClusterInfo
  | RequestJobWatermarks
  | TriggerSavepoint
  | WatchTaskManagers
  // messages/metrics.ts
  | RequestJobMetrics
  | RequestTaskManagers
  | RequestTaskManagerDetails;

export interface SubmitJob {
  readonly type: 'SubmitJob';
  /** Chosen by the client, so that it can subscribe before the job starts. */
  readonly jobId: JobId;
  readonly jobGraph: JobGraph;
  /** The job module bundled into one ESM file. */
  readonly bundle: string;
  readonly args: readonly string[];
  /** The parallelism the job was planned with (`weir run -p`); TaskManagers plan it the same way. */
  readonly planParallelism?: number;
  /** `weir run -s`: the savepoint (or retained checkpoint) directory the job starts from. */
  readonly savepointPath?: string;
  /** With savepointPath: state of operators the job no longer has is skipped instead of failing the restore. */
  readonly allowNonRestoredState?: boolean;
  readonly replyTo: ActorRef<SubmitJobReply>;
}

export type SubmitJobReply = JobSubmitted | JobRejected;

export interface JobSubmitted {
  readonly type: 'JobSubmitted';
  readonly jobId: JobId;
}

export interface JobRejected {
  readonly type: 'JobRejected';
  readonly jobId: JobId;
  readonly reason: string;
}

export interface CancelJob {
  readonly type: 'CancelJob';
  readonly jobId: JobId;
  readonly replyTo: ActorRef<CancelJobReply>;
}

export type CancelJobReply = CancellationSuccess | CancellationFailure;

export interface CancellationSuccess {
  readonly type: 'CancellationSuccess';
  readonly jobId: JobId;
}

export interface CancellationFailure {
  readonly type: 'CancellationFailure';
  readonly jobId: JobId;
  readonly reason: string;
}

export interface JobOverview {
  readonly jobId: JobId;
  readonly name: string;
  readonly status: JobStatus;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly parallelism: number;
  readonly error?: ErrorInfo;
}

export interface ListJobs {
  readonly type: 'ListJobs';
  readonly replyTo: ActorRef<JobList>;
}

export interface JobList {
  readonly type: 'JobList';
  readonly jobs: readonly JobOverview[];
}

export interface VertexDetails {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  /** Subtask states by subtask index. */
  readonly subtasks: readonly string[];
}

export interface RequestJobDetails {
  readonly type: 'RequestJobDetails';
  readonly jobId: JobId;
  readonly replyTo: ActorRef<JobDetailsReply>;
}

export type JobDetailsReply = JobDetails | JobNotFound;

export interface JobDetails {
  readonly type: 'JobDetails';
  readonly job: JobOverview;
  readonly vertices: readonly VertexDetails[];
  /** Its checkpoints so far; absent when the job does not checkpoint. */
  readonly checkpoints?: CheckpointStats;
  /** When the job entered each status it went through (the latest time for a status it entered again), epoch ms. */
  readonly timestamps?: Readonly<Partial<Record<JobStatus, number>>>;
  /** The graph as submitted, vertices in graph order with their inputs: what the console draws. */
  readonly plan?: readonly PlanVertex[];
  /** The failures the job went through (each restart's cause, then the final one), oldest first, at most MAX_EXCEPTION_HISTORY. */
  readonly exceptions?: readonly JobException[];
  /** While the job (or its restart) waits for slots: how many it needs and what the cluster has. */
  readonly waitingForSlots?: SlotWait;
}

/** A job waiting for slots, as its JobManager last saw the cluster (refreshed every second while it waits). */
export interface SlotWait {
  /** Slots asked for: the job's highest parallelism, or the replacements a restart misses. */
  readonly needed: number;
  /** Of those, granted so far. */
  readonly granted: number;
  readonly slotsFree: number;
  readonly slotsTotal: number;
  readonly taskManagers: number;
  /** When the wait began (epoch ms). */
  readonly since: number;
  /** slot.request.timeout: the wait fails the job after this long. */
  readonly timeoutMs: number;
}

/** A vertex of the submitted graph and the edges into it (Flink's plan node). */
export interface PlanVertex {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly inputs: readonly { readonly sourceVertexId: string; readonly partitioning: Partitioning }[];
}

/** One failure of a job, as the Dispatcher heard of it. */
export interface JobException {
  readonly error: ErrorInfo;
  readonly timestamp: number;
}

/** How many failures JobDetails keeps per job (Flink's web.exception-history-size). */
export const MAX_EXCEPTION_HISTORY = 16;

/** A job's checkpoints as weir info shows them (Flink's /jobs/:id/checkpoints, in brief). */
export interface CheckpointStats {
  readonly completed: number;
  /** Aborted (declined, expired, not written) since the job started. */
  readonly failed: number;
  /** Restarts from a checkpoint (or from the beginning) since the job started. */
  readonly restarts: number;
  readonly latest: LatestCheckpoint | null;
}

export interface LatestCheckpoint {
  readonly checkpointId: number;
  /** Its directory (what weir run -s takes while it is retained). */
  readonly path: string;
  readonly completedAt: number;
  /** From trigger to completion (ms). */
  readonly durationMs: number;
  /** Of every subtask's file. */
  readonly bytes: number;
  readonly savepoint: boolean;
  /** Whether a subtask took it unaligned, and the in-flight bytes it persisted (CheckpointMetadata); absent: not recorded. */
  readonly unaligned?: boolean;
  readonly inFlightBytes?: number;
}

export interface JobNotFound {
  readonly type: 'JobNotFound';
  readonly jobId: JobId;
}

export interface SubscribeJobStatus {
  readonly type: 'SubscribeJobStatus';
  readonly jobId: JobId;
  readonly subscriber: ActorRef<JobStatusChanged>;
}

export interface RequestClusterInfo {
  readonly type: 'RequestClusterInfo';
  readonly replyTo: ActorRef<ClusterInfo>;
}

export interface ClusterInfo {
  readonly type: 'ClusterInfo';
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly slotsFree: number;
  readonly runningJobs: number;
}

/** Flink's /jobs/:id/vertices/:vid/watermarks for every vertex at once: each running subtask's event time. */
export interface RequestJobWatermarks {
  readonly type: 'RequestJobWatermarks';
  readonly jobId: JobId;
  readonly replyTo: ActorRef<JobWatermarksReply>;
}

export type JobWatermarksReply = JobWatermarks | JobNotFound;

export interface TriggerSavepoint {
  readonly type: 'TriggerSavepoint';
  readonly jobId: JobId;
  /** Where the savepoint's directory is made; null: the cluster's state.savepoints.dir. */
  readonly targetDirectory: string | null;
  /** `weir stop`: the job ends (FINISHED) once the savepoint exists. */
  readonly stop: boolean;
  /** `weir stop --drain`: event time advances to its end before the savepoint (every timer fires, open windows emit). */
  readonly drain?: boolean;
  readonly replyTo: ActorRef<SavepointReply>;
}

export type SavepointReply = SavepointCompleted | SavepointFailed | JobNotFound;

export interface SavepointCompleted {
  readonly type: 'SavepointCompleted';
  readonly jobId: JobId;
  /** The savepoint's directory (what `weir run -s` takes). */
  readonly path: string;
}

export interface SavepointFailed {
  readonly type: 'SavepointFailed';
  readonly jobId: JobId;
  readonly reason: string;
}

export interface JobWatermarks {
  readonly type: 'JobWatermarks';
  readonly jobId: JobId;
  /** Every subtask of every vertex, vertices in graph order; empty once the job ended. */
  readonly subtasks: readonly SubtaskWatermarkReport[];
}

// --- schemas ---------------------------------------------------------------------------------------
// SubmitJob's id names the job's JobManager actor and its bundle directory, so its format is checked;
// the other requests only look a job up, and an odd id is answered (JobNotFound, CancellationFailure).

export const SubmitJobSchema = message<SubmitJob>('SubmitJob', {
  jobId: JobIdSchema,
  jobGraph: JobGraphSchema,
  bundle: string,
  args: arrayOf(string),
  planParallelism: optional(positiveInteger),
  savepointPath: optional(string),
  allowNonRestoredState: optional(boolean),
  replyTo: actorRef(),
});
export const JobSubmittedSchema = message<JobSubmitted>('JobSubmitted', { jobId: JobIdKey });
export const JobRejectedSchema = message<JobRejected>('JobRejected', { jobId: JobIdKey, reason: string });
export const CancelJobSchema = message<CancelJob>('CancelJob', { jobId: JobIdKey, replyTo: actorRef() });
export const CancellationSuccessSchema = message<CancellationSuccess>('CancellationSuccess', { jobId: JobIdKey });
export const CancellationFailureSchema = message<CancellationFailure>('CancellationFailure', { jobId: JobIdKey, reason: string });

export const JobOverviewSchema = object<JobOverview>({
  jobId: JobIdKey,
  name: string,
  status: JobStatusSchema,
  startTime: number,
  endTime: nullable(number),
  parallelism: count,
  error: optional(ErrorInfoSchema),
});
export const ListJobsSchema = message<ListJobs>('ListJobs', { replyTo: actorRef() });
export const JobListSchema = message<JobList>('JobList', { jobs: arrayOf(JobOverviewSchema) });

export const VertexDetailsSchema = object<VertexDetails>({ id: string, name: string, parallelism: positiveInteger, subtasks: arrayOf(string) });
export const RequestJobDetailsSchema = message<RequestJobDetails>('RequestJobDetails', { jobId: JobIdKey, replyTo: actorRef() });
export const LatestCheckpointSchema = object<LatestCheckpoint>({
  checkpointId: count,
  path: string,
  completedAt: number,
  durationMs: number,
  bytes: count,
  savepoint: boolean,
  unaligned: optional(boolean),
  inFlightBytes: optional(count),
});
export const CheckpointStatsSchema = object<CheckpointStats>({ completed: count, failed: count, restarts: count, latest: nullable(LatestCheckpointSchema) });
export const PlanVertexSchema = object<PlanVertex>({
  id: string,
  name: string,
  parallelism: positiveInteger,
  inputs: arrayOf(object<PlanVertex['inputs'][number]>({ sourceVertexId: string, partitioning: PartitioningSchema })),
});
export const JobExceptionSchema = object<JobException>({ error: ErrorInfoSchema, timestamp: number });
export const SlotWaitSchema = object<SlotWait>({ needed: count, granted: count, slotsFree: count, slotsTotal: count, taskManagers: count, since: number, timeoutMs: count });
export const JobDetailsSchema = message<JobDetails>('JobDetails', {
  job: JobOverviewSchema,
  vertices: arrayOf(VertexDetailsSchema),
  checkpoints: optional(CheckpointStatsSchema),
  timestamps: optional(recordOf(number)),
  plan: optional(arrayOf(PlanVertexSchema)),
  exceptions: optional(arrayOf(JobExceptionSchema)),
  waitingForSlots: optional(SlotWaitSchema),
});
export const JobNotFoundSchema = message<JobNotFound>('JobNotFound', { jobId: JobIdKey });
export const SubscribeJobStatusSchema = message<SubscribeJobStatus>('SubscribeJobStatus', { jobId: JobIdKey, subscriber: actorRef() });
export const RequestClusterInfoSchema = message<RequestClusterInfo>('RequestClusterInfo', { replyTo: actorRef() });
export const ClusterInfoSchema = message<ClusterInfo>('ClusterInfo', { taskManagers: count, slotsTotal: count, slotsFree: count, runningJobs: count });
export const RequestJobWatermarksSchema = message<RequestJobWatermarks>('RequestJobWatermarks', { jobId: JobIdKey, replyTo: actorRef() });
export const JobWatermarksSchema = message<JobWatermarks>('JobWatermarks', { jobId: JobIdKey, subtasks: arrayOf(SubtaskWatermarkReportSchema) });

export const TriggerSavepointSchema = message<TriggerSavepoint>('TriggerSavepoint', { jobId: JobIdKey, targetDirectory: nullable(string), stop: boolean, drain: optional(boolean), replyTo: actorRef() });
export const SavepointCompletedSchema = message<SavepointCompleted>('SavepointCompleted', { jobId: JobIdKey, path: string });
export const SavepointFailedSchema = message<SavepointFailed>('SavepointFailed', { jobId: JobIdKey, reason: string });

registerMessages(
  validators([
    TriggerSavepointSchema,
    SavepointCompletedSchema,
    SavepointFailedSchema,
    SubmitJobSchema,
    JobSubmittedSchema,
    JobRejectedSchema,
    CancelJobSchema,
    CancellationSuccessSchema,
    CancellationFailureSchema,
    ListJobsSchema,
    JobListSchema,
    RequestJobDetailsSchema,
    JobDetailsSchema,
    JobNotFoundSchema,
    SubscribeJobStatusSchema,
    RequestClusterInfoSchema,
    ClusterInfoSchema,
    RequestJobWatermarksSchema,
    JobWatermarksSchema,
  ]),
);
