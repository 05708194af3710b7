// The TaskManager actor: registers with the ResourceManager (retrying with backoff, and again when
// the ResourceManager is lost or restarts), keeps its slot table, runs one Task actor per deployed
// subtask, forwards their state changes to the JobManagers, and cleans up a job whose JobManager is
// lost: its tasks are cancelled and its slots freed.
//
// Slot ownership: the slot table here is the truth. An allocation belongs to the JobManager named by
// its AllocateSlot; it is freed when that JobManager releases the job, is lost, or twice in a row
// does not list it in its heartbeat answer, and only once the slot's tasks are gone. Every heartbeat
// interval the TaskManager sends its slot report to the ResourceManager and, to each JobManager it
// holds slots or tasks of, the job's allocations and each execution's state (final states stay until
// the JobManager stops listing the execution): whatever a lost message left wrong is repaired there.
import { type ActorContext, type ActorRef, AbstractBehavior, type Behavior, Behaviors, type Signal, resume, supervise } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import type { LogFields } from '../../actors/log.ts';
import { describeError } from '../../messages/errors.ts';
import type { AllocationId, ExecutionAttemptId, JobId, JobMasterId, ResourceId } from '../../messages/ids.ts';
import type { ExecutionReport, JobManagerMsg } from '../../messages/job-manager.ts';
import { type ErrorInfo, type ExecutionState, isTerminalExecutionState } from '../../messages/job-status.ts';
import type { RegistrationReply, ResourceManagerMsg } from '../../messages/resource-manager.ts';
import { userFrames } from '../../messages/user-frames.ts';
import type {
  AllocateSlot,
  PrepareJob,
  JobManagerHeartbeat,
  RequestTaskWatermarks,
  SubmitTaskReply,
  TaskDeploymentDescriptor,
  TaskManagerMsg,
  TaskWatermarks,
} from '../../messages/task-manager.ts';
import type { TaskWatermarkReading } from '../../messages/watermarks.ts';
import type { RequestTaskMetrics, SlotInfo, TaskMetrics, TaskMetricsReading } from '../../messages/metrics.ts';
import { TaskMetricsRegistry } from './metrics-registry.ts';
import { readProcessMetrics } from '../metrics/process-metrics.ts';
import { type JobCodeLoader, jobCodeRequest } from './job-code.ts';
import type { NetworkEnvironment } from './network/network-environment.ts';
import type { CancellationWatchdog } from './cancellation-watchdog.ts';
import { FinalStates } from './final-states.ts';
import { SlotTable } from './slot-table.ts';
import { DEFAULT_CANCELLATION_INTERVAL_MS, TaskCancellations } from './task-cancellation.ts';
import { type TaskCommand, type TaskStateChanged, task } from './task.ts';
import { HeapWatch } from './heap-watch.ts';
import { readTasks } from './task-readings.ts';

/** How long a task may take to report its watermarks (it answers between two steps of at most STEP_RECORDS records). */
export const TASK_WATERMARKS_TIMEOUT_MS = 2_000;
/** How long a task may take to report its metrics (it answers between two steps). */
export const TASK_METRICS_TIMEOUT_MS = 2_000;
/** Flink's heartbeat.interval: how often the slot report and the job reports go out. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
/**
 * How long a new allocation is safe from its owner's heartbeat answers (at least 4 heartbeats): its
 * grant travels TaskManager -> ResourceManager -> JobManager, which a loaded machine can slow down.
 */
