// The JobManager actor: one per job. Asks the ResourceManager for slots (as many as the job's highest
// parallelism: slot sharing puts subtask i of every vertex in slot i), deploys every subtask once it
// holds them all, hands out input splits, and tracks the executions to the job's end: FINISHED when
// all finish, FAILED with the first cause (a task failure, a lost TaskManager, too few slots),
// CANCELED on request.
//
// It owns the slots it is granted (SlotsAllocated, one or more at a time): it releases them at their
// TaskManagers when the job ends, and the TaskManagers free them when it is lost. Each TaskManager's
// heartbeat reports the job's allocations and executions there, and each side repairs what a lost
// message left wrong (heartbeat-reconciliation.ts).
//
// Lifecycle: CREATED (waiting for slots) -> RUNNING -> FINISHED, or -> FAILING / CANCELLING (tasks
// being cancelled, until each is confirmed over or its TaskManager is lost) -> FAILED / CANCELED.
// With a restart strategy that allows it, a failure goes RUNNING -> RESTARTING instead: every task
// is cancelled, and once all are over (and the strategy's delay passed) each subtask runs again as
// a new attempt, in the slots still held plus replacements for those of lost TaskManagers, from the
// latest completed checkpoint (sources hand out again the splits assigned after it).
// The actor stops at a terminal status, after it released the job on every TaskManager it holds
// slots of.
//
// Checkpoints (job-checkpoints.ts): triggered every interval once the job is deployed, stopped by a
// failover or the job's end. The actor keeps the lifecycle and drives small collaborators for the
// rest: deployment (task-submission.ts), split requests (split-requests.ts), watermark and metrics
// requests (reading-requests.ts), and the job's details for the Dispatcher (job-details.ts).
import { type ActorContext, type ActorRef, AbstractBehavior, type Behavior, Behaviors, resume, supervise } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import { describeError } from '../../messages/errors.ts';
import { type JobId, type JobMasterId, newJobMasterId } from '../../messages/ids.ts';
import { type JobGraph, requiredSlots } from '../../messages/job-graph.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import { metricsReports } from './metrics.ts';
import type { JobCodeLoader } from '../taskmanager/job-code.ts';
import type { ErrorInfo, ExecutionState, JobStatus } from '../../messages/job-status.ts';
import { type ResourceManagerMsg, type SlotsAllocated, SlotsAllocatedSchema } from '../../messages/resource-manager.ts';
import { JobSlots, type SlotsInternal } from './job-slots.ts';
import type { AcknowledgeCheckpoint, DeclineCheckpoint } from '../../messages/checkpoint.ts';
import { type CompletedCheckpoint, readMetadata } from '../checkpoint/storage.ts';
import { CheckpointCoordinator, type ResolvedCheckpointing } from './checkpoint-coordinator.ts';
import { type CheckpointInternal, JobCheckpoints } from './job-checkpoints.ts';
import { receivedOnRestore, savepointMismatch } from './savepoint-restore.ts';
import type { RestartBackoff } from './restart-strategy.ts';
import type { JobUpdated } from './events.ts';
import { type Execution, ExecutionGraph } from './execution-graph.ts';
import { SplitAssigner } from './split-assigner.ts';
import { HeartbeatReconciliation } from './heartbeat-reconciliation.ts';
import { type DeployedInternal, TaskSubmission } from './task-submission.ts';
import { type EnumeratedSplitInternal, SplitRequests } from './split-requests.ts';
import { ReadingRequests, type ReadingsInternal } from './reading-requests.ts';
import { JobDetails } from './job-details.ts';

// Moved to the collaborators that use them; exported here still, where they were first.
export { SUBMIT_TASK_TIMEOUT_MS } from './task-submission.ts';
export { MISSING_REPORTS_TO_FAIL } from './heartbeat-reconciliation.ts';
export { SLOT_ANSWER_GRACE_MS } from './job-slots.ts';

