// The remote client of a standalone cluster: an actor system of its own that talks to the
// Dispatcher at weir://jobmanager@host:port/user/dispatcher. Used by the CLI, and by a program that
// submits and watches jobs itself.
//
// Lifecycle: connect() (the port answers TCP, the handshake completes — with the cluster's secret when
// it has one —, then the Dispatcher answers RequestClusterInfo) -> requests -> close(). Every request
// is an ask bounded by `timeoutMs`; a timeout is JOBMANAGER_UNREACHABLE naming the address and the
// request; a refused handshake is AUTHENTICATION_FAILED saying which setting to check, at once.
import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { submitWarnings } from './submit-warnings.ts';
import { type ActorRef, ActorSystem, AuthSecret, type LogLevel, REMOTE_DEFAULTS, type TlsOptions, ask, parseActorPath } from '../../actors/index.ts';
import { tlsFromEnvironment } from './tls-environment.ts';
import type { ClusterInfo, DispatcherMsg, JobDetails, JobOverview } from '../../messages/dispatcher.ts';
import '../../messages/dispatcher.ts'; // registers the Dispatcher protocol's message types
import { WeirError } from '../../messages/errors.ts';
import type { JobGraph } from '../../messages/job-graph.ts';
import type { SubtaskWatermarkReport } from '../../messages/watermarks.ts';
import type { SubtaskMetricsReport, TaskManagerInfo } from '../../messages/metrics.ts';
import { type JobId, newJobId } from '../../messages/ids.ts';
import type { CollectReceiver } from '../collect/channel.ts';
import { type CollectBinding, bindCollectSinks } from '../collect/target.ts';
import { clientConnectError } from './auth-errors.ts';
import { bundleJob } from './bundle.ts';
import { openRemoteCollect } from './collect-receiver.ts';
import { type JobHandle, watchJobStatus } from './job-handle.ts';
import { planBundle } from './plan-bundle.ts';
import { type HostPort, formatHostPort, parseHostPort, probeTcp } from './reachability.ts';
import { dispatcherPath } from '../../messages/addresses.ts';

/** The actor system name of the JobManager process (cluster/entrypoints/jobmanager.ts). */
export const DEFAULT_CLIENT_TIMEOUT_MS = 10_000;

export interface WeirClientOptions {
  /** Bound of the connection check and of every request; default 10 s. */
  readonly timeoutMs?: number;
  /** Interface the client's own actor system listens on (replies come back to it); default 127.0.0.1. */
  readonly host?: string;
  /** The cluster's heartbeat settings (heartbeat.interval, heartbeat.timeout); defaults 10 s and 50 s. */
  readonly heartbeatIntervalMs?: number;
  readonly acceptablePauseMs?: number;
  /** The client system's log level; default 'warn'. */
  readonly logLevel?: LogLevel;
  /**
   * The cluster's secret (security.auth.secret), as text or an AuthSecret; default WEIR_AUTH_SECRET
   * when set. Without one the client connects only to a cluster without one.
   */
  readonly secret?: string | AuthSecret;
  /**
   * The cluster's mutual TLS (security.ssl.internal.*): this client's certificate, key and the
   * cluster's CA; default from WEIR_SECURITY_SSL_INTERNAL_ENABLED=true and the _CERT, _KEY, _CA files.
   */
  readonly tls?: TlsOptions;
}

/** What info() returns: the job's details, its subtasks' watermarks and their metrics. */
export interface JobInfo extends JobDetails {
  readonly watermarks: readonly SubtaskWatermarkReport[];
  readonly metrics: readonly SubtaskMetricsReport[];
}

export interface SubmitOptions {
  /** Default parallelism of the job's operators. */
  readonly parallelism?: number;
  /** Handed to the job module's default export (after the CLI's `--`). */
  readonly args?: readonly string[];
  /** The job's name unless the module sets one; default: the module's file name. */
  readonly jobName?: string;
  /** Collect sinks this client reads (see openCollect) and where they deliver. */
  readonly collect?: CollectBinding;
  /** `weir run -s`: the savepoint (or retained checkpoint) directory the job starts from. */
  readonly savepointPath?: string;
  /** With savepointPath: skip state of operators the job no longer has instead of failing. */
  readonly allowNonRestoredState?: boolean;
  /** Told each warning about the job before it is submitted (submit-warnings.ts): the CLI prints them. */
  readonly onWarning?: (warning: string) => void;
}