export const ALLOCATION_GRACE_MS = 5_000;
/** Flink's heartbeat.timeout: a JobManager that answers no job report for this long is lost. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 50_000;

export interface TaskManagerOptions {
  readonly resourceId: ResourceId;
  readonly slots: number;
  readonly resourceManager: ActorRef<ResourceManagerMsg>;
  readonly loader: JobCodeLoader;
  /** Where this TaskManager's tasks exchange record batches. */
  readonly network: NetworkEnvironment;
  /** host:port of the data server, registered with the ResourceManager (absent when embedded). */
  readonly dataAddress?: string;
  /** Each registration attempt waits this long for an answer; default 5 s. */
  readonly registrationTimeoutMs?: number;
  /** Backoff between attempts: from 100 ms doubling up to this; default 5 s. */
  readonly registrationMaxBackoffMs?: number;
  /** How often the slot report and the job reports go out; default DEFAULT_HEARTBEAT_INTERVAL_MS. */
  readonly heartbeatIntervalMs?: number;
  /**
   * A JobManager that answers none of its job's reports for this long is taken for lost (its
   * Terminated may have been lost with a connection); default DEFAULT_HEARTBEAT_TIMEOUT_MS.
   */
  readonly heartbeatTimeoutMs?: number;
  /** task.cancellation.interval: how often a task being cancelled is told again; default 30 s. */
  readonly cancellationIntervalMs?: number;
  /** Kills the process when a cancelled task is not gone in time (standalone only: never the user's process). */
  readonly watchdog?: CancellationWatchdog;
  readonly stdout?: (line: string) => void;
  /** Where its running tasks' metrics are readable in-process (a reporter's source); default its own. */
  readonly metricsRegistry?: TaskMetricsRegistry;
  /** taskmanager.memory.heap.size (MiB), which the process runs with: the heap is watched (heap-watch.ts). */
  readonly heapLimitMb?: number;
  /** taskmanager.memory.process.size (MiB): the process's resident set is watched too (heap-watch.ts). */
  readonly processLimitMb?: number;
}

type Internal =
  | { readonly type: 'Register' }
  | { readonly type: 'RegistrationResult'; readonly result: Result<RegistrationReply> }
  | { readonly type: 'ResourceManagerLost' }
  | { readonly type: 'JobManagerLost'; readonly jobId: JobId }
  | { readonly type: 'JobManagerLostCheck'; readonly jobId: JobId }
  | { readonly type: 'Heartbeat' }
  // The heap is near its limit: the job that grew it most fails here (heap-watch.ts).
  | { readonly type: 'HeapPressure'; readonly jobId: JobId; readonly reason: string }
  | { readonly type: 'CancellationCheck' }
  | { readonly type: 'TaskStopped'; readonly executionAttemptId: ExecutionAttemptId }
  | { readonly type: 'TaskStoppedCheck'; readonly executionAttemptId: ExecutionAttemptId }
  | { readonly type: 'WatermarksCollected'; readonly readings: readonly TaskWatermarkReading[]; readonly replyTo: ActorRef<TaskWatermarks> }
  | { readonly type: 'MetricsCollected'; readonly readings: readonly TaskMetricsReading[]; readonly replyTo: ActorRef<TaskMetrics> }
  | TaskStateChanged;

type Msg = TaskManagerMsg | Internal;

interface RunningTask {
  readonly executionAttemptId: ExecutionAttemptId;
  /** For logs: `Map (1/2) attempt 0 of job <id>`. */
  readonly name: string;
  /** For a slot's list of tasks: `Map (1/2)`. */
  readonly label: string;
  readonly ref: ActorRef<TaskCommand>;
  readonly jobId: JobId;
  readonly allocationId: AllocationId;
  readonly jobManager: ActorRef<JobManagerMsg>;
  readonly jobMasterId: JobMasterId;
  /** The last state it reported. */
  state: ExecutionState;
  error?: ErrorInfo;
  terminal: boolean;
}

export function taskManager(options: TaskManagerOptions): Behavior<TaskManagerMsg> {
  // resume: a handler that throws drops its message and the TaskManager keeps its tasks. A restart
  // would stop every running Task (its children) and empty its slot table while the ResourceManager
  // and the JobManagers still count on them.
  return supervise(Behaviors.setup<Msg>((ctx) => new TaskManager(ctx, options)), resume()) as unknown as Behavior<TaskManagerMsg>;
}

