// The ResourceManager against stand-in TaskManagers and real ones: registration, slot requests
// granted slot by slot to the JobManager that asked, a view of the slots that follows the
// TaskManagers' reports, refused and unanswered allocations replaced without losing what others
// confirmed, and requests served independently of each other.
import test, { type ExecutionContext } from 'ava';
import { Behaviors, type ActorRef, type ActorSystem } from '../../../actors/index.ts';
import { resourceManager } from '../../../cluster/resourcemanager/resource-manager.ts';
import { EmbeddedLoader } from '../../../cluster/taskmanager/job-code.ts';
import { NetworkEnvironment } from '../../../cluster/taskmanager/network/network-environment.ts';
import { taskManager } from '../../../cluster/taskmanager/task-manager.ts';
import { type AllocationId, type JobId, jobId, resourceId } from '../../../messages/ids.ts';
import type { JobManagerMsg } from '../../../messages/job-manager.ts';
import type { AllocatedSlot, ClusterOverview, RegistrationReply, ResourceManagerMsg, SlotRequestReply } from '../../../messages/resource-manager.ts';
import type { AllocateSlotReply, TaskManagerMsg } from '../../../messages/task-manager.ts';
import { TestProbe, createTestSystem } from '../../testkit/index.ts';
import { eventually } from '../helpers.ts';

/** A TaskManager stand-in that confirms (or refuses) every slot allocation, after `delayMs` when given. */
function fakeTaskManager(refuse = false, delayMs = 0) {
  return Behaviors.receiveMessage<TaskManagerMsg>((msg) => {
    if (msg.type === 'AllocateSlot') {
      const reply: AllocateSlotReply = refuse
        ? { type: 'SlotAllocationFailed', allocationId: msg.allocationId, reason: 'busy' }
        : { type: 'SlotAllocated', allocationId: msg.allocationId };
      if (delayMs > 0) setTimeout(() => msg.replyTo.tell(reply), delayMs);
      else msg.replyTo.tell(reply);
    }
    return Behaviors.same;
  });
}

async function register(rm: ActorRef<ResourceManagerMsg>, probe: TestProbe<RegistrationReply>, name: string, tm: ActorRef<TaskManagerMsg>, slots: number) {
  rm.tell({ type: 'RegisterTaskManager', resourceId: resourceId(name), slots, incarnation: `${name}-1`, taskManager: tm, replyTo: probe.ref });
  return probe.expectMessage();
}

/** A JobManager stand-in: what the ResourceManager answers its RequestSlots with. */
function jobManagerProbe(system: ActorSystem): TestProbe<SlotRequestReply> & { readonly jm: ActorRef<JobManagerMsg> } {
  const probe = new TestProbe<SlotRequestReply>(system);
  return Object.assign(probe, { jm: probe.ref as unknown as ActorRef<JobManagerMsg> });
}

function requestSlots(rm: ActorRef<ResourceManagerMsg>, jm: ActorRef<JobManagerMsg>, job: JobId, count: number, timeoutMs: number): void {
  rm.tell({ type: 'RequestSlots', jobId: job, count, timeoutMs, jobManager: jm });
}

/** The next `count` slots granted, in one SlotsAllocated or several. */
async function granted(probe: TestProbe<SlotRequestReply>, count: number, timeoutMs = 3_000): Promise<AllocatedSlot[]> {
  const slots: AllocatedSlot[] = [];
  while (slots.length < count) {
    const reply = await probe.expectMessage(timeoutMs);
    if (reply.type !== 'SlotsAllocated') throw new Error(`expected slots, got ${JSON.stringify(reply)}`);
    slots.push(...reply.slots);
  }
  return slots;
}

async function overview(system: ActorSystem, rm: ActorRef<ResourceManagerMsg>): Promise<ClusterOverview> {
  const probe = new TestProbe<ClusterOverview>(system);
  rm.tell({ type: 'RequestClusterOverview', replyTo: probe.ref });
  return probe.expectMessage();
}

/** A real TaskManager registering with `rm`; reports every `heartbeatIntervalMs`. */
function spawnTaskManager(system: ActorSystem, rm: ActorRef<ResourceManagerMsg>, name: string, slots: number, heartbeatIntervalMs = 60_000): ActorRef<TaskManagerMsg> {
  return system.spawn(
    taskManager({ resourceId: resourceId(name), slots, resourceManager: rm, loader: new EmbeddedLoader(), network: new NetworkEnvironment(() => true), heartbeatIntervalMs }),
    name,
  );
}

async function cluster(t: ExecutionContext, options: Parameters<typeof resourceManager>[0] = {}) {
  const { system, logs } = await createTestSystem(t);
  const rm = system.spawn(resourceManager(options), 'rm');
  return { system, logs, rm };
}

test('a TaskManager registers and its slots count in the cluster overview', async (t) => {
  const { system, rm } = await cluster(t);
  const reply = await register(rm, new TestProbe<RegistrationReply>(system), 'tm-1', system.spawn(fakeTaskManager(), 'tm-1'), 3);
  t.is(reply.type, 'AcknowledgeRegistration');
  t.like(await overview(system, rm), { taskManagers: 1, slotsTotal: 3, slotsFree: 3 });
});

