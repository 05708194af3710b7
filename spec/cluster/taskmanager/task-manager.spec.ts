// The TaskManager on its own, against a fake ResourceManager and fake JobManagers: registration
// (retries, a ResourceManager that comes back), its slot table, running submitted tasks, and the
// clean-up when a JobManager it serves goes away.
import test, { type ExecutionContext } from 'ava';
import { interval } from 'rxjs';
import { type ActorRef, type ActorSystem, MemoryNetwork } from '../../../actors/index.ts';
import type { JobModule } from '../../../api/index.ts';
import { planJob } from '../../../api/runtime/plan.ts';
import { EmbeddedLoader } from '../../../cluster/taskmanager/job-code.ts';
import { NetworkEnvironment } from '../../../cluster/taskmanager/network/network-environment.ts';
import { type TaskManagerOptions, taskManager } from '../../../cluster/taskmanager/task-manager.ts';
import { type AllocationId, type ExecutionAttemptId, type JobId, jobId, resourceId } from '../../../messages/ids.ts';
import type { JobVertex } from '../../../messages/job-graph.ts';
import type { JobManagerMsg, UpdateTaskExecutionState } from '../../../messages/job-manager.ts';
import type { ResourceManagerMsg } from '../../../messages/resource-manager.ts';
import type { AllocateSlotReply, SubmitTaskReply, TaskDeploymentDescriptor, TaskManagerMsg, TaskWatermarks } from '../../../messages/task-manager.ts';
import { type LogCollector, TestProbe, createTestSystem } from '../../testkit/index.ts';
import { descriptorFor, type FakeResourceManagerOptions, type ResourceManagerLog, STOP, type Stop, emptyResourceManagerLog, eventually, fakeJobManager, fakeResourceManager } from '../helpers.ts';

const TM = resourceId('tm-1');

interface Setup {
  readonly system: ActorSystem;
  readonly logs: LogCollector;
  readonly tm: ActorRef<TaskManagerMsg>;
  readonly rmLog: ResourceManagerLog;
  readonly loader: EmbeddedLoader;
}

type TaskManagerSpecOptions = Partial<Pick<TaskManagerOptions, 'registrationMaxBackoffMs' | 'heartbeatIntervalMs' | 'cancellationIntervalMs' | 'watchdog'>>;

async function setup(t: ExecutionContext, rmOptions: FakeResourceManagerOptions = {}, tmOptions: TaskManagerSpecOptions = {}): Promise<Setup> {
  const { system, logs } = await createTestSystem(t);
  const rmLog = emptyResourceManagerLog();
  const rm = system.spawn(fakeResourceManager(rmLog, rmOptions), 'rm') as ActorRef<ResourceManagerMsg>;
  const loader = new EmbeddedLoader();
  const tm = system.spawn(taskManager({ resourceId: TM, slots: 2, resourceManager: rm, loader, network: new NetworkEnvironment(() => true), registrationTimeoutMs: 200, ...tmOptions, stdout: () => {} }), 'tm');
  await eventually(() => rmLog.reports.length > 0, 'the TaskManager registering and reporting its slots');
  return { system, logs, tm, rmLog, loader };
}

/** Asks the TaskManager for slot `slotIndex` for `job`, owned by `jobManager` (by default a JobManager that lives as long as the test). */
async function allocate(
  system: ActorSystem,
  tm: ActorRef<TaskManagerMsg>,
  slotIndex: number,
  allocationId: string,
  job: JobId,
  jobManager: ActorRef<JobManagerMsg | Stop> = new TestProbe<JobManagerMsg>(system).ref,
): Promise<AllocateSlotReply> {
  const replies = new TestProbe<AllocateSlotReply>(system);
  tm.tell({ type: 'AllocateSlot', allocationId: allocationId as AllocationId, jobId: job, slotIndex, jobManager: jobManager as ActorRef<JobManagerMsg>, replyTo: replies.ref });
  return replies.expectMessage();
}

