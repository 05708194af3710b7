// The Dispatcher on its own: submissions it accepts and rejects (with the reason), cancellation,
// job details, status subscriptions and the cluster overview. Its JobManagers get their slots from
// a real ResourceManager without TaskManagers (they wait) or from a fake one with fake TaskManagers.
import test, { type ExecutionContext } from 'ava';
import type { ActorRef } from '../../../actors/index.ts';
import { dispatcher } from '../../../cluster/dispatcher/dispatcher.ts';
import { resourceManager } from '../../../cluster/resourcemanager/resource-manager.ts';
import type { CancelJobReply, ClusterInfo, DispatcherMsg, JobDetailsReply, JobList, SubmitJobReply } from '../../../messages/dispatcher.ts';
import { type JobId, jobId, resourceId } from '../../../messages/ids.ts';
import type { JobGraph } from '../../../messages/job-graph.ts';
import type { JobStatus, JobStatusChanged } from '../../../messages/job-status.ts';
import type { ResourceManagerMsg } from '../../../messages/resource-manager.ts';
import { TestProbe, createTestSystem } from '../../testkit/index.ts';
import { emptyResourceManagerLog, emptyTaskManagerLog, fakeResourceManager, fakeTaskManager, graph, slotOn, vertex } from '../helpers.ts';

interface Setup {
  readonly dispatcherRef: ActorRef<DispatcherMsg>;
  readonly submit: (id: string, jobGraph?: JobGraph, bundle?: string) => Promise<SubmitJobReply>;
  readonly statuses: (id: string) => TestProbe<JobStatusChanged>;
  readonly ask: <R>(make: (replyTo: ActorRef<R>) => DispatcherMsg) => Promise<R>;
}

interface SetupOptions {
  /** Fake TaskManagers that run every task (finishing them when `finish`); else no TaskManager at all. */
  readonly taskManagers?: { readonly count: number; readonly finish: boolean };
  readonly slotRequestTimeoutMs?: number;
}

async function setup(t: ExecutionContext, options: SetupOptions = {}): Promise<Setup> {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  let rm: ActorRef<ResourceManagerMsg>;
  if (options.taskManagers) {
    const { count, finish } = options.taskManagers;
    const tms = Array.from({ length: count }, (_, index) => system.spawn(fakeTaskManager(emptyTaskManagerLog(), { finish }), `tm-${index}`));
    let allocations = 0;
    // Round robin over the TaskManagers, as many slots as asked for.
    const slots = (wanted: number) =>
      Array.from({ length: wanted }, (_, i) => slotOn(tms[i % count], resourceId(`tm-${i % count}`), Math.floor(i / count), `allocation-${allocations++}`));
    rm = system.spawn(fakeResourceManager(emptyResourceManagerLog(), { slots }), 'rm') as ActorRef<ResourceManagerMsg>;
  } else {
    rm = system.spawn(resourceManager(), 'rm');
  }
  const dispatcherRef = system.spawn(dispatcher({ resourceManager: rm, slotRequestTimeoutMs: options.slotRequestTimeoutMs ?? 60_000 }), 'dispatcher');
  const ask = <R,>(make: (replyTo: ActorRef<R>) => DispatcherMsg): Promise<R> => {
    const probe = new TestProbe<R>(system);
    dispatcherRef.tell(make(probe.ref));
    return probe.expectMessage();
  };
  return {
    dispatcherRef,
    ask,
    submit: (id, jobGraph = graph([vertex('v', 2)]), bundle = 'export default () => {}') =>
      ask<SubmitJobReply>((replyTo) => ({ type: 'SubmitJob', jobId: jobId(id), jobGraph, bundle, args: [], replyTo })),
    statuses: (id) => {
      const probe = new TestProbe<JobStatusChanged>(system);
      dispatcherRef.tell({ type: 'SubscribeJobStatus', jobId: jobId(id), subscriber: probe.ref });
      return probe;
    },
  };
}

/** Takes status changes from `probe` until `status` (inclusive); fails loudly on a bounded wait. */
async function until(probe: TestProbe<JobStatusChanged>, status: JobStatus): Promise<JobStatusChanged[]> {
  const seen: JobStatusChanged[] = [];
  for (;;) {
    const change = await probe.expectMessage();
    seen.push(change);
    if (change.status === status) return seen;
  }
}

test('a subscriber that subscribes before the submission sees every status from INITIALIZING on', async (t) => {
  const { submit, statuses } = await setup(t, { taskManagers: { count: 2, finish: true } });
  const probe = statuses('job-1');
  t.deepEqual(await submit('job-1'), { type: 'JobSubmitted', jobId: jobId('job-1') });
  const seen = await until(probe, 'FINISHED');
  t.deepEqual(
    seen.map((change) => change.status),
    ['INITIALIZING', 'CREATED', 'RUNNING', 'FINISHED'],
  );
  t.true(seen.every((change) => change.jobId === jobId('job-1') && change.jobName === 'spec job'));
  await probe.expectNoMessage(30);
});