/** How a job stops with a savepoint (stopWithSavepoint). */
export interface StopOptions {
  /**
   * `weir stop --drain`: advance event time to its end before the savepoint, so every event-time
   * timer fires and open windows emit (Flink's MAX_WATERMARK). For a job that ends for good: a job
   * resumed from such a savepoint starts at the end of event time, and every record is late there.
   */
  readonly drain?: boolean;
}

/** How long a savepoint may take before the client gives up waiting (the job's checkpoint timeout is the JobManager's bound). */
export const SAVEPOINT_TIMEOUT_MS = 10 * 60_000;

export class WeirClient {
  /** host:port of the JobManager. */
  readonly address: string;

  private constructor(
    target: HostPort,
    private readonly system: ActorSystem,
    private readonly dispatcher: ActorRef<DispatcherMsg>,
    private readonly timeoutMs: number,
  ) {
    this.address = formatHostPort(target);
  }

  /** The client's actor system and the Dispatcher's ref, for tools that speak more of the protocol (weir trace). */
  get endpoint(): { readonly system: ActorSystem; readonly dispatcher: ActorRef<DispatcherMsg> } {
    return { system: this.system, dispatcher: this.dispatcher };
  }

  /** Connects to the JobManager at "host:port"; rejects with JOBMANAGER_UNREACHABLE naming it. */
  static async connect(address: string, options: WeirClientOptions = {}): Promise<WeirClient> {
    const target = parseHostPort(address);
    const timeoutMs = options.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
    const secret = clientSecret(options.secret);
    await probeTcp(target, timeoutMs);
    const system = await ActorSystem.create({
      name: `client-${randomUUID().slice(0, 8)}`,
      remote: {
        host: options.host ?? REMOTE_DEFAULTS.host,
        port: 0,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? REMOTE_DEFAULTS.heartbeatIntervalMs,
        acceptablePauseMs: options.acceptablePauseMs ?? REMOTE_DEFAULTS.acceptablePauseMs,
        ...(secret ? { secret } : {}),
        ...tlsOption(options.tls ?? tlsFromEnvironment(process.env)),
      },
      log: { level: options.logLevel ?? 'warn' },
    });
    const dispatcher = system.resolve<DispatcherMsg>(dispatcherPath(target.host, target.port));
    const client = new WeirClient(target, system, dispatcher, timeoutMs);
    try {
      await client.firstContact(dispatcher.path);
    } catch (error) {
      await system.terminate();
      throw clientConnectError(error, client.address);
    }
    return client;
  }

  /** Asks for the cluster's info; a refused handshake (a wrong secret) rejects at once, not at the ask's timeout. */
  private async firstContact(dispatcher: string): Promise<void> {
    // connectTo settles late only by rejecting (the client gave up): that is ignored then.
    const refused = new Promise<never>((_, reject) => void this.system.connectTo(parseActorPath(dispatcher).addressText).catch(reject));
    await Promise.race([this.clusterInfo(), refused]);
  }

  /** Bundles, plans and submits the job module at `modulePath`; the handle follows its status. */
  async submit(modulePath: string, options: SubmitOptions = {}): Promise<JobHandle> {
    const bundle = await this.bundle(modulePath);
    const jobName = options.jobName ?? defaultJobName(modulePath); // unless the module names the job
    const planParallelism = options.parallelism === undefined ? {} : { parallelism: options.parallelism };
    const planned = await planBundle(bundle, options.args ?? [], { jobName, ...planParallelism });
    return this.submitPlanned(bundle, planned, options);
  }

  /** The job module at `modulePath` bundled for submission: the code the client plans and every TaskManager imports. */
  async bundle(modulePath: string): Promise<string> {
    const bundle = await bundleJob(modulePath);
    const maxBundleBytes = REMOTE_DEFAULTS.maxFrameBytes - 1024 * 1024; // room for the JobGraph
    if (Buffer.byteLength(bundle) > maxBundleBytes) {
      throw new WeirError('BUNDLE_FAILED', `the bundle of ${modulePath} is ${Buffer.byteLength(bundle)} bytes, over the ${maxBundleBytes}-byte limit of one submission`);
    }
    return bundle;
  }

