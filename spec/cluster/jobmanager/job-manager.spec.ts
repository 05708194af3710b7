// The JobManager on its own, with fake TaskManagers and ResourceManagers: how it asks for slots and
// deploys subtasks, hands out splits and the bundle, and how the job ends: FINISHED, FAILED (a task
// failure, a refused deployment, a lost TaskManager, no slots) or CANCELED.
import test, { type ExecutionContext } from 'ava';
import type { ActorRef, ActorSystem } from '../../../actors/index.ts';
import type { JobUpdated } from '../../../cluster/jobmanager/events.ts';
import { jobManager } from '../../../cluster/jobmanager/job-manager.ts';
import { type RestartBackoff, createRestartBackoff } from '../../../cluster/jobmanager/restart-strategy.ts';
import { TASK_MANAGER_WATERMARKS_TIMEOUT_MS } from '../../../cluster/jobmanager/watermarks.ts';
import { resourceManager } from '../../../cluster/resourcemanager/resource-manager.ts';
import { type ExecutionAttemptId, type JobMasterId, jobId, resourceId } from '../../../messages/ids.ts';
import type { InputSplit, JobGraph } from '../../../messages/job-graph.ts';
import type { JobWatermarksReply } from '../../../messages/dispatcher.ts';
import type { JobBundle, JobManagerMsg, NextInputSplit } from '../../../messages/job-manager.ts';
import type { JobStatus } from '../../../messages/job-status.ts';
import type { AllocatedSlot, ResourceManagerMsg } from '../../../messages/resource-manager.ts';
import type { TaskDeploymentDescriptor, TaskManagerMsg } from '../../../messages/task-manager.ts';
import { TestProbe, createTestSystem } from '../../testkit/index.ts';
import {
  type FakeTaskManagerOptions,
  type ResourceManagerLog,
  STOP,
  type Stop,
  type TaskManagerLog,
  emptyResourceManagerLog,
  emptyTaskManagerLog,
  eventually,
  fakeResourceManager,
  fakeTaskManager,
  graph,
  slotOn,
  vertex,
} from '../helpers.ts';

const JOB = jobId('job-1');
const BUNDLE = 'export default (env) => env.fromElements(1).print();';
const BUNDLE_HASH = 'hash-1';

interface Setup {
  readonly system: ActorSystem;
  readonly jm: ActorRef<JobManagerMsg>;
  readonly events: TestProbe<JobUpdated>;
  readonly rmLog: ResourceManagerLog;
  readonly tms: readonly ActorRef<TaskManagerMsg | Stop>[];
  readonly tmLogs: readonly TaskManagerLog[];
  /** How many slots each RequestSlots asked for. */
  readonly requested: number[];
  /** Every descriptor deployed, on any TaskManager, by subtask order of deployment. */
  readonly deployed: () => TaskDeploymentDescriptor[];
  /** Reports `state` for a deployed task, as its TaskManager would. */
  readonly report: (descriptor: TaskDeploymentDescriptor, state: 'FINISHED' | 'FAILED', error?: { name: string; message: string }) => void;
}

interface SetupExtras {
  readonly restart?: RestartBackoff;
  /** How many replacement requests (RequestSlots after the first) are left unanswered. */
  readonly unansweredReplacements?: number;
  readonly oneByOne?: boolean;
}