export interface JobManagerOptions {
  readonly jobId: JobId;
  readonly graph: JobGraph;
  readonly bundle: string;
  readonly bundleHash: string;
  readonly args: readonly string[];
  readonly planParallelism?: number;
  readonly resourceManager: ActorRef<ResourceManagerMsg>;
  readonly events: ActorRef<JobUpdated>;
  readonly slotRequestTimeoutMs: number;
  /** Loads the job's plan for its split enumerators (fromSource); without one such a job fails. */
  readonly jobCode?: JobCodeLoader;
  /** How long a split request waits for a pending enumerator; default SPLIT_POLL_MS. */
  readonly splitPollMs?: number;
  /** The job's checkpointing, every default applied; absent: the job does not checkpoint. */
  readonly checkpointing?: ResolvedCheckpointing;
  /** Decides whether, and when, a failed job runs again (one per job); absent: never (the job fails). */
  readonly restart?: RestartBackoff;
  /** `weir run -s`: the savepoint (or retained checkpoint) the job starts from. */
  readonly restoreFrom?: { readonly path: string; readonly allowNonRestoredState: boolean };
  /** Where a savepoint goes when its request names no directory (state.savepoints.dir). */
  readonly savepointsDirectory?: string;
}


type Internal =
  | { readonly type: 'Restart' }
  | { readonly type: 'StopAfterSavepoint' }
  | { readonly type: 'SavepointRead'; readonly result: Result<CompletedCheckpoint> }
  // Checkpoints failed beyond the tolerable number (from JobCheckpoints, on this actor's turn).
  | { readonly type: 'CheckpointsFailed'; readonly cause: ErrorInfo };

type Msg = JobManagerMsg | Internal | SlotsInternal | CheckpointInternal | DeployedInternal | EnumeratedSplitInternal | ReadingsInternal;

export function jobManager(options: JobManagerOptions): Behavior<JobManagerMsg> {
  // resume: a handler that throws drops its message and the job goes on (what it deploys is checked
  // first, see onSlots). A restart would ask for slots again under a new JobMasterId while the first
  // deployment still holds its slots and runs. A failure in setup stops the actor all the same
  // (nothing to resume): the Dispatcher, which watches it, fails the job.
  return supervise(Behaviors.setup<Msg>((ctx) => new JobManager(ctx, options)), resume()) as unknown as Behavior<JobManagerMsg>;
}

class JobManager extends AbstractBehavior<Msg> {
  private status: JobStatus = 'CREATED';
  private cause: ErrorInfo | undefined;
  private readonly executions: ExecutionGraph;
  private readonly splits: SplitAssigner;
  private readonly splitRequests: SplitRequests;
  private readonly jobMasterId: JobMasterId = newJobMasterId();
  /** Held and requested: subtask i of every vertex runs in slot i. */
  private readonly slots: JobSlots;
  /** Checkpointing, when the job checkpoints. */
  private readonly checkpoints: JobCheckpoints | undefined;
  /** RESTARTING: the restart delay, and whether the restart is scheduled (once every task is over and the delay passed). */
  private restartDelayMs = 0;
  /** RESTARTING: when the failure was handled; the delay runs from then, while tasks are cancelled (as Flink's scheduler). */
  private restartRequestedAt = 0;
  private restartScheduled = false;
  /** RESTARTING: the redeployment waits for replacement slots. */
  private awaitingSlots = false;
  /**
   * RESTARTING: replacements for the slots of lost TaskManagers are requested (at the failure, not
   * once the restart delay passed, so that they are there when it ends) and not all granted yet.
   */
  private replacing = false;
  /** Restarts so far (the attempt number of the current executions). */
  private restarts = 0;
  /** Deployed at least once: its tasks are what a winding-down job waits for (its slots may all be lost by then). */
  private deployed = false;
  /** `weir stop`: the job is being cancelled after its savepoint and ends FINISHED. */
  private stopping = false;
  /** The savepoint the job starts from: undefined while it is read, null when there is none. */
  private initialRestore: CompletedCheckpoint | null | undefined = null;
  private readonly heartbeats: HeartbeatReconciliation;
  private readonly submission: TaskSubmission;
  private readonly readings: ReadingRequests;
  private readonly details: JobDetails;