test('a registration offering no slots is declined with the reason', async (t) => {
  const { system, rm } = await cluster(t);
  const reply = await register(rm, new TestProbe<RegistrationReply>(system), 'tm-0', system.spawn(fakeTaskManager(), 'tm-0'), 0);
  t.is(reply.type, 'DeclineRegistration');
  t.regex(reply.type === 'DeclineRegistration' ? reply.reason : '', /at least one slot/);
});

test('a registration counts the slots its TaskManager reports held as taken', async (t) => {
  const { system, rm } = await cluster(t);
  const replies = new TestProbe<RegistrationReply>(system);
  const held = { index: 1, allocationId: 'kept' as AllocationId, jobId: jobId('older-job') };
  rm.tell({
    type: 'RegisterTaskManager',
    resourceId: resourceId('tm-1'),
    slots: 2,
    incarnation: 'i',
    taskManager: system.spawn(fakeTaskManager(), 'tm-1'),
    slotReport: [{ index: 0, allocationId: null, jobId: null }, held],
    replyTo: replies.ref,
  });
  await replies.expectMessage();
  t.like(await overview(system, rm), { slotsTotal: 2, slotsFree: 1 });
});

test('slots are spread over TaskManagers, granted to the JobManager, and serve the next request once their TaskManagers report them free', async (t) => {
  const { system, rm } = await cluster(t);
  spawnTaskManager(system, rm, 'tm-a', 2);
  spawnTaskManager(system, rm, 'tm-b', 2);
  await eventually(async () => (await overview(system, rm)).slotsFree === 4, 'both TaskManagers registering');
  const first = jobManagerProbe(system);
  const firstJm = system.spawn(Behaviors.receiveMessage<JobManagerMsg | 'stop'>((msg) => (msg === 'stop' ? Behaviors.stopped : (first.ref.tell(msg as SlotRequestReply), Behaviors.same))), 'jm-1');
  requestSlots(rm, firstJm as ActorRef<JobManagerMsg>, jobId('job-1'), 2, 5_000);
  const slots = await granted(first, 2);
  t.deepEqual(slots.map((slot) => String(slot.resourceId)).sort(), ['tm-a', 'tm-b']);

  // Four are needed, two are free: the request waits until job-1's JobManager is gone and the
  // TaskManagers, which free its slots, report them.
  const second = jobManagerProbe(system);
  requestSlots(rm, second.jm, jobId('job-2'), 4, 5_000);
  await second.expectNoMessage(100);
  firstJm.tell('stop');
  t.is((await granted(second, 4)).length, 4);
});

test('a request that cannot be met fails at its timeout, saying how many slots were needed and exist', async (t) => {
  const { system, rm } = await cluster(t);
  await register(rm, new TestProbe<RegistrationReply>(system), 'tm-1', system.spawn(fakeTaskManager(), 'tm-1'), 1);
  const jm = jobManagerProbe(system);
  requestSlots(rm, jm.jm, jobId('big'), 3, 100);
  const reply = await jm.expectMessage();
  t.is(reply.type, 'SlotRequestFailed');
  t.regex(reply.type === 'SlotRequestFailed' ? reply.reason : '', /needs 3 slots, but only 1 of 1 are free \(1 TaskManagers registered\)/);
});

test('a lost TaskManager takes its slots out of the cluster', async (t) => {
  const { system, rm } = await cluster(t);
  const tm = system.spawn(Behaviors.receiveMessage<TaskManagerMsg | 'stop'>((msg) => (msg === 'stop' ? Behaviors.stopped : Behaviors.same)), 'tm-1');
  await register(rm, new TestProbe<RegistrationReply>(system), 'tm-1', tm as ActorRef<TaskManagerMsg>, 2);
  tm.tell('stop');
  await eventually(async () => (await overview(system, rm)).taskManagers === 0, 'the stopped TaskManager leaving the cluster');
  t.pass();
});

test('a request cancelled while waiting is answered at once', async (t) => {
  const { system, rm } = await cluster(t);
  const jm = jobManagerProbe(system);
  requestSlots(rm, jm.jm, jobId('waiting'), 1, 60_000);
  rm.tell({ type: 'CancelSlotRequest', jobId: jobId('waiting') });
  t.like(await jm.expectMessage(), { type: 'SlotRequestFailed', reason: 'the request was cancelled' });
});

