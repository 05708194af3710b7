// The JobManager's protocol (Flink's JobMasterGateway), one JobManager per job.
// TaskManager -> JobManager: UpdateTaskExecutionState, RequestNextInputSplit (answered by
//   NextInputSplit; `split: null` means none left), RequestJobBundle (answered by JobBundle).
// Dispatcher -> JobManager: CancelJobExecution.
// Messages carry the JobMasterId they were deployed with: a stale one is ignored (fencing).
import type { ActorRef } from './actor-ref.ts';
import { registerMessages } from './registry.ts';
import type { ExecutionAttemptId, JobId, JobMasterId } from './ids.ts';
import type { InputSplit } from './job-graph.ts';
import type { ErrorInfo, ExecutionState } from './job-status.ts';

export type JobManagerMsg = UpdateTaskExecutionState | RequestNextInputSplit | RequestJobBundle | CancelJobExecution;

export interface UpdateTaskExecutionState {
  readonly type: 'UpdateTaskExecutionState';
  readonly jobId: JobId;
  readonly jobMasterId: JobMasterId;
  readonly executionAttemptId: ExecutionAttemptId;
  readonly state: ExecutionState;
  readonly error?: ErrorInfo;
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

registerMessages([
  'UpdateTaskExecutionState',
  'RequestNextInputSplit',
  'NextInputSplit',
  'RequestJobBundle',
  'JobBundle',
  'CancelJobExecution',
]);