interface Deployment {
  readonly descriptor: TaskDeploymentDescriptor;
  readonly jm: ActorRef<JobManagerMsg | Stop>;
  readonly updates: JobManagerMsg[];
}

/** Plans `module`, registers it with the loader and spawns a fake JobManager for `job`. */
async function prepare(system: ActorSystem, loader: EmbeddedLoader, module: JobModule, job: JobId, allocationId: string): Promise<Deployment> {
  const plan = await planJob(module, []);
  const vertex: JobVertex = plan.graph.vertices[0];
  const bundleHash = `bundle-of-${job}`;
  loader.register(bundleHash, module);
  const updates: JobManagerMsg[] = [];
  const jm = system.spawn(fakeJobManager(updates, vertex.splits ?? []), `jm-${job}`);
  const descriptor = descriptorFor(job, vertex, jm, { jobName: plan.graph.name, allocationId: allocationId as AllocationId, bundleHash });
  return { descriptor, jm, updates };
}

async function submit(system: ActorSystem, tm: ActorRef<TaskManagerMsg>, descriptor: TaskDeploymentDescriptor): Promise<SubmitTaskReply> {
  const replies = new TestProbe<SubmitTaskReply>(system);
  tm.tell({ type: 'SubmitTask', descriptor, replyTo: replies.ref });
  return replies.expectMessage();
}

const statesOf = (updates: readonly JobManagerMsg[]): string[] =>
  updates.filter((u): u is UpdateTaskExecutionState => u.type === 'UpdateTaskExecutionState').map((u) => u.state);

/** A job whose source ticks every 5 ms until cancelled; `closed` flips when its sink closes. */
function tickingJob(): { module: JobModule; ticks: () => number; closed: () => boolean } {
  let ticks = 0;
  let closed = false;
  const module: JobModule = (env) => {
    env.fromObservable(() => interval(5)).sinkTo({
      invoke: () => void ticks++,
      close: () => void (closed = true),
    });
  };
  return { module, ticks: () => ticks, closed: () => closed };
}

test('it registers with the ResourceManager and then reports all its slots free', async (t) => {
  const { rmLog, tm } = await setup(t);
  t.is(rmLog.registrations.length, 1);
  t.like(rmLog.registrations[0], { type: 'RegisterTaskManager', resourceId: TM, slots: 2 });
  t.is(rmLog.registrations[0].taskManager.path, tm.path);
  t.deepEqual(rmLog.reports, [
    {
      type: 'SlotReport',
      resourceId: TM,
      slots: [
        { index: 0, allocationId: null, jobId: null },
        { index: 1, allocationId: null, jobId: null },
      ],
    },
  ]);
});

test('it tries again when the ResourceManager leaves the first registration unanswered', async (t) => {
  const { rmLog, logs } = await setup(t, { ignore: [1] });
  t.is(rmLog.registrations.length, 2);
  t.is(rmLog.registrations[0].incarnation, rmLog.registrations[1].incarnation);
  const warnings = logs.matching('registration attempt', 'warn').map((record) => String(record.msg));
  t.is(warnings.length, 1);
  t.regex(warnings[0], /^registration attempt 1 failed \(.*weir:\/\/test\/user\/rm.* no reply within 200 ms\); retrying in 100 ms$/);
});

test('it tries again, backing off, when the ResourceManager declines', async (t) => {
  const { rmLog, logs } = await setup(t, { decline: [1, 2] });
  t.is(rmLog.registrations.length, 3);
  t.is(rmLog.reports.length, 1);
  t.deepEqual(
    logs.matching('registration attempt').map((record) => record.msg),
    ['registration attempt 1 failed (attempt 1 declined by the spec); retrying in 100 ms', 'registration attempt 2 failed (attempt 2 declined by the spec); retrying in 200 ms'],
  );
});

