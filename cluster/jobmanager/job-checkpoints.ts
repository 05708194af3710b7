// The JobManager's checkpoint messaging around the CheckpointCoordinator: a periodic trigger while
// the job runs, TriggerCheckpoint to the source subtasks' TaskManagers, acknowledgements and
// declines, each checkpoint's timeout, `_metadata` written once every subtask acknowledged, then
// NotifyCheckpointComplete (or NotifyCheckpointAborted) to every subtask's TaskManager, and the
// checkpoints no longer retained deleted. Runs on the JobManager's turn (it is handed the actor's
// context); what takes time (writing metadata, deleting) comes back as messages.
import { readdir, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ActorContext, ActorRef } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import type { AcknowledgeCheckpoint, DeclineCheckpoint } from '../../messages/checkpoint.ts';
import type { CheckpointStats, SavepointReply } from '../../messages/dispatcher.ts';
import { describeError } from '../../messages/errors.ts';
import type { InputSplit, JobGraph } from '../../messages/job-graph.ts';
import type { ErrorInfo, JobStatus } from '../../messages/job-status.ts';
import type { TaskManagerMsg } from '../../messages/task-manager.ts';
import { type CompletedCheckpoint, discardCheckpoint, inFlightSummary, writeMetadata, writeSavepoint } from '../checkpoint/storage.ts';
import { type CheckpointCoordinator, type CheckpointTask, type PendingCheckpoint, type TriggerDecision, barrierAlignment } from './checkpoint-coordinator.ts';
import type { Execution } from './execution-graph.ts';

export type CheckpointInternal =
  | { readonly type: 'CheckpointTick' }
  | { readonly type: 'CheckpointExpired'; readonly checkpointId: number }
  | { readonly type: 'CheckpointStored'; readonly checkpoint: PendingCheckpoint; readonly result: Result<CompletedCheckpoint> };

/** What the JobManager tells this about the job. */
export interface CheckpointedJob {
  readonly graph: JobGraph;
  /** The current attempt of every subtask. */
  executions(): readonly Execution[];
  /** Where an execution runs (its slot's TaskManager), if deployed. */
  taskManagerOf(execution: Execution): ActorRef<TaskManagerMsg> | undefined;
  /** Checkpoints failed beyond the tolerable number: the job fails (and may restart). */
  fail(cause: ErrorInfo): void;
  /** A savepoint taken with `stop` exists: the job ends. */
  stop(): void;
  /** A checkpoint completed or was aborted: its statistics changed (weir info). */
  changed(): void;
  /** The indices of the first `count` splits a source subtask was given. */
  receivedSplits(vertexId: string, subtaskIndex: number, count: number): number[];
  /** Their payloads, for an enumerated source (see SubtaskCheckpointEntry.enumeratedSplits). */
  receivedSplitPayloads(vertexId: string, subtaskIndex: number, count: number): unknown[] | undefined;
  /** Every static split of each source vertex that has them (CheckpointMetadata.sourceSplits). */
  plannedSplits(): Readonly<Record<string, readonly InputSplit[]>>;
}

/** Who asked for a savepoint, where it goes, and whether the job stops after it. */
interface SavepointRequest {
  readonly targetDirectory: string;
  readonly stop: boolean;
  /** With `stop`: event time advances to its end first (`weir stop --drain`). */
  readonly drain: boolean;
  readonly replyTo: ActorRef<SavepointReply>;
}

export class JobCheckpoints {
  private running = false;
  /**
   * A periodic checkpoint was skipped because a task was not running yet (a start, a restart
   * restoring state): it is taken as soon as the last one runs, not an interval later. After a
   * failover the first checkpoint is what lets exactly-once output advance again.
   */
  private owed = false;
  /** Savepoints in progress, by checkpoint id. */
  private readonly savepoints = new Map<number, SavepointRequest>();

  constructor(
    private readonly context: ActorContext<CheckpointInternal>,
    readonly coordinator: CheckpointCoordinator,
    private readonly job: CheckpointedJob,
  ) {}

  /** The job's tasks are deployed: checkpoints are triggered every interval (skipped until all run). */
  start(): void {
    if (this.running) return;
    this.running = true;
    const { intervalMs } = this.coordinator.settings;
    if (intervalMs > 0) this.context.timers.startTimerAtFixedRate('checkpoint-tick', { type: 'CheckpointTick' }, intervalMs);
  }