test('slots a TaskManager refuses are replaced by others, and the slots others confirmed stay granted', async (t) => {
  const { system, rm, logs } = await cluster(t);
  const tms = ['tm-a', 'tm-b', 'tm-c'].map((name) => spawnTaskManager(system, rm, name, 1));
  await eventually(async () => (await overview(system, rm)).slotsFree === 3, 'three TaskManagers registering');
  // tm-b's slot is taken behind the ResourceManager's back: its view is stale until tm-b reports.
  const other = jobManagerProbe(system);
  const answers = new TestProbe<AllocateSlotReply>(system);
  tms[1].tell({ type: 'AllocateSlot', allocationId: 'elsewhere' as AllocationId, jobId: jobId('other'), slotIndex: 0, jobManager: other.jm, replyTo: answers.ref });
  t.is((await answers.expectMessage()).type, 'SlotAllocated');

  const jm = jobManagerProbe(system);
  requestSlots(rm, jm.jm, jobId('job'), 2, 5_000);
  const slots = await granted(jm, 2);
  t.deepEqual(slots.map((slot) => String(slot.resourceId)).sort(), ['tm-a', 'tm-c']);
  t.like(await overview(system, rm), { slotsTotal: 3, slotsFree: 0 });
  const refusals = logs.matching('was refused').map((record) => String(record.msg));
  t.is(refusals.length, 1);
  t.regex(refusals[0], /^slot allocation [\w-]+ was refused: tm-b: slot 0 is already allocated to job other$/);
});

test('a slot confirmed after its allocation timed out is still granted to the request that needs it', async (t) => {
  const { system, rm, logs } = await cluster(t, { allocateSlotTimeoutMs: 100 });
  await register(rm, new TestProbe<RegistrationReply>(system), 'tm-slow', system.spawn(fakeTaskManager(false, 400), 'tm-slow'), 1);
  const jm = jobManagerProbe(system);
  requestSlots(rm, jm.jm, jobId('job'), 1, 5_000);
  const [slot] = await granted(jm, 1, 2_000);
  t.like(slot, { resourceId: resourceId('tm-slow'), slotIndex: 0 });
  t.is(logs.matching('was not confirmed within 100 ms').length, 1, 'one warning, and no allocation sent again to a slot that is not known free');
  t.like(await overview(system, rm), { slotsFree: 0 });
});

test('an unanswered allocation leaves its slot out until its TaskManager reports it, with one warning and no retry', async (t) => {
  const { system, rm, logs } = await cluster(t, { allocateSlotTimeoutMs: 50 });
  let allocations = 0;
  const silent = system.spawn(
    Behaviors.receiveMessage<TaskManagerMsg>((msg) => {
      if (msg.type === 'AllocateSlot') allocations++;
      return Behaviors.same;
    }),
    'tm-silent',
  );
  await register(rm, new TestProbe<RegistrationReply>(system), 'tm-silent', silent, 1);
  const jm = jobManagerProbe(system);
  requestSlots(rm, jm.jm, jobId('job'), 1, 400);
  t.like(await jm.expectMessage(), { type: 'SlotRequestFailed' });
  t.is(allocations, 1);
  t.is(logs.matching('was not confirmed within 50 ms').length, 1);
  t.like(await overview(system, rm), { slotsFree: 0 }, 'not known free');
  rm.tell({ type: 'SlotReport', resourceId: resourceId('tm-silent'), slots: [{ index: 0, allocationId: null, jobId: null }] });
  t.like(await overview(system, rm), { slotsFree: 1 }, 'its report says it is free');
});

test('a request larger than the free slots does not hold back later ones, before or after its timeout', async (t) => {
  const { system, rm } = await cluster(t);
  await register(rm, new TestProbe<RegistrationReply>(system), 'tm-1', system.spawn(fakeTaskManager(), 'tm-1'), 4);
  const big = jobManagerProbe(system);
  requestSlots(rm, big.jm, jobId('p8'), 8, 300);
  const small = jobManagerProbe(system);
  requestSlots(rm, small.jm, jobId('p1'), 1, 5_000);
  t.is((await granted(small, 1)).length, 1, 'served while the larger one waits');
  t.like(await big.expectMessage(), { type: 'SlotRequestFailed' });
  const after = jobManagerProbe(system);
  requestSlots(rm, after.jm, jobId('p1-after'), 1, 5_000);
  t.is((await granted(after, 1)).length, 1, 'served after the larger one timed out');
});

test('a request whose handler throws, or of another protocol, is dropped alone and the ResourceManager goes on', async (t) => {
  const { system, rm } = await cluster(t);
  const probe = new TestProbe<ClusterOverview>(system);
  // Locally nothing checks the shape: without replyTo the handler throws (supervision: resume).
  rm.tell({ type: 'RequestClusterOverview' } as unknown as ResourceManagerMsg);
  (rm as ActorRef<unknown>).tell({ type: 'ListJobs', replyTo: probe.ref });
  await register(rm, new TestProbe<RegistrationReply>(system), 'tm-1', system.spawn(fakeTaskManager(), 'tm-1'), 2);
  t.deepEqual(await overview(system, rm), { type: 'ClusterOverview', taskManagers: 1, slotsTotal: 2, slotsFree: 2 });
  t.is(system.deadLetterCounts.unhandled, 1);
});

test('a registration offering more slots than a TaskManager may have is declined with the reason', async (t) => {
  const { system, rm } = await cluster(t);
  const reply = await register(rm, new TestProbe<RegistrationReply>(system), 'tm-big', system.spawn(fakeTaskManager(), 'tm-big'), 4097);
  t.deepEqual(reply, { type: 'DeclineRegistration', reason: 'a TaskManager needs at least one slot and at most 4096, tm-big offers 4097' });
});