  constructor(
    ctx: ActorContext<Msg>,
    private readonly options: JobManagerOptions,
  ) {
    super(ctx);
    this.executions = new ExecutionGraph(options.graph);
    this.splits = new SplitAssigner(options.graph);
    this.splitRequests = new SplitRequests(ctx as unknown as ActorContext<EnumeratedSplitInternal>, { ...options, jobMasterId: this.jobMasterId }, this.executions, this.splits);
    if (options.checkpointing) {
      const coordinator = new CheckpointCoordinator(options.jobId, options.checkpointing);
      this.checkpoints = new JobCheckpoints(ctx as unknown as ActorContext<CheckpointInternal>, coordinator, {
        graph: options.graph,
        executions: () => this.executions.executions,
        taskManagerOf: (execution) => execution.slot?.taskManager,
        fail: (cause) => this.context.self.tell({ type: 'CheckpointsFailed', cause }),
        stop: () => this.context.self.tell({ type: 'StopAfterSavepoint' }),
        changed: () => this.details.publish(),
        receivedSplits: (vertexId, subtaskIndex, count) => this.splits.received(vertexId, subtaskIndex, count),
        receivedSplitPayloads: (vertexId, subtaskIndex, count) =>
          options.graph.vertices.find((vertex) => vertex.id === vertexId)?.enumeratedSplits ? this.splits.receivedPayloads(vertexId, subtaskIndex, count) : undefined,
        plannedSplits: () => this.splits.plannedSplits(),
      });
    }
    this.heartbeats = new HeartbeatReconciliation({
      jobId: options.jobId,
      executionsOn: (resourceId) => this.executions.onTaskManager(resourceId),
      allocationsOn: (resourceId) => this.slots.allocationsOn(resourceId),
      windingDown: () => this.status === 'FAILING' || this.status === 'CANCELLING' || this.status === 'RESTARTING',
      applyState: (execution, state, error) => this.applyState(execution.attemptId, state, error) === this,
      taskFailed: (execution, error) => this.taskFailed(execution, error) === this,
    });
    this.submission = new TaskSubmission(ctx as unknown as ActorContext<DeployedInternal>, {
      ...options,
      jobMasterId: this.jobMasterId,
      jobManager: ctx.self as ActorRef<JobManagerMsg>,
      checkpointDirectory: options.checkpointing?.jobDirectory,
      allowNonRestoredState: options.restoreFrom?.allowNonRestoredState === true,
      finalCheckpoint: (options.checkpointing?.intervalMs ?? 0) > 0,
    }, this.executions);
    this.readings = new ReadingRequests(ctx as unknown as ActorContext<ReadingsInternal>, options.jobId, () => this.executions.executions);
    if (options.restoreFrom) {
      this.initialRestore = undefined;
      ctx.pipeToSelf(readMetadata(options.restoreFrom.path), (result) => ({ type: 'SavepointRead', result }));
    }
    this.slots = new JobSlots(ctx as unknown as ActorContext<SlotsInternal>, options.jobId, options.resourceManager, options.slotRequestTimeoutMs, ctx.self as ActorRef<JobManagerMsg>);
    this.details = new JobDetails(options.events, { jobId: options.jobId, status: () => this.status, cause: () => this.cause, restarts: () => this.restarts }, this.executions, this.slots.wait, this.checkpoints);
    this.details.publish();
    this.slots.request(requiredSlots(options.graph));
  }