  /** A savepoint now (Flink's triggerSavepoint); the requester gets its path or why it failed. */
  triggerSavepoint(request: SavepointRequest): void {
    const { jobId } = this.coordinator;
    if (!this.running) {
      request.replyTo.tell({ type: 'SavepointFailed', jobId, reason: `job ${jobId} is not running` });
      return;
    }
    const decision = this.trigger(true, request.stop, request.stop && request.drain);
    if (decision.kind === 'skip') request.replyTo.tell({ type: 'SavepointFailed', jobId, reason: decision.reason });
    else this.savepoints.set(decision.checkpoint.checkpointId, request);
  }

  /** A failover or the job's end: no more triggers, and every checkpoint in progress is aborted. */
  stop(reason: string): void {
    this.running = false;
    this.owed = false;
    this.context.timers.cancel('checkpoint-tick');
    const aborted = this.coordinator.abortAll();
    // Not a failure (a failover, the job's end), but a checkpoint that never completes is worth a line.
    if (aborted.length > 0) this.context.log.info(`checkpoint(s) ${aborted.map((checkpoint) => checkpoint.checkpointId).join(', ')} of job ${this.coordinator.jobId} aborted: ${reason}`);
    for (const checkpoint of aborted) this.aborted(checkpoint, reason);
  }

  onMessage(msg: CheckpointInternal): void {
    switch (msg.type) {
      case 'CheckpointTick':
        if (this.running) this.periodic();
        return;
      case 'CheckpointExpired':
        this.abort(msg.checkpointId, `it expired before it completed (execution.checkpointing.timeout ${this.coordinator.settings.timeoutMs} ms)`, true);
        return;
      case 'CheckpointStored':
        this.stored(msg.checkpoint, msg.result);
        return;
      default:
        msg satisfies never;
    }
  }

  /**
   * A subtask FINISHED: the pending checkpoints that waited for it only may complete now, and the
   * running subtasks it was the last input of are triggered directly when no barrier will reach them.
   */
  taskFinished(execution: Execution): void {
    const { complete, trigger } = this.coordinator.taskFinished(execution.attemptId, this.splitsGiven(execution));
    for (const checkpoint of complete) this.store(checkpoint);
    for (const { checkpoint, attempts } of trigger) {
      this.context.log.debug(`checkpoint ${checkpoint.checkpointId}: ${attempts.length} subtask(s) triggered directly, everything they read from finished before its barrier`);
      const request = this.savepoints.get(checkpoint.checkpointId);
      this.sendTriggers(checkpoint, attempts, request?.stop === true, request?.stop === true && request.drain);
    }
  }

  /** A task turned RUNNING: a checkpoint owed since a tick found tasks not running is taken once all run. */
  taskRunning(): void {
    if (this.running && this.owed) this.periodic();
  }

  private periodic(): void {
    const decision = this.trigger(false);
    this.owed = decision.kind === 'skip' && decision.tasksNotRunning === true;
    if (decision.kind === 'skip') this.context.log.debug(`checkpoint skipped: ${decision.reason}`);
  }

  /** A source subtask's count of every split it was given; undefined for another subtask. */
  private splitsGiven(execution: Execution): number | undefined {
    return execution.vertex.inputs.length === 0 ? this.job.receivedSplits(execution.vertex.id, execution.subtaskIndex, Number.MAX_SAFE_INTEGER).length : undefined;
  }

  acknowledge(msg: AcknowledgeCheckpoint): void {
    // The file is read (and a savepoint's copied) from here: it must be one of this job's.
    const { jobDirectory } = this.coordinator.settings;
    if (msg.handle && this.coordinator.expects(msg.checkpointId, msg.executionAttemptId) && relative(jobDirectory, msg.handle.path).split(sep)[0] !== `chk-${msg.checkpointId}`) {
      this.abort(msg.checkpointId, `execution ${msg.executionAttemptId} acknowledged with ${msg.handle.path}, which is not in ${join(jobDirectory, `chk-${msg.checkpointId}`)}`, true);
      return;
    }
    const complete = this.coordinator.acknowledge(msg);
    if (complete) this.store(complete);
  }