async function setup(t: ExecutionContext, jobGraph: JobGraph, taskManagers: number, options: FakeTaskManagerOptions = {}, { restart, unansweredReplacements = 0, oneByOne = false }: SetupExtras = {}): Promise<Setup> {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const tmLogs = Array.from({ length: taskManagers }, emptyTaskManagerLog);
  const tms = tmLogs.map((log, index) => system.spawn(fakeTaskManager(log, options), `tm-${index}`));
  const requested: number[] = [];
  const rmLog = emptyResourceManagerLog();
  // Slot i goes to TaskManager i % n, as the real ResourceManager spreads them.
  const slots = (count: number) => {
    requested.push(count);
    // A later request (replacements) gets the TaskManagers after those of the first one.
    if (requested.length > 1 && requested.length - 1 <= unansweredReplacements) return null;
    const first = requested.slice(0, -1).reduce((sum, n) => sum + n, 0);
    return Array.from({ length: count }, (_, n) => {
      const i = first + n;
      return slotOn(tms[i % taskManagers], resourceId(`tm-${i % taskManagers}`), Math.floor(i / taskManagers), `allocation-${i}`);
    });
  };
  const rm = system.spawn(fakeResourceManager(rmLog, { slots, oneByOne }), 'rm') as ActorRef<ResourceManagerMsg>;
  const events = new TestProbe<JobUpdated>(system, 'events');
  const jm = system.spawn(
    jobManager({ jobId: JOB, graph: jobGraph, bundle: BUNDLE, bundleHash: BUNDLE_HASH, args: ['--n', '3'], resourceManager: rm, events: events.ref, slotRequestTimeoutMs: 5_000, ...(restart ? { restart } : {}) }),
    'jm',
  );
  return {
    system,
    jm,
    events,
    rmLog,
    tms,
    tmLogs,
    requested,
    deployed: () => tmLogs.flatMap((log) => log.submitted),
    report: (descriptor, state, error) =>
      jm.tell({
        type: 'UpdateTaskExecutionState',
        jobId: descriptor.jobId,
        jobMasterId: descriptor.jobMasterId,
        executionAttemptId: descriptor.executionAttemptId,
        state,
        ...(error ? { error } : {}),
      }),
  };
}

/** Takes JobUpdated events until one with `status`; returns it. Every wait is bounded by the probe. */
async function untilStatus(events: TestProbe<JobUpdated>, status: JobStatus): Promise<JobUpdated> {
  for (;;) {
    const update = await events.expectMessage();
    if (update.status === status) return update;
  }
}

/** Takes JobUpdated events until every subtask of every vertex is in `state`. */
async function untilSubtasks(events: TestProbe<JobUpdated>, state: string): Promise<JobUpdated> {
  for (;;) {
    const update = await events.expectMessage();
    if (update.vertices.every((v) => v.subtasks.every((s) => s === state))) return update;
  }
}

test('it asks for as many slots as the highest parallelism and deploys subtask i of every vertex into slot i', async (t) => {
  const jobGraph = graph([vertex('source', 2), vertex('sink', 1, { inputs: [{ sourceVertexId: 'source', sourceOperatorId: 'source-op', partitioning: 'rebalance', targetInput: 0 }] })]);
  const { events, requested, tmLogs, jm } = await setup(t, jobGraph, 2);
  t.like(await events.expectMessage(), { type: 'JobUpdated', jobId: JOB, status: 'CREATED', vertices: [{ subtasks: ['CREATED', 'CREATED'] }, { subtasks: ['CREATED'] }] });
  t.like(await untilStatus(events, 'RUNNING'), { vertices: [{ subtasks: ['DEPLOYING', 'DEPLOYING'] }, { subtasks: ['DEPLOYING'] }] });
  t.deepEqual(requested, [2]);
  await untilSubtasks(events, 'RUNNING');
  const where = tmLogs.map((log) => log.submitted.map((d) => `${d.vertex.id}/${d.subtaskIndex}@${d.allocationId}`).sort());
  t.deepEqual(where, [['sink/0@allocation-0', 'source/0@allocation-0'], ['source/1@allocation-1']]);
  const [first] = tmLogs[0].submitted;
  t.like(first, { jobId: JOB, jobName: 'spec job', attemptNumber: 0, maxParallelism: 128, bundleHash: BUNDLE_HASH, jobArgs: ['--n', '3'] });
  t.is(first.jobManager.path, jm.path);
  const attempts = new Set(tmLogs.flatMap((log) => log.submitted.map((d) => d.executionAttemptId)));
  t.is(attempts.size, 3, 'every subtask has its own execution attempt');
});