test('a subscriber that subscribes after the job ended gets its final status at once', async (t) => {
  const { submit, statuses } = await setup(t, { taskManagers: { count: 1, finish: true } });
  await submit('job-1');
  await until(statuses('job-1'), 'FINISHED');
  const late = statuses('job-1');
  t.like(await late.expectMessage(), { type: 'JobStatusChanged', jobId: jobId('job-1'), status: 'FINISHED' });
});

test('a second submission with the same job id is rejected with the reason', async (t) => {
  const { submit } = await setup(t);
  t.is((await submit('twice')).type, 'JobSubmitted');
  t.deepEqual(await submit('twice'), { type: 'JobRejected', jobId: jobId('twice'), reason: 'a job with id twice was already submitted' });
});

const rejects = test.macro({
  async exec(t, jobGraph: JobGraph, reason: string, bundle?: string) {
    const { submit, ask } = await setup(t);
    t.deepEqual(await submit('bad', jobGraph, bundle), { type: 'JobRejected', jobId: jobId('bad'), reason });
    t.deepEqual((await ask<JobList>((replyTo) => ({ type: 'ListJobs', replyTo }))).jobs, [], 'a rejected job is not listed');
  },
  title: (what = '') => `a job graph ${what} is rejected with the reason`,
});

test('with no vertices', rejects, graph([]), 'the job graph has no vertices');
test('with a vertex of parallelism 0', rejects, graph([vertex('v', 0)]), 'vertex "Vertex v" has parallelism 0; it must be >= 1');
test(
  'with a vertex above the max parallelism',
  rejects,
  graph([vertex('v', 1), vertex('w', 5)], 4),
  'vertex "Vertex w" has parallelism 5, above the job\'s max parallelism 4',
);
test('with max parallelism 0', rejects, graph([vertex('v', 1)], 0), 'maxParallelism must be an integer from 1 to 32768, got 0');
test('with max parallelism above Flink\'s bound', rejects, graph([vertex('v', 1)], 32_769), 'maxParallelism must be an integer from 1 to 32768, got 32769');
test('with two vertices of one id', rejects, graph([vertex('v', 1), vertex('v', 1)]), 'two vertices have the id "v"');
test(
  'with an input from a vertex that does not come before it',
  rejects,
  graph([vertex('v', 1, { inputs: [{ sourceVertexId: 'w', partitioning: 'forward', sourceOperatorId: 'w-op', targetInput: 0 }] }), vertex('w', 1)]),
  'vertex "Vertex v" reads from "w", which is not a vertex before it',
);
test('with a vertex without operators', rejects, graph([vertex('v', 1, { operators: [] })]), 'vertex "Vertex v" has no operators');
test('with an empty bundle', rejects, graph([vertex('v', 1)]), 'the job bundle is empty', '');
test(
  'with an exponential-delay restart strategy whose initial backoff is above its maximum',
  rejects,
  {
    ...graph([vertex('v', 1)]),
    restartStrategy: { type: 'exponential-delay', initialBackoffMs: 5_000, maxBackoffMs: 1_000, backoffMultiplier: 2, resetBackoffThresholdMs: 60_000, jitterFactor: 0 },
  },
  'restartStrategy: initialBackoffMs (5000) must not be above maxBackoffMs (1000)',
);

test('a job id that cannot name an actor or a directory is rejected with the reason, and the Dispatcher goes on', async (t) => {
  const { submit, ask } = await setup(t);
  for (const id of ['a/b', '..', '']) {
    t.deepEqual(await submit(id), {
      type: 'JobRejected',
      jobId: jobId(id),
      reason: `jobId: expected a job id (letters, digits, '_', '-', '.'; not starting with '.'; at most 128 characters), got ${JSON.stringify(id)}`,
    });
  }
  t.deepEqual((await ask<JobList>((replyTo) => ({ type: 'ListJobs', replyTo }))).jobs, []);
  t.is((await submit('a-b')).type, 'JobSubmitted');
});

