// The TaskManager actor: registers with the ResourceManager (retrying with backoff, and again when
// the ResourceManager is lost or restarts), keeps its slot table, runs one Task actor per deployed
// subtask, forwards their state changes to the JobManagers, and cleans up a job whose JobManager is
// lost: its tasks are cancelled and its slots freed.
import { type ActorContext, type ActorRef, AbstractBehavior, type Behavior, Behaviors, resume, supervise } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import { describeError } from '../../messages/errors.ts';
import type { ExecutionAttemptId, JobId, JobMasterId, ResourceId } from '../../messages/ids.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import { isTerminalExecutionState } from '../../messages/job-status.ts';
import type { RegistrationReply, ResourceManagerMsg } from '../../messages/resource-manager.ts';
import type { RequestTaskWatermarks, SubmitTaskReply, TaskDeploymentDescriptor, TaskManagerMsg, TaskWatermarks } from '../../messages/task-manager.ts';
import type { TaskWatermarkReading } from '../../messages/watermarks.ts';
import type { JobCodeLoader } from './job-code.ts';
import type { NetworkEnvironment } from './network/network-environment.ts';
import { SlotTable } from './slot-table.ts';
import { type TaskCommand, type TaskStateChanged, task } from './task.ts';

/** How long a task may take to report its watermarks (it answers between two steps of at most STEP_RECORDS records). */
export const TASK_WATERMARKS_TIMEOUT_MS = 2_000;

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
  readonly stdout?: (line: string) => void;
}

type Internal =
  | { readonly type: 'Register' }
  | { readonly type: 'RegistrationResult'; readonly result: Result<RegistrationReply> }
  | { readonly type: 'ResourceManagerLost' }
  | { readonly type: 'JobManagerLost'; readonly jobId: JobId }
  | { readonly type: 'TaskStopped'; readonly executionAttemptId: ExecutionAttemptId }
  | { readonly type: 'TaskStoppedCheck'; readonly executionAttemptId: ExecutionAttemptId }
  | { readonly type: 'WatermarksCollected'; readonly readings: readonly TaskWatermarkReading[]; readonly replyTo: ActorRef<TaskWatermarks> }
  | TaskStateChanged;

type Msg = TaskManagerMsg | Internal;

interface RunningTask {
  readonly ref: ActorRef<TaskCommand>;
  readonly jobId: JobId;
  readonly jobManager: ActorRef<JobManagerMsg>;
  readonly jobMasterId: JobMasterId;
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
  private readonly tasks = new Map<ExecutionAttemptId, RunningTask>();
  private readonly jobManagers = new Map<JobId, ActorRef<JobManagerMsg>>();
  private registered = false;
  private attempts = 0;
  private readonly reportTo: ActorRef<TaskStateChanged>;