  /**
   * Submits `planned`, a JobGraph planned from `bundle` (its default export, with the same args and
   * parallelism, which every TaskManager plans again); `options.jobName` is not used.
   */
  async submitPlanned(bundle: string, planned: JobGraph, options: SubmitOptions = {}): Promise<JobHandle> {
    const args = options.args ?? [];
    const jobGraph = options.collect ? bindCollectSinks(planned, options.collect) : planned;
    for (const warning of submitWarnings(jobGraph)) options.onWarning?.(warning);
    const jobId = newJobId();
    const watch = watchJobStatus(this.system, this.dispatcher, jobId, this.address);
    try {
      // TaskManagers plan the bundle again, with the same parallelism, to find the same operators.
      const reply = await this.request('SubmitJob', (replyTo) => ({
        type: 'SubmitJob',
        jobId,
        jobGraph,
        bundle,
        args,
        ...(options.parallelism === undefined ? {} : { planParallelism: options.parallelism }),
        ...(options.savepointPath === undefined ? {} : { savepointPath: resolve(options.savepointPath) }),
        ...(options.allowNonRestoredState ? { allowNonRestoredState: true } : {}),
        replyTo,
      }));
      if (reply.type === 'JobRejected') {
        throw new WeirError('JOB_REJECTED', `the JobManager at ${this.address} rejected job "${jobGraph.name}" (${jobId}): ${reply.reason}`);
      }
    } catch (error) {
      watch.stop(error as Error);
      throw error;
    }
    return { jobId, status$: watch.status$, result: () => watch.result, cancel: () => this.cancel(jobId) };
  }

  /**
   * A receiver in this client's actor system for the records of a job's collect sinks: pass its
   * target to submit() as `collect`, read its channel, close it when done.
   */
  openCollect(): CollectReceiver {
    return openRemoteCollect(this.system);
  }

  /** Every job the Dispatcher knows, running and ended. */
  async list(): Promise<readonly JobOverview[]> {
    return (await this.request('ListJobs', (replyTo) => ({ type: 'ListJobs', replyTo }))).jobs;
  }

  /** A job's overview, vertices, checkpoints and, while it waits for slots, that wait; rejects with JOB_NOT_FOUND. */
  async details(jobId: JobId): Promise<JobDetails> {
    const reply = await this.request('RequestJobDetails', (replyTo) => ({ type: 'RequestJobDetails', jobId, replyTo }));
    if (reply.type === 'JobNotFound') throw this.jobNotFound(jobId);
    return reply;
  }

  /** A job's details (see details()), the watermarks of its running subtasks (see watermarks()) and its subtasks' metrics (see metrics()); rejects with JOB_NOT_FOUND. */
  async info(jobId: JobId): Promise<JobInfo> {
    const [details, watermarks, metrics] = await Promise.all([this.details(jobId), this.watermarks(jobId), this.metrics(jobId)]);
    return { ...details, watermarks, metrics };
  }

  /**
   * Each subtask's metrics now, vertices in graph order (messages/metrics.ts): records and bytes in
   * and out, rates, busy / backpressured / idle time, buffer usage, watermarks and its user metrics;
   * an ended subtask's last figures; one without figures says why. Rejects with JOB_NOT_FOUND.
   */
  async metrics(jobId: JobId): Promise<readonly SubtaskMetricsReport[]> {
    const reply = await this.request('RequestJobMetrics', (replyTo) => ({ type: 'RequestJobMetrics', jobId, replyTo }));
    if (reply.type === 'JobNotFound') throw this.jobNotFound(jobId);
    return reply.subtasks;
  }

  /** Every registered TaskManager: its slots (and the tasks in them) and its process metrics. */
  async taskManagers(): Promise<readonly TaskManagerInfo[]> {
    return (await this.request('RequestTaskManagers', (replyTo) => ({ type: 'RequestTaskManagers', replyTo }))).taskManagers;
  }

  /** One TaskManager by its id; rejects with TASK_MANAGER_NOT_FOUND. */
  async taskManager(taskManagerId: string): Promise<TaskManagerInfo> {
    const reply = await this.request('RequestTaskManagerDetails', (replyTo) => ({ type: 'RequestTaskManagerDetails', taskManagerId, replyTo }));
    if (reply.type === 'TaskManagerNotFound') throw new WeirError('TASK_MANAGER_NOT_FOUND', `the JobManager at ${this.address} knows no TaskManager ${JSON.stringify(taskManagerId)}`);
    return reply.taskManager;
  }

  /**
   * Each subtask's event time now, vertices in graph order: input and output watermark, per input
   * channel watermark and idleness (see messages/watermarks.ts); a subtask that is not running, or
   * did not answer in time, says why. Empty once the job ended. Rejects with JOB_NOT_FOUND.
   */
  async watermarks(jobId: JobId): Promise<readonly SubtaskWatermarkReport[]> {
    const reply = await this.request('RequestJobWatermarks', (replyTo) => ({ type: 'RequestJobWatermarks', jobId, replyTo }));
    if (reply.type === 'JobNotFound') throw this.jobNotFound(jobId);
    return reply.subtasks;
  }