class TaskManager extends AbstractBehavior<Msg> {
  private readonly slots: SlotTable;
  /** Task actors not stopped yet. */
  private readonly tasks = new Map<ExecutionAttemptId, RunningTask>();
  /** Final states not yet acknowledged by their JobManager (its heartbeat no longer lists them). */
  private readonly finals = new FinalStates();
  /** The owner of each job's allocations and tasks here, watched, and when it last answered a report. */
  private readonly jobManagers = new Map<JobId, { readonly ref: ActorRef<JobManagerMsg>; lastAnswer: number }>();
  private readonly cancellations: TaskCancellations;
  private registered = false;
  private attempts = 0;
  /** The running tasks' metrics, readable in-process (a reporter reads it). */
  readonly metricsRegistry: TaskMetricsRegistry;
  /** With taskmanager.memory.heap.size or .process.size: what each job's steps grew memory by, and the watch over it. */
  private readonly heapWatch: HeapWatch | undefined;
  private readonly reportTo: ActorRef<TaskStateChanged>;

  constructor(
    ctx: ActorContext<Msg>,
    private readonly options: TaskManagerOptions,
  ) {
    super(ctx);
    this.slots = new SlotTable(options.slots);
    this.metricsRegistry = options.metricsRegistry ?? new TaskMetricsRegistry();
    if (options.heapLimitMb !== undefined || options.processLimitMb !== undefined) {
      const self = ctx.self as ActorRef<Msg>;
      const limits = { heapMb: options.heapLimitMb, processMb: options.processLimitMb };
      this.heapWatch = new HeapWatch(limits, ({ jobId, reason }) => self.tell({ type: 'HeapPressure', jobId, reason }));
      this.heapWatch.start();
    }
    this.reportTo = ctx.self as ActorRef<TaskStateChanged>;
    this.cancellations = new TaskCancellations(() => ctx.system.scheduler.now(), options.watchdog);
    ctx.self.tell({ type: 'Register' });
    ctx.timers.startTimerAtFixedRate('heartbeat', { type: 'Heartbeat' }, options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS);
  }

