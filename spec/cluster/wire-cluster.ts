// A cluster over real ws connections in one process, for the specs that attack it from the wire:
// a JobManager system (the real Dispatcher and ResourceManager, a JobManager per job), a TaskManager
// system (the real TaskManager), a client system that submits jobs as the client does, and raw
// peers that write whatever envelopes a spec crafts. Job code is shared in-process (EmbeddedLoader).
import type { ExecutionContext } from 'ava';
import { type ActorRef, type ActorSystem, Behaviors, WsTransport } from '../../actors/index.ts';
import { watchJobStatus } from '../../api/client/job-handle.ts';
import type { JobModule } from '../../api/index.ts';
import { planJob } from '../../api/runtime/plan.ts';
import { dispatcher } from '../../cluster/dispatcher/dispatcher.ts';
import { resourceManager } from '../../cluster/resourcemanager/resource-manager.ts';
import { EmbeddedLoader } from '../../cluster/taskmanager/job-code.ts';
import { NetworkEnvironment } from '../../cluster/taskmanager/network/network-environment.ts';
import { taskManager } from '../../cluster/taskmanager/task-manager.ts';
import { DISPATCHER_NAME, RESOURCE_MANAGER_NAME, TASK_MANAGER_NAME } from '../../messages/addresses.ts';
import { encode } from '../../messages/codec.ts';
import type { ClusterOverview, ResourceManagerMsg } from '../../messages/resource-manager.ts';
import type { DispatcherMsg, JobList, SubmitJobReply } from '../../messages/dispatcher.ts';
import { type JobId, newJobId, resourceId } from '../../messages/ids.ts';
import type { JobStatusChanged } from '../../messages/job-status.ts';
import { FrameKind } from '../../messages/remoting.ts';
import type { TaskManagerMsg } from '../../messages/task-manager.ts';
import { type RawPeer, type StartedSystem, helloFrame, portOf, rawPeer, startSystem, within } from '../actors/remote/helpers.ts';
import { JOB_TIMEOUT_MS, eventually } from './helpers.ts';

/** The address raw peers claim in their hello: nothing listens there. */
export const EVIL = 'weir://evil@127.0.0.1:9';

/** What a job module registered for an unknown bundle does: the jobs a mutation submits end at once. */
const idleJob: JobModule = (env) => {
  env.fromSequence(0, 0).sinkTo(() => {});
};

export interface WireCluster {
  readonly jm: StartedSystem;
  readonly tm: StartedSystem;
  readonly client: StartedSystem;
  /** The core actors, as the client reaches them over the wire. */
  readonly dispatcher: ActorRef<DispatcherMsg>;
  readonly resourceManager: ActorRef<ResourceManagerMsg>;
  readonly taskManager: ActorRef<TaskManagerMsg>;
  /** An actor of the client that takes any message and ignores it: the replyTo of crafted messages. */
  readonly sink: ActorRef<never>;
  /** Plans `module`, submits it through the Dispatcher and resolves with its final status. */
  run(module: JobModule, jobId?: JobId): Promise<JobStatusChanged>;
  /** Submits `module` and returns at once, with the status watch. */
  submit(module: JobModule, jobId?: JobId): Promise<{ readonly jobId: JobId; readonly result: Promise<JobStatusChanged> }>;
  listJobs(): Promise<JobList['jobs']>;
  overview(): Promise<ClusterOverview>;
  /** A raw peer that completed the hello with `system` as EVIL. */
  attacker(system: ActorSystem): Promise<Attacker>;
}

export interface Attacker {
  readonly raw: RawPeer;
  /** Sends one Envelopes frame: each [local path, message], as a peer would write it. */
  send(envelopes: readonly (readonly [string, unknown])[]): void;
}

