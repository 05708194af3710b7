// The Dispatcher's protocol: what clients (the actor client, the CLI, the console) send.
// Client -> Dispatcher: SubmitJob (answered by JobSubmitted or JobRejected), CancelJob (answered by
//   CancellationSuccess or CancellationFailure), ListJobs (JobList), RequestJobDetails (JobDetails or
//   JobNotFound), SubscribeJobStatus (the subscriber gets the current status, then every
//   JobStatusChanged until the job ends), RequestClusterInfo (ClusterInfo).
import type { ActorRef } from './actor-ref.ts';
import { registerMessages } from './registry.ts';
import type { JobId } from './ids.ts';
import type { JobGraph } from './job-graph.ts';
import type { ErrorInfo, JobStatus, JobStatusChanged } from './job-status.ts';

export type DispatcherMsg = SubmitJob | CancelJob | ListJobs | RequestJobDetails | SubscribeJobStatus | RequestClusterInfo;

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

registerMessages([
  'SubmitJob',
  'JobSubmitted',
  'JobRejected',
  'CancelJob',
  'CancellationSuccess',
  'CancellationFailure',
  'ListJobs',
  'JobList',
  'RequestJobDetails',
  'JobDetails',
  'JobNotFound',
  'SubscribeJobStatus',
  'RequestClusterInfo',
  'ClusterInfo',
]);