test('it registers again when its ResourceManager stops and a new one appears at the same path', async (t) => {
  // Over the network: a remote ref names a path, so a new actor there is the same ResourceManager.
  const network = new MemoryNetwork();
  const { system: jmSystem } = await createTestSystem(t, { name: 'jobmanager', remote: { transport: network.transport() }, logLevel: 'off' });
  const { system: tmSystem } = await createTestSystem(t, { name: 'taskmanager', remote: { transport: network.transport() }, logLevel: 'off' });
  const first = emptyResourceManagerLog();
  const rm = jmSystem.spawn(fakeResourceManager(first), 'resourcemanager');
  const rmRemote = tmSystem.resolve<ResourceManagerMsg>(rm.path);
  tmSystem.spawn(taskManager({ resourceId: TM, slots: 1, resourceManager: rmRemote, loader: new EmbeddedLoader(), network: new NetworkEnvironment(() => true), registrationTimeoutMs: 300, registrationMaxBackoffMs: 100 }), 'tm');
  await eventually(() => first.reports.length === 1, 'the first registration');

  const watcher = new TestProbe<never>(jmSystem);
  watcher.watch(rm as ActorRef<never>);
  rm.tell(STOP);
  await watcher.expectTerminated();
  const second = emptyResourceManagerLog();
  jmSystem.spawn(fakeResourceManager(second), 'resourcemanager');
  await eventually(() => second.reports.length === 1, 'a registration with the new ResourceManager');
  t.like(second.registrations.at(-1), { resourceId: TM, slots: 1 });
  t.deepEqual(second.reports.at(-1)?.slots, [{ index: 0, allocationId: null, jobId: null }]);
});

test('AllocateSlot takes a free slot, is idempotent, and refuses a taken or missing slot with the reason', async (t) => {
  const { system, tm } = await setup(t);
  const job = jobId('job-a');
  t.deepEqual(await allocate(system, tm, 0, 'alloc-1', job), { type: 'SlotAllocated', allocationId: 'alloc-1' as AllocationId });
  t.deepEqual(await allocate(system, tm, 0, 'alloc-1', job), { type: 'SlotAllocated', allocationId: 'alloc-1' as AllocationId });
  t.deepEqual(await allocate(system, tm, 0, 'alloc-2', jobId('job-b')), {
    type: 'SlotAllocationFailed',
    allocationId: 'alloc-2' as AllocationId,
    reason: 'tm-1: slot 0 is already allocated to job job-a',
  });
  t.deepEqual(await allocate(system, tm, 2, 'alloc-3', job), {
    type: 'SlotAllocationFailed',
    allocationId: 'alloc-3' as AllocationId,
    reason: 'tm-1: slot 2 does not exist (this TaskManager has 2)',
  });
});

test('PrepareJob plans a job holding a slot here before its tasks come, and they use that plan; a job without a slot here is not planned', async (t) => {
  const { system, tm, loader } = await setup(t);
  let plannings = 0;
  const module: JobModule = (env) => {
    plannings++;
    env.fromElements(1, 2).sinkTo(() => {});
  };
  const job = jobId('job-a');
  const { descriptor, updates } = await prepare(system, loader, module, job, 'alloc-a');
  t.is(plannings, 1, 'the spec planned it once to make the descriptor');
  const { bundleHash, jobArgs, jobManager } = descriptor;
  tm.tell({ type: 'PrepareJob', jobId: job, bundleHash, jobArgs, jobManager });
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(plannings, 1, 'no slot of the job here: nothing planned');
  await allocate(system, tm, 0, 'alloc-a', job);
  tm.tell({ type: 'PrepareJob', jobId: job, bundleHash, jobArgs, jobManager });
  await eventually(() => plannings === 2, 'the TaskManager planning the job ahead of its tasks');
  t.deepEqual(await submit(system, tm, descriptor), { type: 'TaskSubmitted', executionAttemptId: descriptor.executionAttemptId });
  await eventually(() => statesOf(updates).includes('FINISHED'), 'the task finishing');
  t.is(plannings, 2, 'the task ran on the prepared plan');
});

