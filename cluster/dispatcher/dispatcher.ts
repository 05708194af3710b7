// The Dispatcher actor: accepts jobs, starts one JobManager per job, keeps every job's overview (also
// after it ended), and sends JobStatusChanged to each job's subscribers. A subscriber may subscribe
// before it submits (the client does, so that it misses no status).
import { type ActorContext, type ActorRef, AbstractBehavior, type Behavior, Behaviors, type Signal, resume, supervise } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import { createHash } from 'node:crypto';
import { type CheckpointStats, type DispatcherMsg, type JobDetails, type JobException, type JobOverview, MAX_EXCEPTION_HISTORY, type PlanVertex, type SlotWait, type SubmitJob, type VertexDetails } from '../../messages/dispatcher.ts';
import { describeError } from '../../messages/errors.ts';
import { type JobId, JobIdSchema } from '../../messages/ids.ts';
import type { JobGraph, JobVertex } from '../../messages/job-graph.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import type { SubtaskMetricsReport } from '../../messages/metrics.ts';
import { type ErrorInfo, type JobStatus, type JobStatusChanged, isTerminalJobStatus, jobStatusChanged } from '../../messages/job-status.ts';
import type { ClusterOverview, ResourceManagerMsg } from '../../messages/resource-manager.ts';
import type { JobUpdated } from '../jobmanager/events.ts';
import { jobManager } from '../jobmanager/job-manager.ts';
import type { JobCodeLoader } from '../taskmanager/job-code.ts';
import { join } from 'node:path';
import type { ResolvedCheckpointing } from '../jobmanager/checkpoint-coordinator.ts';
import { createRestartBackoff, describeRestartStrategy } from '../jobmanager/restart-strategy.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { type FaultToleranceConfig, checkpointingFor, checkpointingProblem, restartStrategyFor } from '../config/fault-tolerance.ts';

export interface DispatcherOptions {
  readonly resourceManager: ActorRef<ResourceManagerMsg>;
  /** Flink's slot.request.timeout; default 5 minutes. */
  readonly slotRequestTimeoutMs?: number;
  /** Called with each accepted job's bundle hash and bundle (the mini cluster registers its module). */
  readonly onJobAccepted?: (submit: SubmitJob, bundleHash: string) => void;
  /** Loads a job's code where a JobManager needs it (the split enumerators of fromSource). */
  readonly jobCode?: JobCodeLoader;
  /** How long a JobManager holds a split request for a pending enumerator; default SPLIT_POLL_MS. */
  readonly splitPollMs?: number;
  /** The cluster's `execution.checkpointing.*` and `restart-strategy.*` keys; default Flink's defaults. */
  readonly faultTolerance?: FaultToleranceConfig;
  /**
   * Where checkpoints go when neither the job nor execution.checkpointing.dir says (standalone
   * `<env.log.dir>/checkpoints`, embedded a temporary directory). Without any directory a job can
   * take neither checkpoints nor savepoints.
   */
  readonly checkpointsDirectory?: string;
  /** Where a savepoint that names no directory goes (execution.checkpointing.savepoint-dir). */
  readonly savepointsDirectory?: string;
}

type Internal =
  | JobUpdated
  | { readonly type: 'SubscriberGone'; readonly jobId: JobId; readonly path: string }
  | { readonly type: 'JobManagerStopped'; readonly jobId: JobId; readonly error: unknown }
  | { readonly type: 'ClusterOverviewResult'; readonly result: Result<ClusterOverview>; readonly replyTo: ActorRef<import('../../messages/dispatcher.ts').ClusterInfo> };

type Msg = DispatcherMsg | Internal;

interface JobEntry {
  overview: JobOverview;
  vertices: readonly VertexDetails[];
  /** The latest checkpoint statistics its JobManager published. */
  checkpoints?: CheckpointStats;
  /** When it entered each status (for the REST API's timestamps). */
  timestamps: Partial<Record<JobStatus, number>>;
  readonly plan: readonly PlanVertex[];
  /** Every failure its JobManager reported, oldest first, at most MAX_EXCEPTION_HISTORY. */
  exceptions: JobException[];
  /** Once the job ended: every subtask's last figures (Flink's archived IO metrics). */
  finalMetrics?: readonly SubtaskMetricsReport[];
  /** As its JobManager last published; absent once it has its slots. */
  waitingForSlots?: SlotWait;
  jobManager?: ActorRef<JobManagerMsg>;
}