  onMessage(msg: Msg): Behavior<Msg> {
    switch (msg.type) {
      case 'SlotsAllocated':
        return this.onSlots(msg);
      case 'SlotRequestFailed':
        return this.noSlots(msg.reason, ` (after: ${this.cause?.message ?? 'a failure'})`);
      case 'SlotAnswerTimedOut':
        return this.noSlots('the ResourceManager did not answer', '');
      case 'TaskManagerHeartbeat':
        // Repairs this JobManager's view from the TaskManager's report, then tells it what is held
        // there; a repair that ended the job (end() stops the actor): the TaskManager is told by its ReleaseJob.
        return this.heartbeats.reconcile(msg) ? this : Behaviors.stopped;
      case 'Deployed':
        // An answer for an attempt a restart replaced (a late refusal, an ask that timed out) is not this run's.
        if (this.executions.get(msg.execution.attemptId) !== msg.execution) return this;
        if (msg.result.ok && msg.result.value.type === 'TaskSubmitted') return this;
        return this.taskFailed(msg.execution, {
          name: 'DeploymentFailed',
          message: msg.result.ok ? (msg.result.value.type === 'TaskSubmissionFailed' ? msg.result.value.reason : 'refused') : describeError(msg.result.error),
        });
      case 'UpdateTaskExecutionState':
        if (msg.jobMasterId !== this.jobMasterId) return this; // from an older deployment: fenced off
        if (msg.metrics) {
          const execution = this.executions.get(msg.executionAttemptId);
          if (execution) execution.finalMetrics = msg.metrics;
        }
        return this.applyState(msg.executionAttemptId, msg.state, msg.error);
      case 'RequestNextInputSplit':
        this.splitRequests.next(msg);
        return this;
      case 'EnumeratedSplit': {
        const failure = this.splitRequests.onEnumerated(msg);
        return failure ? this.fail(failure) : this;
      }
      case 'RequestJobBundle':
        if (msg.bundleHash === this.options.bundleHash) msg.replyTo.tell({ type: 'JobBundle', bundleHash: msg.bundleHash, code: this.options.bundle });
        return this;
      case 'CancelJobExecution':
        return this.cancel();
      case 'RequestJobWatermarks':
        this.readings.requestWatermarks(msg.replyTo);
        return this;
      case 'RequestJobMetrics':
        this.readings.requestMetrics(msg.replyTo);
        return this;
      case 'MetricsGathered':
      case 'WatermarksGathered':
        this.readings.onMessage(msg);
        return this;
      case 'TaskManagerLost': {
        const message = `TaskManager ${msg.resourceId} (${msg.path}) was lost`;
        for (const execution of this.executions.onTaskManager(msg.resourceId)) {
          if (execution.slot?.taskManager.path !== msg.path) continue;
          this.executions.update(execution.attemptId, 'FAILED', { name: 'TaskManagerLost', message });
        }
        // Its slots are gone with it: a restart asks for others (one waiting for replacements asks for these too).
        const lost = this.slots.lost(msg.path);
        if (this.replacing && lost > 0) this.slots.requestMore(lost);
        else if (this.status === 'RESTARTING') this.requestReplacements();
        return this.fail({ name: 'TaskManagerLost', message });
      }
      case 'AcknowledgeCheckpoint':
      case 'DeclineCheckpoint':
        return this.onCheckpointMessage(msg);
      case 'CheckpointTick':
      case 'CheckpointExpired':
      case 'CheckpointStored':
        this.checkpoints?.onMessage(msg);
        return this;
      case 'CheckpointsFailed':
        return this.fail(msg.cause);
      case 'SlotWaitTick':
        this.slots.wait.tick();
        return this;
      case 'ClusterOverview':
        if (this.slots.wait.observed(msg, this.slots.held.length)) this.details.publish();
        return this;
      case 'Restart':
        this.restartScheduled = false;
        return this.status === 'RESTARTING' ? this.redeploy() : this;
      case 'TriggerSavepoint': {
        const { jobId } = this.options;
        const targetDirectory = msg.targetDirectory ?? this.options.savepointsDirectory;
        if (this.status !== 'RUNNING' || !this.checkpoints) {
          const why = this.checkpoints ? `job ${jobId} is ${this.status}` : `job ${jobId} has no checkpoint directory (state.checkpoints.dir) to write it through`;
          msg.replyTo.tell({ type: 'SavepointFailed', jobId, reason: why });
        } else if (targetDirectory === undefined) {
          msg.replyTo.tell({ type: 'SavepointFailed', jobId, reason: 'no target directory: name one, or set state.savepoints.dir in weir.yaml' });
        } else this.checkpoints.triggerSavepoint({ targetDirectory, stop: msg.stop, drain: msg.drain === true, replyTo: msg.replyTo });
        return this;
      }
      case 'StopAfterSavepoint':
        // A failure handled before this message made the job RESTARTING: it stops all the same (the
        // client was told the savepoint exists and that the job stops).
        if (this.status === 'RESTARTING') {
          this.stopping = true;
          return this.cancel();
        }
        if (this.status !== 'RUNNING') return this;
        this.stopping = true;
        this.status = 'CANCELLING';
        this.checkpoints?.stop('the job stops after its savepoint');
        return this.cancelExecutions();
      case 'SavepointRead':
        return this.onSavepointRead(msg.result);
      default:
        // Another protocol's message (the compiler proves ours are all handled): logged and dropped.
        msg satisfies never;
        return Behaviors.unhandled;
    }
  }

