import test from 'ava';
import { Behaviors, type ActorRef } from '../../../actors/index.ts';
import { resourceManager } from '../../../cluster/resourcemanager/resource-manager.ts';
import { type JobId, jobId, resourceId } from '../../../messages/ids.ts';
import type { ClusterOverview, RegistrationReply, ResourceManagerMsg, SlotRequestReply } from '../../../messages/resource-manager.ts';
import type { TaskManagerMsg } from '../../../messages/task-manager.ts';
import { TestProbe, createTestSystem } from '../../testkit/index.ts';

/** A TaskManager stand-in that confirms (or refuses) every slot allocation. */
function fakeTaskManager(refuse = false) {
  return Behaviors.receiveMessage<TaskManagerMsg>((msg) => {
    if (msg.type === 'AllocateSlot') {
      msg.replyTo.tell(refuse ? { type: 'SlotAllocationFailed', allocationId: msg.allocationId, reason: 'busy' } : { type: 'SlotAllocated', allocationId: msg.allocationId });
    }
    return Behaviors.same;
  });
}

async function register(rm: ActorRef<ResourceManagerMsg>, probe: TestProbe<RegistrationReply>, name: string, tm: ActorRef<TaskManagerMsg>, slots: number) {
  rm.tell({ type: 'RegisterTaskManager', resourceId: resourceId(name), slots, incarnation: `${name}-1`, taskManager: tm, replyTo: probe.ref });
  return probe.expectMessage();
}

test('a TaskManager registers and its slots count in the cluster overview', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const replies = new TestProbe<RegistrationReply>(system);
  const reply = await register(rm, replies, 'tm-1', system.spawn(fakeTaskManager(), 'tm-1'), 3);
  t.is(reply.type, 'AcknowledgeRegistration');
  const overview = new TestProbe<ClusterOverview>(system);
  rm.tell({ type: 'RequestClusterOverview', replyTo: overview.ref });
  t.like(await overview.expectMessage(), { taskManagers: 1, slotsTotal: 3, slotsFree: 3 });
});

test('a registration offering no slots is declined with the reason', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const reply = await register(rm, new TestProbe<RegistrationReply>(system), 'tm-0', system.spawn(fakeTaskManager(), 'tm-0'), 0);
  t.is(reply.type, 'DeclineRegistration');
  t.regex(reply.type === 'DeclineRegistration' ? reply.reason : '', /at least one slot/);
});

test('slots are spread over TaskManagers and freed slots serve the next request', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const regs = new TestProbe<RegistrationReply>(system);
  await register(rm, regs, 'tm-a', system.spawn(fakeTaskManager(), 'tm-a'), 2);
  await register(rm, regs, 'tm-b', system.spawn(fakeTaskManager(), 'tm-b'), 2);
  const replies = new TestProbe<SlotRequestReply>(system);
  const job1: JobId = jobId('job-1');
  rm.tell({ type: 'RequestSlots', jobId: job1, count: 2, timeoutMs: 5_000, replyTo: replies.ref });
  const first = await replies.expectMessage();
  if (first.type !== 'SlotsAllocated') return t.fail(`expected slots, got ${JSON.stringify(first)}`);
  t.deepEqual(first.slots.map((slot) => String(slot.resourceId)).sort(), ['tm-a', 'tm-b']);

  // Three more than the two free: the request waits until job-1 frees its slots.
  rm.tell({ type: 'RequestSlots', jobId: jobId('job-2'), count: 4, timeoutMs: 5_000, replyTo: replies.ref });
  await replies.expectNoMessage(100);
  rm.tell({ type: 'FreeSlots', jobId: job1, allocationIds: first.slots.map((slot) => slot.allocationId) });
  const second = await replies.expectMessage();
  t.is(second.type, 'SlotsAllocated');
  t.is(second.type === 'SlotsAllocated' ? second.slots.length : 0, 4);
});