  onMessage(msg: Msg): Behavior<Msg> {
    switch (msg.type) {
      case 'Register':
        this.register();
        return this;
      case 'RegistrationResult':
        this.onRegistration(msg.result);
        return this;
      case 'ResourceManagerLost':
        this.context.log.warn('lost the ResourceManager; registering again');
        this.registered = false;
        this.attempts = 0;
        this.register();
        return this;
      case 'AllocateSlot':
        this.allocate(msg);
        return this;
      case 'SubmitTask':
        this.submit(msg.descriptor, msg.replyTo);
        return this;
      case 'CancelTask': {
        const running = this.tasks.get(msg.executionAttemptId);
        if (running) this.cancelTask(running);
        return this;
      }
      case 'CancellationCheck':
        this.checkCancellations();
        return this;
      case 'FailTask':
        this.tasks.get(msg.executionAttemptId)?.ref.tell({ type: 'FailTask', reason: msg.reason });
        return this;
      case 'TriggerCheckpoint': {
        const { checkpointId, timestamp, mode, savepoint } = msg;
        const alignment = { ...(msg.unaligned === true ? { unaligned: true } : {}), ...(msg.alignedCheckpointTimeoutMs !== undefined ? { alignedCheckpointTimeoutMs: msg.alignedCheckpointTimeoutMs } : {}) };
        const barrier = { kind: 'barrier', checkpointId, timestamp, mode, savepoint, ...(msg.drain === true ? { drain: true } : {}), ...alignment } as const;
        const stopSources = msg.stopSources === true;
        for (const id of msg.executionAttemptIds) this.tasks.get(id)?.ref.tell({ type: 'TriggerCheckpoint', barrier, stopSources });
        return this;
      }
      case 'NotifyCheckpointComplete':
        for (const id of msg.executionAttemptIds) this.tasks.get(id)?.ref.tell({ type: 'NotifyCheckpointComplete', checkpointId: msg.checkpointId });
        return this;
      case 'NotifyCheckpointAborted':
        for (const id of msg.executionAttemptIds) this.tasks.get(id)?.ref.tell({ type: 'NotifyCheckpointAborted', checkpointId: msg.checkpointId });
        return this;
      case 'ReleaseJob':
        this.releaseJob(msg.jobId, msg.reason);
        return this;
      case 'PrepareJob':
        this.prepare(msg);
        return this;
      case 'HeapPressure': {
        const failing = [...this.tasks.values()].filter((running) => running.jobId === msg.jobId && !running.terminal);
        this.context.log.warn(`failing ${failing.length} task(s) of job ${msg.jobId}: ${msg.reason}`, { code: 'HEAP_PRESSURE' });
        for (const running of failing) running.ref.tell({ type: 'FailTask', reason: msg.reason });
        return this;
      }
      case 'RequestTaskWatermarks':
        this.collectWatermarks(msg);
        return this;
      case 'WatermarksCollected':
        msg.replyTo.tell({ type: 'TaskWatermarks', readings: msg.readings });
        return this;
      case 'RequestTaskMetrics':
        this.collectMetrics(msg);
        return this;
      case 'MetricsCollected':
        msg.replyTo.tell({ type: 'TaskMetrics', readings: msg.readings });
        return this;
      case 'RequestTaskManagerMetrics':
        msg.replyTo.tell({ type: 'TaskManagerMetricsReport', resourceId: this.options.resourceId, metrics: readProcessMetrics(), slots: this.slotInfos() });
        return this;
      case 'JobManagerLost':
        // Terminated overtakes the JobManager's last ordinary message, the ReleaseJob of a job that
        // ended: look again once the mailbox has handled it, and release only a job still held.
        this.context.self.tell({ type: 'JobManagerLostCheck', jobId: msg.jobId });
        return this;
      case 'JobManagerLostCheck':
        if (this.jobManagers.has(msg.jobId)) this.releaseJob(msg.jobId, 'its JobManager is gone');
        return this;
      case 'JobManagerHeartbeat':
        this.reconcile(msg);
        return this;
      case 'Heartbeat':
        this.heartbeat();
        return this;
      case 'TaskStateChanged': {
        const { descriptor, state, error } = msg;
        const running = this.tasks.get(descriptor.executionAttemptId);
        if (running) {
          if (state === 'FAILED' && error) this.context.log.warn(`${running.name} failed: ${error.message}`, failureFields(error));
          else this.context.log.debug(`${running.name} is ${state}${error ? `: ${error.message}` : ''}`);
          running.state = state;
          if (error) running.error = error;
          if (isTerminalExecutionState(state)) running.terminal = true;
        }
        descriptor.jobManager.tell({
          type: 'UpdateTaskExecutionState',
          jobId: descriptor.jobId,
          jobMasterId: descriptor.jobMasterId,
          executionAttemptId: descriptor.executionAttemptId,
          state,
          ...(error ? { error } : {}),
          ...(msg.metrics ? { metrics: msg.metrics } : {}),
        });
        return this;
      }
      case 'TaskStopped':
        // Terminated overtakes the task's last ordinary message (system messages go first): look
        // again once the mailbox has handled what the task sent before it stopped.
        this.context.self.tell({ type: 'TaskStoppedCheck', executionAttemptId: msg.executionAttemptId });
        return this;
      case 'TaskStoppedCheck': {
        const stopped = this.tasks.get(msg.executionAttemptId);
        if (!stopped) return this;
        this.tasks.delete(msg.executionAttemptId);
        this.cancellations.end(msg.executionAttemptId);
        if (this.cancellations.size === 0) this.context.timers.cancel('cancellation-check');
        if (!stopped.terminal) {
          // The Task actor died without a final state (a bug): the JobManager must still hear of it.
          stopped.state = 'FAILED';
          stopped.error = { name: 'TaskFailed', message: `task ${msg.executionAttemptId} on ${this.options.resourceId} stopped unexpectedly` };
          stopped.jobManager.tell({
            type: 'UpdateTaskExecutionState',
            jobId: stopped.jobId,
            jobMasterId: stopped.jobMasterId,
            executionAttemptId: msg.executionAttemptId,
            state: stopped.state,
            error: stopped.error,
          });
        }
        // Kept for the job's heartbeats until its JobManager acknowledges it (a lost update is repaired).
        const { jobId, state, error } = stopped;
        if (this.jobManagers.has(jobId)) this.finals.keep(jobId, { executionAttemptId: msg.executionAttemptId, state, ...(error ? { error } : {}) });
        this.freeIfReleased(stopped.allocationId);
        return this;
      }
      default:
        // Another protocol's message (the compiler proves ours are all handled): logged and dropped.
        msg satisfies never;
        return Behaviors.unhandled;
    }
  }