  /** The ResourceManager refused the slot request, or never answered: a job still waiting for slots ends. */
  private noSlots(reason: string, afterCause: string): Behavior<Msg> {
    // A withdrawn request's answer: a deployed job ends once its tasks are over (checkCompletion).
    if (this.status === 'CANCELLING') return this.deployed ? this.checkCompletion() : this.end('CANCELED');
    const { jobId } = this.options;
    if (this.status === 'RESTARTING' && this.replacing) {
      this.replacing = false;
      this.slots.answered();
      if (!this.awaitingSlots) {
        // Asked for during the restart delay, while tasks may still be cancelling: the
        // redeployment asks again once the delay passed, with the whole slot request timeout.
        this.context.log.info(`job ${jobId}: no replacement slots yet (${reason}); asking again when the restart is due`);
        return this;
      }
      // The redeployment's own request (every task is over): the restart cannot happen.
      this.cause = { name: 'NoResourceAvailable', message: `could not get slots to restart job ${jobId}${afterCause}: ${reason}` };
      return this.end('FAILED');
    }
    if (this.status !== 'CREATED') return this;
    this.cause = { name: 'NoResourceAvailable', message: `could not get slots for job ${jobId}: ${reason}` };
    return this.end('FAILED');
  }

  private onSlots(msg: SlotsAllocated): Behavior<Msg> {
    // Slots this JobManager cannot deploy into (a ResourceManager's bug): the job fails, and their
    // TaskManagers free them when it is gone.
    const malformed = SlotsAllocatedSchema.explain(msg, 'SlotsAllocated');
    if (malformed) {
      if (this.status !== 'CREATED' && this.status !== 'CANCELLING' && !this.replacing) return this;
      this.cause = { name: 'NoResourceAvailable', message: `the ResourceManager granted slots job ${this.options.jobId} cannot use: ${malformed}` };
      return this.end('FAILED');
    }
    // Granted after the job deployed or ended: not held (not listed in heartbeats), so its TaskManager frees it.
    if (this.status !== 'CREATED' && this.status !== 'CANCELLING' && !this.replacing) return this;
    // Held from now on: end() releases them.
    this.slots.add(msg.slots);
    // Granted during the restart delay (one grant per slot): each TaskManager loads the code meanwhile.
    if (this.replacing && !this.awaitingSlots) {
      const { jobId, bundleHash, args, planParallelism } = this.options;
      this.slots.prepareJob(msg.slots, { jobId, bundleHash, jobArgs: args, ...(planParallelism !== undefined ? { planParallelism } : {}), jobManager: this.context.self as ActorRef<JobManagerMsg> });
    }
    if (this.slots.held.length < requiredSlots(this.options.graph)) return this;
    this.slots.wait.end();
    if (this.replacing) {
      this.replacing = false;
      this.slots.answered();
      return this.awaitingSlots ? this.redeploy() : this;
    }
    if (this.status !== 'CREATED' || this.initialRestore === undefined) return this; // the savepoint is still being read
    this.slots.answered();
    this.deploy(this.initialRestore);
    return this;
  }

  /** A reported state, from an update or a heartbeat: applied unless it is not newer than what is known. */
  private applyState(attemptId: Execution['attemptId'], state: ExecutionState, error?: ErrorInfo): Behavior<Msg> {
    const execution = this.executions.get(attemptId);
    if (!execution || !this.executions.update(attemptId, state, error)) return this;
    if (state === 'FAILED') return this.taskFailed(execution, error ?? { name: 'TaskFailed', message: 'no cause reported' });
    if (state === 'FINISHED' && this.status === 'RUNNING') this.checkpoints?.taskFinished(execution);
    if (state === 'RUNNING' && this.status === 'RUNNING') this.checkpoints?.taskRunning();
    this.details.publish();
    return this.checkCompletion();
  }

