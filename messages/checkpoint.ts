// The checkpoint protocol (Flink's CheckpointCoordinatorGateway and the checkpoint calls of the
// TaskExecutorGateway).
// JobManager -> TaskManager: TriggerCheckpoint (each source subtask: snapshot now, send the barrier
//   on), NotifyCheckpointComplete (every task: the checkpoint exists, commit what was prepared),
//   NotifyCheckpointAborted. The TaskManager hands each to the named tasks.
// Task -> JobManager: AcknowledgeCheckpoint (the subtask's snapshot is written: where and how big),
//   DeclineCheckpoint (it cannot take part; the checkpoint aborts).
// Each message names the execution attempts it is for: a restarted job's new attempts never see an
// old attempt's checkpoint, and the JobManager drops acknowledgements of attempts it does not run.
import { registerMessages } from './registry.ts';
import { type ExecutionAttemptId, ExecutionAttemptIdKey, type JobId, JobIdKey, type JobMasterId, JobMasterIdKey } from './ids.ts';
import type { CheckpointingMode } from './job-graph.ts';
import { arrayOf, boolean, count, integer, literal, message, nonNegativeNumber, nullable, number, object, optional, positiveNumber, string, validators } from './schema.ts';

export type CheckpointTaskMsg = TriggerCheckpoint | NotifyCheckpointComplete | NotifyCheckpointAborted;
export type CheckpointCoordinatorMsg = AcknowledgeCheckpoint | DeclineCheckpoint;

export interface TriggerCheckpoint {
  readonly type: 'TriggerCheckpoint';
  readonly jobId: JobId;
  readonly executionAttemptIds: readonly ExecutionAttemptId[];
  readonly checkpointId: number;
  /** When the coordinator triggered it (ms since the epoch). */
  readonly timestamp: number;
  readonly mode: CheckpointingMode;
  readonly savepoint: boolean;
  /** `weir stop`: the sources read nothing more after this barrier (the job ends once it completes). */
  readonly stopSources?: boolean;
  /** `weir stop --drain`: each task advances event time to its end before its snapshot (CheckpointBarrier.drain). */
  readonly drain?: boolean;
  /** An unaligned checkpoint: its barriers overtake the data in flight (CheckpointBarrier.unaligned). */
  readonly unaligned?: boolean;
  /** Aligned, switching to unaligned after this long since `timestamp` (CheckpointBarrier.alignedCheckpointTimeoutMs). */
  readonly alignedCheckpointTimeoutMs?: number;
}

export interface NotifyCheckpointComplete {
  readonly type: 'NotifyCheckpointComplete';
  readonly jobId: JobId;
  readonly executionAttemptIds: readonly ExecutionAttemptId[];
  readonly checkpointId: number;
}

export interface NotifyCheckpointAborted {
  readonly type: 'NotifyCheckpointAborted';
  readonly jobId: JobId;
  readonly executionAttemptIds: readonly ExecutionAttemptId[];
  readonly checkpointId: number;
  readonly reason: string;
}

/** Where one subtask's part of a checkpoint was written. */
export interface SubtaskStateHandle {
  /** The file, absolute. */
  readonly path: string;
  readonly bytes: number;
}

export interface AcknowledgeCheckpoint {
  readonly type: 'AcknowledgeCheckpoint';
  readonly jobId: JobId;
  readonly jobMasterId: JobMasterId;
  readonly executionAttemptId: ExecutionAttemptId;
  readonly checkpointId: number;
  /** null: the subtask has no state at all (nothing was written). */
  readonly handle: SubtaskStateHandle | null;
  /** A source subtask: how many splits it had received (see SourceSnapshot.splitsReceived); else null. */
  readonly splitsReceived: number | null;
  /** The synchronous part of the snapshot (the task stopped processing for it). */
  readonly syncMs: number;
  /** Encoding and writing the file. */
  readonly asyncMs: number;
  /**
   * Present when the subtask took the checkpoint unaligned: the bytes of in-flight data its snapshot
   * persisted (0 when nothing was in flight). Absent: aligned.
   */
  readonly inFlightBytes?: number;
}

export interface DeclineCheckpoint {
  readonly type: 'DeclineCheckpoint';
  readonly jobId: JobId;
  readonly jobMasterId: JobMasterId;
  readonly executionAttemptId: ExecutionAttemptId;
  readonly checkpointId: number;
  readonly reason: string;
  /**
   * A failure (the snapshot could not be taken or written): counts towards the tolerable checkpoint
   * failures. false: the task could not take part now (not running yet, finishing), which does not.
   */
  readonly failure: boolean;
}

// --- schemas ---------------------------------------------------------------------------------------

const checkpointId = integer(1);
const attempts = arrayOf(ExecutionAttemptIdKey);

export const TriggerCheckpointSchema = message<TriggerCheckpoint>('TriggerCheckpoint', {
  jobId: JobIdKey,
  executionAttemptIds: attempts,
  checkpointId,
  timestamp: number,
  mode: literal<CheckpointingMode>('EXACTLY_ONCE', 'AT_LEAST_ONCE'),
  savepoint: boolean,
  stopSources: optional(boolean),
  drain: optional(boolean),
  unaligned: optional(boolean),
  alignedCheckpointTimeoutMs: optional(positiveNumber),
});
export const NotifyCheckpointCompleteSchema = message<NotifyCheckpointComplete>('NotifyCheckpointComplete', { jobId: JobIdKey, executionAttemptIds: attempts, checkpointId });
export const NotifyCheckpointAbortedSchema = message<NotifyCheckpointAborted>('NotifyCheckpointAborted', { jobId: JobIdKey, executionAttemptIds: attempts, checkpointId, reason: string });
export const SubtaskStateHandleSchema = object<SubtaskStateHandle>({ path: string, bytes: count });
export const AcknowledgeCheckpointSchema = message<AcknowledgeCheckpoint>('AcknowledgeCheckpoint', {
  jobId: JobIdKey,
  jobMasterId: JobMasterIdKey,
  executionAttemptId: ExecutionAttemptIdKey,
  checkpointId,
  handle: nullable(SubtaskStateHandleSchema),
  splitsReceived: nullable(count),
  syncMs: nonNegativeNumber,
  asyncMs: nonNegativeNumber,
  inFlightBytes: optional(count),
});
export const DeclineCheckpointSchema = message<DeclineCheckpoint>('DeclineCheckpoint', {
  jobId: JobIdKey,
  jobMasterId: JobMasterIdKey,
  executionAttemptId: ExecutionAttemptIdKey,
  checkpointId,
  reason: string,
  failure: boolean,
});

registerMessages(
  validators([TriggerCheckpointSchema, NotifyCheckpointCompleteSchema, NotifyCheckpointAbortedSchema, AcknowledgeCheckpointSchema, DeclineCheckpointSchema]),
);