  private register(): void {
    if (this.registered) return;
    const { resourceId, slots, resourceManager } = this.options;
    this.attempts++;
    this.context.ask<ResourceManagerMsg, RegistrationReply>(
      resourceManager,
      (replyTo) => ({
        type: 'RegisterTaskManager',
        resourceId,
        slots,
        incarnation: this.context.system.uid,
        taskManager: this.context.self as ActorRef<TaskManagerMsg>,
        ...(this.options.dataAddress !== undefined ? { dataAddress: this.options.dataAddress } : {}),
        slotReport: this.slots.report(),
        replyTo,
      }),
      this.options.registrationTimeoutMs ?? 5_000,
      (result) => ({ type: 'RegistrationResult', result }),
    );
  }

  private onRegistration(result: Result<RegistrationReply>): void {
    if (this.registered) return;
    if (result.ok && result.value.type === 'AcknowledgeRegistration') {
      this.registered = true;
      this.attempts = 0;
      this.context.log.info(`registered with the ResourceManager at ${this.options.resourceManager.path}`);
      this.context.watchWith(this.options.resourceManager as ActorRef<never>, { type: 'ResourceManagerLost' });
      this.reportSlots();
      return;
    }
    const reason = result.ok ? (result.value.type === 'DeclineRegistration' ? result.value.reason : 'unexpected reply') : describeError(result.error);
    const delay = Math.min(this.options.registrationMaxBackoffMs ?? 5_000, 100 * 2 ** Math.min(this.attempts - 1, 16));
    this.context.log.warn(`registration attempt ${this.attempts} failed (${reason}); retrying in ${delay} ms`);
    this.context.timers.startSingleTimer('register', { type: 'Register' }, delay);
  }