test('the job FINISHES when every task finishes, then releases it on each TaskManager once and stops', async (t) => {
  const { jm, events, tmLogs } = await setup(t, graph([vertex('v', 3)]), 2, { finish: true });
  events.watch(jm as ActorRef<never>);
  const finished = await untilStatus(events, 'FINISHED');
  t.deepEqual(finished.vertices[0].subtasks, ['FINISHED', 'FINISHED', 'FINISHED']);
  t.is(finished.error, undefined);
  await events.expectTerminated();
  await eventually(() => tmLogs.every((log) => log.released.length > 0), 'ReleaseJob reaching both TaskManagers');
  t.deepEqual(
    tmLogs.map((log) => log.released),
    [[JOB], [JOB]],
  );
});

test('when a TaskManager running its tasks stops, the job FAILS with a cause naming that TaskManager', async (t) => {
  const { events, tms, tmLogs } = await setup(t, graph([vertex('v', 2)]), 2);
  await untilSubtasks(events, 'RUNNING');
  tms[1].tell(STOP);
  const failing = await untilStatus(events, 'FAILING');
  t.is(failing.error?.name, 'TaskManagerLost');
  t.is(failing.error?.message, `TaskManager tm-1 (${tms[1].path}) was lost`);
  const failed = await untilStatus(events, 'FAILED');
  t.deepEqual(failed.error, failing.error);
  // The lost TaskManager's subtask failed with it; the other one was cancelled.
  t.deepEqual(failed.vertices[0].subtasks, ['CANCELED', 'FAILED']);
  t.deepEqual(tmLogs[0].cancelled, [tmLogs[0].submitted[0].executionAttemptId]);
  await eventually(() => tmLogs[0].released.length > 0, 'the job released on the TaskManager left');
  t.deepEqual(tmLogs[0].released, [JOB]);
});

test('a lost TaskManager\'s slot is replaced during the restart delay, and the replacement\'s TaskManager prepares the job\'s code before its tasks come', async (t) => {
  const DELAY_MS = 1_000;
  const { events, tms, tmLogs, requested } = await setup(t, graph([vertex('v', 2)]), 3, {}, { restart: createRestartBackoff({ type: 'fixed-delay', attempts: 1, delayMs: DELAY_MS }) });
  await untilSubtasks(events, 'RUNNING');
  t.deepEqual(requested, [2]);
  const lostAt = performance.now();
  tms[1].tell(STOP);
  await untilStatus(events, 'RESTARTING');
  await eventually(() => tmLogs[2].prepared.length > 0, 'the replacement TaskManager to be told to prepare the job');
  t.true(performance.now() - lostAt < DELAY_MS, 'before the restart delay passed');
  t.deepEqual(requested, [2, 1], 'one replacement asked for at the failure');
  t.like(tmLogs[2].prepared[0], { type: 'PrepareJob', jobId: JOB, bundleHash: BUNDLE_HASH, jobArgs: ['--n', '3'], submittedBefore: 0 });
  t.deepEqual(tmLogs[0].prepared, [], 'a TaskManager the job kept needs nothing');
  await untilSubtasks(events, 'RUNNING');
  t.true(performance.now() - lostAt >= DELAY_MS, 'the tasks run again only after the delay');
  t.deepEqual(tmLogs[2].submitted.map((descriptor) => [descriptor.subtaskIndex, descriptor.attemptNumber]), [[1, 1]]);
});

test('every replacement TaskManager granted during the restart delay prepares the job, one grant per slot', async (t) => {
  const { events, tms, tmLogs } = await setup(t, graph([vertex('v', 2)]), 4, {}, { restart: createRestartBackoff({ type: 'fixed-delay', attempts: 1, delayMs: 1_000 }), oneByOne: true });
  await untilSubtasks(events, 'RUNNING');
  tms[0].tell(STOP);
  tms[1].tell(STOP);
  await untilStatus(events, 'RESTARTING');
  await eventually(() => tmLogs[2].prepared.length > 0 && tmLogs[3].prepared.length > 0, 'both replacement TaskManagers to be told to prepare the job');
  await untilSubtasks(events, 'RUNNING');
  t.deepEqual(tmLogs.map((log) => log.prepared.length), [0, 0, 1, 1]);
});