test('it refuses SubmitTask for an allocation it does not hold, with the reason', async (t) => {
  const { system, tm, loader } = await setup(t);
  const { descriptor, updates } = await prepare(system, loader, (env) => void env.fromElements(1).sinkTo(() => {}), jobId('job-b'), 'alloc-b');
  t.deepEqual(await submit(system, tm, descriptor), {
    type: 'TaskSubmissionFailed',
    executionAttemptId: descriptor.executionAttemptId,
    reason: 'allocation alloc-b is not on tm-1',
  });
  // An allocation of another job does not do either.
  await allocate(system, tm, 1, 'alloc-b', jobId('job-a'));
  t.deepEqual(await submit(system, tm, descriptor), {
    type: 'TaskSubmissionFailed',
    executionAttemptId: descriptor.executionAttemptId,
    reason: 'allocation alloc-b belongs to job job-a',
  });
  t.deepEqual(updates, [], 'no task ran');
});

test('a submitted task runs to FINISHED and each of its states reaches the JobManager', async (t) => {
  const { system, tm, loader } = await setup(t);
  const out: number[] = [];
  const job = jobId('job-a');
  const { descriptor, updates } = await prepare(system, loader, (env) => void env.fromElements(1, 2, 3).sinkTo((n) => void out.push(n)), job, 'alloc-a');
  await allocate(system, tm, 0, 'alloc-a', job);
  t.deepEqual(await submit(system, tm, descriptor), { type: 'TaskSubmitted', executionAttemptId: descriptor.executionAttemptId });
  await eventually(() => statesOf(updates).includes('FINISHED'), 'the task finishing');
  t.deepEqual(statesOf(updates), ['INITIALIZING', 'RUNNING', 'FINISHED']);
  t.like(updates[0], { jobId: job, jobMasterId: descriptor.jobMasterId, executionAttemptId: descriptor.executionAttemptId });
  t.deepEqual(out, [1, 2, 3]);
});

test('CancelTask cancels a running task: it reports CANCELING, then CANCELED, and its sink is closed', async (t) => {
  const { system, tm, loader } = await setup(t);
  const job = jobId('job-a');
  const ticking = tickingJob();
  const { descriptor, updates } = await prepare(system, loader, ticking.module, job, 'alloc-a');
  await allocate(system, tm, 0, 'alloc-a', job);
  await submit(system, tm, descriptor);
  await eventually(() => ticking.ticks() > 0, 'a tick reaching the sink');
  tm.tell({ type: 'CancelTask', executionAttemptId: descriptor.executionAttemptId });
  await eventually(() => statesOf(updates).includes('CANCELED'), 'the task ending');
  t.deepEqual(statesOf(updates), ['INITIALIZING', 'RUNNING', 'CANCELING', 'CANCELED']);
  t.true(ticking.closed());
});

test('FailTask fails a running task with the reason', async (t) => {
  const { system, tm, loader } = await setup(t);
  const job = jobId('job-a');
  const ticking = tickingJob();
  const { descriptor, updates } = await prepare(system, loader, ticking.module, job, 'alloc-a');
  await allocate(system, tm, 0, 'alloc-a', job);
  await submit(system, tm, descriptor);
  await eventually(() => ticking.ticks() > 0, 'a tick reaching the sink');
  tm.tell({ type: 'FailTask', executionAttemptId: descriptor.executionAttemptId, reason: 'the JobManager said so' });
  await eventually(() => statesOf(updates).includes('FAILED'), 'the task failing');
  const failed = updates.at(-1) as UpdateTaskExecutionState;
  t.deepEqual(failed.error, { name: 'TaskFailed', message: 'the JobManager said so' });
});