/** Flink's upper bound for maxParallelism (key groups are numbered below it). */
export const UPPER_BOUND_MAX_PARALLELISM = 32_768;

export function dispatcher(options: DispatcherOptions): Behavior<DispatcherMsg> {
  // resume: a handler that throws drops its message and the Dispatcher goes on with the jobs it
  // knows. Each handler checks before it changes anything; a restart would forget every job and
  // stop every JobManager (its children), which no bad message may cause.
  return supervise(Behaviors.setup<Msg>((ctx) => new Dispatcher(ctx, options)), resume()) as unknown as Behavior<DispatcherMsg>;
}

class Dispatcher extends AbstractBehavior<Msg> {
  private readonly jobs = new Map<JobId, JobEntry>();
  /** Subscribers by job, by path; kept for jobs not submitted yet too. */
  private readonly subscribers = new Map<JobId, Map<string, ActorRef<JobStatusChanged>>>();
  private readonly events: ActorRef<JobUpdated>;

  constructor(
    ctx: ActorContext<Msg>,
    private readonly options: DispatcherOptions,
  ) {
    super(ctx);
    this.events = ctx.self as ActorRef<JobUpdated>;
  }

  onMessage(msg: Msg): Behavior<Msg> {
    switch (msg.type) {
      case 'SubmitJob':
        this.submit(msg);
        return this;
      case 'JobUpdated':
        this.updated(msg);
        return this;
      case 'CancelJob': {
        const entry = this.jobs.get(msg.jobId);
        if (!entry) msg.replyTo.tell({ type: 'CancellationFailure', jobId: msg.jobId, reason: `no job ${msg.jobId} on this cluster` });
        else if (!entry.jobManager || isTerminalJobStatus(entry.overview.status)) {
          msg.replyTo.tell({ type: 'CancellationFailure', jobId: msg.jobId, reason: `job ${msg.jobId} already ended ${entry.overview.status}` });
        } else {
          entry.jobManager.tell({ type: 'CancelJobExecution' });
          msg.replyTo.tell({ type: 'CancellationSuccess', jobId: msg.jobId });
        }
        return this;
      }
      case 'ListJobs':
        msg.replyTo.tell({ type: 'JobList', jobs: [...this.jobs.values()].map((entry) => entry.overview) });
        return this;
      case 'RequestJobDetails': {
        const entry = this.jobs.get(msg.jobId);
        msg.replyTo.tell(entry ? detailsOf(entry) : { type: 'JobNotFound', jobId: msg.jobId });
        return this;
      }
      case 'RequestJobWatermarks': {
        // The JobManager gathers them from its TaskManagers and answers the client itself.
        const entry = this.jobs.get(msg.jobId);
        if (!entry) msg.replyTo.tell({ type: 'JobNotFound', jobId: msg.jobId });
        else if (!entry.jobManager) msg.replyTo.tell({ type: 'JobWatermarks', jobId: msg.jobId, subtasks: [] });
        else entry.jobManager.tell(msg);
        return this;
      }
      case 'RequestJobMetrics': {
        // The JobManager gathers them from its TaskManagers and answers the client itself; an ended
        // job's are the final figures its JobManager published as it ended.
        const entry = this.jobs.get(msg.jobId);
        if (!entry) msg.replyTo.tell({ type: 'JobNotFound', jobId: msg.jobId });
        else if (!entry.jobManager) msg.replyTo.tell({ type: 'JobMetrics', jobId: msg.jobId, subtasks: entry.finalMetrics ?? [] });
        else entry.jobManager.tell(msg);
        return this;
      }
      case 'RequestTaskManagers':
      case 'RequestTaskManagerDetails':
        // The ResourceManager knows the TaskManagers: it asks each and answers the client itself.
        this.options.resourceManager.tell(msg);
        return this;
      case 'TriggerSavepoint': {
        // The JobManager takes it and answers the client itself.
        const entry = this.jobs.get(msg.jobId);
        if (!entry) msg.replyTo.tell({ type: 'JobNotFound', jobId: msg.jobId });
        else if (!entry.jobManager || isTerminalJobStatus(entry.overview.status)) {
          msg.replyTo.tell({ type: 'SavepointFailed', jobId: msg.jobId, reason: `job ${msg.jobId} is ${entry.overview.status}` });
        } else entry.jobManager.tell(msg);
        return this;
      }
      case 'SubscribeJobStatus': {
        let subscribers = this.subscribers.get(msg.jobId);
        if (!subscribers) this.subscribers.set(msg.jobId, (subscribers = new Map()));
        subscribers.set(msg.subscriber.path, msg.subscriber);
        this.context.watchWith(msg.subscriber as ActorRef<never>, { type: 'SubscriberGone', jobId: msg.jobId, path: msg.subscriber.path });
        const entry = this.jobs.get(msg.jobId);
        if (entry) msg.subscriber.tell(this.statusOf(entry));
        return this;
      }
      case 'SubscriberGone':
        this.subscribers.get(msg.jobId)?.delete(msg.path);
        return this;
      case 'JobManagerStopped': {
        // A JobManager stops after its terminal JobUpdated; one that stopped before (it crashed)
        // would leave its job running forever.
        const entry = this.jobs.get(msg.jobId);
        if (!entry || isTerminalJobStatus(entry.overview.status)) return this;
        const message = `the JobManager of job ${msg.jobId} stopped unexpectedly: ${msg.error === undefined ? 'no error given' : describeError(msg.error)}`;
        this.updated({ type: 'JobUpdated', jobId: msg.jobId, status: 'FAILED', vertices: entry.vertices, error: { name: 'JobManagerFailed', message } });
        return this;
      }
      case 'RequestClusterInfo':
        this.context.ask<ResourceManagerMsg, ClusterOverview>(
          this.options.resourceManager,
          (replyTo) => ({ type: 'RequestClusterOverview', replyTo }),
          5_000,
          (result) => ({ type: 'ClusterOverviewResult', result, replyTo: msg.replyTo }),
        );
        return this;
      case 'WatchTaskManagers':
        // The ResourceManager knows them; it answers the watcher itself (the cluster trace's).
        this.options.resourceManager.tell(msg);
        return this;
      case 'ClusterOverviewResult': {
        const overview = msg.result.ok ? msg.result.value : { taskManagers: 0, slotsTotal: 0, slotsFree: 0 };
        const runningJobs = [...this.jobs.values()].filter((entry) => !isTerminalJobStatus(entry.overview.status)).length;
        msg.replyTo.tell({ type: 'ClusterInfo', taskManagers: overview.taskManagers, slotsTotal: overview.slotsTotal, slotsFree: overview.slotsFree, runningJobs });
        return this;
      }
      default:
        // Another protocol's message (the compiler proves ours are all handled): logged and dropped.
        msg satisfies never;
        return Behaviors.unhandled;
    }
  }