test('cancelled during the restart delay while a task is still cancelling and its replacement not granted, the job ends CANCELED only once every task is over', async (t) => {
  const { jm, tms, events, deployed } = await setup(t, graph([vertex('v', 2)]), 3, { cancelAfterMs: 500 }, { restart: createRestartBackoff({ type: 'fixed-delay', attempts: 1, delayMs: 5_000 }), unansweredReplacements: Number.POSITIVE_INFINITY });
  await untilSubtasks(events, 'RUNNING');
  tms[1].tell(STOP);
  await untilStatus(events, 'RESTARTING');
  jm.tell({ type: 'CancelJobExecution' });
  const canceled = await untilStatus(events, 'CANCELED');
  t.deepEqual(canceled.vertices[0].subtasks, ['CANCELED', 'FAILED'], 'the surviving task was over before the job ended');
  t.is(deployed().length, 2, 'nothing was deployed again');
});

test('a replacement request refused during the restart delay is asked again when the restart is due, and the job runs again', async (t) => {
  const { tms, events, rmLog, deployed } = await setup(t, graph([vertex('v', 2)]), 3, {}, { restart: createRestartBackoff({ type: 'fixed-delay', attempts: 1, delayMs: 800 }), unansweredReplacements: 1 });
  await untilSubtasks(events, 'RUNNING');
  tms[1].tell(STOP);
  await untilStatus(events, 'RESTARTING');
  await eventually(() => rmLog.requests.length === 2, 'the replacement request');
  // Refused, as a ResourceManager with no free slot at its timeout would.
  const request = rmLog.requests[1];
  request.jobManager.tell({ type: 'SlotRequestFailed', jobId: request.jobId, reason: 'no free slot (spec)' });
  await untilSubtasks(events, 'RUNNING');
  t.is(rmLog.requests.length, 3, 'asked again once the delay passed');
  t.is(deployed().length, 4);
});

test('the restart delay runs from the failure while the other tasks are being cancelled, not after them', async (t) => {
  const DELAY_MS = 2_000;
  const CANCEL_MS = 1_500;
  const { events, deployed, report } = await setup(t, graph([vertex('v', 2)]), 2, { cancelAfterMs: CANCEL_MS }, { restart: createRestartBackoff({ type: 'fixed-delay', attempts: 1, delayMs: DELAY_MS }) });
  await untilSubtasks(events, 'RUNNING');
  const failedAt = performance.now();
  report(deployed()[0], 'FAILED', { name: 'Error', message: 'boom' });
  await eventually(() => deployed().length === 4, 'the restarted attempts to be deployed', 5_000);
  const restartedAfter = performance.now() - failedAt;
  t.true(restartedAfter >= DELAY_MS, `restarted ${Math.round(restartedAfter)} ms after the failure`);
  t.true(restartedAfter < DELAY_MS + CANCEL_MS / 2, `restarted ${Math.round(restartedAfter)} ms after the failure: the delay must not wait for the cancellation`);
});

test('a task reported FAILED fails the job naming the vertex and subtask, and the other tasks are cancelled', async (t) => {
  const { events, deployed, report, tmLogs } = await setup(t, graph([vertex('v', 2)]), 1);
  await untilSubtasks(events, 'RUNNING');
  const second = deployed().find((d) => d.subtaskIndex === 1) as TaskDeploymentDescriptor;
  report(second, 'FAILED', { name: 'WeirError', message: 'boom' });
  const failing = await untilStatus(events, 'FAILING');
  t.deepEqual(failing.error, { name: 'WeirError', message: 'Vertex v (2/2) failed: boom' });
  const failed = await untilStatus(events, 'FAILED');
  t.deepEqual(failed.vertices[0].subtasks, ['CANCELED', 'FAILED']);
  t.deepEqual(failed.error, failing.error);
  t.deepEqual(tmLogs[0].cancelled, [deployed().find((d) => d.subtaskIndex === 0)?.executionAttemptId]);
});