  /** Cancels a job; rejects with CANCELLATION_FAILED and the Dispatcher's reason. */
  async cancel(jobId: JobId): Promise<void> {
    const reply = await this.request('CancelJob', (replyTo) => ({ type: 'CancelJob', jobId, replyTo }));
    if (reply.type === 'CancellationFailure') throw new WeirError('CANCELLATION_FAILED', `cannot cancel job ${jobId}: ${reply.reason}`);
  }

  /**
   * Takes a savepoint of a running job (Flink's triggerSavepoint); resolves with its directory, which
   * submit's `savepointPath` takes. `targetDirectory` defaults to the cluster's state.savepoints.dir.
   * Rejects with SAVEPOINT_FAILED naming why, or JOB_NOT_FOUND.
   */
  async triggerSavepoint(jobId: JobId, targetDirectory?: string): Promise<string> {
    return this.savepoint(jobId, targetDirectory, false);
  }

  /**
   * `weir stop`: a savepoint, then the job ends (FINISHED); resolves with the savepoint's directory.
   * With `drain` (`weir stop --drain`) event time first advances to its end: every event-time timer
   * fires and open windows emit before the savepoint, for a job that ends for good.
   */
  async stopWithSavepoint(jobId: JobId, targetDirectory?: string, options: StopOptions = {}): Promise<string> {
    return this.savepoint(jobId, targetDirectory, true, options.drain === true);
  }

  private async savepoint(jobId: JobId, targetDirectory: string | undefined, stop: boolean, drain = false): Promise<string> {
    const target = targetDirectory === undefined ? null : resolve(targetDirectory);
    const reply = await this.request('TriggerSavepoint', (replyTo) => ({ type: 'TriggerSavepoint', jobId, targetDirectory: target, stop, ...(drain ? { drain } : {}), replyTo }), SAVEPOINT_TIMEOUT_MS);
    if (reply.type === 'JobNotFound') throw this.jobNotFound(jobId);
    if (reply.type === 'SavepointFailed') throw new WeirError('SAVEPOINT_FAILED', `savepoint of job ${jobId} failed: ${reply.reason}`);
    return reply.path;
  }

  async clusterInfo(): Promise<ClusterInfo> {
    return this.request('RequestClusterInfo', (replyTo) => ({ type: 'RequestClusterInfo', replyTo }));
  }

  /** Stops the client's actor system; the status streams of its handles end with an error. */
  async close(): Promise<void> {
    await this.system.terminate();
  }

  private jobNotFound(jobId: JobId): WeirError {
    return new WeirError('JOB_NOT_FOUND', `the JobManager at ${this.address} knows no job ${jobId}`);
  }

  /** Asks the Dispatcher; the reply type follows from the request type's replyTo. */
  private async request<T extends RequestType>(type: T, makeRequest: (replyTo: ActorRef<ReplyOf<T>>) => RequestOf<T>, timeoutMs = this.timeoutMs): Promise<ReplyOf<T>> {
    try {
      return await ask<DispatcherMsg, ReplyOf<T>>(this.dispatcher, makeRequest, timeoutMs);
    } catch (error) {
      if (error instanceof WeirError && error.code === 'ASK_TIMEOUT') {
        throw new WeirError('JOBMANAGER_UNREACHABLE', `the JobManager at ${this.address} did not answer ${type} within ${timeoutMs} ms`, { cause: error });
      }
      throw error;
    }
  }
}

/** The secret given, else WEIR_AUTH_SECRET, else none. */
function clientSecret(given: string | AuthSecret | undefined): AuthSecret | undefined {
  if (given instanceof AuthSecret) return given;
  if (given !== undefined) return AuthSecret.from(given, 'the client\'s secret');
  const fromEnv = process.env.WEIR_AUTH_SECRET;
  return fromEnv ? AuthSecret.from(fromEnv, 'WEIR_AUTH_SECRET') : undefined;
}

function tlsOption(tls: TlsOptions | undefined): { readonly tls?: TlsOptions } {
  return tls ? { tls } : {};
}

type RequestOf<T extends DispatcherMsg['type']> = Extract<DispatcherMsg, { type: T }>;
type ReplyOf<T extends DispatcherMsg['type']> = RequestOf<T> extends { readonly replyTo: ActorRef<infer Reply> } ? Reply : never;
/** The Dispatcher's requests that are answered (SubscribeJobStatus is not: it streams). */
type RequestType = { [T in DispatcherMsg['type']]: ReplyOf<T> extends never ? never : T }[DispatcherMsg['type']];

/** A job's name unless its module sets one: the module's file name without its extension. */
export function defaultJobName(modulePath: string): string {
  return basename(modulePath).replace(/\.[cm]?[jt]sx?$/, '');
}
