// The embedded mini cluster: the standalone cluster's actors (Dispatcher, ResourceManager,
// TaskManagers, a JobManager per job) in one local actor system, with local refs and no sockets.
// Job code is not bundled: the TaskManagers plan the very module the caller passed.
import { type ActorRef, ActorSystem, type AuthSecret, type LoggerOptions, ask } from '../actors/index.ts';
import { type JobHandle, watchJobStatus } from '../api/client/job-handle.ts';
import type { StopOptions } from '../api/client/weir-client.ts';
import type { JobModule } from '../api/job-module.ts';
import { planJob } from '../api/runtime/plan.ts';
import type { ClusterInfo, DispatcherMsg, JobDetails, JobDetailsReply, JobList, JobWatermarksReply, SavepointReply, SubmitJobReply, CancelJobReply } from '../messages/dispatcher.ts';
import { WeirError } from '../messages/errors.ts';
import { type JobId, newJobId, resourceId } from '../messages/ids.ts';
import type { SubtaskWatermarkReport } from '../messages/watermarks.ts';
import type { JobMetricsReply, SubtaskMetricsReport, TaskManagerDetailsReply, TaskManagerInfo, TaskManagerList } from '../messages/metrics.ts';
import { TaskMetricsRegistry } from './taskmanager/metrics-registry.ts';
import { DISPATCHER_NAME, RESOURCE_MANAGER_NAME } from '../messages/addresses.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_CONFIG } from './config/schema.ts';
import type { FaultToleranceConfig } from './config/fault-tolerance.ts';
import { dispatcher } from './dispatcher/dispatcher.ts';
import { resourceManager } from './resourcemanager/resource-manager.ts';
import { EmbeddedLoader } from './taskmanager/job-code.ts';
import { NetworkEnvironment } from './taskmanager/network/network-environment.ts';
import { taskManager } from './taskmanager/task-manager.ts';
import { type RestServer, startRestServer } from './dispatcher/rest/server.ts';

export interface MiniClusterOptions {
  /** TaskManagers to start; default 1. */
  readonly taskManagers?: number;
  /** Slots each TaskManager offers; default 4. */
  readonly slotsPerTaskManager?: number;
  /** How long a job waits for slots; default 10 s (a mini cluster's slots are all there at start). */
  readonly slotRequestTimeoutMs?: number;
  readonly log?: LoggerOptions;
  /** Where print() sinks write; default standard output. */
  readonly stdout?: (line: string) => void;
  /** How long a JobManager holds a split request for a pending source enumerator (default 10 s). */
  readonly splitPollMs?: number;
  /** How often each TaskManager reports its slots and tasks (default 1 s: reports are local here). */
  readonly heartbeatIntervalMs?: number;
  /** Where jobs' checkpoints go (execution.checkpointing.dir); default a temporary directory removed at close(). */
  readonly checkpointsDirectory?: string;
  /** Where savepoints that name no directory go (execution.checkpointing.savepoint-dir). */
  readonly savepointsDirectory?: string;
  /** weir.yaml's `execution.checkpointing.*` and `restart-strategy.*` keys, over Flink's defaults. */
  readonly faultTolerance?: Partial<FaultToleranceConfig>;
  /** Serve the REST API (off by default): on 127.0.0.1 (or `host`) at `port`, 0 for any free one; see restUrl. */
  readonly rest?: {
    readonly port: number;
    readonly host?: string;
    /** security.auth.secret: the API takes it as a bearer token, the console a login with it. */
    readonly secret?: AuthSecret;
    /** security.ssl.rest.*: served over https with this certificate and key (PEM). */
    readonly tls?: { readonly cert: string; readonly key: string };
  };
}

export interface MiniClusterSubmitOptions {
  readonly parallelism?: number;
  readonly args?: readonly string[];
  readonly jobName?: string;
  /** Start from this savepoint (or retained checkpoint) directory. */
  readonly savepointPath?: string;
  /** With savepointPath: skip state of operators the job no longer has. */
  readonly allowNonRestoredState?: boolean;
}

/** How long a savepoint may take before the caller stops waiting. */
const SAVEPOINT_TIMEOUT_MS = 10 * 60_000;

/** How long the mini cluster's own requests to its Dispatcher may take. */
const REQUEST_TIMEOUT_MS = 10_000;

export class MiniCluster {
  private constructor(
    readonly system: ActorSystem,
    /** Every running task's metrics, read in-process (all TaskManagers of the mini cluster share it). */
    readonly taskMetrics: TaskMetricsRegistry,
    private readonly dispatcherRef: ActorRef<DispatcherMsg>,
    private readonly loader: EmbeddedLoader,
    private readonly modules: Map<JobId, JobModule>,
    private readonly rest: RestServer | undefined,
  ) {}

  /** The REST API's base URL (http://host:port), when started with the `rest` option. */
  get restUrl(): string | undefined {
    return this.rest?.url;
  }