  /** Deploys every current execution, each from its part of `restore` when given. */
  private deploy(restore: CompletedCheckpoint | null = null): void {
    this.status = 'RUNNING';
    this.deployed = true;
    this.submission.submitAll(this.slots.held, restore);
    this.checkpoints?.start();
    this.details.publish();
  }

  /**
   * RESTARTING, every task over: the executions run again as new attempts from the latest completed
   * checkpoint, once the job holds enough slots (those of lost TaskManagers are replaced first).
   */
  private redeploy(): Behavior<Msg> {
    if (requiredSlots(this.options.graph) > this.slots.held.length) {
      this.awaitingSlots = true;
      this.requestReplacements();
      return this;
    }
    this.awaitingSlots = false;
    this.restarts++;
    const latest = this.checkpoints?.coordinator.latest ?? null;
    this.executions.restartAll();
    this.heartbeats.restarted();
    this.splits.restore(receivedOnRestore(latest, this.options.graph));
    this.context.log.info(`job ${this.options.jobId} restarts (attempt ${this.restarts}) from ${latest ? `checkpoint ${latest.metadata.checkpointId}` : 'the beginning: no checkpoint completed'}`);
    this.deploy(latest);
    return this;
  }

  /** From the current attempts only (the coordinator knows them); another deployment's are fenced off. */
  private onCheckpointMessage(msg: AcknowledgeCheckpoint | DeclineCheckpoint): Behavior<Msg> {
    if (msg.jobMasterId !== this.jobMasterId || !this.checkpoints || this.status !== 'RUNNING') return this;
    if (msg.type === 'AcknowledgeCheckpoint') this.checkpoints.acknowledge(msg);
    else this.checkpoints.decline(msg);
    return this;
  }

  private taskFailed(execution: Execution, error: ErrorInfo): Behavior<Msg> {
    this.executions.update(execution.attemptId, 'FAILED', error);
    const { vertex, subtaskIndex } = execution;
    const where = `${vertex.name} (${subtaskIndex + 1}/${vertex.parallelism})`;
    return this.fail({ ...error, message: error.message.startsWith(vertex.name) ? error.message : `${where} failed: ${error.message}` });
  }

  /**
   * The first failure is the job's cause; the other tasks are cancelled, then the job is FAILED, or,
   * when the restart strategy allows, RESTARTING.
   */
  private fail(cause: ErrorInfo): Behavior<Msg> {
    if (this.status !== 'RUNNING' && this.status !== 'CREATED') {
      this.details.publish();
      return this.checkCompletion();
    }
    const backoff = this.options.restart;
    if (this.status === 'RUNNING' && backoff) {
      backoff.notifyFailure();
      if (backoff.canRestart()) return this.restart(cause, backoff.delayMs());
      cause = { ...cause, message: `${cause.message} (no restart: ${backoff.exhausted()})` };
    }
    this.checkpoints?.stop('the job is failing');
    this.cause = cause;
    this.context.log.warn(`job ${this.options.jobId} is failing: ${cause.message}`);
    if (this.status === 'CREATED') {
      // Nothing deployed yet (a TaskManager holding one of its slots was lost): withdraw the request and end.
      this.slots.cancelRequest();
      return this.end('FAILED');
    }
    this.status = 'FAILING';
    return this.cancelExecutions();
  }

  private cancel(): Behavior<Msg> {
    if (this.status === 'RESTARTING') {
      // Every task is over or being cancelled already: no restart, the job ends CANCELED.
      this.status = 'CANCELLING';
      this.context.timers.cancel('restart');
      this.awaitingSlots = false;
      if (this.replacing) {
        this.replacing = false;
        this.slots.answered();
        this.slots.cancelRequest();
      }
      this.details.publish();
      return this.executions.allTerminal ? this.end(this.stopping ? 'FINISHED' : 'CANCELED') : this;
    }
    if (this.status === 'CREATED') {
      this.status = 'CANCELLING';
      this.slots.cancelRequest();
      this.details.publish();
      return this;
    }
    if (this.status !== 'RUNNING') return this;
    this.status = 'CANCELLING';
    return this.cancelExecutions();
  }

