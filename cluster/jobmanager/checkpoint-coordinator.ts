// The CheckpointCoordinator's bookkeeping (Flink's CheckpointCoordinator, without the messaging: the
// JobManager actor sends what this decides). A checkpoint is triggered at the running source subtasks
// and waits for an acknowledgement from every subtask of the job; it completes once all acknowledged and
// its `_metadata` is written, and is aborted by a decline, its timeout, or a failover. Pure and
// synchronous: time comes in as arguments.
//
// Checkpoints after tasks finish (Flink's FLIP-147): a running subtask whose inputs all finished is
// triggered directly (a transactional sink's final checkpoint commits its last transaction), and a
// subtask that FINISHED took no snapshot of this checkpoint and is entered as finished (no state: it
// restores empty, its input ends at once, and its source reader has nothing left to read). That holds
// for a subtask finished when the checkpoint is triggered, and for one that finishes while it is
// pending only once every subtask it reads from is entered as finished too: otherwise a barrier
// reached it before its end, it snapshotted, and its acknowledgement is on its way. A running subtask
// all of whose inputs are entered as finished while the checkpoint is pending gets no barrier any
// more (a triggered source finished first: its trigger found no task): it is triggered directly then,
// or a sink waiting for its final checkpoint would keep this one pending, and every later one out.
import type { AcknowledgeCheckpoint } from '../../messages/checkpoint.ts';
import type { ExecutionAttemptId, JobId } from '../../messages/ids.ts';
import type { CheckpointRetention, CheckpointingMode } from '../../messages/job-graph.ts';
import type { CheckpointMetadata, CompletedCheckpoint, SubtaskCheckpointEntry } from '../checkpoint/storage.ts';

/** A job's checkpointing with every default applied. */
export interface ResolvedCheckpointing {
  /** Between periodic checkpoints; 0: none (the job takes savepoints only). */
  readonly intervalMs: number;
  readonly mode: CheckpointingMode;
  readonly timeoutMs: number;
  readonly minPauseMs: number;
  readonly maxConcurrent: number;
  readonly tolerableFailures: number;
  readonly retained: number;
  /** What the job's checkpoints become when it ends. */
  readonly retention: CheckpointRetention;
  /** Unaligned checkpoints (EXACTLY_ONCE only; savepoints stay aligned); absent: aligned. */
  readonly unaligned?: boolean;
  /** With `unaligned`: a checkpoint starts aligned and switches to unaligned after this long (ms); 0 or absent: unaligned at once. */
  readonly alignedCheckpointTimeoutMs?: number;
  /** The job's directory: `<state.checkpoints.dir>/<jobId>` (savepoints are written there first, then moved). */
  readonly jobDirectory: string;
}

/** Flink's defaults for what a job and the cluster leave unset. */
export const CHECKPOINT_DEFAULTS = { mode: 'EXACTLY_ONCE', timeoutMs: 10 * 60_000, minPauseMs: 0, maxConcurrent: 1, tolerableFailures: 0, retained: 1 } as const;

/**
 * How a checkpoint's barriers align (the TriggerCheckpoint fields): unaligned, or aligned switching
 * to unaligned after the timeout, for an EXACTLY_ONCE job that enables it; a savepoint is always
 * aligned, as in Flink (it must not depend on in-flight data).
 */
export function barrierAlignment(settings: ResolvedCheckpointing, savepoint: boolean): { readonly unaligned?: true; readonly alignedCheckpointTimeoutMs?: number } {
  if (savepoint || settings.unaligned !== true || settings.mode !== 'EXACTLY_ONCE') return {};
  const timeoutMs = settings.alignedCheckpointTimeoutMs ?? 0;
  return timeoutMs > 0 ? { alignedCheckpointTimeoutMs: timeoutMs } : { unaligned: true };
}