  override onSignal(signal: Signal): Behavior<Msg> {
    if (signal.signal !== 'Terminated') return Behaviors.unhandled;
    // Terminated overtakes the JobManager's last JobUpdated (signals go first): look once that is handled.
    for (const [jobId, entry] of this.jobs) {
      if (entry.jobManager?.path === signal.ref.path) this.context.self.tell({ type: 'JobManagerStopped', jobId, error: signal.error });
    }
    return this;
  }

  private submit(msg: SubmitJob): void {
    // The id names the JobManager actor and the job's bundle directory: a local submission (the
    // wire already refused such ids) gets the same check, as a reason the client can show.
    const problem =
      JobIdSchema.explain(msg.jobId, 'jobId') ??
      this.existing(msg.jobId) ??
      validateJobGraph(msg.jobGraph) ??
      checkpointingProblem(this.options.faultTolerance ?? DEFAULT_CONFIG, msg.jobGraph) ??
      (typeof msg.bundle !== 'string' || msg.bundle.length === 0 ? 'the job bundle is empty' : undefined);
    if (problem) {
      this.context.log.warn(`rejected job ${msg.jobId}: ${problem}`);
      msg.replyTo.tell({ type: 'JobRejected', jobId: msg.jobId, reason: problem });
      return;
    }
    const bundleHash = createHash('sha256').update(msg.bundle).digest('hex').slice(0, 16);
    this.options.onJobAccepted?.(msg, bundleHash);
    const parallelism = Math.max(...msg.jobGraph.vertices.map((vertex) => vertex.parallelism));
    const entry: JobEntry = {
      overview: { jobId: msg.jobId, name: msg.jobGraph.name, status: 'INITIALIZING', startTime: Date.now(), endTime: null, parallelism },
      vertices: [],
      timestamps: { INITIALIZING: Date.now() },
      plan: msg.jobGraph.vertices.map(({ id, name, parallelism, inputs }) => ({ id, name, parallelism, inputs: inputs.map(({ sourceVertexId, partitioning }) => ({ sourceVertexId, partitioning })) })),
      exceptions: [],
    };
    // Spawned first: if that throws, the Dispatcher knows nothing of the job (its JobManager's first
    // JobUpdated is a message to self, handled after this).
    const faultTolerance = this.options.faultTolerance ?? DEFAULT_CONFIG;
    const checkpointing = this.checkpointingOf(msg.jobId, msg.jobGraph, faultTolerance);
    const strategy = restartStrategyFor(faultTolerance, msg.jobGraph);
    // A job that never restarts fails as before, with its cause alone.
    const restart = strategy.type === 'none' ? undefined : createRestartBackoff(strategy);
    if (restart) this.context.log.info(`job ${msg.jobId} restarts with ${describeRestartStrategy(strategy)}`);
    const jobManagerRef = this.context.spawn(
      jobManager({
        jobId: msg.jobId,
        graph: msg.jobGraph,
        bundle: msg.bundle,
        bundleHash,
        args: msg.args,
        ...(msg.planParallelism !== undefined ? { planParallelism: msg.planParallelism } : {}),
        resourceManager: this.options.resourceManager,
        events: this.events,
        slotRequestTimeoutMs: this.options.slotRequestTimeoutMs ?? 300_000,
        ...(this.options.jobCode ? { jobCode: this.options.jobCode } : {}),
        ...(this.options.splitPollMs !== undefined ? { splitPollMs: this.options.splitPollMs } : {}),
        ...(checkpointing ? { checkpointing } : {}),
        ...(restart ? { restart } : {}),
        ...(msg.savepointPath !== undefined ? { restoreFrom: { path: msg.savepointPath, allowNonRestoredState: msg.allowNonRestoredState === true } } : {}),
        ...(this.options.savepointsDirectory !== undefined ? { savepointsDirectory: this.options.savepointsDirectory } : {}),
      }),
      `job-${msg.jobId}`,
    );
    entry.jobManager = jobManagerRef;
    this.jobs.set(msg.jobId, entry);
    this.notify(entry);
    this.context.watch(jobManagerRef as ActorRef<never>);
    this.context.log.info(`accepted job ${msg.jobId} "${msg.jobGraph.name}"`);
    msg.replyTo.tell({ type: 'JobSubmitted', jobId: msg.jobId });
  }

