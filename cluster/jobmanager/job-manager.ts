// The JobManager actor: one per job. Asks the ResourceManager for slots (as many as the job's highest
// parallelism: slot sharing puts subtask i of every vertex in slot i), deploys every subtask once it
// holds them all, hands out input splits, and tracks the executions to the job's end: FINISHED when
// all finish, FAILED with the first cause (a task failure, a lost TaskManager, too few slots),
// CANCELED on request.
//
// It owns the slots it is granted (SlotsAllocated, one or more at a time): it releases them at their
// TaskManagers when the job ends, and the TaskManagers free them when it is lost. Each TaskManager's
// heartbeat reports the job's allocations and executions there; the answer lists what this
// JobManager holds there, so each side repairs what a lost message left wrong: a final state that
// never came is taken from the report, a CancelTask is sent again, a task the TaskManager no longer
// has (missing from two reports in a row) fails.
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
// failover or the job's end.
import { type ActorContext, type ActorRef, AbstractBehavior, type Behavior, Behaviors, type TimerScheduler, resume, supervise } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import { describeError } from '../../messages/errors.ts';
import { type JobId, type JobMasterId, type ResourceId, newJobMasterId } from '../../messages/ids.ts';
import { type JobGraph, requiredSlots } from '../../messages/job-graph.ts';
import type { JobWatermarksReply } from '../../messages/dispatcher.ts';
import type { JobManagerMsg, NextInputSplit, RequestNextInputSplit, TaskManagerHeartbeat } from '../../messages/job-manager.ts';
import type { TaskWatermarkReading } from '../../messages/watermarks.ts';
import type { JobMetricsReply, SubtaskMetricsReport, TaskMetricsReading } from '../../messages/metrics.ts';
import type { JobPlan } from '../../api/runtime/subtask.ts';
import type { JobCodeLoader } from '../taskmanager/job-code.ts';
import { type ErrorInfo, type ExecutionState, type JobStatus, isTerminalExecutionState } from '../../messages/job-status.ts';
import { type AllocatedSlot, type ClusterOverview, type ResourceManagerMsg, type SlotsAllocated, SlotsAllocatedSchema } from '../../messages/resource-manager.ts';
import { SlotWaitReport, type SlotWaitTick } from './slot-wait.ts';
import type { SubmitTaskReply, TaskManagerMsg } from '../../messages/task-manager.ts';
import type { AcknowledgeCheckpoint, DeclineCheckpoint } from '../../messages/checkpoint.ts';
import type { TaskCheckpointing } from '../../messages/task-manager.ts';
import { type CompletedCheckpoint, readMetadata } from '../checkpoint/storage.ts';
import { CheckpointCoordinator, type ResolvedCheckpointing } from './checkpoint-coordinator.ts';
import { type CheckpointInternal, JobCheckpoints } from './job-checkpoints.ts';
import { RestoredSplits, receivedOnRestore, restoreOf, savepointMismatch } from './savepoint-restore.ts';
import type { RestartBackoff } from './restart-strategy.ts';
import type { JobUpdated } from './events.ts';
import { DEFAULT_BUFFER_TIMEOUT_MS, subtaskIo } from './deployment.ts';
import { type Execution, ExecutionGraph } from './execution-graph.ts';
import { SplitAssigner } from './split-assigner.ts';
import { gatherWatermarks, watermarkReports } from './watermarks.ts';
import { gatherMetrics, metricsReports } from './metrics.ts';
import { type EnumeratedSplit, SplitEnumerators } from './split-enumerators.ts';

/** How long a TaskManager has to accept a deployed task. */
export const SUBMIT_TASK_TIMEOUT_MS = 30_000;
/** How much longer than its slot request's timeout the job waits for the ResourceManager's answer. */
export const SLOT_ANSWER_GRACE_MS = 5_000;
/** Heartbeats in a row from a TaskManager without a task deployed there before that task fails as lost. */
export const MISSING_REPORTS_TO_FAIL = 2;

