// The JobManager's checkpoint messaging around the CheckpointCoordinator: a periodic trigger while
// the job runs, TriggerCheckpoint to the source subtasks' TaskManagers, acknowledgements and
// declines, each checkpoint's timeout, `_metadata` written once every subtask acknowledged, then
// NotifyCheckpointComplete (or NotifyCheckpointAborted) to every subtask's TaskManager, and the
// checkpoints no longer retained deleted. Runs on the JobManager's turn (it is handed the actor's
// context); what takes time (writing metadata, deleting) comes back as messages.
import type { ActorContext, ActorRef } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import type { AcknowledgeCheckpoint, DeclineCheckpoint } from '../../messages/checkpoint.ts';
import { describeError } from '../../messages/errors.ts';
import type { JobGraph } from '../../messages/job-graph.ts';
import type { ErrorInfo } from '../../messages/job-status.ts';
import type { TaskManagerMsg } from '../../messages/task-manager.ts';
import { type CompletedCheckpoint, discardCheckpoint, writeMetadata } from '../checkpoint/storage.ts';
import { type CheckpointCoordinator, type CheckpointTask, type PendingCheckpoint } from './checkpoint-coordinator.ts';
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
}

export class JobCheckpoints {
  private running = false;

  constructor(
    private readonly context: ActorContext<CheckpointInternal>,
    readonly coordinator: CheckpointCoordinator,
    private readonly job: CheckpointedJob,
  ) {}

  /** The job's tasks are deployed: checkpoints are triggered every interval (skipped until all run). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.context.timers.startTimerAtFixedRate('checkpoint-tick', { type: 'CheckpointTick' }, this.coordinator.settings.intervalMs);
  }

  /** A failover or the job's end: no more triggers, and every checkpoint in progress is aborted. */
  stop(reason: string): void {
    this.running = false;
    this.context.timers.cancel('checkpoint-tick');
    for (const checkpoint of this.coordinator.abortAll()) this.aborted(checkpoint, reason);
  }

  onMessage(msg: CheckpointInternal): void {
    switch (msg.type) {
      case 'CheckpointTick':
        if (this.running) this.trigger();
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

  acknowledge(msg: AcknowledgeCheckpoint): void {
    const complete = this.coordinator.acknowledge(msg);
    if (!complete) return;
    const parallelism = Object.fromEntries(this.job.graph.vertices.map((vertex) => [vertex.id, vertex.parallelism]));
    const metadata = this.coordinator.metadataOf(complete, Date.now(), parallelism);
    this.context.pipeToSelf(writeMetadata(this.coordinator.settings.jobDirectory, metadata), (result) => ({ type: 'CheckpointStored', checkpoint: complete, result }));
  }

  decline(msg: DeclineCheckpoint): void {
    this.abort(msg.checkpointId, `a task declined it: ${msg.reason}`, msg.failure);
  }

  private trigger(): void {
    const executions = this.job.executions();
    const tasks: CheckpointTask[] = executions.map((execution) => ({
      attemptId: execution.attemptId,
      vertexId: execution.vertex.id,
      subtaskIndex: execution.subtaskIndex,
      source: execution.vertex.inputs.length === 0,
      running: execution.state === 'RUNNING',
    }));
    const decision = this.coordinator.trigger(Date.now(), tasks);
    if (decision.kind === 'skip') {
      this.context.log.debug(`checkpoint skipped: ${decision.reason}`);
      return;
    }
    const { checkpoint } = decision;
    this.context.timers.startSingleTimer(`checkpoint-expiry-${checkpoint.checkpointId}`, { type: 'CheckpointExpired', checkpointId: checkpoint.checkpointId }, this.coordinator.settings.timeoutMs);
    const sources = new Set(checkpoint.sources);
    const { checkpointId, timestamp, mode, savepoint } = checkpoint;
    for (const [taskManager, attempts] of this.byTaskManager(executions.filter((execution) => sources.has(execution.attemptId)))) {
      taskManager.tell({ type: 'TriggerCheckpoint', jobId: this.coordinator.jobId, executionAttemptIds: attempts, checkpointId, timestamp, mode, savepoint });
    }
  }

  private stored(checkpoint: PendingCheckpoint, result: Result<CompletedCheckpoint>): void {
    const { checkpointId } = checkpoint;
    if (!result.ok) {
      this.abort(checkpointId, `writing its metadata failed: ${describeError(result.error)}`, true);
      return;
    }
    const outcome = this.coordinator.completed(result.value, Date.now());
    if (!outcome) return; // aborted meanwhile (a failover): its files stay, unused
    this.context.timers.cancel(`checkpoint-expiry-${checkpointId}`);
    const bytes = result.value.metadata.subtasks.reduce((sum, entry) => sum + (entry.handle?.bytes ?? 0), 0);
    this.context.log.info(
      `completed checkpoint ${checkpointId} of job ${this.coordinator.jobId} (${bytes} bytes, ${Date.now() - checkpoint.timestamp} ms, synchronous part up to ${checkpoint.syncMs.toFixed(1)} ms)`,
    );
    for (const [taskManager, attempts] of this.byTaskManager(this.job.executions().filter((execution) => checkpoint.tasks.has(execution.attemptId)))) {
      taskManager.tell({ type: 'NotifyCheckpointComplete', jobId: this.coordinator.jobId, executionAttemptIds: attempts, checkpointId });
    }
    for (const older of outcome.subsumed) this.aborted(older, `checkpoint ${checkpointId} completed first`);
    for (const old of outcome.discard) this.discard(old.metadata.checkpointId);
  }

  private abort(checkpointId: number, reason: string, failure: boolean): void {
    const { checkpoint, intolerable } = this.coordinator.abort(checkpointId, Date.now(), failure);
    if (!checkpoint) return;
    this.context.log.warn(`checkpoint ${checkpointId} of job ${this.coordinator.jobId} aborted: ${reason}`);
    this.aborted(checkpoint, reason);
    if (intolerable) {
      const { tolerableFailures } = this.coordinator.settings;
      this.job.fail({ name: 'CheckpointFailed', message: `checkpoint ${checkpointId} failed (${reason}), and ${tolerableFailures} failed checkpoint(s) in a row are tolerated (execution.checkpointing.tolerable-failed-checkpoints)` });
    }
  }

  /** Tells its tasks and removes what was written of it. */
  private aborted(checkpoint: PendingCheckpoint, reason: string): void {
    const { checkpointId } = checkpoint;
    this.context.timers.cancel(`checkpoint-expiry-${checkpointId}`);
    for (const [taskManager, attempts] of this.byTaskManager(this.job.executions().filter((execution) => checkpoint.tasks.has(execution.attemptId)))) {
      taskManager.tell({ type: 'NotifyCheckpointAborted', jobId: this.coordinator.jobId, executionAttemptIds: attempts, checkpointId, reason });
    }
    this.discard(checkpointId);
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