  /**
   * The job's checkpointing (its own settings over the cluster's over Flink's defaults). A job that
   * does not checkpoint can still take savepoints: interval 0. Without any directory, neither.
   */
  private checkpointingOf(jobId: JobId, graph: JobGraph, faultTolerance: FaultToleranceConfig): ResolvedCheckpointing | undefined {
    const resolved = checkpointingFor(faultTolerance, graph);
    const directory = resolved?.directory ?? faultTolerance.checkpointsDir ?? this.options.checkpointsDirectory;
    if (directory === undefined || directory === null) {
      if (resolved) this.context.log.warn(`job ${jobId} asks for checkpoints, but this cluster has no checkpoint directory (execution.checkpointing.dir) and the job names none: it runs without checkpoints`);
      return undefined;
    }
    const { intervalMs = 0, mode, timeoutMs, minPauseMs, maxConcurrent, tolerableFailures, retained, retention, unaligned = false, alignedCheckpointTimeoutMs = 0 } = resolved ?? {
      mode: faultTolerance.checkpointingMode,
      timeoutMs: faultTolerance.checkpointTimeoutMs,
      minPauseMs: faultTolerance.checkpointMinPauseMs,
      maxConcurrent: faultTolerance.maxConcurrentCheckpoints,
      tolerableFailures: faultTolerance.tolerableFailedCheckpoints,
      retained: faultTolerance.retainedCheckpoints,
      retention: faultTolerance.checkpointRetention,
    };
    return { intervalMs, mode, timeoutMs, minPauseMs, maxConcurrent, tolerableFailures, retained, retention, unaligned, alignedCheckpointTimeoutMs, jobDirectory: join(directory, jobId) };
  }

  private existing(jobId: JobId): string | undefined {
    return this.jobs.has(jobId) ? `a job with id ${jobId} was already submitted` : undefined;
  }