/** Execution states in the order a task goes through them: a report never takes one back. */
const STATE_ORDER: readonly ExecutionState[] = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'CANCELING'];

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
  | { readonly type: 'SlotAnswerTimedOut' }
  | { readonly type: 'Deployed'; readonly execution: Execution; readonly result: Result<SubmitTaskReply> }
  | { readonly type: 'TaskManagerLost'; readonly resourceId: ResourceId; readonly path: string }
  | { readonly type: 'EnumeratedSplit'; readonly result: Result<EnumeratedSplit>; readonly execution: Execution; readonly replyTo: ActorRef<NextInputSplit> }
  | { readonly type: 'WatermarksGathered'; readonly readings: readonly TaskWatermarkReading[]; readonly replyTo: ActorRef<JobWatermarksReply> }
  | { readonly type: 'MetricsGathered'; readonly readings: readonly TaskMetricsReading[]; readonly replyTo: ActorRef<JobMetricsReply> }
  | { readonly type: 'Restart' }
  | { readonly type: 'StopAfterSavepoint' }
  | { readonly type: 'SavepointRead'; readonly result: Result<CompletedCheckpoint> }
  // Checkpoints failed beyond the tolerable number (from JobCheckpoints, on this actor's turn).
  | { readonly type: 'CheckpointsFailed'; readonly cause: ErrorInfo }
  // While waiting for slots: the refresh, and the ResourceManager's answer to it.
  | SlotWaitTick
  | ClusterOverview;

