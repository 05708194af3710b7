// Issue 12, "a cluster that cannot be knocked over": the envelopes that stopped a core actor for
// good, crafted and sent over a real ws connection to the real actors. Each is now a counted dead
// letter whose logged reason names the peer, the type and the problem, and the actor answers after.
import test, { type ExecutionContext } from 'ava';
import { interval } from 'rxjs';
import type { JobModule } from '../../api/index.ts';
import { type JobId, jobId } from '../../messages/ids.ts';
import { eventually } from './helpers.ts';
import { EVIL, type WireCluster, runBoundedJob, startWireCluster } from './wire-cluster.ts';

const DISPATCHER = '/user/dispatcher';
const RESOURCE_MANAGER = '/user/resourcemanager';
const TASK_MANAGER = '/user/taskmanager';

/** A bounded job runs through the Dispatcher, a JobManager, the ResourceManager and the TaskManager. */
async function runsAJob(t: ExecutionContext, cluster: WireCluster): Promise<void> {
  t.deepEqual(await runBoundedJob(cluster), { status: 'FINISHED', out: [2, 4, 6, 8, 10] });
}

/** The reasons of the invalid-message dead letters `cluster` part `part` recorded, in order. */
function refused(part: WireCluster['jm']): string[] {
  return part.deadLetters.filter((letter) => letter.reasonClass === 'invalid-message').map((letter) => `${letter.type} -> ${letter.reason}`);
}

const noReplyTo = (type: string, field = 'replyTo') => `${type} -> invalid message from ${EVIL}: ${type}.${field}: expected an actor ref, got nothing`;

test('each Dispatcher request without its reply ref is a counted dead letter at decode, and the Dispatcher still lists jobs', async (t) => {
  const cluster = await startWireCluster(t);
  const { jm } = cluster;
  const attacker = await cluster.attacker(jm.system);
  const graph = { name: 'g', maxParallelism: 1, runtimeMode: 'BATCH', vertices: [] };
  attacker.send([
    [DISPATCHER, { type: 'SubmitJob', jobId: 'job-x', jobGraph: graph, bundle: 'b', args: [] }],
    [DISPATCHER, { type: 'CancelJob', jobId: 'job-x' }],
    [DISPATCHER, { type: 'ListJobs' }],
    [DISPATCHER, { type: 'RequestJobDetails', jobId: 'job-x' }],
    [DISPATCHER, { type: 'SubscribeJobStatus', jobId: 'job-x' }],
    [DISPATCHER, { type: 'RequestClusterInfo' }],
  ]);
  await eventually(() => jm.system.deadLetterCounts['invalid-message'] === 6, 'six refused requests');
  t.deepEqual(refused(jm), [
    noReplyTo('SubmitJob'),
    noReplyTo('CancelJob'),
    noReplyTo('ListJobs'),
    noReplyTo('RequestJobDetails'),
    `SubscribeJobStatus -> invalid message from ${EVIL}: SubscribeJobStatus.subscriber: expected an actor ref, got nothing`,
    noReplyTo('RequestClusterInfo'),
  ]);
  t.true(jm.deadLetters.every((letter) => letter.recipient === `${jm.system.address}${DISPATCHER}`));
  const [line] = jm.log.records.filter((record) => String(record.msg).startsWith('dead letter: ListJobs'));
  t.like(line, {
    level: 'warn',
    msg: `dead letter: ListJobs to ${jm.system.address}${DISPATCHER} (invalid message from ${EVIL}: ListJobs.replyTo: expected an actor ref, got nothing)`,
    reasonClass: 'invalid-message',
  });
  t.deepEqual(await cluster.listJobs(), []);
  await runsAJob(t, cluster);
  t.is((await cluster.listJobs()).length, 1);
});

test('ResourceManager requests without their reply ref are counted dead letters, and it still reports its overview', async (t) => {
  const cluster = await startWireCluster(t);
  const { jm, sink } = cluster;
  const attacker = await cluster.attacker(jm.system);
  attacker.send([
    [RESOURCE_MANAGER, { type: 'RegisterTaskManager', resourceId: 'tm-evil', slots: 4, incarnation: 'i', taskManager: sink }],
    [RESOURCE_MANAGER, { type: 'RequestSlots', jobId: 'job-x', count: 1, timeoutMs: 1000 }],
    [RESOURCE_MANAGER, { type: 'RequestClusterOverview' }],
  ]);
  await eventually(() => jm.system.deadLetterCounts['invalid-message'] === 3, 'three refused requests');
  t.deepEqual(refused(jm), [noReplyTo('RegisterTaskManager'), noReplyTo('RequestSlots', 'jobManager'), noReplyTo('RequestClusterOverview')]);
  t.deepEqual(await cluster.overview(), { type: 'ClusterOverview', taskManagers: 1, slotsTotal: 2, slotsFree: 2 });
});