  constructor(
    ctx: ActorContext<Msg>,
    private readonly options: TaskManagerOptions,
  ) {
    super(ctx);
    this.slots = new SlotTable(options.slots);
    this.reportTo = ctx.self as ActorRef<TaskStateChanged>;
    ctx.self.tell({ type: 'Register' });
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
      case 'AllocateSlot': {
        const refused = this.slots.allocate(msg.slotIndex, msg.allocationId, msg.jobId);
        msg.replyTo.tell(
          refused
            ? { type: 'SlotAllocationFailed', allocationId: msg.allocationId, reason: `${this.options.resourceId}: ${refused}` }
            : { type: 'SlotAllocated', allocationId: msg.allocationId },
        );
        return this;
      }
      case 'SubmitTask':
        this.submit(msg.descriptor, msg.replyTo);
        return this;
      case 'CancelTask':
        this.tasks.get(msg.executionAttemptId)?.ref.tell({ type: 'CancelTask' });
        return this;
      case 'FailTask':
        this.tasks.get(msg.executionAttemptId)?.ref.tell({ type: 'FailTask', reason: msg.reason });
        return this;
      case 'ReleaseJob':
        this.releaseJob(msg.jobId, msg.reason);
        return this;
      case 'RequestTaskWatermarks':
        this.collectWatermarks(msg);
        return this;
      case 'WatermarksCollected':
        msg.replyTo.tell({ type: 'TaskWatermarks', readings: msg.readings });
        return this;
      case 'JobManagerLost':
        this.releaseJob(msg.jobId, 'its JobManager is gone');
        return this;
      case 'TaskStateChanged': {
        const { descriptor, state, error } = msg;
        const running = this.tasks.get(descriptor.executionAttemptId);
        if (running && isTerminalExecutionState(state)) running.terminal = true;
        descriptor.jobManager.tell({
          type: 'UpdateTaskExecutionState',
          jobId: descriptor.jobId,
          jobMasterId: descriptor.jobMasterId,
          executionAttemptId: descriptor.executionAttemptId,
          state,
          ...(error ? { error } : {}),
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
        this.tasks.delete(msg.executionAttemptId);
        if (stopped && !stopped.terminal) {
          // The Task actor died without a final state (a bug): the JobManager must still hear of it.
          stopped.jobManager.tell({
            type: 'UpdateTaskExecutionState',
            jobId: stopped.jobId,
            jobMasterId: stopped.jobMasterId,
            executionAttemptId: msg.executionAttemptId,
            state: 'FAILED',
            error: { name: 'TaskFailed', message: `task ${msg.executionAttemptId} on ${this.options.resourceId} stopped unexpectedly` },
          });
        }
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
      this.options.resourceManager.tell({ type: 'SlotReport', resourceId: this.options.resourceId, slots: this.slots.report() });
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
      task({ descriptor, loader: this.options.loader, reportTo: this.reportTo, network: this.options.network, stdout: this.options.stdout }),
      `task-${executionAttemptId}`,
    );
    if (!this.jobManagers.has(jobId)) {
      this.jobManagers.set(jobId, descriptor.jobManager);
      this.context.watchWith(descriptor.jobManager as ActorRef<never>, { type: 'JobManagerLost', jobId });
    }
    this.context.watchWith(ref as ActorRef<never>, { type: 'TaskStopped', executionAttemptId });
    this.tasks.set(executionAttemptId, { ref, jobId, jobManager: descriptor.jobManager, jobMasterId: descriptor.jobMasterId, terminal: false });
    replyTo.tell({ type: 'TaskSubmitted', executionAttemptId });
  }

  /** Asks each named task of the job for its reading (each answers on its own turn), bounded per task. */
  private collectWatermarks({ jobId, executionAttemptIds, replyTo }: RequestTaskWatermarks): void {
    const { resourceId } = this.options;
    const readings = executionAttemptIds.map((executionAttemptId): Promise<TaskWatermarkReading> => {
      const running = this.tasks.get(executionAttemptId);
      if (!running || running.jobId !== jobId || running.terminal) {
        return Promise.resolve({ executionAttemptId, watermarks: null, unavailable: `it does not run on ${resourceId}` });
      }
      return this.context.system
        .ask<TaskCommand, TaskWatermarkReading>(running.ref, (reportTo) => ({ type: 'ReportWatermarks', replyTo: reportTo }), TASK_WATERMARKS_TIMEOUT_MS)
        .catch(() => ({ executionAttemptId, watermarks: null, unavailable: `its task on ${resourceId} did not answer within ${TASK_WATERMARKS_TIMEOUT_MS} ms` }));
    });
    this.context.pipeToSelf(Promise.all(readings), (result) => ({ type: 'WatermarksCollected', readings: result.ok ? result.value : [], replyTo }));
  }

  private releaseJob(jobId: JobId, reason: string): void {
    let cancelled = 0;
    for (const running of this.tasks.values()) {
      if (running.jobId === jobId && !running.terminal) {
        running.ref.tell({ type: 'CancelTask' });
        cancelled++;
      }
    }
    const freed = this.slots.freeJob(jobId);
    const jobManager = this.jobManagers.get(jobId);
    if (jobManager) this.context.unwatch(jobManager as ActorRef<never>);
    this.jobManagers.delete(jobId);
    this.options.loader.release(jobId);
    this.options.network.releaseJob(jobId);
    this.context.log.info(`released job ${jobId} (${reason}): ${cancelled} tasks cancelled, ${freed} slots freed`);
    if (this.registered && freed > 0) {
      this.options.resourceManager.tell({ type: 'SlotReport', resourceId: this.options.resourceId, slots: this.slots.report() });
    }
  }
}