type Msg = JobManagerMsg | Internal | CheckpointInternal;

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
  private readonly enumerators: SplitEnumerators;
  private readonly jobMasterId: JobMasterId = newJobMasterId();
  /** Granted by the ResourceManager, in the order granted: subtask i of every vertex runs in slot i. */
  private slots: AllocatedSlot[] = [];
  /** Checkpointing, when the job checkpoints. */
  private readonly checkpoints: JobCheckpoints | undefined;
  /** RESTARTING: how long to wait once every task is over, and whether that wait has begun. */
  private restartDelayMs = 0;
  private restartScheduled = false;
  /** RESTARTING: the redeployment waits for replacement slots. */
  private awaitingSlots = false;
  /** While slots are missing: what the job's details say about the wait. */
  private readonly slotWait: SlotWaitReport;
  /** Restarts so far (the attempt number of the current executions). */
  private restarts = 0;
  /** Deployed at least once: its tasks are what a winding-down job waits for (its slots may all be lost by then). */
  private deployed = false;
  /** `weir stop`: the job is being cancelled after its savepoint and ends FINISHED. */
  private stopping = false;
  /** Started from a savepoint: the splits its restored readers already have (RestoredSplits). */
  private restoredSplits: RestoredSplits | undefined;
  /** The savepoint the job starts from: undefined while it is read, null when there is none. */
  private initialRestore: CompletedCheckpoint | null | undefined = null;
  /** Per deployed execution, the heartbeats in a row from its TaskManager that did not report it. */
  private readonly missingReports = new Map<Execution, number>();
  /** Clients waiting for the job's watermarks. */
  private readonly watermarkRequests = new Set<ActorRef<JobWatermarksReply>>();
  /** Clients waiting for the job's metrics. */
  private readonly metricsRequests = new Set<ActorRef<JobMetricsReply>>();

  constructor(
    ctx: ActorContext<Msg>,
    private readonly options: JobManagerOptions,
  ) {
    super(ctx);
    this.executions = new ExecutionGraph(options.graph);
    this.splits = new SplitAssigner(options.graph);
    this.enumerators = new SplitEnumerators(() => this.loadPlan(), options.splitPollMs);
    if (options.checkpointing) {
      const coordinator = new CheckpointCoordinator(options.jobId, options.checkpointing);
      this.checkpoints = new JobCheckpoints(ctx as unknown as ActorContext<CheckpointInternal>, coordinator, {
        graph: options.graph,
        executions: () => this.executions.executions,
        taskManagerOf: (execution) => execution.slot?.taskManager,
        fail: (cause) => this.context.self.tell({ type: 'CheckpointsFailed', cause }),
        stop: () => this.context.self.tell({ type: 'StopAfterSavepoint' }),
        changed: () => this.publish(),
        receivedSplits: (vertexId, subtaskIndex, count) => this.splits.received(vertexId, subtaskIndex, count),
        receivedSplitPayloads: (vertexId, subtaskIndex, count) =>
          options.graph.vertices.find((vertex) => vertex.id === vertexId)?.enumeratedSplits ? this.splits.receivedPayloads(vertexId, subtaskIndex, count) : undefined,
        plannedSplits: () => this.splits.plannedSplits(),
      });
    }
    if (options.restoreFrom) {
      this.initialRestore = undefined;
      ctx.pipeToSelf(readMetadata(options.restoreFrom.path), (result) => ({ type: 'SavepointRead', result }));
    }
    this.slotWait = new SlotWaitReport(ctx.timers as unknown as TimerScheduler<SlotWaitTick>, options.resourceManager, ctx.self as ActorRef<ClusterOverview>, options.slotRequestTimeoutMs);
    this.publish();
    const count = requiredSlots(options.graph);
    options.resourceManager.tell({
      type: 'RequestSlots',
      jobId: options.jobId,
      count,
      timeoutMs: options.slotRequestTimeoutMs,
      jobManager: ctx.self as ActorRef<JobManagerMsg>,
    });
    // The ResourceManager answers at the request's timeout; should that answer be lost, this ends the wait.
    ctx.timers.startSingleTimer('slot-answer', { type: 'SlotAnswerTimedOut' }, options.slotRequestTimeoutMs + SLOT_ANSWER_GRACE_MS);
    this.slotWait.begin(count, 0);
  }

  onMessage(msg: Msg): Behavior<Msg> {
    switch (msg.type) {
      case 'SlotsAllocated':
        return this.onSlots(msg);
      case 'SlotRequestFailed':
        if (this.status === 'CANCELLING') return this.end('CANCELED');
        if (this.status === 'RESTARTING' && this.awaitingSlots) {
          this.cause = { name: 'NoResourceAvailable', message: `could not get slots to restart job ${this.options.jobId} (after: ${this.cause?.message ?? 'a failure'}): ${msg.reason}` };
          return this.end('FAILED');
        }
        if (this.status !== 'CREATED') return this;
        this.cause = { name: 'NoResourceAvailable', message: `could not get slots for job ${this.options.jobId}: ${msg.reason}` };
        return this.end('FAILED');
      case 'SlotAnswerTimedOut':
        if (this.status === 'CANCELLING') return this.end('CANCELED');
        if (this.status === 'RESTARTING' && this.awaitingSlots) {
          this.cause = { name: 'NoResourceAvailable', message: `could not get slots to restart job ${this.options.jobId}: the ResourceManager did not answer` };
          return this.end('FAILED');
        }
        if (this.status !== 'CREATED') return this;
        this.cause = { name: 'NoResourceAvailable', message: `could not get slots for job ${this.options.jobId}: the ResourceManager did not answer` };
        return this.end('FAILED');
      case 'TaskManagerHeartbeat':
        return this.onTaskManagerHeartbeat(msg);
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
        return this.nextSplit(msg);
      case 'EnumeratedSplit': {
        if (!msg.result.ok) return this.fail({ name: 'SplitEnumeratorFailed', message: describeError(msg.result.error) });
        const split = msg.result.value;
        const { vertex, subtaskIndex, attemptId } = msg.execution;
        if (split !== null && split !== 'retry' && this.restoredSplits?.take(vertex.id, split.payload) === true) {
          // A restored reader already has this one (the job started from a savepoint): ask again.
          const answer = this.enumerators.next(vertex, subtaskIndex);
          this.context.pipeToSelf(answer, (result) => ({ type: 'EnumeratedSplit', result, execution: msg.execution, replyTo: msg.replyTo }));
          return this;
        }
        if (split !== null && split !== 'retry') {
          // Recorded for the subtask it goes to (a restart gives back what its snapshot lacks); an
          // answer for an attempt a restart replaced goes back at once, for the next request.
          if (this.executions.get(attemptId) === msg.execution) this.splits.record(vertex.id, subtaskIndex, split);
          else this.splits.giveBack(vertex.id, split);
        }
        msg.replyTo.tell(split === 'retry' ? { type: 'NextInputSplit', split: null, retry: true } : { type: 'NextInputSplit', split });
        return this;
      }
      case 'RequestJobBundle':
        if (msg.bundleHash === this.options.bundleHash) msg.replyTo.tell({ type: 'JobBundle', bundleHash: msg.bundleHash, code: this.options.bundle });
        return this;
      case 'CancelJobExecution':
        return this.cancel();
      case 'RequestJobWatermarks': {
        // Answered from WatermarksGathered, or by end() if the job ends first.
        this.watermarkRequests.add(msg.replyTo);
        const gathered = gatherWatermarks(this.options.jobId, this.executions.executions);
        this.context.pipeToSelf(gathered, (result) => ({ type: 'WatermarksGathered', readings: result.ok ? result.value : [], replyTo: msg.replyTo }));
        return this;
      }
      case 'RequestJobMetrics': {
        // Answered from MetricsGathered, or by end() if the job ends first.
        this.metricsRequests.add(msg.replyTo);
        const gathered = gatherMetrics(this.options.jobId, this.executions.executions);
        this.context.pipeToSelf(gathered, (result) => ({ type: 'MetricsGathered', readings: result.ok ? result.value : [], replyTo: msg.replyTo }));
        return this;
      }
      case 'MetricsGathered':
        this.metricsRequests.delete(msg.replyTo);
        msg.replyTo.tell({ type: 'JobMetrics', jobId: this.options.jobId, subtasks: metricsReports(this.executions.executions, msg.readings) });
        return this;
      case 'WatermarksGathered':
        this.watermarkRequests.delete(msg.replyTo);
        msg.replyTo.tell({ type: 'JobWatermarks', jobId: this.options.jobId, subtasks: watermarkReports(this.executions.executions, msg.readings) });
        return this;
      case 'TaskManagerLost': {
        const message = `TaskManager ${msg.resourceId} (${msg.path}) was lost`;
        for (const execution of this.executions.onTaskManager(msg.resourceId)) {
          if (execution.slot?.taskManager.path !== msg.path) continue;
          this.executions.update(execution.attemptId, 'FAILED', { name: 'TaskManagerLost', message });
        }
        // Its slots are gone with it: a restart asks for others (one waiting for replacements asks for these too).
        const held = this.slots.length;
        this.slots = this.slots.filter((slot) => slot.taskManager.path !== msg.path);
        if (this.awaitingSlots && this.slots.length < held) {
          const { jobId, slotRequestTimeoutMs } = this.options;
          this.options.resourceManager.tell({ type: 'RequestSlots', jobId, count: held - this.slots.length, timeoutMs: slotRequestTimeoutMs, jobManager: this.context.self as ActorRef<JobManagerMsg> });
        }
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
        this.slotWait.tick();
        return this;
      case 'ClusterOverview':
        if (this.slotWait.observed(msg, this.slots.length)) this.publish();
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

  private onSlots(msg: SlotsAllocated): Behavior<Msg> {
    // Slots this JobManager cannot deploy into (a ResourceManager's bug): the job fails, and their
    // TaskManagers free them when it is gone.
    const malformed = SlotsAllocatedSchema.explain(msg, 'SlotsAllocated');
    if (malformed) {
      if (this.status !== 'CREATED' && this.status !== 'CANCELLING' && !this.awaitingSlots) return this;
      this.cause = { name: 'NoResourceAvailable', message: `the ResourceManager granted slots job ${this.options.jobId} cannot use: ${malformed}` };
      return this.end('FAILED');
    }
    // Granted after the job deployed or ended: not held (not listed in heartbeats), so its TaskManager frees it.
    if (this.status !== 'CREATED' && this.status !== 'CANCELLING' && !this.awaitingSlots) return this;
    for (const slot of msg.slots) {
      if (this.slots.some((held) => held.allocationId === slot.allocationId)) continue;
      // Held from now on: end() releases it.
      this.slots.push(slot);
      if (!this.slots.some((held) => held !== slot && held.resourceId === slot.resourceId)) {
        this.context.watchWith(slot.taskManager as ActorRef<never>, { type: 'TaskManagerLost', resourceId: slot.resourceId, path: slot.taskManager.path });
      }
    }
    if (this.slots.length < requiredSlots(this.options.graph)) return this;
    this.slotWait.end();
    if (this.awaitingSlots) {
      this.context.timers.cancel('slot-answer');
      return this.redeploy();
    }
    if (this.status !== 'CREATED' || this.initialRestore === undefined) return this; // the savepoint is still being read
    this.context.timers.cancel('slot-answer');
    this.deploy(this.initialRestore);
    return this;
  }

  /** A reported state, from an update or a heartbeat: applied unless it is not newer than what is known. */
  private applyState(attemptId: Execution['attemptId'], state: ExecutionState, error?: ErrorInfo): Behavior<Msg> {
    const execution = this.executions.get(attemptId);
    if (!execution || !this.executions.update(attemptId, state, error)) return this;
    if (state === 'FAILED') return this.taskFailed(execution, error ?? { name: 'TaskFailed', message: 'no cause reported' });
    if (state === 'FINISHED' && this.status === 'RUNNING') this.checkpoints?.taskFinished(execution);
    this.publish();
    return this.checkCompletion();
  }

  /** Repairs this JobManager's view from the TaskManager's report, then tells it what is held there. */
  private onTaskManagerHeartbeat(msg: TaskManagerHeartbeat): Behavior<Msg> {
    const reported = new Map(msg.executions.map((report) => [report.executionAttemptId, report]));
    let next: Behavior<Msg> = this;
    for (const execution of this.executions.onTaskManager(msg.resourceId)) {
      if (next !== this) break; // the job ended: nothing more to apply
      if (isTerminalExecutionState(execution.state) || execution.state === 'CREATED') continue;
      const report = reported.get(execution.attemptId);
      if (!report) {
        const missing = (this.missingReports.get(execution) ?? 0) + 1;
        this.missingReports.set(execution, missing);
        if (missing >= MISSING_REPORTS_TO_FAIL) {
          next = this.taskFailed(execution, { name: 'TaskLost', message: `TaskManager ${msg.resourceId} no longer has its task ${execution.attemptId}` });
        }
        continue;
      }
      this.missingReports.delete(execution);
      if (isTerminalExecutionState(report.state) || STATE_ORDER.indexOf(report.state) > STATE_ORDER.indexOf(execution.state)) {
        next = this.applyState(execution.attemptId, report.state, report.error);
      } else if (this.status === 'FAILING' || this.status === 'CANCELLING' || this.status === 'RESTARTING') {
        // Still running while the job winds down or restarts: the CancelTask was lost, or is on its way.
        msg.taskManager.tell({ type: 'CancelTask', executionAttemptId: execution.attemptId });
      }
    }
    if (next !== this) return next; // the job ended: the TaskManager is told by its ReleaseJob
    msg.taskManager.tell({
      type: 'JobManagerHeartbeat',
      jobId: this.options.jobId,
      allocations: this.slots.filter((slot) => slot.resourceId === msg.resourceId).map((slot) => slot.allocationId),
      executions: this.executions.onTaskManager(msg.resourceId).filter((e) => e.state !== 'CREATED' && !isTerminalExecutionState(e.state)).map((e) => e.attemptId),
    });
    return this;
  }

  /** Deploys every current execution, each from its part of `restore` when given. */
  private deploy(restore: CompletedCheckpoint | null = null): void {
    this.status = 'RUNNING';
    this.deployed = true;
    const { jobId, graph, bundleHash, args } = this.options;
    const restoreOfSubtask = restore ? restoreOf(restore, graph) : null;
    for (const execution of this.executions.executions) {
      const slot = this.slots[execution.subtaskIndex];
      execution.resourceId = slot.resourceId;
      execution.slot = slot;
      execution.state = 'DEPLOYING';
      const checkpoint = this.taskCheckpointing(restoreOfSubtask?.(execution.vertex, execution.subtaskIndex));
      this.context.ask<TaskManagerMsg, SubmitTaskReply>(
        slot.taskManager,
        (replyTo) => ({
          type: 'SubmitTask',
          descriptor: {
            jobId,
            jobName: graph.name,
            jobMasterId: this.jobMasterId,
            executionAttemptId: execution.attemptId,
            allocationId: slot.allocationId,
            vertex: execution.vertex,
            subtaskIndex: execution.subtaskIndex,
            attemptNumber: execution.attemptNumber,
            maxParallelism: graph.maxParallelism,
            bundleHash,
            jobArgs: args,
            ...(this.options.planParallelism !== undefined ? { planParallelism: this.options.planParallelism } : {}),
            jobManager: this.context.self as ActorRef<JobManagerMsg>,
            ...subtaskIo(jobId, graph, execution.vertex, execution.subtaskIndex, this.slots, (vertexId, subtask) => this.executions.attemptOf(vertexId, subtask)),
            bufferTimeoutMs: graph.bufferTimeoutMs ?? DEFAULT_BUFFER_TIMEOUT_MS,
            ...(checkpoint ? { checkpoint } : {}),
          },
          replyTo,
        }),
        SUBMIT_TASK_TIMEOUT_MS,
        (result) => ({ type: 'Deployed', execution, result }),
      );
    }
    this.checkpoints?.start();
    this.publish();
  }

  private taskCheckpointing(restore: Pick<TaskCheckpointing, 'restore' | 'rescaledRestore'> | undefined): TaskCheckpointing | undefined {
    const directory = this.options.checkpointing?.jobDirectory;
    if (directory === undefined) return undefined;
    const allowNonRestoredState = this.options.restoreFrom?.allowNonRestoredState === true ? { allowNonRestoredState: true } : {};
    return restore ? { directory, ...restore, ...allowNonRestoredState } : { directory };
  }

  /**
   * RESTARTING, every task over: the executions run again as new attempts from the latest completed
   * checkpoint, once the job holds enough slots (those of lost TaskManagers are replaced first).
   */
  private redeploy(): Behavior<Msg> {
    const missing = requiredSlots(this.options.graph) - this.slots.length;
    if (missing > 0) {
      if (!this.awaitingSlots) {
        this.awaitingSlots = true;
        this.context.log.info(`job ${this.options.jobId} asks for ${missing} slot(s) to replace those of lost TaskManagers`);
        this.options.resourceManager.tell({ type: 'RequestSlots', jobId: this.options.jobId, count: missing, timeoutMs: this.options.slotRequestTimeoutMs, jobManager: this.context.self as ActorRef<JobManagerMsg> });
        this.context.timers.startSingleTimer('slot-answer', { type: 'SlotAnswerTimedOut' }, this.options.slotRequestTimeoutMs + SLOT_ANSWER_GRACE_MS);
        this.slotWait.begin(missing, this.slots.length);
      }
      return this;
    }
    this.awaitingSlots = false;
    this.restarts++;
    const latest = this.checkpoints?.coordinator.latest ?? null;
    this.executions.restartAll();
    this.missingReports.clear();
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

  /** Static splits from the graph, or the answer of the vertex's enumerator (which may take a while). */
  private nextSplit(msg: RequestNextInputSplit): Behavior<Msg> {
    const execution = msg.jobMasterId === this.jobMasterId ? this.executions.get(msg.executionAttemptId) : undefined;
    if (!execution?.vertex.enumeratedSplits) {
      msg.replyTo.tell({ type: 'NextInputSplit', split: execution ? this.splits.next(execution.vertex.id, execution.subtaskIndex) : null });
      return this;
    }
    const returned = this.splits.next(execution.vertex.id, execution.subtaskIndex);
    if (returned) {
      msg.replyTo.tell({ type: 'NextInputSplit', split: returned });
      return this;
    }
    const answer = this.enumerators.next(execution.vertex, execution.subtaskIndex);
    this.context.pipeToSelf(answer, (result) => ({ type: 'EnumeratedSplit', result, execution, replyTo: msg.replyTo }));
    return this;
  }

  private loadPlan(): Promise<JobPlan> {
    const { jobCode, jobId, bundleHash, bundle, args, planParallelism } = this.options;
    if (!jobCode) return Promise.reject(new Error(`this JobManager cannot run the split enumerators of job ${jobId}: it was started without a job code loader`));
    return jobCode.load({ jobId, bundleHash, args, ...(planParallelism !== undefined ? { planParallelism } : {}), fetchBundle: () => Promise.resolve(bundle) });
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
      this.publish();
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
      this.options.resourceManager.tell({ type: 'CancelSlotRequest', jobId: this.options.jobId });
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
      if (this.awaitingSlots) {
        this.awaitingSlots = false;
        this.options.resourceManager.tell({ type: 'CancelSlotRequest', jobId: this.options.jobId });
      }
      this.publish();
      return this.executions.allTerminal ? this.end(this.stopping ? 'FINISHED' : 'CANCELED') : this;
    }
    if (this.status === 'CREATED') {
      this.status = 'CANCELLING';
      this.options.resourceManager.tell({ type: 'CancelSlotRequest', jobId: this.options.jobId });
      this.publish();
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
    this.context.log.warn(`job ${this.options.jobId} failed and restarts in ${delayMs} ms: ${cause.message}`);
    this.checkpoints?.stop('the job is restarting');
    return this.cancelExecutions();
  }

  private cancelExecutions(): Behavior<Msg> {
    for (const execution of this.executions.nonTerminal()) {
      execution.slot?.taskManager.tell({ type: 'CancelTask', executionAttemptId: execution.attemptId });
    }
    this.publish();
    return this.checkCompletion();
  }

  /** The savepoint a job starts from: it must fit the job (its vertices, unless allowed; at another parallelism, its state rescales). */
  private onSavepointRead(result: Result<CompletedCheckpoint>): Behavior<Msg> {
    if (this.status !== 'CREATED') return this;
    const { restoreFrom, graph, jobId } = this.options;
    const problem = result.ok ? savepointMismatch(result.value, graph, restoreFrom?.allowNonRestoredState === true) : describeError(result.error);
    if (problem !== undefined || !result.ok) {
      this.cause = { name: 'RestoreFailed', message: `job ${jobId} cannot start from ${restoreFrom?.path}: ${problem}` };
      this.options.resourceManager.tell({ type: 'CancelSlotRequest', jobId });
      return this.end('FAILED');
    }
    const restored = result.value;
    this.initialRestore = restored;
    this.checkpoints?.coordinator.restoredFrom(restored);
    this.restoredSplits = new RestoredSplits(restored, graph, this.splits);
    this.context.log.info(`job ${jobId} starts from ${restored.directory} (checkpoint ${restored.metadata.checkpointId})`);
    if (this.slots.length < requiredSlots(graph)) return this;
    this.context.timers.cancel('slot-answer');
    this.deploy(restored);
    return this;
  }

  private checkCompletion(): Behavior<Msg> {
    if (this.status === 'RUNNING' && this.executions.allFinished) return this.end('FINISHED');
    if (this.status === 'RESTARTING' && this.executions.allTerminal && !this.restartScheduled && !this.awaitingSlots) {
      this.restartScheduled = true;
      this.context.timers.startSingleTimer('restart', { type: 'Restart' }, this.restartDelayMs);
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
    if (this.slots.length > 0) {
      // Each TaskManager frees the job's slots once its tasks are gone, and reports them free.
      const released = new Set<string>();
      for (const slot of this.slots) {
        if (released.has(slot.taskManager.path)) continue;
        released.add(slot.taskManager.path);
        slot.taskManager.tell({ type: 'ReleaseJob', jobId, reason: `job ${status}` });
      }
    }
    for (const replyTo of this.watermarkRequests) replyTo.tell({ type: 'JobWatermarks', jobId, subtasks: [] });
    const finalMetrics = metricsReports(this.executions.executions, []);
    for (const replyTo of this.metricsRequests) replyTo.tell({ type: 'JobMetrics', jobId, subtasks: finalMetrics });
    this.context.log.info(`job ${jobId} ${status}${this.cause ? `: ${this.cause.message}` : ''}`);
    const log = this.context.log;
    const { enumerators } = this;
    if (enumerators.loaded) {
      void enumerators.close().then((failures) => {
        for (const failure of failures) log.warn(`job ${jobId}: ${failure}`);
        this.options.jobCode?.release(jobId);
      });
    }
    this.publish(finalMetrics);
    return Behaviors.stopped;
  }

  /** `finalMetrics`: with the terminal status, every subtask's last figures for the Dispatcher to keep. */
  private publish(finalMetrics?: readonly SubtaskMetricsReport[]): void {
    const checkpoints = this.checkpoints?.stats(this.restarts);
    if (this.status !== 'CREATED' && this.status !== 'RESTARTING') this.slotWait.end();
    const waitingForSlots = this.slotWait.current;
    this.options.events.tell({
      type: 'JobUpdated',
      jobId: this.options.jobId,
      status: this.status,
      vertices: this.executions.details(),
      ...(checkpoints ? { checkpoints } : {}),
      ...(finalMetrics ? { finalMetrics } : {}),
      ...(waitingForSlots ? { waitingForSlots } : {}),
      // RESTARTING too: the Dispatcher keeps each restart's cause in the job's exception history.
      ...(this.status === 'FAILED' || this.status === 'FAILING' || this.status === 'RESTARTING' ? { error: this.cause } : {}),
    });
  }
}