test('a task whose job code cannot be loaded reports FAILED with the reason', async (t) => {
  const { system, tm, loader } = await setup(t);
  const job = jobId('job-a');
  const { descriptor, updates } = await prepare(system, loader, (env) => void env.fromElements(1).sinkTo(() => {}), job, 'alloc-a');
  await allocate(system, tm, 0, 'alloc-a', job);
  await submit(system, tm, { ...descriptor, bundleHash: 'unknown-bundle' });
  await eventually(() => statesOf(updates).includes('FAILED'), 'the task failing');
  t.deepEqual(statesOf(updates), ['INITIALIZING', 'FAILED']);
  t.is(
    (updates.at(-1) as UpdateTaskExecutionState).error?.message,
    `${descriptor.vertex.name} (1/1): loading the job code failed: no job module registered for bundle unknown-bundle`,
  );
});

test('when a JobManager it serves stops, it cancels that job’s tasks and frees that job’s slots only', async (t) => {
  const { system, tm, loader, rmLog, logs } = await setup(t);
  const [jobA, jobB] = [jobId('job-a'), jobId('job-b')];
  const a = tickingJob();
  const b = tickingJob();
  const deployedA = await prepare(system, loader, a.module, jobA, 'alloc-a');
  const deployedB = await prepare(system, loader, b.module, jobB, 'alloc-b');
  await allocate(system, tm, 0, 'alloc-a', jobA, deployedA.jm);
  await allocate(system, tm, 1, 'alloc-b', jobB, deployedB.jm);
  await submit(system, tm, deployedA.descriptor);
  await submit(system, tm, deployedB.descriptor);
  await eventually(() => a.ticks() > 0 && b.ticks() > 0, 'both jobs ticking');

  const reportsBefore = rmLog.reports.length;
  deployedA.jm.tell(STOP);
  await eventually(() => rmLog.reports.length > reportsBefore, 'a slot report after the JobManager stopped');
  t.deepEqual(rmLog.reports.at(-1)?.slots, [
    { index: 0, allocationId: null, jobId: null },
    { index: 1, allocationId: 'alloc-b', jobId: jobB },
  ]);
  await eventually(() => a.closed(), 'the task of job-a closing');
  t.false(b.closed(), 'the other job runs on');
  t.is(logs.matching(`released job job-a (its JobManager is gone): 1 tasks cancelled, 0 slots freed, 1 freed once their tasks stop`).length, 1);
  t.deepEqual(await allocate(system, tm, 0, 'alloc-c', jobId('job-c')), { type: 'SlotAllocated', allocationId: 'alloc-c' as AllocationId });
});

/** A ticking job deployed in slot 0 (allocation alloc-a), its JobManager a fake one, running once this resolves. */
async function deployTicking({ system, tm, loader }: Pick<Setup, 'system' | 'tm' | 'loader'>, job: JobId): Promise<{ ticking: ReturnType<typeof tickingJob>; deployed: Deployment }> {
  const ticking = tickingJob();
  const deployed = await prepare(system, loader, ticking.module, job, 'alloc-a');
  await allocate(system, tm, 0, 'alloc-a', job, deployed.jm);
  await submit(system, tm, deployed.descriptor);
  await eventually(() => ticking.ticks() > 0, 'the job ticking');
  return { ticking, deployed };
}

test('a JobManager that releases its ended job and stops is not reported gone: one line says the job ended', async (t) => {
  const { tm, rmLog, logs, ...rest } = await setup(t);
  const job = jobId('job-a');
  const { ticking, deployed } = await deployTicking({ tm, ...rest }, job);
  // As a JobManager's end(): its ReleaseJob, then it stops; its Terminated overtakes the ReleaseJob.
  deployed.jm.tell(STOP);
  tm.tell({ type: 'ReleaseJob', jobId: job, reason: 'job FINISHED' });
  await eventually(() => rmLog.reports.at(-1)?.slots[0].allocationId === null, 'the slot freed');
  await eventually(() => ticking.closed(), 'the task closing');
  t.deepEqual(
    logs.matching('released job job-a').map((record) => record.msg),
    ['released job job-a (job FINISHED): 1 tasks cancelled, 0 slots freed, 1 freed once their tasks stop'],
  );
});