  private submit(descriptor: TaskDeploymentDescriptor, replyTo: ActorRef<SubmitTaskReply>): void {
    const { executionAttemptId, allocationId, jobId } = descriptor;
    const owner = this.slots.jobOf(allocationId);
    if (owner !== jobId) {
      const why = owner === undefined ? `allocation ${allocationId} is not on ${this.options.resourceId}` : `allocation ${allocationId} belongs to job ${owner}`;
      replyTo.tell({ type: 'TaskSubmissionFailed', executionAttemptId, reason: why });
      return;
    }
    if (this.tasks.has(executionAttemptId)) {
      replyTo.tell({ type: 'TaskSubmissionFailed', executionAttemptId, reason: `task ${executionAttemptId} already runs on ${this.options.resourceId}` });
      return;
    }
    // Spawned before anything is recorded: if the spawn throws, this TaskManager is as it was.
    const ref = this.context.spawn(
      task({
        descriptor,
        loader: this.options.loader,
        reportTo: this.reportTo,
        network: this.options.network,
        stdout: this.options.stdout,
        metricsRegistry: this.metricsRegistry,
        taskManagerId: this.options.resourceId,
        ...(this.heapWatch ? { heapAccounting: this.heapWatch } : {}),
      }),
      `task-${executionAttemptId}`,
    );
    this.serveJob(jobId, descriptor.jobManager);
    this.context.watchWith(ref as ActorRef<never>, { type: 'TaskStopped', executionAttemptId });
    const { vertex, subtaskIndex, attemptNumber } = descriptor;
    this.tasks.set(executionAttemptId, {
      executionAttemptId,
      name: `${vertex.name} (${subtaskIndex + 1}/${vertex.parallelism}) attempt ${attemptNumber} of job ${jobId}`,
      label: `${vertex.name} (${subtaskIndex + 1}/${vertex.parallelism})`,
      ref,
      jobId,
      allocationId,
      jobManager: descriptor.jobManager,
      jobMasterId: descriptor.jobMasterId,
      state: 'CREATED',
      terminal: false,
    });
    this.context.log.debug(`deploying ${vertex.name} (${subtaskIndex + 1}/${vertex.parallelism}) attempt ${attemptNumber} of job ${jobId} in allocation ${allocationId}`);
    replyTo.tell({ type: 'TaskSubmitted', executionAttemptId });
  }

  /**
   * Loads a restarting job's code into the slot it got here while its restart delay runs: its tasks
   * then start without fetching and importing it (a few hundred ms of a recovery). Only for a job
   * holding an allocation here (its release forgets the code); a failure is only logged, the tasks
   * load again and fail with it if it lasts.
   */
  private prepare(msg: PrepareJob): void {
    if (this.slots.allocationsOf(msg.jobId).length === 0) {
      this.context.log.debug(`not preparing job ${msg.jobId}: it holds no slot here`);
      return;
    }
    const { log } = this.context;
    this.options.loader.load(jobCodeRequest(this.context.system, msg)).then(
      () => log.debug(`prepared the code of job ${msg.jobId}`),
      (error: unknown) => log.info(`could not prepare the code of job ${msg.jobId} ahead of its tasks: ${describeError(error)}`),
    );
  }

  /** Asks each named task of the job for its reading (each answers on its own turn), bounded per task. */
  private collectWatermarks({ jobId, executionAttemptIds, replyTo }: RequestTaskWatermarks): void {
    const readings = readTasks<TaskWatermarkReading>(this.context.system, this.tasks, {
      jobId,
      executionAttemptIds,
      resourceId: this.options.resourceId,
      timeoutMs: TASK_WATERMARKS_TIMEOUT_MS,
      request: (reportTo) => ({ type: 'ReportWatermarks', replyTo: reportTo }),
      unavailable: (executionAttemptId, why) => ({ executionAttemptId, watermarks: null, unavailable: why }),
    });
    this.context.pipeToSelf(readings, (result) => ({ type: 'WatermarksCollected', readings: result.ok ? result.value : [], replyTo }));
  }

  /** Asks each named task of the job for its figures (each answers on its own turn), bounded per task. */
  private collectMetrics({ jobId, executionAttemptIds, replyTo }: RequestTaskMetrics): void {
    const readings = readTasks<TaskMetricsReading>(this.context.system, this.tasks, {
      jobId,
      executionAttemptIds,
      resourceId: this.options.resourceId,
      timeoutMs: TASK_METRICS_TIMEOUT_MS,
      request: (reportTo) => ({ type: 'ReportMetrics', replyTo: reportTo }),
      unavailable: (executionAttemptId, why) => ({ executionAttemptId, metrics: null, unavailable: why }),
    });
    this.context.pipeToSelf(readings, (result) => ({ type: 'MetricsCollected', readings: result.ok ? result.value : [], replyTo }));
  }

