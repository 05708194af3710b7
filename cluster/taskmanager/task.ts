// The Task actor: runs one subtask, mailbox-driven (Flink's MailboxProcessor). Its default action
// is a Step message to itself: each Step moves up to STEP_RECORDS records through the operator chain,
// so a CancelTask, a processing-time timer (Mail) or, later, a checkpoint barrier is handled between
// two steps. The message trace does not list Steps and Mails one by one: they are marked aggregated,
// and while someone traces, each one's count and time go to TraceHub.aggregate (one summary a second).
//
// Lifecycle: 'loading' (job code) -> 'opening' (operators' open) -> 'running' -> 'closing' -> 'done'.
// Each state change is reported to the TaskManager, which forwards it to the JobManager.
import { type ActorContext, type ActorRef, AbstractBehavior, type Behavior, Behaviors, type Signal, markAggregated } from '../../actors/index.ts';
import type { TraceHub } from '../../actors/trace.ts';
import type { Result } from '../../actors/context.ts';
import type { CheckpointBarrier, SubtaskSnapshot } from '../../api/runtime/checkpointing/snapshot.ts';
import type { JobPlan, RunnableSubtask, StepResult, SubtaskContext } from '../../api/runtime/subtask.ts';
import { ScheduledProcessingTimeService } from '../../api/runtime/time/scheduled-processing-time-service.ts';
import { describeError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import type { JobManagerMsg, NextInputSplit } from '../../messages/job-manager.ts';
import { type ErrorInfo, type ExecutionState, toErrorInfo } from '../../messages/job-status.ts';
import type { TaskDeploymentDescriptor } from '../../messages/task-manager.ts';
import type { SubtaskWatermarks, TaskWatermarkReading } from '../../messages/watermarks.ts';
import type { SubtaskMetrics, TaskMetricsReading } from '../../messages/metrics.ts';
import type { TaskMetricsRegistry } from './metrics-registry.ts';
import { memoryUsedBytes } from './heap-watch.ts';
import type { JobId } from '../../messages/ids.ts';
import { TaskMetrics, metricsEnabled } from './task-metrics.ts';
import { JOB_MANAGER_REQUEST_TIMEOUT_MS, type JobCodeLoader, jobCodeRequest } from './job-code.ts';
import { readRestoredState } from './restored-state.ts';
import { TaskCheckpointResponder } from './task-checkpoints.ts';
import { writeStdoutLine } from './stdout.ts';
import type { LocalInputGate } from './network/input-gate.ts';
import type { NetworkEnvironment } from './network/network-environment.ts';
import type { ResultPartition } from './network/result-partition.ts';

/** Records per mailbox step: large enough to amortise the hop, small enough to stay responsive. */
export const STEP_RECORDS = 1000;
/**
 * A step that took longer than this (slow user code) is followed by a turn of the event loop before
 * the next one: timers, I/O and the checkpoint messages of other actors are not held up behind a
 * run of long steps.
 */
export const STEP_YIELD_MS = 1;
/** How long a closing task waits for the commits of completed checkpoints still running (a transactional sink's). */
export const COMMITS_BEFORE_CLOSE_MS = 30_000;

export type TaskCommand =
  | { readonly type: 'CancelTask' }
  | { readonly type: 'FailTask'; readonly reason: string }
  // weir info: the subtask's watermarks, read on the task's turn (between two steps).
  | { readonly type: 'ReportWatermarks'; readonly replyTo: ActorRef<TaskWatermarkReading> }
  // Its metrics (messages/metrics.ts), read on the task's turn.
  | { readonly type: 'ReportMetrics'; readonly replyTo: ActorRef<TaskMetricsReading> }
  // Checkpoints (messages/checkpoint.ts, handed on by the TaskManager): between two steps.
  // stopSources: weir stop's savepoint; a source reads nothing more after its barrier.
  | { readonly type: 'TriggerCheckpoint'; readonly barrier: CheckpointBarrier; readonly stopSources: boolean }
  | { readonly type: 'NotifyCheckpointComplete'; readonly checkpointId: number }
  | { readonly type: 'NotifyCheckpointAborted'; readonly checkpointId: number };

export interface TaskStateChanged {
  readonly type: 'TaskStateChanged';
  readonly descriptor: TaskDeploymentDescriptor;
  readonly state: ExecutionState;
  readonly error?: ErrorInfo;
  /** With a final state, when it ran: its last figures (Flink's IOMetrics of a TaskExecutionState). */
  readonly metrics?: SubtaskMetrics;
}

type Internal =
  | { readonly type: 'PlanReady'; readonly result: Result<JobPlan> }
  // The snapshot a restored subtask starts from was read (after PlanReady).
  | { readonly type: 'StateRead'; readonly plan: JobPlan; readonly result: Result<SubtaskSnapshot | undefined> }
  // A transactional sink's commit (notifyCheckpointComplete) failed: the task fails.
  | { readonly type: 'CommitFailed'; readonly checkpointId: number; readonly error: unknown }
  | { readonly type: 'Opened'; readonly result: Result<void> }
  | { readonly type: 'Step' }
  | { readonly type: 'FlushOutputs' }
  // A record this task emitted cannot be sent to a consumer (see ResultPartition); may come from outside a step.
  | { readonly type: 'OutputFailed'; readonly error: Error }
  // A processing-time timer of the subtask is due: it runs on the task's turn, between steps.
  | { readonly type: 'Mail'; readonly run: () => void }
  | { readonly type: 'Closed'; readonly result: Result<void>; readonly final: ExecutionState; readonly error?: ErrorInfo };

type Msg = TaskCommand | Internal;

type Phase = 'loading' | 'opening' | 'running' | 'closing' | 'done';

export interface TaskOptions {
  readonly descriptor: TaskDeploymentDescriptor;
  readonly loader: JobCodeLoader;
  readonly reportTo: ActorRef<TaskStateChanged>;
  readonly network: NetworkEnvironment;
  readonly stdout?: (line: string) => void;
  /** Where the task's metrics are readable in-process while it runs (its TaskManager's). */
  readonly metricsRegistry?: TaskMetricsRegistry;
  /** The TaskManager's id, for the registry's labels. */
  readonly taskManagerId?: string;
  /** With taskmanager.memory.heap.size or .process.size: each step's heap and off-heap growth is recorded for its job (heap-watch.ts). */
  readonly heapAccounting?: { record(jobId: JobId, bytes: number): void };
}

export function task(options: TaskOptions): Behavior<TaskCommand> {
  return Behaviors.setup<Msg>((ctx) => new Task(ctx, options)) as unknown as Behavior<TaskCommand>;
}

const STEP: Internal = markAggregated({ type: 'Step' });

class Task extends AbstractBehavior<Msg> {
  private phase: Phase = 'loading';
  private subtask: RunnableSubtask | undefined;
  /** A cancel or fail that arrived while loading or opening; applied when that completes. */
  private pendingStop: { final: ExecutionState; error?: ErrorInfo } | undefined;
  private readonly descriptor: TaskDeploymentDescriptor;
  private outputs: ResultPartition[] = [];
  /** Buffer timeout 0: the outputs are flushed after every step instead of by a timer. */
  private flushEachStep = false;
  private inputs: LocalInputGate[] = [];
  /** Processing time for the subtask: the system's clock, and timers that come back as Mail. */
  private readonly timeService: ScheduledProcessingTimeService;
  /**
   * The commits of completed checkpoints (notifyCheckpointComplete) still running: a stop right after
   * a savepoint must not close the sink before it committed the savepoint's transactions.
   */
  private committing: Promise<unknown> = Promise.resolve();
  /** Writes and acknowledges the subtask's snapshots; absent when the job does not checkpoint. */
  private readonly checkpointResponder: TaskCheckpointResponder | undefined;
  /** Its figures; null when metrics collection is switched off (benchmarks). */
  private readonly metrics: TaskMetrics | null = metricsEnabled() ? new TaskMetrics() : null;
  /** It ran (its final report carries its figures). */
  private ran = false;
  private readonly trace: TraceHub;

  constructor(
    ctx: ActorContext<Msg>,
    private readonly options: TaskOptions,
  ) {
    super(ctx);
    this.descriptor = options.descriptor;
    const self = ctx.self;
    this.timeService = new ScheduledProcessingTimeService(ctx.system.scheduler, (run) => self.tell(markAggregated({ type: 'Mail', run })));
    this.trace = ctx.system.traceHub;
    // Its Step, CancelTask, TriggerCheckpoint... carry no job id: the trace takes it from here.
    this.trace.setActorJob(ctx.self.path, this.descriptor.jobId);
    const checkpointing = this.descriptor.checkpoint;
    this.checkpointResponder = checkpointing ? new TaskCheckpointResponder(this.descriptor, checkpointing.directory, (message) => ctx.log.warn(message)) : undefined;
    this.report('INITIALIZING');
    ctx.pipeToSelf(options.loader.load(jobCodeRequest(ctx.system, this.descriptor)), (result) => ({ type: 'PlanReady', result }));
  }

  onMessage(msg: Msg): Behavior<Msg> {
    switch (msg.type) {
      case 'PlanReady':
        return this.onPlanReady(msg.result);
      case 'StateRead':
        if (!msg.result.ok) return this.finish('FAILED', this.describe('restoring its state failed', msg.result.error));
        return this.build(msg.plan, msg.result.value);
      case 'TriggerCheckpoint':
        return this.triggerCheckpoint(msg.barrier, msg.stopSources);
      case 'NotifyCheckpointComplete':
        return this.checkpointComplete(msg.checkpointId);
      case 'NotifyCheckpointAborted':
        this.checkpointResponder?.abort(msg.checkpointId);
        if (this.phase === 'running') this.subtask?.notifyCheckpointAborted(msg.checkpointId);
        return this;
      case 'CommitFailed': {
        const error = this.describe(`committing checkpoint ${msg.checkpointId} failed`, msg.error);
        return this.phase === 'running' ? this.failRunning(error) : this;
      }
      case 'Opened':
        if (!msg.result.ok) return this.closeThen('FAILED', this.describe('open failed', msg.result.error));
        if (this.pendingStop) return this.closeThen(this.pendingStop.final, this.pendingStop.error);
        this.phase = 'running';
        this.startMetrics();
        this.report('RUNNING');
        if (this.outputs.length > 0 && this.descriptor.bufferTimeoutMs > 0) {
          // Partly filled batches wait at most the buffer timeout (Flink's output flusher).
          this.context.timers.startTimerAtFixedRate('flush', { type: 'FlushOutputs' }, this.descriptor.bufferTimeoutMs);
        }
        this.context.self.tell(STEP);
        return this;
      case 'FlushOutputs':
        for (const output of this.outputs) output.flush();
        return this;
      case 'Step':
        return this.phase === 'running' ? this.step() : this;
      case 'Mail':
        return this.phase === 'running' ? this.runMail(msg.run) : this;
      case 'CancelTask':
        return this.stopWith('CANCELED');
      case 'FailTask':
        return this.stopWith('FAILED', { name: 'TaskFailed', message: msg.reason });
      case 'ReportWatermarks':
        msg.replyTo.tell(this.watermarkReading());
        return this;
      case 'ReportMetrics':
        msg.replyTo.tell(this.metricsReading());
        return this;
      case 'OutputFailed': {
        // Its own fault, as a throw in a step: no CANCELING on the way (that is for stops from outside).
        const error = this.describe('failed', msg.error);
        return this.phase === 'running' ? this.failRunning(error) : this.stopWith('FAILED', error);
      }
      case 'Closed': {
        const closeError = msg.result.ok ? undefined : this.describe('close failed', msg.result.error);
        const final = msg.final === 'FINISHED' && closeError ? 'FAILED' : msg.final;
        this.phase = 'done';
        this.context.timers.cancel('flush');
        // A finished task's partitions stay until their consumers drained them (the job's release
        // drops them); a cancelled or failed task's go now.
        if (final !== 'FINISHED') this.releaseNetwork();
        this.report(final, msg.error ?? closeError, this.finalMetrics());
        this.options.metricsRegistry?.unregister(this.descriptor.executionAttemptId);
        return Behaviors.stopped;
      }
      default:
        // Another protocol's message (a task's path is reachable from the wire): logged and dropped.
        msg satisfies never;
        return Behaviors.unhandled;
    }
  }

  override onSignal(signal: Signal): Behavior<Msg> {
    // Stopped from outside before it ended (its TaskManager or the whole system stops): stop the
    // user's source too, or an observable would stay subscribed after the cluster is gone.
    if (signal.signal === 'PostStop') {
      this.timeService.shutdown();
      this.options.metricsRegistry?.unregister(this.descriptor.executionAttemptId);
      this.trace.forgetActorJob(this.context.self.path);
    }
    if (signal.signal === 'PostStop' && this.phase !== 'done') {
      this.checkpointResponder?.abortAll();
      this.subtask?.cancel();
      if (this.phase !== 'closing') this.subtask?.close().catch(() => undefined);
      this.releaseNetwork();
    }
    return this;
  }

  private onPlanReady(result: Result<JobPlan>): Behavior<Msg> {
    if (!result.ok) return this.finish('FAILED', this.describe('loading the job code failed', result.error));
    if (this.pendingStop) return this.finish(this.pendingStop.final, this.pendingStop.error);
    const restoring = readRestoredState(this.descriptor);
    if (restoring) {
      const plan = result.value;
      this.context.pipeToSelf(restoring, (state) => ({ type: 'StateRead', plan, result: state }));
      return this;
    }
    return this.build(result.value, undefined);
  }

  private build(plan: JobPlan, restoredState: SubtaskSnapshot | undefined): Behavior<Msg> {
    if (this.pendingStop) return this.finish(this.pendingStop.final, this.pendingStop.error);
    try {
      const { network } = this.options;
      const { outputs, inputs, bufferTimeoutMs } = this.descriptor;
      const self = this.context.self;
      const onFailure = (error: Error): void => self.tell({ type: 'OutputFailed', error });
      this.outputs = outputs.map(({ partitionKey, subpartitions, producer }) => network.createPartition(partitionKey, subpartitions, bufferTimeoutMs, { producer, onFailure }));
      this.flushEachStep = bufferTimeoutMs === 0 && this.outputs.length > 0;
      this.inputs = inputs.map((input) => network.createGate(input.channels));
      this.subtask = plan.createSubtask(this.descriptor.vertex, this.subtaskContext(restoredState));
    } catch (error) {
      this.releaseNetwork();
      return this.finish('FAILED', this.describe('building the operator chain failed', error));
    }
    this.phase = 'opening';
    this.context.pipeToSelf(this.subtask.open(), (opened) => ({ type: 'Opened', result: opened }));
    return this;
  }

  private step(): Behavior<Msg> {
    let result: StepResult;
    const started = performance.now();
    this.metrics?.stepStarted(started);
    const heap = this.options.heapAccounting;
    const heapBefore = heap ? memoryUsedBytes() : 0;
    try {
      result = (this.subtask as RunnableSubtask).step(STEP_RECORDS);
    } catch (error) {
      return this.failRunning(this.describe('failed', error));
    }
    heap?.record(this.descriptor.jobId, memoryUsedBytes() - heapBefore);
    // Buffer timeout 0: what the step emitted leaves now (one batch per channel, not one per record).
    if (this.flushEachStep) for (const output of this.outputs) output.flush();
    if (this.trace.active) this.trace.aggregate(this.context.self.path, 'Step', performance.now() - started);
    switch (result.kind) {
      case 'more':
        if (performance.now() - started > STEP_YIELD_MS) {
          const self = this.context.self;
          setImmediate(() => self.tell(STEP));
        } else this.context.self.tell(STEP);
        return this;
      case 'wait':
        this.metrics?.waitBegan(result.waitingFor ?? 'busy', performance.now());
        {
          // The Step itself comes back when the wait is over (not a piped result): the trace counts it
          // with the other Steps instead of listing a message per wait.
          const self = this.context.self;
          result.until.then(
            () => self.tell(STEP),
            (error: unknown) => self.tell({ type: 'FailTask', reason: this.describe('waiting for input failed', error).message }),
          );
        }
        return this;
      case 'finished':
        return this.closeThen('FINISHED');
      default: {
        const impossible: never = result;
        return impossible;
      }
    }
  }

  /** A timer's callback; what it throws fails the task like a throw in a step (the subtask names the operator). */
  private runMail(run: () => void): Behavior<Msg> {
    const started = this.trace.active ? performance.now() : 0;
    try {
      (this.subtask as RunnableSubtask).runMail(run);
    } catch (error) {
      return this.failRunning(this.describe('failed', error));
    }
    if (this.flushEachStep) for (const output of this.outputs) output.flush();
    if (this.trace.active) this.trace.aggregate(this.context.self.path, 'Mail', performance.now() - started);
    return this;
  }

  /** A source subtask snapshots now and sends the barrier on; a task that is not running declines (not a failure). */
  private triggerCheckpoint(barrier: CheckpointBarrier, stopSources: boolean): Behavior<Msg> {
    if (this.phase !== 'running' || !this.subtask) {
      this.checkpointResponder?.decline(barrier.checkpointId, `${this.name()} is ${this.phase}, not running`);
      return this;
    }
    try {
      this.subtask.triggerCheckpoint(barrier);
      // Flink's stop-with-savepoint: nothing after the savepoint is emitted, so no sink sees a
      // record twice when the job resumes from it. The JobManager cancels the job once it completes.
      if (stopSources) this.subtask.suspend();
    } catch (error) {
      return this.failRunning(this.describe(`checkpoint ${barrier.checkpointId} failed`, error));
    }
    // The barrier leaves at once (it is what downstream tasks wait for), not at the buffer timeout.
    for (const output of this.outputs) output.flush();
    return this;
  }

  private checkpointComplete(checkpointId: number): Behavior<Msg> {
    this.checkpointResponder?.completed(checkpointId);
    if (this.phase !== 'running' || !this.subtask) return this;
    let committing: Promise<void> | null;
    try {
      committing = this.subtask.notifyCheckpointComplete(checkpointId);
    } catch (error) {
      return this.failRunning(this.describe(`committing checkpoint ${checkpointId} failed`, error));
    }
    const self = this.context.self;
    if (committing) {
      committing.catch((error: unknown) => self.tell({ type: 'CommitFailed', checkpointId, error }));
      this.committing = Promise.allSettled([this.committing, committing]);
    }
    return this;
  }

  /** Only a running subtask has event time to show; a reader's splitWatermarks() hook is user code and may throw. */
  private watermarkReading(): TaskWatermarkReading {
    const { executionAttemptId } = this.descriptor;
    if (this.phase !== 'running' || !this.subtask) return { executionAttemptId, watermarks: null, unavailable: `the task is ${this.phase}` };
    try {
      return { executionAttemptId, watermarks: this.subtask.inspectWatermarks() };
    } catch (error) {
      return { executionAttemptId, watermarks: null, unavailable: `reading its watermarks failed: ${describeError(error)}` };
    }
  }

  /** Its figures now, for a client (weir info); only a running task has them. */
  private metricsReading(): TaskMetricsReading {
    const { executionAttemptId } = this.descriptor;
    if (!this.metrics) return { executionAttemptId, metrics: null, unavailable: 'metrics collection is off (WEIR_METRICS=off)' };
    if (this.phase !== 'running' || !this.subtask) return { executionAttemptId, metrics: null, unavailable: `the task is ${this.phase}` };
    return { executionAttemptId, metrics: this.readMetrics() };
  }

  private readMetrics(): SubtaskMetrics {
    let watermarks: SubtaskWatermarks | null = null;
    try {
      watermarks = this.subtask?.inspectWatermarks() ?? null;
    } catch {
      // A reader's splitWatermarks() hook is user code; its figures go without watermarks then.
    }
    return (this.metrics as TaskMetrics).read(performance.now(), watermarks);
  }

  /** The task runs: its rates start now, and its figures are readable in-process. */
  private startMetrics(): void {
    if (!this.metrics) return;
    this.ran = true;
    this.metrics.start(this.inputs, this.outputs, performance.now());
    const { jobId, jobName, vertex, subtaskIndex, attemptNumber, executionAttemptId } = this.descriptor;
    const labels = { jobId, jobName, vertexId: vertex.id, vertexName: vertex.name, subtaskIndex, attemptNumber, executionAttemptId, taskManagerId: this.options.taskManagerId ?? '' };
    this.options.metricsRegistry?.register(labels, () => this.readMetrics());
  }

  private finalMetrics(): SubtaskMetrics | undefined {
    return this.ran && this.metrics ? this.readMetrics() : undefined;
  }

  private stopWith(final: ExecutionState, error?: ErrorInfo): Behavior<Msg> {
    switch (this.phase) {
      case 'loading':
      case 'opening':
        this.pendingStop ??= { final, error };
        return this;
      case 'running':
        this.report('CANCELING');
        this.subtask?.cancel();
        return this.closeThen(final, error);
      default:
        return this; // already closing or done
    }
  }

  private failRunning(error: ErrorInfo): Behavior<Msg> {
    this.subtask?.cancel();
    return this.closeThen('FAILED', error);
  }

  private closeThen(final: ExecutionState, error?: ErrorInfo): Behavior<Msg> {
    if (this.phase === 'closing' || this.phase === 'done') return this;
    this.phase = 'closing';
    const subtask = this.subtask;
    // A finished task's snapshots still being written finish first: its final state means it writes
    // nothing more. A cancelled or failed task's stop now (their checkpoints cannot complete).
    if (final !== 'FINISHED') this.checkpointResponder?.abortAll();
    const writing = this.checkpointResponder?.settled() ?? Promise.resolve();
    // Commits of completed checkpoints finish before the sink closes (bounded: a commit that hangs
    // must not keep the task, and its slot, forever).
    let bound: NodeJS.Timeout | undefined;
    const commits = Promise.race([this.committing, new Promise((resolve) => (bound = setTimeout(resolve, COMMITS_BEFORE_CLOSE_MS)))]).finally(() => clearTimeout(bound));
    const closed = commits.then(() => (subtask ? subtask.close() : undefined)).finally(() => writing);
    this.context.pipeToSelf(closed, (result) => ({ type: 'Closed', result, final, error }));
    return this;
  }

  private finish(final: ExecutionState, error?: ErrorInfo): Behavior<Msg> {
    this.phase = 'done';
    this.releaseNetwork();
    this.report(final, error);
    return Behaviors.stopped;
  }

  private releaseNetwork(): void {
    for (const output of this.outputs) this.options.network.releasePartition(output.key);
    for (const input of this.inputs) input.release();
  }

  private report(state: ExecutionState, error?: ErrorInfo, metrics?: SubtaskMetrics): void {
    this.options.reportTo.tell({ type: 'TaskStateChanged', descriptor: this.descriptor, state, ...(error ? { error } : {}), ...(metrics ? { metrics } : {}) });
  }

  private describe(what: string, error: unknown): ErrorInfo {
    const info = toErrorInfo(error);
    const { vertex, subtaskIndex } = this.descriptor;
    return { ...info, message: `${vertex.name} (${subtaskIndex + 1}/${vertex.parallelism}): ${what}: ${info.message}` };
  }

  private name(): string {
    const { vertex, subtaskIndex } = this.descriptor;
    return `${vertex.name} (${subtaskIndex + 1}/${vertex.parallelism})`;
  }

  private subtaskContext(restoredState: SubtaskSnapshot | undefined): SubtaskContext {
    const { descriptor } = this;
    const system = this.context.system;
    return {
      jobId: descriptor.jobId,
      jobName: descriptor.jobName,
      executionAttemptId: descriptor.executionAttemptId,
      subtaskIndex: descriptor.subtaskIndex,
      parallelism: descriptor.vertex.parallelism,
      maxParallelism: descriptor.maxParallelism,
      attemptNumber: descriptor.attemptNumber,
      // A source's enumerator may have no answer yet ('retry'): ask again, as long as it takes.
      requestSplit: async (): Promise<InputSplit | null> => {
        for (;;) {
          const reply = await system.ask<JobManagerMsg, NextInputSplit>(
            descriptor.jobManager,
            (replyTo) => ({
              type: 'RequestNextInputSplit',
              jobMasterId: descriptor.jobMasterId,
              executionAttemptId: descriptor.executionAttemptId,
              vertexId: descriptor.vertex.id,
              replyTo,
            }),
            JOB_MANAGER_REQUEST_TIMEOUT_MS,
          );
          if (!reply.retry || this.phase !== 'running') return reply.split;
        }
      },
      stdout: this.options.stdout ?? writeStdoutLine,
      inputs: this.inputs,
      outputs: this.outputs,
      processingTimeService: this.timeService,
      ...(this.metrics ? { metrics: this.metrics.registry } : {}),
      ...(this.checkpointResponder ? { checkpointResponder: this.checkpointResponder } : {}),
      ...(restoredState ? { restoredState } : {}),
      ...(descriptor.checkpoint?.allowNonRestoredState ? { allowNonRestoredState: true } : {}),
      ...(descriptor.checkpoint?.finalCheckpoint ? { finalCheckpoint: true } : {}),
    };
  }
}