/** One subtask as a checkpoint sees it. */
export interface CheckpointTask {
  readonly attemptId: ExecutionAttemptId;
  readonly vertexId: string;
  readonly subtaskIndex: number;
  /** A source vertex (no inputs): the checkpoint is triggered there. */
  readonly source: boolean;
  readonly running: boolean;
  /** FINISHED: it takes part as finished (no state). */
  readonly finished: boolean;
  /** The attempts it reads from (a forward edge's one subtask, every subtask of any other edge). */
  readonly upstream: readonly ExecutionAttemptId[];
  /** A finished source subtask: how many splits it was given in all (none is left to read on restore). */
  readonly splitsGiven?: number;
}

export interface PendingCheckpoint {
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly mode: CheckpointingMode;
  readonly savepoint: boolean;
  /**
   * The subtasks triggered: the running sources and the running subtasks whose inputs all finished,
   * then any whose inputs were all entered as finished while it was pending (taskFinished).
   */
  readonly sources: ExecutionAttemptId[];
  /** Every subtask of the job, by attempt. */
  readonly tasks: ReadonlyMap<ExecutionAttemptId, CheckpointTask>;
  /** Acknowledged so far, and the subtasks entered as finished. */
  readonly entries: Map<ExecutionAttemptId, SubtaskCheckpointEntry>;
  /** Largest synchronous part over the acknowledgements so far (ms). */
  syncMs: number;
}

export type TriggerDecision =
  | { readonly kind: 'trigger'; readonly checkpoint: PendingCheckpoint }
  /** `tasksNotRunning`: skipped only because a task is not running yet (deploying, restoring). */
  | { readonly kind: 'skip'; readonly reason: string; readonly tasksNotRunning?: true };

/** What a subtask's end changes in the pending checkpoints (taskFinished). */
export interface FinishedOutcome {
  /** Checkpoints every subtask of which is in now: write their metadata. */
  readonly complete: readonly PendingCheckpoint[];
  /** Running subtasks no barrier of a pending checkpoint can reach any more: trigger them directly. */
  readonly trigger: readonly { readonly checkpoint: PendingCheckpoint; readonly attempts: readonly ExecutionAttemptId[] }[];
}

export class CheckpointCoordinator {
  private nextId = 1;
  private readonly pending = new Map<number, PendingCheckpoint>();
  private readonly completedCheckpoints: CompletedCheckpoint[] = [];
  /** When the last checkpoint ended (completed or aborted), for the minimum pause. */
  private lastEndedAt = Number.NEGATIVE_INFINITY;
  private failuresInARow = 0;
  /** Aborted checkpoints since the job started (declined, expired, not written), for weir info. */
  private aborted = 0;
  private completions = 0;
  /** The savepoint or retained checkpoint the job started from: never discarded here (it is the user's). */
  private initial: CompletedCheckpoint | null = null;
  /** Attempts reported FINISHED, with a source's count of splits given (taskFinished). */
  private readonly finished = new Map<ExecutionAttemptId, number | undefined>();

  constructor(
    readonly jobId: JobId,
    readonly settings: ResolvedCheckpointing,
    /** Checkpoint ids go on from a restored checkpoint's, so ids never repeat in one job directory. */
    startAfter = 0,
  ) {
    this.nextId = startAfter + 1;
  }