test('a request that cannot be met fails at its timeout, saying how many slots were needed and exist', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  await register(rm, new TestProbe<RegistrationReply>(system), 'tm-1', system.spawn(fakeTaskManager(), 'tm-1'), 1);
  const replies = new TestProbe<SlotRequestReply>(system);
  rm.tell({ type: 'RequestSlots', jobId: jobId('big'), count: 3, timeoutMs: 100, replyTo: replies.ref });
  const reply = await replies.expectMessage();
  t.is(reply.type, 'SlotRequestFailed');
  t.regex(reply.type === 'SlotRequestFailed' ? reply.reason : '', /needs 3 slots, but only 1 of 1 are free \(1 TaskManagers registered\)/);
});

test('a lost TaskManager takes its slots out of the cluster', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const tm = system.spawn(Behaviors.receiveMessage<TaskManagerMsg | 'stop'>((msg) => (msg === 'stop' ? Behaviors.stopped : Behaviors.same)), 'tm-1');
  await register(rm, new TestProbe<RegistrationReply>(system), 'tm-1', tm as ActorRef<TaskManagerMsg>, 2);
  tm.tell('stop');
  const overview = new TestProbe<ClusterOverview>(system);
  for (let attempt = 0; attempt < 50; attempt++) {
    rm.tell({ type: 'RequestClusterOverview', replyTo: overview.ref });
    if ((await overview.expectMessage()).taskManagers === 0) return t.pass();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  t.fail('the stopped TaskManager is still registered');
});

test('a request cancelled while waiting is answered at once', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const replies = new TestProbe<SlotRequestReply>(system);
  rm.tell({ type: 'RequestSlots', jobId: jobId('waiting'), count: 1, timeoutMs: 60_000, replyTo: replies.ref });
  rm.tell({ type: 'CancelSlotRequest', jobId: jobId('waiting') });
  const reply = await replies.expectMessage();
  t.like(reply, { type: 'SlotRequestFailed', reason: 'the request was cancelled' });
});

test('slots a TaskManager refuses are given back and the request is served by others', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const regs = new TestProbe<RegistrationReply>(system);
  await register(rm, regs, 'tm-bad', system.spawn(fakeTaskManager(true), 'tm-bad'), 1);
  const replies = new TestProbe<SlotRequestReply>(system);
  rm.tell({ type: 'RequestSlots', jobId: jobId('j'), count: 1, timeoutMs: 2_000, replyTo: replies.ref });
  await replies.expectNoMessage(100);
  // The refusing TaskManager is replaced by a good one under the same resource id.
  rm.tell({ type: 'RegisterTaskManager', resourceId: resourceId('tm-bad'), slots: 1, incarnation: 'tm-bad-2', taskManager: system.spawn(fakeTaskManager(), 'tm-good'), replyTo: regs.ref });
  const reply = await replies.expectMessage(3_000);
  t.is(reply.type, 'SlotsAllocated');
});

test('a request whose handler throws, or of another protocol, is dropped alone and the ResourceManager goes on', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const overview = new TestProbe<ClusterOverview>(system);
  // Locally nothing checks the shape: without replyTo the handler throws (supervision: resume).
  rm.tell({ type: 'RequestClusterOverview' } as unknown as ResourceManagerMsg);
  (rm as ActorRef<unknown>).tell({ type: 'ListJobs', replyTo: overview.ref });
  await register(rm, new TestProbe<RegistrationReply>(system), 'tm-1', system.spawn(fakeTaskManager(), 'tm-1'), 2);
  rm.tell({ type: 'RequestClusterOverview', replyTo: overview.ref });
  t.deepEqual(await overview.expectMessage(), { type: 'ClusterOverview', taskManagers: 1, slotsTotal: 2, slotsFree: 2 });
  t.is(system.deadLetterCounts.unhandled, 1);
});

test('a registration offering more slots than a TaskManager may have is declined with the reason', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const reply = await register(rm, new TestProbe<RegistrationReply>(system), 'tm-big', system.spawn(fakeTaskManager(), 'tm-big'), 4097);
  t.deepEqual(reply, { type: 'DeclineRegistration', reason: 'a TaskManager needs at least one slot and at most 4096, tm-big offers 4097' });
});
