// Delivery between systems is at most once: an envelope sent while a link is cut is gone. A
// JobManager system (the real Dispatcher and ResourceManager, a JobManager per job) and a TaskManager
// system over the in-memory network, whose link a spec cuts and heals; the heartbeats between
// TaskManager and JobManager repair what the lost envelopes left wrong.
import test, { type ExecutionContext } from 'ava';
import { Subject, interval } from 'rxjs';
import { type ActorRef, Behaviors, MemoryNetwork } from '../../actors/index.ts';
import { watchJobStatus } from '../../api/client/job-handle.ts';
import type { JobModule } from '../../api/index.ts';
import { planJob } from '../../api/runtime/plan.ts';
import { dispatcher } from '../../cluster/dispatcher/dispatcher.ts';
import { resourceManager } from '../../cluster/resourcemanager/resource-manager.ts';
import { EmbeddedLoader } from '../../cluster/taskmanager/job-code.ts';
import { NetworkEnvironment } from '../../cluster/taskmanager/network/network-environment.ts';
import { taskManager } from '../../cluster/taskmanager/task-manager.ts';
import { DISPATCHER_NAME, RESOURCE_MANAGER_NAME, TASK_MANAGER_NAME } from '../../messages/addresses.ts';
import type { CancelJobReply, DispatcherMsg, SubmitJobReply } from '../../messages/dispatcher.ts';
import { type AllocationId, type JobId, jobId, newJobId, resourceId } from '../../messages/ids.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import type { JobStatusChanged } from '../../messages/job-status.ts';
import type { ClusterOverview, ResourceManagerMsg } from '../../messages/resource-manager.ts';
import type { AllocateSlotReply, TaskManagerMsg } from '../../messages/task-manager.ts';
import { hostPortOf, memoryRemote, sleep, startSystem } from '../actors/remote/helpers.ts';
import { TestProbe } from '../testkit/index.ts';
import { eventually, within } from './helpers.ts';

/** Heartbeats between TaskManager and JobManager; the remoting detector is far slower, so a cut link is never taken for a lost node. */
const HEARTBEAT_MS = 100;
const HEARTBEAT_TIMEOUT_MS = 1_000;
/** Long enough for a few heartbeats after the link heals. */
const REPAIR_MS = 3_000;

async function lossyCluster(t: ExecutionContext) {
  const network = new MemoryNetwork();
  const remote = () => memoryRemote(network, { heartbeatIntervalMs: 200, acceptablePauseMs: 30_000 });
  const jm = await startSystem(t, 'jobmanager', remote());
  const tm = await startSystem(t, 'taskmanager-1', remote());
  const loader = new EmbeddedLoader();
  const modules = new Map<JobId, JobModule>();
  const rm = jm.system.spawn(resourceManager(), RESOURCE_MANAGER_NAME);
  const toDispatcher = jm.system.spawn(
    dispatcher({ resourceManager: rm, slotRequestTimeoutMs: 5_000, jobCode: loader, onJobAccepted: (submit, hash) => loader.register(hash, modules.get(submit.jobId) as JobModule) }),
    DISPATCHER_NAME,
  );
  tm.system.spawn(
    taskManager({
      resourceId: resourceId('tm-1'),
      slots: 2,
      resourceManager: tm.system.resolve(`${jm.system.address}/user/${RESOURCE_MANAGER_NAME}`),
      loader,
      network: new NetworkEnvironment(() => true),
      heartbeatIntervalMs: HEARTBEAT_MS,
      heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
      stdout: () => {},
    }),
    TASK_MANAGER_NAME,
  );
  const overview = () => jm.system.ask<ResourceManagerMsg, ClusterOverview>(rm, (replyTo) => ({ type: 'RequestClusterOverview', replyTo }), 2_000);
  await eventually(async () => (await overview()).slotsFree === 2, 'the TaskManager registering');
  const link = [hostPortOf(jm.system), hostPortOf(tm.system)] as const;
  return {
    jm,
    tm,
    overview,
    cut: () => network.partition(...link),
    heal: () => network.heal(...link),
    taskManager: jm.system.resolve<TaskManagerMsg>(`${tm.system.address}/user/${TASK_MANAGER_NAME}`),
    async submit(module: JobModule): Promise<{ readonly jobId: JobId; readonly result: Promise<JobStatusChanged>; readonly statuses: string[] }> {
      const plan = await planJob(module, []);
      const id = newJobId();
      modules.set(id, module);
      const watch = watchJobStatus(jm.system, toDispatcher, id, jm.system.address);
      const statuses: string[] = [];
      // A spec that fails early leaves the job running: the teardown ends the watch with an error.
      watch.status$.subscribe({ next: (change) => statuses.push(change.status), error: () => {} });
      watch.result.catch(() => {});
      const reply = await jm.system.ask<DispatcherMsg, SubmitJobReply>(toDispatcher, (replyTo) => ({ type: 'SubmitJob', jobId: id, jobGraph: plan.graph, bundle: `bundle of ${id}`, args: [], replyTo }), 2_000);
      if (reply.type === 'JobRejected') throw new Error(reply.reason);
      return { jobId: id, result: watch.result, statuses };
    },
    cancel: (id: JobId) => jm.system.ask<DispatcherMsg, CancelJobReply>(toDispatcher, (replyTo) => ({ type: 'CancelJob', jobId: id, replyTo }), 2_000),
  };
}