  static async start(options: MiniClusterOptions = {}): Promise<MiniCluster> {
    const system = await ActorSystem.create({ name: 'minicluster', log: options.log ?? { level: 'warn' } });
    const loader = new EmbeddedLoader();
    const modules = new Map<JobId, JobModule>();
    const rm = system.spawn(resourceManager(), RESOURCE_MANAGER_NAME);
    // A temporary checkpoint directory is the mini cluster's own: it goes when the cluster closes.
    const temporary = options.checkpointsDirectory === undefined ? mkdtempSync(join(tmpdir(), 'weir-checkpoints-')) : undefined;
    if (temporary) system.whenTerminated.then(() => rmSync(temporary, { recursive: true, force: true })).catch(() => undefined);
    const dispatcherRef = system.spawn(
      dispatcher({
        resourceManager: rm,
        faultTolerance: { ...DEFAULT_CONFIG, ...options.faultTolerance },
        ...((options.checkpointsDirectory ?? temporary) !== undefined ? { checkpointsDirectory: (options.checkpointsDirectory ?? temporary) as string } : {}),
        ...(options.savepointsDirectory !== undefined ? { savepointsDirectory: options.savepointsDirectory } : {}),
        slotRequestTimeoutMs: options.slotRequestTimeoutMs ?? 10_000,
        jobCode: loader,
        ...(options.splitPollMs !== undefined ? { splitPollMs: options.splitPollMs } : {}),
        onJobAccepted: (submit, bundleHash) => {
          const module = modules.get(submit.jobId);
          modules.delete(submit.jobId);
          if (module) loader.register(bundleHash, module);
        },
      }),
      DISPATCHER_NAME,
    );
    // One process: every TaskManager's tasks hand batches over directly.
    const network = new NetworkEnvironment(() => true);
    const taskMetrics = new TaskMetricsRegistry();
    const count = options.taskManagers ?? 1;
    for (let index = 0; index < count; index++) {
      system.spawn(
        taskManager({
          resourceId: resourceId(`taskmanager-${index}`),
          slots: options.slotsPerTaskManager ?? 4,
          resourceManager: rm,
          loader,
          network,
          heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
          stdout: options.stdout,
          metricsRegistry: taskMetrics,
        }),
        `taskmanager-${index}`,
      );
    }
    let rest: RestServer | undefined;
    try {
      const restOptions = options.rest;
      rest = restOptions
        ? await startRestServer({
            system,
            dispatcher: dispatcherRef,
            ports: [{ from: restOptions.port, to: restOptions.port }],
            ...(restOptions.host ? { host: restOptions.host } : {}),
            ...(restOptions.secret ? { secret: restOptions.secret } : {}),
            ...(restOptions.tls ? { tls: restOptions.tls } : {}),
          })
        : undefined;
    } catch (error) {
      await system.terminate();
      throw error;
    }
    const cluster = new MiniCluster(system, taskMetrics, dispatcherRef, loader, modules, rest);
    try {
      await cluster.waitForTaskManagers(count);
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  /** Plans `module` here and runs it on the cluster; the handle follows its status. */
  async submit(module: JobModule, options: MiniClusterSubmitOptions = {}): Promise<JobHandle> {
    const args = options.args ?? [];
    const plan = await planJob(module, args, {
      ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
      ...(options.jobName !== undefined ? { jobName: options.jobName } : {}),
    });
    const jobId = newJobId();
    this.modules.set(jobId, module);
    const watch = watchJobStatus(this.system, this.dispatcherRef, jobId, this.system.address);
    // The bundle is only a name here: the module itself was registered above.
    const bundle = `embedded:${jobId}`;
    const reply = await ask<DispatcherMsg, SubmitJobReply>(
      this.dispatcherRef,
      (replyTo) => ({
        type: 'SubmitJob',
        jobId,
        jobGraph: plan.graph,
        bundle,
        args,
        ...(options.parallelism !== undefined ? { planParallelism: options.parallelism } : {}),
        ...(options.savepointPath !== undefined ? { savepointPath: resolve(options.savepointPath) } : {}),
        ...(options.allowNonRestoredState ? { allowNonRestoredState: true } : {}),
        replyTo,
      }),
      REQUEST_TIMEOUT_MS,
    );
    if (reply.type === 'JobRejected') {
      this.modules.delete(jobId);
      const error = new WeirError('JOB_REJECTED', `the mini cluster rejected job "${plan.graph.name}": ${reply.reason}`);
      watch.stop(error);
      throw error;
    }
    return { jobId, status$: watch.status$, result: () => watch.result, cancel: () => this.cancel(jobId) };
  }

  async cancel(jobId: JobId): Promise<void> {
    const reply = await ask<DispatcherMsg, CancelJobReply>(this.dispatcherRef, (replyTo) => ({ type: 'CancelJob', jobId, replyTo }), REQUEST_TIMEOUT_MS);
    if (reply.type === 'CancellationFailure') throw new WeirError('CANCELLATION_FAILED', `cannot cancel job ${jobId}: ${reply.reason}`);
  }

  /** A savepoint of a running job (as WeirClient.triggerSavepoint); resolves with its directory. */
  triggerSavepoint(jobId: JobId, targetDirectory?: string): Promise<string> {
    return this.savepoint(jobId, targetDirectory, false);
  }

  /** A savepoint, then the job ends FINISHED (as WeirClient.stopWithSavepoint, `drain` too); resolves with its directory. */
  stopWithSavepoint(jobId: JobId, targetDirectory?: string, options: StopOptions = {}): Promise<string> {
    return this.savepoint(jobId, targetDirectory, true, options.drain === true);
  }

  private async savepoint(jobId: JobId, targetDirectory: string | undefined, stop: boolean, drain = false): Promise<string> {
    const target = targetDirectory === undefined ? null : resolve(targetDirectory);
    const reply = await ask<DispatcherMsg, SavepointReply>(this.dispatcherRef, (replyTo) => ({ type: 'TriggerSavepoint', jobId, targetDirectory: target, stop, ...(drain ? { drain } : {}), replyTo }), SAVEPOINT_TIMEOUT_MS);
    if (reply.type === 'JobNotFound') throw new WeirError('JOB_NOT_FOUND', `the mini cluster knows no job ${jobId}`);
    if (reply.type === 'SavepointFailed') throw new WeirError('SAVEPOINT_FAILED', `savepoint of job ${jobId} failed: ${reply.reason}`);
    return reply.path;
  }

  async list(): Promise<JobList['jobs']> {
    return (await ask<DispatcherMsg, JobList>(this.dispatcherRef, (replyTo) => ({ type: 'ListJobs', replyTo }), REQUEST_TIMEOUT_MS)).jobs;
  }

  /** A job's details, as WeirClient.details (its wait for slots too); rejects with JOB_NOT_FOUND. */
  async details(jobId: JobId): Promise<JobDetails> {
    const reply = await ask<DispatcherMsg, JobDetailsReply>(this.dispatcherRef, (replyTo) => ({ type: 'RequestJobDetails', jobId, replyTo }), REQUEST_TIMEOUT_MS);
    if (reply.type === 'JobNotFound') throw new WeirError('JOB_NOT_FOUND', `the mini cluster knows no job ${jobId}`);
    return reply;
  }

  /** Each subtask's watermarks now, as WeirClient.watermarks; rejects with JOB_NOT_FOUND. */
  async watermarks(jobId: JobId): Promise<readonly SubtaskWatermarkReport[]> {
    const reply = await ask<DispatcherMsg, JobWatermarksReply>(this.dispatcherRef, (replyTo) => ({ type: 'RequestJobWatermarks', jobId, replyTo }), REQUEST_TIMEOUT_MS);
    if (reply.type === 'JobNotFound') throw new WeirError('JOB_NOT_FOUND', `the mini cluster knows no job ${jobId}`);
    return reply.subtasks;
  }

  clusterInfo(): Promise<ClusterInfo> {
    return ask<DispatcherMsg, ClusterInfo>(this.dispatcherRef, (replyTo) => ({ type: 'RequestClusterInfo', replyTo }), REQUEST_TIMEOUT_MS);
  }

  /** Each subtask's metrics now, as WeirClient.metrics; rejects with JOB_NOT_FOUND. */
  async metrics(jobId: JobId): Promise<readonly SubtaskMetricsReport[]> {
    const reply = await ask<DispatcherMsg, JobMetricsReply>(this.dispatcherRef, (replyTo) => ({ type: 'RequestJobMetrics', jobId, replyTo }), REQUEST_TIMEOUT_MS);
    if (reply.type === 'JobNotFound') throw new WeirError('JOB_NOT_FOUND', `the mini cluster knows no job ${jobId}`);
    return reply.subtasks;
  }

  /** Every TaskManager, as WeirClient.taskManagers. */
  async taskManagers(): Promise<readonly TaskManagerInfo[]> {
    return (await ask<DispatcherMsg, TaskManagerList>(this.dispatcherRef, (replyTo) => ({ type: 'RequestTaskManagers', replyTo }), REQUEST_TIMEOUT_MS)).taskManagers;
  }

  /** One TaskManager, as WeirClient.taskManager; rejects with TASK_MANAGER_NOT_FOUND. */
  async taskManager(taskManagerId: string): Promise<TaskManagerInfo> {
    const reply = await ask<DispatcherMsg, TaskManagerDetailsReply>(this.dispatcherRef, (replyTo) => ({ type: 'RequestTaskManagerDetails', taskManagerId, replyTo }), REQUEST_TIMEOUT_MS);
    if (reply.type === 'TaskManagerNotFound') throw new WeirError('TASK_MANAGER_NOT_FOUND', `the mini cluster knows no TaskManager ${JSON.stringify(taskManagerId)}`);
    return reply.taskManager;
  }

  async close(): Promise<void> {
    await this.rest?.close();
    await this.system.terminate();
  }

  /** TaskManagers register asynchronously; a job submitted before would wait for its slots. */
  private async waitForTaskManagers(count: number): Promise<void> {
    const deadline = Date.now() + REQUEST_TIMEOUT_MS;
    while ((await this.clusterInfo()).taskManagers < count) {
      if (Date.now() > deadline) throw new WeirError('ACTOR_STOPPED', `the mini cluster's ${count} TaskManagers did not register within ${REQUEST_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