  /** Each slot, its job and the tasks running in it. */
  private slotInfos(): SlotInfo[] {
    return this.slots.report().map(({ index, allocationId, jobId }) => {
      const tasks: string[] = [];
      for (const running of this.tasks.values()) if (allocationId !== null && running.allocationId === allocationId && !running.terminal) tasks.push(running.label);
      return { index, jobId, tasks };
    });
  }

  private allocate(msg: AllocateSlot): void {
    const refused = this.slots.allocate(msg.slotIndex, msg.allocationId, msg.jobId, this.context.system.scheduler.now());
    if (refused) {
      msg.replyTo.tell({ type: 'SlotAllocationFailed', allocationId: msg.allocationId, reason: `${this.options.resourceId}: ${refused}` });
      // The ResourceManager picked a slot it thought free: its view is wrong, repair it now.
      this.reportSlots();
      return;
    }
    this.serveJob(msg.jobId, msg.jobManager);
    msg.replyTo.tell({ type: 'SlotAllocated', allocationId: msg.allocationId });
  }

  /** The job's JobManager owns what this TaskManager holds of it: watched, and sent the job's heartbeats. */
  private serveJob(jobId: JobId, jobManager: ActorRef<JobManagerMsg>): void {
    if (this.jobManagers.has(jobId)) return;
    this.jobManagers.set(jobId, { ref: jobManager, lastAnswer: this.context.system.scheduler.now() });
    this.context.watchWith(jobManager as ActorRef<never>, { type: 'JobManagerLost', jobId });
  }

  private reportSlots(): void {
    if (this.registered) this.options.resourceManager.tell({ type: 'SlotReport', resourceId: this.options.resourceId, slots: this.slots.report() });
  }

  private heartbeat(): void {
    this.reportSlots();
    const { resourceId } = this.options;
    const taskManager = this.context.self as ActorRef<TaskManagerMsg>;
    const now = this.context.system.scheduler.now();
    const timeoutMs = this.options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    for (const [jobId, { ref: jobManager, lastAnswer }] of this.jobManagers) {
      if (now - lastAnswer > timeoutMs) {
        this.releaseJob(jobId, `its JobManager answered no report for ${now - lastAnswer} ms`);
        continue;
      }
      const executions: ExecutionReport[] = [];
      for (const [executionAttemptId, running] of this.tasks) {
        if (running.jobId === jobId) executions.push({ executionAttemptId, state: running.state, ...(running.error ? { error: running.error } : {}) });
      }
      executions.push(...this.finals.ofJob(jobId));
      const allocations = this.slots.allocationsOf(jobId).map((slot) => slot.allocationId);
      jobManager.tell({ type: 'TaskManagerHeartbeat', jobId, resourceId, taskManager, allocations, executions });
    }
  }

  /**
   * The JobManager's view of the job here: allocations it does not list twice in a row are freed,
   * tasks it does not expect are cancelled, final states it no longer lists are forgotten.
   */
  private reconcile({ jobId, allocations, executions }: JobManagerHeartbeat): void {
    const owner = this.jobManagers.get(jobId);
    if (!owner) return;
    owner.lastAnswer = this.context.system.scheduler.now();
    const expected = new Set(executions);
    this.finals.acknowledge(jobId, expected);
    for (const [executionAttemptId, running] of this.tasks) {
      if (running.jobId === jobId && !running.terminal && !expected.has(executionAttemptId)) {
        this.context.log.info(`cancelling task ${executionAttemptId} of job ${jobId}: its JobManager does not expect it here`);
        this.cancelTask(running);
      }
    }
    const now = this.context.system.scheduler.now();
    const graceMs = Math.max(ALLOCATION_GRACE_MS, 4 * (this.options.heartbeatIntervalMs ?? 0));
    for (const allocationId of this.slots.missedTwice(jobId, new Set(allocations), now, graceMs)) {
      this.context.log.info(`releasing allocation ${allocationId} of job ${jobId}: its JobManager no longer holds it`);
      this.release(allocationId);
    }
    this.forgetIfIdle(jobId);
  }