test('a cause that already names the vertex is kept as it is', async (t) => {
  const { events, deployed, report } = await setup(t, graph([vertex('v', 1)]), 1);
  await untilSubtasks(events, 'RUNNING');
  report(deployed()[0], 'FAILED', { name: 'WeirError', message: 'Vertex v (1/1): failed: boom' });
  t.is((await untilStatus(events, 'FAILED')).error?.message, 'Vertex v (1/1): failed: boom');
});

test('a task the TaskManager refuses fails the job with the refusal', async (t) => {
  const { events } = await setup(t, graph([vertex('v', 1)]), 1, { refuse: 'allocation allocation-0 is not on tm-0' });
  const failed = await untilStatus(events, 'FAILED');
  t.deepEqual(failed.error, { name: 'DeploymentFailed', message: 'Vertex v (1/1) failed: allocation allocation-0 is not on tm-0' });
});

test('task states sent with another JobMasterId are ignored', async (t) => {
  const { jm, events, deployed, report } = await setup(t, graph([vertex('v', 1)]), 1);
  await untilSubtasks(events, 'RUNNING');
  const [descriptor] = deployed();
  jm.tell({
    type: 'UpdateTaskExecutionState',
    jobId: JOB,
    jobMasterId: 'an-older-leader' as JobMasterId,
    executionAttemptId: descriptor.executionAttemptId,
    state: 'FINISHED',
  });
  await events.expectNoMessage(50);
  report(descriptor, 'FINISHED');
  t.is((await untilStatus(events, 'FINISHED')).status, 'FINISHED');
});

test('states of unknown attempts and states after a terminal one are ignored', async (t) => {
  const { events, deployed, report } = await setup(t, graph([vertex('v', 2)]), 1);
  await untilSubtasks(events, 'RUNNING');
  const [first, second] = deployed();
  report({ ...first, executionAttemptId: 'no-such-attempt' as ExecutionAttemptId }, 'FAILED');
  await events.expectNoMessage(50);
  report(first, 'FINISHED');
  await events.expectMessage();
  report(first, 'FAILED', { name: 'Error', message: 'too late' });
  await events.expectNoMessage(50);
  report(second, 'FINISHED');
  t.is((await untilStatus(events, 'FINISHED')).error, undefined);
});

test('input splits go out one per request, in order, to whichever subtask asks, then none', async (t) => {
  const splits: InputSplit[] = [0, 1, 2].map((index) => ({ index, payload: { part: index } }));
  const { system, jm, events, deployed } = await setup(t, graph([vertex('source', 2, { splits }), vertex('other', 2)]), 1);
  await untilSubtasks(events, 'RUNNING');
  const [subtask0, subtask1] = deployed().filter((d) => d.vertex.id === 'source');
  const replies = new TestProbe<NextInputSplit>(system);
  const ask = (descriptor: TaskDeploymentDescriptor, jobMasterId = descriptor.jobMasterId, vertexId = 'source') =>
    jm.tell({ type: 'RequestNextInputSplit', jobMasterId, executionAttemptId: descriptor.executionAttemptId, vertexId, replyTo: replies.ref });

  ask(subtask1, 'an-older-leader' as JobMasterId);
  t.deepEqual(await replies.expectMessage(), { type: 'NextInputSplit', split: null }, 'a fenced request gets nothing and takes nothing');
  ask(subtask1);
  ask(subtask0);
  ask(subtask1);
  ask(subtask0);
  ask(subtask0, subtask0.jobMasterId, 'other');
  t.deepEqual(
    (await replies.expectMessages(5)).map((reply) => reply.split?.index ?? null),
    [0, 1, 2, null, null],
  );
});

test('RequestJobBundle is answered with the bundle of its own hash only', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const jm = system.spawn(
    jobManager({ jobId: JOB, graph: graph([vertex('v', 1)]), bundle: BUNDLE, bundleHash: BUNDLE_HASH, args: [], resourceManager: rm, events: new TestProbe<JobUpdated>(system).ref, slotRequestTimeoutMs: 5_000 }),
    'jm',
  );
  const replies = new TestProbe<JobBundle>(system);
  jm.tell({ type: 'RequestJobBundle', bundleHash: 'some-other-hash', replyTo: replies.ref });
  jm.tell({ type: 'RequestJobBundle', bundleHash: BUNDLE_HASH, replyTo: replies.ref });
  t.deepEqual(await replies.expectMessage(), { type: 'JobBundle', bundleHash: BUNDLE_HASH, code: BUNDLE });
  await replies.expectNoMessage(30);
});