test('TaskManager requests without their reply ref are counted dead letters, and it still runs a job', async (t) => {
  const cluster = await startWireCluster(t);
  const { tm, sink } = cluster;
  const attacker = await cluster.attacker(tm.system);
  const vertex = { id: 'v', name: 'V', parallelism: 1, operators: [], inputs: [], bounded: true };
  const descriptor = {
    jobId: 'job-x',
    jobName: 'x',
    jobMasterId: 'm',
    executionAttemptId: 'attempt-x',
    allocationId: 'allocation-x',
    vertex,
    subtaskIndex: 0,
    attemptNumber: 0,
    maxParallelism: 1,
    bundleHash: 'bundle-x',
    jobArgs: [],
    jobManager: sink,
    inputs: [],
    outputs: [],
    bufferTimeoutMs: 0,
  };
  attacker.send([
    [TASK_MANAGER, { type: 'AllocateSlot', allocationId: 'allocation-x', jobId: 'job-x', slotIndex: 0, jobManager: sink }],
    [TASK_MANAGER, { type: 'SubmitTask', descriptor }],
  ]);
  await eventually(() => tm.system.deadLetterCounts['invalid-message'] === 2, 'two refused requests');
  t.deepEqual(refused(tm), [noReplyTo('AllocateSlot'), noReplyTo('SubmitTask')]);
  await runsAJob(t, cluster);
  t.deepEqual(await cluster.overview(), { type: 'ClusterOverview', taskManagers: 1, slotsTotal: 2, slotsFree: 2 }, 'no slot was taken');
});

test('a message of another protocol is an unhandled dead letter at each core actor, and each still answers', async (t) => {
  const cluster = await startWireCluster(t);
  const { jm, tm, sink } = cluster;
  const ticking: JobModule = (env) => {
    env.fromObservable(() => interval(5)).sinkTo(() => {});
  };
  const running = await cluster.submit(ticking);
  const jobManagerPath = `${DISPATCHER}/job-${running.jobId}`;
  await eventually(async () => (await cluster.listJobs())[0]?.status === 'RUNNING', 'the job running');
  const toJobManager = await cluster.attacker(jm.system);
  toJobManager.send([
    [DISPATCHER, { type: 'RequestClusterOverview', replyTo: sink }],
    [RESOURCE_MANAGER, { type: 'ListJobs', replyTo: sink }],
    [jobManagerPath, { type: 'AllocateSlot', allocationId: 'a', jobId: 'job-x', slotIndex: 0, jobManager: sink, replyTo: sink }],
  ]);
  (await cluster.attacker(tm.system)).send([[TASK_MANAGER, { type: 'RequestClusterInfo', replyTo: sink }]]);
  await eventually(() => jm.system.deadLetterCounts.unhandled === 3 && tm.system.deadLetterCounts.unhandled === 1, 'four unhandled messages');
  t.deepEqual(
    [...jm.deadLetters, ...tm.deadLetters].map((letter) => `${letter.type} -> ${letter.recipient.replace(/^weir:\/\/[^/]+/, '')} (${letter.reason})`),
    [
      'RequestClusterOverview -> /user/dispatcher (unhandled by the recipient)',
      'ListJobs -> /user/resourcemanager (unhandled by the recipient)',
      `AllocateSlot -> ${jobManagerPath} (unhandled by the recipient)`,
      'RequestClusterInfo -> /user/taskmanager (unhandled by the recipient)',
    ],
  );
  t.like(await cluster.overview(), { taskManagers: 1, slotsTotal: 2 });
  // The JobManager still handles its protocol: the cancellation reaches it and the job ends CANCELED.
  cluster.dispatcher.tell({ type: 'CancelJob', jobId: running.jobId, replyTo: sink as never });
  await t.throwsAsync(running.result, { message: new RegExp(`^job ".*" \\(${running.jobId}\\) was canceled`) });
  await runsAJob(t, cluster);
});

test('a SubmitJob whose job id cannot name an actor is refused at decode, and the Dispatcher still runs jobs', async (t) => {
  const cluster = await startWireCluster(t);
  const { jm, sink } = cluster;
  const attacker = await cluster.attacker(jm.system);
  const graph = { name: 'g', maxParallelism: 1, runtimeMode: 'BATCH', vertices: [{ id: 'v', name: 'V', parallelism: 1, operators: [], inputs: [], bounded: true }] };
  attacker.send([[DISPATCHER, { type: 'SubmitJob', jobId: 'a/b', jobGraph: graph, bundle: 'b', args: [], replyTo: sink }]]);
  await eventually(() => jm.system.deadLetterCounts['invalid-message'] === 1, 'the refused SubmitJob');
  t.deepEqual(refused(jm), [
    `SubmitJob -> invalid message from ${EVIL}: SubmitJob.jobId: expected a job id (letters, digits, '_', '-', '.'; not starting with '.'; at most 128 characters), got "a/b"`,
  ]);
  await runsAJob(t, cluster);
  const jobs = await cluster.listJobs();
  t.deepEqual(
    jobs.map((job) => job.status),
    ['FINISHED'],
  );
  t.not(jobs[0].jobId, jobId('a/b') as JobId);
});