  /** Every subtask acknowledged (or finished): `_metadata` is written (a savepoint's files copied first). */
  private store(complete: PendingCheckpoint): void {
    const { jobDirectory } = this.coordinator.settings;
    const parallelism = Object.fromEntries(this.job.graph.vertices.map((vertex) => [vertex.id, vertex.parallelism]));
    const withSplits = this.coordinator.metadataOf(complete, Date.now(), parallelism);
    const subtasks = withSplits.subtasks.map((entry) => {
      if (entry.splitsReceived === null) return entry;
      const splits = this.job.receivedSplits(entry.vertexId, entry.subtaskIndex, entry.splitsReceived);
      const enumeratedSplits = this.job.receivedSplitPayloads(entry.vertexId, entry.subtaskIndex, entry.splitsReceived);
      return { ...entry, splits, ...(enumeratedSplits ? { enumeratedSplits } : {}) };
    });
    const sourceSplits = this.job.plannedSplits();
    const metadata = { ...withSplits, maxParallelism: this.job.graph.maxParallelism, ...(Object.keys(sourceSplits).length > 0 ? { sourceSplits } : {}), ...inFlightSummary(subtasks), subtasks };
    const savepoint = this.savepoints.get(complete.checkpointId);
    const written = savepoint ? writeSavepoint(jobDirectory, savepoint.targetDirectory, metadata) : writeMetadata(jobDirectory, metadata);
    this.context.pipeToSelf(written, (result) => ({ type: 'CheckpointStored', checkpoint: complete, result }));
  }

  decline(msg: DeclineCheckpoint): void {
    this.abort(msg.checkpointId, `a task declined it: ${msg.reason}`, msg.failure);
  }

  private trigger(savepoint: boolean, stopSources = false, drain = false): TriggerDecision {
    const executions = this.job.executions();
    const tasks = checkpointTasks(executions, (execution) => this.splitsGiven(execution));
    const decision = this.coordinator.trigger(Date.now(), tasks, savepoint);
    if (decision.kind === 'skip') return decision;
    const { checkpoint } = decision;
    this.context.timers.startSingleTimer(`checkpoint-expiry-${checkpoint.checkpointId}`, { type: 'CheckpointExpired', checkpointId: checkpoint.checkpointId }, this.coordinator.settings.timeoutMs);
    this.sendTriggers(checkpoint, checkpoint.sources, stopSources, drain);
    return decision;
  }

  /** TriggerCheckpoint for these attempts of the checkpoint, one message per TaskManager. */
  private sendTriggers(checkpoint: PendingCheckpoint, attemptIds: readonly Execution['attemptId'][], stopSources: boolean, drain: boolean): void {
    const triggered = new Set(attemptIds);
    const { checkpointId, timestamp, mode } = checkpoint;
    const alignment = barrierAlignment(this.coordinator.settings, checkpoint.savepoint);
    for (const [taskManager, attempts] of this.byTaskManager(this.job.executions().filter((execution) => triggered.has(execution.attemptId)))) {
      taskManager.tell({ type: 'TriggerCheckpoint', jobId: this.coordinator.jobId, executionAttemptIds: attempts, checkpointId, timestamp, mode, savepoint: checkpoint.savepoint, ...(stopSources ? { stopSources } : {}), ...(drain ? { drain } : {}), ...alignment });
    }
  }