  /** A job with nothing left here (its orphan allocations freed) gets no more heartbeats. */
  private forgetIfIdle(jobId: JobId): void {
    if (this.slots.allocationsOf(jobId).length > 0) return;
    for (const running of this.tasks.values()) if (running.jobId === jobId) return;
    if (this.finals.hasJob(jobId)) return;
    this.releaseJob(jobId, 'nothing of it is left here');
  }

  /** Its slot stays taken until the task is gone; the watchdog ends the process if it never goes. */
  private cancelTask(running: RunningTask): void {
    if (running.terminal) return;
    running.ref.tell({ type: 'CancelTask' });
    this.cancellations.begin(running.executionAttemptId, running.name);
    if (!this.context.timers.isTimerActive('cancellation-check')) {
      const intervalMs = this.options.cancellationIntervalMs ?? DEFAULT_CANCELLATION_INTERVAL_MS;
      this.context.timers.startTimerAtFixedRate('cancellation-check', { type: 'CancellationCheck' }, intervalMs);
    }
  }

  /** Tells the tasks still cancelling again, with one log line for all of them. */
  private checkCancellations(): void {
    const stuck = this.cancellations.ids().flatMap((id) => this.tasks.get(id) ?? []);
    if (stuck.length === 0) return;
    this.context.log.warn(this.cancellations.describe());
    for (const running of stuck) if (!running.terminal) running.ref.tell({ type: 'CancelTask' });
  }

  /** Cancels the allocation's tasks and frees its slot once they are gone. */
  private release(allocationId: AllocationId): void {
    const slot = this.slots.get(allocationId);
    if (!slot) return;
    slot.releasing = true;
    for (const running of this.tasks.values()) if (running.allocationId === allocationId) this.cancelTask(running);
    this.freeIfReleased(allocationId);
  }

  /** A released allocation's slot is free only when no task of it runs any more. */
  private freeIfReleased(allocationId: AllocationId): void {
    if (!this.slots.get(allocationId)?.releasing) return;
    for (const running of this.tasks.values()) if (running.allocationId === allocationId) return;
    this.slots.free(allocationId);
    this.reportSlots();
  }

  override onSignal(signal: Signal): Behavior<Msg> {
    if (signal.signal === 'PostStop') this.heapWatch?.stop();
    return this;
  }

  private releaseJob(jobId: JobId, reason: string): void {
    this.heapWatch?.forget(jobId);
    let cancelled = 0;
    for (const running of this.tasks.values()) if (running.jobId === jobId && !running.terminal) cancelled++;
    const allocations = this.slots.allocationsOf(jobId);
    for (const slot of allocations) this.release(slot.allocationId);
    this.finals.forgetJob(jobId);
    const owner = this.jobManagers.get(jobId);
    if (owner) this.context.unwatch(owner.ref as ActorRef<never>);
    this.jobManagers.delete(jobId);
    this.options.loader.release(jobId);
    this.options.network.releaseJob(jobId);
    const waiting = allocations.filter((slot) => this.slots.get(slot.allocationId)).length;
    this.context.log.info(
      `released job ${jobId} (${reason}): ${cancelled} tasks cancelled, ${allocations.length - waiting} slots freed` +
        (waiting > 0 ? `, ${waiting} freed once their tasks stop` : ''),
    );
  }
}

/** A failed task's log fields, as Flink's TaskExecutor logs the failure cause: the user's frames first (job module file:line). */
function failureFields(error: ErrorInfo): LogFields {
  const frames = userFrames(error.stack);
  return { ...(error.code ? { code: error.code } : {}), ...(frames.length > 0 ? { userFrames: frames } : {}), ...(error.stack ? { stack: error.stack } : {}) };
}