  /** The newest completed checkpoint: what a failover restores (the savepoint the job started from, before its first). */
  get latest(): CompletedCheckpoint | null {
    return this.completedCheckpoints[this.completedCheckpoints.length - 1] ?? this.initial;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** A new checkpoint of `tasks` (every subtask of the job), unless something stands in the way. */
  trigger(now: number, tasks: readonly CheckpointTask[], savepoint = false): TriggerDecision {
    if (!savepoint && this.pending.size >= this.settings.maxConcurrent) return { kind: 'skip', reason: `${this.pending.size} checkpoint(s) still in progress (max-concurrent-checkpoints ${this.settings.maxConcurrent})` };
    if (!savepoint && now - this.lastEndedAt < this.settings.minPauseMs) return { kind: 'skip', reason: `the minimum pause of ${this.settings.minPauseMs} ms since the last checkpoint has not passed` };
    const notRunning = tasks.find((task) => !task.running && !task.finished);
    if (notRunning) return { kind: 'skip', reason: `not every task is running (${notRunning.vertexId} subtask ${notRunning.subtaskIndex} is not)`, tasksNotRunning: true };
    // The barrier starts at the running sources, and at each running subtask whose inputs all finished
    // (no barrier can reach it: a sink waiting for its final checkpoint, or one about to finish).
    const finished = new Set(tasks.filter((task) => task.finished).map((task) => task.attemptId));
    const sources = tasks.filter((task) => task.running && (task.source || task.upstream.every((upstream) => finished.has(upstream)))).map((task) => task.attemptId);
    if (sources.length === 0) return { kind: 'skip', reason: 'every task has finished' };
    const checkpoint: PendingCheckpoint = {
      checkpointId: this.nextId++,
      timestamp: now,
      mode: this.settings.mode,
      savepoint,
      sources,
      tasks: new Map(tasks.map((task) => [task.attemptId, task])),
      entries: new Map(),
      syncMs: 0,
    };
    for (const task of tasks) if (task.finished) checkpoint.entries.set(task.attemptId, finishedEntry(task));
    this.pending.set(checkpoint.checkpointId, checkpoint);
    return { kind: 'trigger', checkpoint };
  }

  /**
   * A subtask finished: each pending checkpoint still waiting for it enters it as finished once every
   * subtask it reads from is entered as finished (and so on downstream). Returns the checkpoints that
   * became complete (write their metadata now), and the running subtasks to trigger now: those all of
   * whose inputs are entered as finished, which no barrier of that checkpoint will reach.
   */
  taskFinished(attemptId: ExecutionAttemptId, splitsGiven?: number): FinishedOutcome {
    this.finished.set(attemptId, splitsGiven);
    const complete: PendingCheckpoint[] = [];
    const trigger: { checkpoint: PendingCheckpoint; attempts: ExecutionAttemptId[] }[] = [];
    for (const checkpoint of this.pending.values()) {
      const before = checkpoint.entries.size;
      for (let changed = true; changed; ) {
        changed = false;
        for (const task of checkpoint.tasks.values()) {
          if (checkpoint.entries.has(task.attemptId) || !this.finished.has(task.attemptId)) continue;
          if (!task.upstream.every((upstream) => checkpoint.entries.get(upstream)?.finished === true)) continue;
          checkpoint.entries.set(task.attemptId, finishedEntry({ ...task, splitsGiven: this.finished.get(task.attemptId) }));
          changed = true;
        }
      }
      if (checkpoint.entries.size === before) continue;
      if (checkpoint.entries.size === checkpoint.tasks.size) {
        complete.push(checkpoint);
        continue;
      }
      const unreachable = [...checkpoint.tasks.values()]
        .filter((task) => !checkpoint.entries.has(task.attemptId) && !checkpoint.sources.includes(task.attemptId) && task.upstream.every((upstream) => checkpoint.entries.get(upstream)?.finished === true))
        .map((task) => task.attemptId);
      if (unreachable.length === 0) continue;
      checkpoint.sources.push(...unreachable);
      trigger.push({ checkpoint, attempts: unreachable });
    }
    return { complete, trigger };
  }

  /** Whether the pending checkpoint waits for this attempt's acknowledgement. */
  expects(checkpointId: number, attemptId: ExecutionAttemptId): boolean {
    const checkpoint = this.pending.get(checkpointId);
    return checkpoint !== undefined && checkpoint.tasks.has(attemptId) && !checkpoint.entries.has(attemptId);
  }

  /** An acknowledgement: the checkpoint when it was the last one missing (write its metadata now), else null. */
  acknowledge(ack: AcknowledgeCheckpoint): PendingCheckpoint | null {
    const checkpoint = this.pending.get(ack.checkpointId);
    const task = checkpoint?.tasks.get(ack.executionAttemptId);
    if (!checkpoint || !task || checkpoint.entries.has(ack.executionAttemptId)) return null;
    const inFlight = ack.inFlightBytes === undefined ? {} : { inFlightBytes: ack.inFlightBytes };
    checkpoint.entries.set(ack.executionAttemptId, { vertexId: task.vertexId, subtaskIndex: task.subtaskIndex, handle: ack.handle, splitsReceived: ack.splitsReceived, ...inFlight });
    checkpoint.syncMs = Math.max(checkpoint.syncMs, ack.syncMs);
    return checkpoint.entries.size === checkpoint.tasks.size ? checkpoint : null;
  }

  /** The metadata `_metadata` gets for a fully acknowledged checkpoint. */
  metadataOf(checkpoint: PendingCheckpoint, now: number, parallelism: Readonly<Record<string, number>>): CheckpointMetadata {
    return {
      version: 1,
      jobId: this.jobId,
      checkpointId: checkpoint.checkpointId,
      timestamp: checkpoint.timestamp,
      completedAt: now,
      mode: checkpoint.mode,
      savepoint: checkpoint.savepoint,
      syncMs: checkpoint.syncMs,
      parallelism,
      subtasks: [...checkpoint.entries.values()].sort((a, b) => (a.vertexId === b.vertexId ? a.subtaskIndex - b.subtaskIndex : a.vertexId < b.vertexId ? -1 : 1)),
    };
  }

  /**
   * Its metadata is written: the checkpoint exists. Returns the checkpoints no longer retained (to
   * delete) and the pending ones older than it, which are aborted (Flink subsumes them). A
   * checkpoint aborted while its metadata was written (a failover) is not taken: null.
   */
  completed(completed: CompletedCheckpoint, now: number): { readonly discard: readonly CompletedCheckpoint[]; readonly subsumed: readonly PendingCheckpoint[] } | null {
    const id = completed.metadata.checkpointId;
    if (!this.pending.delete(id)) return null;
    this.lastEndedAt = now;
    this.failuresInARow = 0;
    this.completions++;
    this.completedCheckpoints.push(completed);
    const subsumed = [...this.pending.values()].filter((older) => older.checkpointId < id);
    for (const older of subsumed) this.pending.delete(older.checkpointId);
    const excess = this.completedCheckpoints.length - this.settings.retained;
    // A savepoint belongs to the user: it is never discarded here.
    const discard = excess > 0 ? this.completedCheckpoints.splice(0, excess).filter((old) => !old.metadata.savepoint) : [];
    return { discard, subsumed };
  }

  /**
   * Aborts one pending checkpoint (declined, timed out, its metadata could not be written). Returns it
   * (null when it is not pending any more) and whether the failures in a row now exceed the tolerable
   * number (the job must fail).
   */
  abort(checkpointId: number, now: number, countsAsFailure = true): { readonly checkpoint: PendingCheckpoint | null; readonly intolerable: boolean } {
    const checkpoint = this.pending.get(checkpointId) ?? null;
    if (!checkpoint) return { checkpoint, intolerable: false };
    this.pending.delete(checkpointId);
    this.lastEndedAt = now;
    this.aborted++;
    if (countsAsFailure) this.failuresInARow++;
    return { checkpoint, intolerable: this.failuresInARow > this.settings.tolerableFailures };
  }

  /** A failover or the job's end: every pending checkpoint is aborted (not a checkpoint failure). */
  abortAll(): PendingCheckpoint[] {
    const all = [...this.pending.values()];
    this.pending.clear();
    return all;
  }

  /** The job started from this savepoint (or retained checkpoint): ids go on after its, and a failover before the first checkpoint restores it. */
  restoredFrom(checkpoint: CompletedCheckpoint): void {
    this.nextId = Math.max(this.nextId, checkpoint.metadata.checkpointId + 1);
    this.initial = checkpoint;
  }

  /** Completed and aborted checkpoints since the job started. */
  get counts(): { readonly completed: number; readonly failed: number } {
    return { completed: this.completions, failed: this.aborted };
  }

  get failedInARow(): number {
    return this.failuresInARow;
  }

  get retainedCheckpoints(): readonly CompletedCheckpoint[] {
    return this.completedCheckpoints;
  }
}

/** The entry of a subtask that finished before it took part: no state, and a source's splits all read. */
function finishedEntry(task: CheckpointTask): SubtaskCheckpointEntry {
  return { vertexId: task.vertexId, subtaskIndex: task.subtaskIndex, handle: null, splitsReceived: task.source ? (task.splitsGiven ?? 0) : null, finished: true };
}