  private updated(update: JobUpdated): void {
    const entry = this.jobs.get(update.jobId);
    if (!entry) return;
    const changed = entry.overview.status !== update.status;
    const terminal = isTerminalJobStatus(update.status);
    // One reading of the clock: a terminal status's timestamp is the job's end time (Flink's
    // last-modification of a finished job equals its end-time).
    const now = Date.now();
    entry.vertices = update.vertices;
    if (update.checkpoints) entry.checkpoints = update.checkpoints;
    if (changed) entry.timestamps[update.status] = now;
    if (update.error) recordException(entry.exceptions, update.error);
    // A restart's cause goes to the history only: the job runs again, it has not failed.
    const error = update.status === 'RESTARTING' ? undefined : update.error;
    if (update.finalMetrics) entry.finalMetrics = update.finalMetrics;
    entry.waitingForSlots = update.waitingForSlots;
    entry.overview = {
      ...entry.overview,
      status: update.status,
      endTime: terminal ? (changed ? now : (entry.overview.endTime ?? now)) : null,
      ...(error ? { error } : {}),
    };
    if (terminal) entry.jobManager = undefined;
    if (changed) this.notify(entry);
    if (terminal) {
      for (const subscriber of this.subscribers.get(update.jobId)?.values() ?? []) this.context.unwatch(subscriber as ActorRef<never>);
      this.subscribers.delete(update.jobId);
    }
  }

  private notify(entry: JobEntry): void {
    const event = this.statusOf(entry);
    for (const subscriber of this.subscribers.get(entry.overview.jobId)?.values() ?? []) subscriber.tell(event);
  }

  private statusOf(entry: JobEntry): JobStatusChanged {
    return jobStatusChanged(entry.overview.jobId, entry.overview.name, entry.overview.status, entry.overview.error);
  }
}

function detailsOf(entry: JobEntry): JobDetails {
  const { overview: job, vertices, checkpoints, waitingForSlots, plan } = entry;
  return {
    type: 'JobDetails',
    job,
    vertices,
    ...(checkpoints ? { checkpoints } : {}),
    ...(waitingForSlots ? { waitingForSlots } : {}),
    timestamps: { ...entry.timestamps },
    plan,
    exceptions: [...entry.exceptions],
  };
}

/**
 * Appends a failure unless it is the one recorded last: a JobManager publishes its cause with every
 * update while failing or restarting (JobUpdated stays in the process: the same object each time).
 */
function recordException(history: JobException[], error: ErrorInfo): void {
  if (history.at(-1)?.error === error) return;
  history.push({ error, timestamp: Date.now() });
  if (history.length > MAX_EXCEPTION_HISTORY) history.shift();
}

/**
 * What the Dispatcher checks before it starts a JobManager; a reason, or undefined. The graph's
 * shape was checked on decode (JobGraphSchema); this is what it must mean for a JobManager to run it.
 */
export function validateJobGraph(graph: JobGraph): string | undefined {
  if (!graph || !Array.isArray(graph.vertices) || graph.vertices.length === 0) return 'the job graph has no vertices';
  if (!Number.isInteger(graph.maxParallelism) || graph.maxParallelism < 1 || graph.maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    return `maxParallelism must be an integer from 1 to ${UPPER_BOUND_MAX_PARALLELISM}, got ${graph.maxParallelism}`;
  }
  // The one rule of a restart strategy its schema cannot state: it relates two fields.
  const restart = graph.restartStrategy;
  if (restart?.type === 'exponential-delay' && restart.initialBackoffMs > restart.maxBackoffMs) {
    return `restartStrategy: initialBackoffMs (${restart.initialBackoffMs}) must not be above maxBackoffMs (${restart.maxBackoffMs})`;
  }
  const earlier = new Set<string>();
  // Not `of graph.vertices`: Array.isArray above widened it to any[].
  const vertices: readonly JobVertex[] = graph.vertices;
  for (const vertex of vertices) {
    if (!Number.isInteger(vertex.parallelism) || vertex.parallelism < 1) return `vertex "${vertex.name}" has parallelism ${vertex.parallelism}; it must be >= 1`;
    if (vertex.parallelism > graph.maxParallelism) {
      return `vertex "${vertex.name}" has parallelism ${vertex.parallelism}, above the job's max parallelism ${graph.maxParallelism}`;
    }
    if (!Array.isArray(vertex.operators) || vertex.operators.length === 0) return `vertex "${vertex.name}" has no operators`;
    if (earlier.has(vertex.id)) return `two vertices have the id "${vertex.id}"`;
    // Deployment wires each input to its producer's partitions: the producer must come first.
    const unknown = vertex.inputs.find((edge) => !earlier.has(edge.sourceVertexId));
    if (unknown) return `vertex "${vertex.name}" reads from "${unknown.sourceVertexId}", which is not a vertex before it`;
    earlier.add(vertex.id);
  }
  return undefined;
}