test('at debug level it logs each task it deploys and each state the task reaches', async (t) => {
  const { logs, ...rest } = await setup(t);
  const { deployed } = await deployTicking(rest, jobId('job-a'));
  const name = `${deployed.descriptor.vertex.name} (1/1) attempt 0 of job job-a`;
  await eventually(() => logs.matching(`${name} is RUNNING`, 'debug').length === 1, 'the RUNNING line');
  t.deepEqual(
    logs.records.filter((record) => record.level === 'debug' && String(record.msg).includes(name)).map((record) => record.msg),
    [`deploying ${name} in allocation alloc-a`, `${name} is INITIALIZING`, `${name} is RUNNING`],
  );
});

test('ReleaseJob cancels the job’s tasks, frees its slots and reports them', async (t) => {
  const { system, tm, loader, rmLog } = await setup(t);
  const job = jobId('job-a');
  const ticking = tickingJob();
  const { descriptor } = await prepare(system, loader, ticking.module, job, 'alloc-a');
  await allocate(system, tm, 0, 'alloc-a', job);
  await submit(system, tm, descriptor);
  await eventually(() => ticking.ticks() > 0, 'a tick reaching the sink');
  const reportsBefore = rmLog.reports.length;
  tm.tell({ type: 'ReleaseJob', jobId: job, reason: 'job CANCELED' });
  await eventually(() => rmLog.reports.length > reportsBefore && ticking.closed(), 'the release');
  t.true(rmLog.reports.at(-1)?.slots.every((slot) => slot.allocationId === null));
});

test('a request whose handler throws, or of another protocol, is dropped alone and the TaskManager goes on', async (t) => {
  const { system, tm } = await setup(t);
  // Locally nothing checks the shape: without replyTo the handler throws (supervision: resume).
  tm.tell({ type: 'AllocateSlot', allocationId: 'a-0' as AllocationId, jobId: jobId('job-x'), slotIndex: 0 } as unknown as TaskManagerMsg);
  const replies = new TestProbe<AllocateSlotReply>(system);
  (tm as ActorRef<unknown>).tell({ type: 'ListJobs', replyTo: replies.ref });
  t.deepEqual(await allocate(system, tm, 1, 'a-1', jobId('job-y')), { type: 'SlotAllocated', allocationId: 'a-1' as AllocationId });
  t.is(system.deadLetterCounts.unhandled, 1);
});

test('a task submitted twice under one attempt id is refused the second time with the reason', async (t) => {
  const { system, tm, loader } = await setup(t);
  const job = jobId('twice');
  const { descriptor } = await prepare(system, loader, tickingJob().module, job, 'allocation-twice');
  await allocate(system, tm, 0, 'allocation-twice', job);
  t.is((await submit(system, tm, descriptor)).type, 'TaskSubmitted');
  t.deepEqual(await submit(system, tm, descriptor), {
    type: 'TaskSubmissionFailed',
    executionAttemptId: descriptor.executionAttemptId,
    reason: `task ${descriptor.executionAttemptId} already runs on tm-1`,
  });
  tm.tell({ type: 'ReleaseJob', jobId: job, reason: 'spec done' });
});