test('without enough slots the job FAILS at the slot request timeout with NoResourceAvailable', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const events = new TestProbe<JobUpdated>(system);
  const jm = system.spawn(
    jobManager({ jobId: JOB, graph: graph([vertex('v', 2)]), bundle: BUNDLE, bundleHash: BUNDLE_HASH, args: [], resourceManager: rm, events: events.ref, slotRequestTimeoutMs: 30 }),
    'jm',
  );
  events.watch(jm as ActorRef<never>);
  t.is((await events.expectMessage()).status, 'CREATED');
  const failed = await events.expectMessage();
  t.is(failed.status, 'FAILED');
  t.is(failed.error?.name, 'NoResourceAvailable');
  t.is(
    failed.error?.message,
    `could not get slots for job ${JOB}: job ${JOB} needs 2 slots, but only 0 of 0 are free (0 TaskManagers registered) after waiting 30 ms`,
  );
  await events.expectTerminated();
});

test('cancelled while waiting for slots, the job ends CANCELED once the slot request is withdrawn', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(resourceManager(), 'rm');
  const events = new TestProbe<JobUpdated>(system);
  const jm = system.spawn(
    jobManager({ jobId: JOB, graph: graph([vertex('v', 1)]), bundle: BUNDLE, bundleHash: BUNDLE_HASH, args: [], resourceManager: rm, events: events.ref, slotRequestTimeoutMs: 60_000 }),
    'jm',
  );
  t.is((await events.expectMessage()).status, 'CREATED');
  jm.tell({ type: 'CancelJobExecution' });
  t.is((await events.expectMessage()).status, 'CANCELLING');
  const canceled = await events.expectMessage();
  t.is(canceled.status, 'CANCELED');
  t.is(canceled.error, undefined);
});

test('cancelling a running job cancels every task and ends CANCELED when they confirm', async (t) => {
  const { jm, events, tmLogs, deployed } = await setup(t, graph([vertex('v', 2)]), 2);
  await untilSubtasks(events, 'RUNNING');
  jm.tell({ type: 'CancelJobExecution' });
  t.is((await untilStatus(events, 'CANCELLING')).status, 'CANCELLING');
  const canceled = await untilStatus(events, 'CANCELED');
  t.deepEqual(canceled.vertices[0].subtasks, ['CANCELED', 'CANCELED']);
  t.deepEqual(tmLogs.flatMap((log) => log.cancelled).sort(), deployed().map((d) => d.executionAttemptId).sort());
});

test('slots it cannot deploy into fail the job naming the problem, and it stops, so that their TaskManagers free them', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rmLog = emptyResourceManagerLog();
  // A broken ResourceManager grants a slot whose TaskManager is no actor ref.
  const broken = { allocationId: 'a-1', resourceId: 'tm-broken', slotIndex: 0, taskManager: {} } as unknown as AllocatedSlot;
  const rm = system.spawn(fakeResourceManager(rmLog, { slots: () => [broken] }), 'rm') as ActorRef<ResourceManagerMsg>;
  const events = new TestProbe<JobUpdated>(system);
  const jm = system.spawn(
    jobManager({ jobId: JOB, graph: graph([vertex('v', 1)]), bundle: BUNDLE, bundleHash: BUNDLE_HASH, args: [], resourceManager: rm, events: events.ref, slotRequestTimeoutMs: 5_000 }),
    'jm',
  );
  events.watch(jm as ActorRef<never>);
  const failed = await untilStatus(events, 'FAILED');
  t.deepEqual(failed.error, {
    name: 'NoResourceAvailable',
    message: `the ResourceManager granted slots job ${JOB} cannot use: SlotsAllocated.slots[0].taskManager: expected an actor ref, got an object`,
  });
  await events.expectTerminated();
  t.is(rmLog.requests.length, 1);
});