  private stored(checkpoint: PendingCheckpoint, result: Result<CompletedCheckpoint>): void {
    const { checkpointId } = checkpoint;
    if (!result.ok) {
      this.abort(checkpointId, `writing its metadata failed: ${describeError(result.error)}`, true);
      return;
    }
    const savepoint = this.savepoints.get(checkpointId);
    this.savepoints.delete(checkpointId);
    const outcome = this.coordinator.completed(result.value, Date.now());
    if (!outcome) {
      // Aborted meanwhile (a failover): a checkpoint's files stay unused; a savepoint exists all the same.
      if (savepoint) savepoint.replyTo.tell({ type: 'SavepointCompleted', jobId: this.coordinator.jobId, path: result.value.directory });
      return;
    }
    this.context.timers.cancel(`checkpoint-expiry-${checkpointId}`);
    const bytes = result.value.metadata.subtasks.reduce((sum, entry) => sum + (entry.handle?.bytes ?? 0), 0);
    this.context.log.info(
      `completed ${savepoint ? `savepoint ${result.value.directory}` : 'checkpoint'} ${checkpointId} of job ${this.coordinator.jobId} (${bytes} bytes, ${Date.now() - checkpoint.timestamp} ms, synchronous part up to ${checkpoint.syncMs.toFixed(1)} ms)`,
    );
    for (const [taskManager, attempts] of this.byTaskManager(this.job.executions().filter((execution) => checkpoint.tasks.has(execution.attemptId)))) {
      taskManager.tell({ type: 'NotifyCheckpointComplete', jobId: this.coordinator.jobId, executionAttemptIds: attempts, checkpointId });
    }
    for (const older of outcome.subsumed) this.aborted(older, `checkpoint ${checkpointId} completed first`);
    for (const old of outcome.discard) this.discard(old.metadata.checkpointId);
    this.discardStrays(checkpointId);
    this.job.changed();
    if (savepoint) {
      savepoint.replyTo.tell({ type: 'SavepointCompleted', jobId: this.coordinator.jobId, path: result.value.directory });
      if (savepoint.stop) this.job.stop();
    }
  }

  private abort(checkpointId: number, reason: string, failure: boolean): void {
    // A failed savepoint is the requester's to hear of; it never fails the job (as in Flink).
    const { checkpoint, intolerable } = this.coordinator.abort(checkpointId, Date.now(), failure && !this.savepoints.has(checkpointId));
    if (!checkpoint) return;
    // A task that could not take part (not running yet, still draining what finished inputs sent)
    // is the normal course of a job's start and end: info; a snapshot that failed is a warning.
    const message = `checkpoint ${checkpointId} of job ${this.coordinator.jobId} aborted: ${reason}`;
    if (failure) this.context.log.warn(message);
    else this.context.log.info(message);
    this.aborted(checkpoint, reason);
    this.job.changed();
    if (intolerable) {
      const { tolerableFailures } = this.coordinator.settings;
      this.job.fail({ name: 'CheckpointFailed', message: `checkpoint ${checkpointId} failed (${reason}), and ${tolerableFailures} failed checkpoint(s) in a row are tolerated (execution.checkpointing.tolerable-failed-checkpoints)` });
    }
  }

  /** Tells its tasks (and a savepoint's requester) and removes what was written of it. */
  private aborted(checkpoint: PendingCheckpoint, reason: string): void {
    const { checkpointId } = checkpoint;
    const savepoint = this.savepoints.get(checkpointId);
    this.savepoints.delete(checkpointId);
    savepoint?.replyTo.tell({ type: 'SavepointFailed', jobId: this.coordinator.jobId, reason: `savepoint ${checkpointId} was aborted: ${reason}` });
    this.context.timers.cancel(`checkpoint-expiry-${checkpointId}`);
    for (const [taskManager, attempts] of this.byTaskManager(this.job.executions().filter((execution) => checkpoint.tasks.has(execution.attemptId)))) {
      taskManager.tell({ type: 'NotifyCheckpointAborted', jobId: this.coordinator.jobId, executionAttemptIds: attempts, checkpointId, reason });
    }
    this.discard(checkpointId);
  }

  /**
   * The job ended: checkpoints stop, and its directory goes unless its retention keeps it (a
   * FINISHED job's never; see CheckpointRetention). Savepoints live elsewhere and stay.
   */
  jobEnded(status: JobStatus): void {
    this.stop(`the job ${status}`);
    const { retention } = this.coordinator.settings;
    const kept = (status === 'CANCELED' && retention === 'RETAIN_ON_CANCELLATION') || (status === 'FAILED' && retention !== 'NO_EXTERNALIZED_CHECKPOINTS');
    if (!kept) this.discardAll();
  }