test('a request whose handler throws is dropped alone (resume): the Dispatcher answers the next one', async (t) => {
  const { system, logs } = await createTestSystem(t, { logLevel: 'error' });
  const dispatcherRef = system.spawn(dispatcher({ resourceManager: system.spawn(resourceManager(), 'rm') }), 'dispatcher');
  // Locally nothing checks the shape: a ListJobs without replyTo throws in the Dispatcher's handler.
  dispatcherRef.tell({ type: 'ListJobs' } as unknown as DispatcherMsg);
  const replies = new TestProbe<JobList>(system);
  dispatcherRef.tell({ type: 'ListJobs', replyTo: replies.ref });
  t.deepEqual(await replies.expectMessage(), { type: 'JobList', jobs: [] });
  t.like(logs.matching('actor failed handling ListJobs; supervision: resume', 'error'), [{ path: dispatcherRef.path }]);
});

test('a message of another protocol is an unhandled dead letter, and the Dispatcher goes on', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const dispatcherRef = system.spawn(dispatcher({ resourceManager: system.spawn(resourceManager(), 'rm') }), 'dispatcher');
  const replies = new TestProbe<JobList>(system);
  (dispatcherRef as ActorRef<unknown>).tell({ type: 'RequestClusterOverview', replyTo: replies.ref });
  dispatcherRef.tell({ type: 'ListJobs', replyTo: replies.ref });
  t.deepEqual(await replies.expectMessage(), { type: 'JobList', jobs: [] });
  t.is(system.deadLetterCounts.unhandled, 1);
});

test('CancelJob of an unknown job answers CancellationFailure with the reason', async (t) => {
  const { ask } = await setup(t);
  const reply = await ask<CancelJobReply>((replyTo) => ({ type: 'CancelJob', jobId: jobId('nope'), replyTo }));
  t.deepEqual(reply, { type: 'CancellationFailure', jobId: jobId('nope'), reason: 'no job nope on this cluster' });
});

test('CancelJob of a finished job answers CancellationFailure saying how it ended', async (t) => {
  const { submit, statuses, ask } = await setup(t, { taskManagers: { count: 1, finish: true } });
  const probe = statuses('done');
  await submit('done');
  await until(probe, 'FINISHED');
  const reply = await ask<CancelJobReply>((replyTo) => ({ type: 'CancelJob', jobId: jobId('done'), replyTo }));
  t.deepEqual(reply, { type: 'CancellationFailure', jobId: jobId('done'), reason: 'job done already ended FINISHED' });
});

test('CancelJob of a failed job answers CancellationFailure saying how it ended', async (t) => {
  const { submit, statuses, ask } = await setup(t, { slotRequestTimeoutMs: 20 });
  const probe = statuses('starved');
  await submit('starved');
  const seen = await until(probe, 'FAILED');
  t.regex(seen.at(-1)?.error?.message ?? '', /could not get slots for job starved: job starved needs 2 slots, but only 0 of 0 are free/);
  const reply = await ask<CancelJobReply>((replyTo) => ({ type: 'CancelJob', jobId: jobId('starved'), replyTo }));
  t.deepEqual(reply, { type: 'CancellationFailure', jobId: jobId('starved'), reason: 'job starved already ended FAILED' });
});

test('CancelJob of a job waiting for slots succeeds and the job ends CANCELED', async (t) => {
  const { submit, statuses, ask } = await setup(t);
  const probe = statuses('waiting');
  await submit('waiting');
  await until(probe, 'CREATED');
  t.deepEqual(await ask<CancelJobReply>((replyTo) => ({ type: 'CancelJob', jobId: jobId('waiting'), replyTo })), {
    type: 'CancellationSuccess',
    jobId: jobId('waiting'),
  });
  const seen = await until(probe, 'CANCELED');
  t.deepEqual(
    seen.map((change) => change.status),
    ['CANCELLING', 'CANCELED'],
  );
});

test('CancelJob of a running job succeeds; its tasks are cancelled and the job ends CANCELED', async (t) => {
  const { submit, statuses, ask } = await setup(t, { taskManagers: { count: 2, finish: false } });
  const probe = statuses('running');
  await submit('running');
  await until(probe, 'RUNNING');
  t.is((await ask<CancelJobReply>((replyTo) => ({ type: 'CancelJob', jobId: jobId('running'), replyTo }))).type, 'CancellationSuccess');
  t.deepEqual(
    (await until(probe, 'CANCELED')).map((change) => change.status),
    ['CANCELLING', 'CANCELED'],
  );
});