test('a message of another protocol is an unhandled dead letter, and the JobManager still answers', async (t) => {
  const { system, jm } = await setup(t, graph([vertex('v', 1)]), 1);
  const bundles = new TestProbe<JobBundle>(system);
  (jm as ActorRef<unknown>).tell({ type: 'ListJobs', replyTo: bundles.ref });
  jm.tell({ type: 'RequestJobBundle', bundleHash: BUNDLE_HASH, replyTo: bundles.ref });
  t.like(await bundles.expectMessage(), { type: 'JobBundle', bundleHash: BUNDLE_HASH });
  t.is(system.deadLetterCounts.unhandled, 1);
});

test('a client asking for the watermarks gets every subtask: its TaskManager\'s reading, or why there is none', async (t) => {
  const reading = { inputWatermark: null, outputWatermark: 1_000, outputIdle: false, inputs: [], splits: null };
  // Slot i is on TaskManager i % 2: subtask 1 runs on tm-1, which does not answer.
  const { system, jm, events } = await setup(t, graph([vertex('v', 2)]), 2, { watermarks: (descriptor) => (descriptor.subtaskIndex === 1 ? 'silent' : reading) });
  await untilSubtasks(events, 'RUNNING');
  const started = Date.now();
  const reply = await system.ask<JobManagerMsg, JobWatermarksReply>(jm, (replyTo) => ({ type: 'RequestJobWatermarks', jobId: JOB, replyTo }), 10_000);
  t.true(Date.now() - started >= TASK_MANAGER_WATERMARKS_TIMEOUT_MS - 50, 'it waited for the silent TaskManager, and no longer');
  t.deepEqual(reply, {
    type: 'JobWatermarks',
    jobId: JOB,
    subtasks: [
      { vertexId: 'v', subtaskIndex: 0, watermarks: reading },
      { vertexId: 'v', subtaskIndex: 1, watermarks: null, unavailable: `no answer from tm-1 within ${TASK_MANAGER_WATERMARKS_TIMEOUT_MS} ms` },
    ],
  });
});

test('a TaskManager’s heartbeat repairs a lost final state, and one missing a deployed task twice in a row fails the job', async (t) => {
  const { system, jm, events, deployed } = await setup(t, graph([vertex('v', 2)]), 1);
  await untilSubtasks(events, 'RUNNING');
  const [first, second] = deployed().sort((a, b) => a.subtaskIndex - b.subtaskIndex);
  const answers = new TestProbe<TaskManagerMsg>(system);
  const heartbeat = (executions: { executionAttemptId: ExecutionAttemptId; state: 'RUNNING' | 'FINISHED' }[]) =>
    jm.tell({ type: 'TaskManagerHeartbeat', jobId: JOB, resourceId: resourceId('tm-0'), taskManager: answers.ref, allocations: [], executions });

  // Subtask 1's FINISHED never came as an update: the report carries it, and the answer stops listing it.
  heartbeat([
    { executionAttemptId: first.executionAttemptId, state: 'RUNNING' },
    { executionAttemptId: second.executionAttemptId, state: 'FINISHED' },
  ]);
  t.deepEqual(await answers.expectMessage(), {
    type: 'JobManagerHeartbeat',
    jobId: JOB,
    allocations: ['allocation-0', 'allocation-1'],
    executions: [first.executionAttemptId],
  });
  t.deepEqual((await events.expectMessage()).vertices[0].subtasks, ['RUNNING', 'FINISHED']);

  // Subtask 0 is gone from the TaskManager: once may be a report sent before its deployment, twice is not.
  heartbeat([]);
  t.is((await answers.expectMessage()).type, 'JobManagerHeartbeat');
  heartbeat([]);
  const failing = await untilStatus(events, 'FAILING');
  t.deepEqual(failing.error, { name: 'TaskLost', message: `Vertex v (1/2) failed: TaskManager tm-0 no longer has its task ${first.executionAttemptId}` });
});