  /** The job's checkpoints for weir info (`restarts`: the JobManager's count). */
  stats(restarts: number): CheckpointStats {
    const { latest, counts } = this.coordinator;
    return {
      ...counts,
      restarts,
      latest: latest && {
        checkpointId: latest.metadata.checkpointId,
        path: latest.directory,
        completedAt: latest.metadata.completedAt,
        durationMs: latest.metadata.completedAt - latest.metadata.timestamp,
        bytes: latest.metadata.subtasks.reduce((sum, entry) => sum + (entry.handle?.bytes ?? 0), 0),
        savepoint: latest.metadata.savepoint,
        ...(latest.metadata.unaligned === undefined ? {} : { unaligned: latest.metadata.unaligned }),
        ...(latest.metadata.inFlightBytes === undefined ? {} : { inFlightBytes: latest.metadata.inFlightBytes }),
      },
    };
  }

  private discardAll(): void {
    const log = this.context.log;
    const { jobDirectory } = this.coordinator.settings;
    rm(jobDirectory, { recursive: true, force: true }).catch((error: unknown) => log.warn(`could not delete ${jobDirectory}: ${describeError(error)}`));
  }

  /**
   * chk-<id> directories older than `completedId` that are neither retained nor pending: a task's
   * snapshot written after its checkpoint was aborted and deleted makes its directory again.
   */
  private discardStrays(completedId: number): void {
    const { jobDirectory } = this.coordinator.settings;
    const keep = new Set(this.coordinator.retainedCheckpoints.map((checkpoint) => checkpoint.metadata.checkpointId));
    const log = this.context.log;
    readdir(jobDirectory)
      .then((names) =>
        Promise.all(
          names
            .map((name) => /^chk-(\d+)$/.exec(name)?.[1])
            .filter((id): id is string => id !== undefined)
            .map(Number)
            .filter((id) => id < completedId && !keep.has(id))
            .map((id) => discardCheckpoint(jobDirectory, id)),
        ),
      )
      .catch((error: unknown) => log.debug(`could not look for stray checkpoints in ${jobDirectory}: ${describeError(error)}`));
  }

  private discard(checkpointId: number): void {
    const log = this.context.log;
    discardCheckpoint(this.coordinator.settings.jobDirectory, checkpointId).catch((error: unknown) => log.warn(`could not delete checkpoint ${checkpointId}: ${describeError(error)}`));
  }

  /** One message per TaskManager (by path: slots of one TaskManager may hold distinct refs to it). */
  private byTaskManager(executions: readonly Execution[]): [ActorRef<TaskManagerMsg>, Execution['attemptId'][]][] {
    const grouped = new Map<string, [ActorRef<TaskManagerMsg>, Execution['attemptId'][]]>();
    for (const execution of executions) {
      const taskManager = this.job.taskManagerOf(execution);
      if (!taskManager) continue;
      const entry = grouped.get(taskManager.path);
      if (entry) entry[1].push(execution.attemptId);
      else grouped.set(taskManager.path, [taskManager, [execution.attemptId]]);
    }
    return [...grouped.values()];
  }
}

/**
 * Each execution as a checkpoint sees it, with the attempts it reads from: a forward edge's subtask
 * of the same index, every subtask of the producer for any other edge.
 */
function checkpointTasks(executions: readonly Execution[], splitsGiven: (execution: Execution) => number | undefined): CheckpointTask[] {
  const byVertex = new Map<string, Execution[]>();
  for (const execution of executions) {
    const list = byVertex.get(execution.vertex.id) ?? [];
    list[execution.subtaskIndex] = execution;
    byVertex.set(execution.vertex.id, list);
  }
  return executions.map((execution) => {
    const upstream = execution.vertex.inputs.flatMap((edge) => {
      const producers = byVertex.get(edge.sourceVertexId) ?? [];
      const feeding = edge.partitioning === 'forward' ? [producers[execution.subtaskIndex]] : producers;
      return feeding.filter((producer) => producer !== undefined).map((producer) => producer.attemptId);
    });
    const finished = execution.state === 'FINISHED';
    const given = finished ? splitsGiven(execution) : undefined;
    return {
      attemptId: execution.attemptId,
      vertexId: execution.vertex.id,
      subtaskIndex: execution.subtaskIndex,
      source: execution.vertex.inputs.length === 0,
      running: execution.state === 'RUNNING',
      finished,
      upstream,
      ...(given === undefined ? {} : { splitsGiven: given }),
    };
  });
}