export async function startWireCluster(t: ExecutionContext, slots = 2): Promise<WireCluster> {
  const jm = await startSystem(t, 'jobmanager', { transport: new WsTransport() });
  const tm = await startSystem(t, 'taskmanager-1', { transport: new WsTransport() });
  const client = await startSystem(t, 'client', { transport: new WsTransport() });
  const loader = new EmbeddedLoader();
  const modules = new Map<JobId, JobModule>();
  const rm = jm.system.spawn(resourceManager(), RESOURCE_MANAGER_NAME);
  jm.system.spawn(
    dispatcher({
      resourceManager: rm,
      slotRequestTimeoutMs: JOB_TIMEOUT_MS,
      jobCode: loader,
      onJobAccepted: (submit, bundleHash) => loader.register(bundleHash, modules.get(submit.jobId) ?? idleJob),
    }),
    DISPATCHER_NAME,
  );
  tm.system.spawn(
    taskManager({
      resourceId: resourceId('tm-1'),
      slots,
      resourceManager: tm.system.resolve(`${jm.system.address}/user/${RESOURCE_MANAGER_NAME}`),
      loader,
      network: new NetworkEnvironment(() => true),
      stdout: () => {},
    }),
    TASK_MANAGER_NAME,
  );
  const toDispatcher = client.system.resolve<DispatcherMsg>(`${jm.system.address}/user/${DISPATCHER_NAME}`);
  const toResourceManager = client.system.resolve<ResourceManagerMsg>(`${jm.system.address}/user/${RESOURCE_MANAGER_NAME}`);
  const sink = client.system.spawn(Behaviors.ignore<never>(), 'sink');
  const submit = async (module: JobModule, jobId = newJobId()) => {
    const plan = await planJob(module, []);
    modules.set(jobId, module);
    const watch = watchJobStatus(client.system, toDispatcher, jobId, jm.system.address);
    const reply = await client.system.ask<DispatcherMsg, SubmitJobReply>(
      toDispatcher,
      (replyTo) => ({ type: 'SubmitJob', jobId, jobGraph: plan.graph, bundle: `bundle of ${jobId}`, args: [], replyTo }),
      JOB_TIMEOUT_MS,
    );
    if (reply.type === 'JobRejected') throw new Error(`job ${jobId} rejected: ${reply.reason}`);
    return { jobId, result: watch.result };
  };
  const cluster: WireCluster = {
    jm,
    tm,
    client,
    dispatcher: toDispatcher,
    resourceManager: toResourceManager,
    taskManager: client.system.resolve<TaskManagerMsg>(`${tm.system.address}/user/${TASK_MANAGER_NAME}`),
    sink,
    submit,
    run: async (module, jobId) => within((await submit(module, jobId)).result, JOB_TIMEOUT_MS, `job ${jobId ?? ''} to end`),
    listJobs: async () =>
      (await client.system.ask<DispatcherMsg, JobList>(toDispatcher, (replyTo) => ({ type: 'ListJobs', replyTo }), JOB_TIMEOUT_MS)).jobs,
    overview: () => client.system.ask<ResourceManagerMsg, ClusterOverview>(toResourceManager, (replyTo) => ({ type: 'RequestClusterOverview', replyTo }), JOB_TIMEOUT_MS),
    attacker: async (system) => {
      const raw = await rawPeer(new WsTransport(), portOf(system));
      t.teardown(() => raw.close());
      raw.send(helloFrame(EVIL));
      await raw.frame(0, JOB_TIMEOUT_MS, `the HelloAck of ${system.address}`);
      return { raw, send: (envelopes) => raw.send(encode([FrameKind.Envelopes, envelopes.map(([to, msg]) => [to, '', null, msg])])) };
    },
  };
  await eventually(async () => (await cluster.overview()).taskManagers === 1, 'the TaskManager registering over the wire');
  return cluster;
}

/** Runs a bounded job (1..5 doubled) through the whole cluster; its final status and its output. */
export async function runBoundedJob(cluster: WireCluster): Promise<{ readonly status: string; readonly out: number[] }> {
  const out: number[] = [];
  const doubled: JobModule = (env) => {
    env
      .fromSequence(1, 5)
      .map((n) => n * 2)
      .sinkTo((n) => void out.push(n));
  };
  const { status } = await cluster.run(doubled);
  return { status, out: out.sort((a, b) => a - b) };
}