test('RequestJobDetails gives every vertex with the state of each subtask', async (t) => {
  const { submit, statuses, ask } = await setup(t, { taskManagers: { count: 2, finish: false } });
  const probe = statuses('job-1');
  const jobGraph = graph([vertex('source', 2), vertex('sink', 1, { inputs: [{ sourceVertexId: 'source', partitioning: 'rebalance', sourceOperatorId: 'source', targetInput: 0 }] })]);
  await submit('job-1', jobGraph);
  await until(probe, 'RUNNING');
  // RUNNING is published when the tasks are deployed; the fake TaskManagers confirm them right after.
  let details: JobDetailsReply | undefined;
  for (let attempt = 0; attempt < 100; attempt++) {
    details = await ask<JobDetailsReply>((replyTo) => ({ type: 'RequestJobDetails', jobId: jobId('job-1'), replyTo }));
    if (details.type === 'JobDetails' && details.vertices.every((v) => v.subtasks.every((state) => state === 'RUNNING'))) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (details?.type !== 'JobDetails') return t.fail(`expected JobDetails, got ${JSON.stringify(details)}`);
  t.like(details.job, { jobId: jobId('job-1'), name: 'spec job', status: 'RUNNING', parallelism: 2, endTime: null });
  t.deepEqual(details.vertices, [
    { id: 'source', name: 'Vertex source', parallelism: 2, subtasks: ['RUNNING', 'RUNNING'] },
    { id: 'sink', name: 'Vertex sink', parallelism: 1, subtasks: ['RUNNING'] },
  ]);
});

test('RequestJobDetails of a job waiting for slots shows its subtasks CREATED', async (t) => {
  const { submit, statuses, ask } = await setup(t);
  const probe = statuses('job-1');
  await submit('job-1');
  await until(probe, 'CREATED');
  const details = await ask<JobDetailsReply>((replyTo) => ({ type: 'RequestJobDetails', jobId: jobId('job-1'), replyTo }));
  t.like(details, { type: 'JobDetails', job: { status: 'CREATED' }, vertices: [{ id: 'v', subtasks: ['CREATED', 'CREATED'] }] });
});

test('RequestJobDetails of an unknown job answers JobNotFound', async (t) => {
  const { ask } = await setup(t);
  const reply = await ask<JobDetailsReply>((replyTo) => ({ type: 'RequestJobDetails', jobId: jobId('ghost'), replyTo }));
  t.deepEqual(reply, { type: 'JobNotFound', jobId: jobId('ghost') as JobId });
});

test('ListJobs lists running and ended jobs', async (t) => {
  const { submit, statuses, ask } = await setup(t, { slotRequestTimeoutMs: 20 });
  const probe = statuses('first');
  await submit('first');
  await until(probe, 'FAILED');
  await submit('second', graph([vertex('v', 1)]));
  const { jobs } = await ask<JobList>((replyTo) => ({ type: 'ListJobs', replyTo }));
  t.deepEqual(
    jobs.map((job) => [job.jobId, job.status === 'FAILED' ? 'FAILED' : 'not ended', job.parallelism]),
    [
      ['first', 'FAILED', 2],
      ['second', 'not ended', 1],
    ],
  );
});

test('RequestClusterInfo combines the ResourceManager’s slots with the jobs still running', async (t) => {
  const { submit, statuses, ask } = await setup(t);
  const probe = statuses('waiting');
  await submit('waiting');
  await until(probe, 'CREATED');
  t.deepEqual(await ask<ClusterInfo>((replyTo) => ({ type: 'RequestClusterInfo', replyTo })), {
    type: 'ClusterInfo',
    taskManagers: 0,
    slotsTotal: 0,
    slotsFree: 0,
    runningJobs: 1,
  });
});

test('a JobManager that crashes fails its job with the cause instead of leaving it running', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const rm = system.spawn(fakeResourceManager(emptyResourceManagerLog()), 'rm') as ActorRef<ResourceManagerMsg>;
  const dispatcherRef = system.spawn(dispatcher({ resourceManager: rm, slotRequestTimeoutMs: 1_000 }), 'dispatcher');
  const statuses = new TestProbe<JobStatusChanged>(system);
  dispatcherRef.tell({ type: 'SubscribeJobStatus', jobId: jobId('doomed'), subscriber: statuses.ref });
  const replies = new TestProbe<SubmitJobReply>(system);
  // Splits that are not a list (locally nothing checks the shape) make the JobManager's setup throw:
  // it stops without reporting a final status (a failed setup has nothing to resume).
  const jobGraph = graph([vertex('v', 1, { splits: 5 as unknown as [] })]);
  dispatcherRef.tell({ type: 'SubmitJob', jobId: jobId('doomed'), jobGraph, bundle: 'code', args: [], replyTo: replies.ref });
  t.is((await replies.expectMessage()).type, 'JobSubmitted');
  const failed = (await until(statuses, 'FAILED')).at(-1);
  t.is(failed?.error?.name, 'JobManagerFailed');
  t.regex(failed?.error?.message ?? '', /^the JobManager of job doomed stopped unexpectedly: .+/);
  const info = new TestProbe<ClusterInfo>(system);
  dispatcherRef.tell({ type: 'RequestClusterInfo', replyTo: info.ref });
  t.is((await info.expectMessage()).runningJobs, 0);
});