  /** A failover: every task is cancelled; once all are over (checkCompletion) the restart waits `delayMs`, then redeploys. */
  private restart(cause: ErrorInfo, delayMs: number): Behavior<Msg> {
    this.status = 'RESTARTING';
    this.cause = cause;
    this.restartDelayMs = delayMs;
    this.restartRequestedAt = this.context.system.scheduler.now();
    this.context.log.warn(`job ${this.options.jobId} failed and restarts in ${delayMs} ms: ${cause.message}`);
    this.checkpoints?.stop('the job is restarting');
    this.requestReplacements();
    return this.cancelExecutions();
  }

  /** RESTARTING: asks for the slots the job lacks (those of lost TaskManagers), once. */
  private requestReplacements(): void {
    const missing = requiredSlots(this.options.graph) - this.slots.held.length;
    if (missing <= 0 || this.replacing) return;
    this.replacing = true;
    this.context.log.info(`job ${this.options.jobId} asks for ${missing} slot(s) to replace those of lost TaskManagers`);
    this.slots.request(missing);
  }

  private cancelExecutions(): Behavior<Msg> {
    for (const execution of this.executions.nonTerminal()) {
      execution.slot?.taskManager.tell({ type: 'CancelTask', executionAttemptId: execution.attemptId });
    }
    this.details.publish();
    return this.checkCompletion();
  }

  /** The savepoint a job starts from: it must fit the job (its vertices, unless allowed; at another parallelism, its state rescales). */
  private onSavepointRead(result: Result<CompletedCheckpoint>): Behavior<Msg> {
    if (this.status !== 'CREATED') return this;
    const { restoreFrom, graph, jobId } = this.options;
    const problem = result.ok ? savepointMismatch(result.value, graph, restoreFrom?.allowNonRestoredState === true) : describeError(result.error);
    if (problem !== undefined || !result.ok) {
      this.cause = { name: 'RestoreFailed', message: `job ${jobId} cannot start from ${restoreFrom?.path}: ${problem}` };
      this.slots.cancelRequest();
      return this.end('FAILED');
    }
    const restored = result.value;
    this.initialRestore = restored;
    this.checkpoints?.coordinator.restoredFrom(restored);
    this.splitRequests.restoredFrom(restored);
    this.context.log.info(`job ${jobId} starts from ${restored.directory} (checkpoint ${restored.metadata.checkpointId})`);
    if (this.slots.held.length < requiredSlots(graph)) return this;
    this.slots.answered();
    this.deploy(restored);
    return this;
  }

  private checkCompletion(): Behavior<Msg> {
    if (this.status === 'RUNNING' && this.executions.allFinished) return this.end('FINISHED');
    if (this.status === 'RESTARTING' && this.executions.allTerminal && !this.restartScheduled && !this.awaitingSlots) {
      this.restartScheduled = true;
      const waited = this.context.system.scheduler.now() - this.restartRequestedAt;
      this.context.timers.startSingleTimer('restart', { type: 'Restart' }, Math.max(0, this.restartDelayMs - waited));
      return this;
    }
    // Before its first deployment a winding-down job waits for the ResourceManager's answer instead.
    if ((this.status === 'FAILING' || this.status === 'CANCELLING') && this.deployed && this.executions.allTerminal) {
      return this.end(this.status === 'FAILING' ? 'FAILED' : this.stopping ? 'FINISHED' : 'CANCELED');
    }
    return this;
  }

  private end(status: JobStatus): Behavior<Msg> {
    this.status = status;
    this.checkpoints?.jobEnded(status);
    this.context.timers.cancelAll();
    const { jobId } = this.options;
    this.slots.release(`job ${status}`);
    const finalMetrics = metricsReports(this.executions.executions, []);
    this.readings.jobEnded(finalMetrics);
    this.context.log.info(`job ${jobId} ${status}${this.cause ? `: ${this.cause.message}` : ''}`);
    this.splitRequests.jobEnded();
    this.details.publish(finalMetrics);
    return Behaviors.stopped;
  }
}