test('RequestTaskWatermarks is answered with each running task’s reading, in the order asked, and why for the others', async (t) => {
  const { system, tm, loader } = await setup(t);
  const job = jobId('job-a');
  const ticking = tickingJob();
  const { descriptor } = await prepare(system, loader, ticking.module, job, 'alloc-a');
  await allocate(system, tm, 0, 'alloc-a', job);
  await submit(system, tm, descriptor);
  await eventually(() => ticking.ticks() > 0, 'a tick reaching the sink');
  const other = 'attempt-elsewhere' as ExecutionAttemptId;
  const reply = await system.ask<TaskManagerMsg, TaskWatermarks>(
    tm,
    (replyTo) => ({ type: 'RequestTaskWatermarks', jobId: job, executionAttemptIds: [other, descriptor.executionAttemptId], replyTo }),
    2_000,
  );
  t.deepEqual(reply, {
    type: 'TaskWatermarks',
    readings: [
      { executionAttemptId: other, watermarks: null, unavailable: 'it does not run on tm-1' },
      { executionAttemptId: descriptor.executionAttemptId, watermarks: { inputWatermark: null, outputWatermark: null, outputIdle: false, inputs: [], splits: null } },
    ],
  });
  const wrongJob = await system.ask<TaskManagerMsg, TaskWatermarks>(
    tm,
    (replyTo) => ({ type: 'RequestTaskWatermarks', jobId: jobId('job-b'), executionAttemptIds: [descriptor.executionAttemptId], replyTo }),
    2_000,
  );
  t.deepEqual(wrongJob.readings, [{ executionAttemptId: descriptor.executionAttemptId, watermarks: null, unavailable: 'it does not run on tm-1' }], 'a task is only read for its own job');
});

test('a cancelled task that does not stop keeps its slot, is armed with the watchdog and told again each interval, and frees the slot once gone', async (t) => {
  const armed: string[] = [];
  const watchdog = { arm: (id: ExecutionAttemptId, what: string) => void armed.push(`arm ${id} ${what}`), disarm: (id: ExecutionAttemptId) => void armed.push(`disarm ${id}`) };
  const { system, tm, loader, rmLog, logs } = await setup(t, {}, { cancellationIntervalMs: 100, heartbeatIntervalMs: 50, watchdog });
  const job = jobId('job-stuck');
  let closeCalls = 0;
  let letGo: () => void = () => {};
  const stuck: JobModule = (env) => {
    env.fromObservable(() => interval(5)).sinkTo({
      invoke: () => {},
      // A close that does not return until the spec lets it: the task cannot end.
      close: () => {
        closeCalls++;
        return new Promise<void>((resolve) => (letGo = resolve));
      },
    });
  };
  const { descriptor, jm, updates } = await prepare(system, loader, stuck, job, 'alloc-stuck');
  await allocate(system, tm, 0, 'alloc-stuck', job, jm);
  await submit(system, tm, descriptor);
  await eventually(() => statesOf(updates).includes('RUNNING'), 'the task running');
  tm.tell({ type: 'ReleaseJob', jobId: job, reason: 'job CANCELED' });
  await eventually(() => logs.matching(`1 task still cancelling: ${descriptor.vertex.name} (1/1) attempt 0 of job job-stuck for `).length >= 2, 'two interval log lines');
  t.deepEqual(armed, [`arm ${descriptor.executionAttemptId} ${descriptor.vertex.name} (1/1) attempt 0 of job job-stuck`]);
  t.is(closeCalls, 1);
  t.deepEqual(rmLog.reports.at(-1)?.slots[0], { index: 0, allocationId: 'alloc-stuck' as AllocationId, jobId: job }, 'its slot is still held');
  t.deepEqual(await allocate(system, tm, 0, 'alloc-next', jobId('job-next')), {
    type: 'SlotAllocationFailed',
    allocationId: 'alloc-next' as AllocationId,
    reason: 'tm-1: slot 0 is being released by job job-stuck: its tasks have not stopped yet',
  });

  letGo();
  await eventually(() => armed.length === 2, 'the task gone and disarmed');
  t.is(armed[1], `disarm ${descriptor.executionAttemptId}`);
  await eventually(() => rmLog.reports.at(-1)?.slots[0].allocationId === null, 'its slot reported free');
  const linesThen = logs.matching('still cancelling').length;
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.is(logs.matching('still cancelling').length, linesThen, 'no more lines once it is gone');
});