test('a final state lost with its envelope reaches the JobManager with the next heartbeat, and the job FINISHES', async (t) => {
  const cluster = await lossyCluster(t);
  const records = new Subject<number>();
  let closed = false;
  const job: JobModule = (env) => {
    env.fromObservable(() => records).sinkTo({ invoke: () => {}, close: () => void (closed = true) });
  };
  const { result, statuses } = await cluster.submit(job);
  await eventually(() => statuses.includes('RUNNING'), 'the job running');
  records.next(1);
  await sleep(50);

  cluster.cut();
  records.complete();
  await eventually(() => closed, 'the task finishing while the link is cut');
  await sleep(3 * HEARTBEAT_MS);
  t.false(statuses.includes('FINISHED'), 'the update was lost');
  cluster.heal();
  t.is((await within(result, 'the job ending once the link healed', REPAIR_MS)).status, 'FINISHED');
  await eventually(async () => (await cluster.overview()).slotsFree === 2, 'its slot free again');
});

test('a CancelTask lost with its envelope is sent again until the task is cancelled, and only then does the job end', async (t) => {
  const cluster = await lossyCluster(t);
  let ticks = 0;
  let closed = false;
  const job: JobModule = (env) => {
    env.fromObservable(() => interval(5)).sinkTo({ invoke: () => void ticks++, close: () => void (closed = true) });
  };
  const { jobId: id, result, statuses } = await cluster.submit(job);
  await eventually(() => ticks > 0, 'the task running');

  cluster.cut();
  t.is((await cluster.cancel(id)).type, 'CancellationSuccess');
  await sleep(3 * HEARTBEAT_MS);
  t.false(closed, 'the CancelTask was lost');
  t.false(statuses.includes('CANCELED'), 'not CANCELED while its task runs');
  cluster.heal();
  const ended = await within(result.then(() => 'FINISHED', (error: Error & { code?: string }) => error.code), 'the job ending once the link healed', REPAIR_MS);
  t.is(ended, 'JOB_CANCELED');
  t.true(closed, 'the task was cancelled before the job ended');
  await eventually(async () => (await cluster.overview()).slotsFree === 2, 'its slot free again');
});

test('a TaskManager frees the slot of a JobManager that stopped while their link was cut, once it answers no report', async (t) => {
  const cluster = await lossyCluster(t);
  // A JobManager stand-in that holds one allocation and answers each report with it, until stopped.
  const owner = cluster.jm.system.spawn(
    Behaviors.receiveMessage<JobManagerMsg | 'stop'>((msg) => {
      if (msg === 'stop') return Behaviors.stopped;
      if (msg.type === 'TaskManagerHeartbeat') msg.taskManager.tell({ type: 'JobManagerHeartbeat', jobId: msg.jobId, allocations: msg.allocations, executions: [] });
      return Behaviors.same;
    }),
    'owner',
  );
  const answers = new TestProbe<AllocateSlotReply>(cluster.jm.system);
  cluster.taskManager.tell({
    type: 'AllocateSlot',
    allocationId: 'a-1' as AllocationId,
    jobId: jobId('job-x'),
    slotIndex: 0,
    jobManager: owner as ActorRef<JobManagerMsg>,
    replyTo: answers.ref,
  });
  t.is((await answers.expectMessage()).type, 'SlotAllocated');
  await eventually(async () => (await cluster.overview()).slotsFree === 1, 'the slot reported taken');
  await sleep(2 * HEARTBEAT_TIMEOUT_MS);
  t.is((await cluster.overview()).slotsFree, 1, 'held while its JobManager answers');

  cluster.cut();
  owner.tell('stop');
  await sleep(3 * HEARTBEAT_MS);
  cluster.heal();
  await eventually(async () => (await cluster.overview()).slotsFree === 2, 'the slot free again', HEARTBEAT_TIMEOUT_MS + REPAIR_MS);
  t.pass();
});
