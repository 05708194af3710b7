// Slot allocation through the whole mini cluster: the TaskManagers' slot tables are the truth, a
// refused slot is replaced without losing the ones others confirmed, and jobs are scheduled
// independently of each other.
import test, { type ExecutionContext } from 'ava';
import type { ActorRef } from '../../actors/index.ts';
import type { JobModule } from '../../api/index.ts';
import { MiniCluster, type MiniClusterOptions } from '../../cluster/minicluster.ts';
import { type AllocationId, jobId } from '../../messages/ids.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import type { AllocateSlotReply, TaskManagerMsg } from '../../messages/task-manager.ts';
import { TestProbe } from '../testkit/index.ts';
import { eventually, within } from './helpers.ts';

async function startMiniCluster(t: ExecutionContext, options: MiniClusterOptions): Promise<MiniCluster> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, ...options });
  t.teardown(() => cluster.close());
  return cluster;
}

const bounded: JobModule = (env) => {
  env.fromSequence(1, 50).sinkTo(() => {});
};

/** The job's final status, or the code it failed with. */
const outcome = (result: Promise<{ status: string }>): Promise<string> =>
  result.then(
    (final) => final.status,
    (error: Error & { code?: string }) => `${error.code}: ${error.message}`,
  );

test('a job gets its slots though a TaskManager refuses the one picked for it, and keeps the slot another confirmed', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 3, slotsPerTaskManager: 1, slotRequestTimeoutMs: 3_000, heartbeatIntervalMs: 60_000 });
  // taskmanager-1's slot is taken behind the ResourceManager's back: its view is stale until the next report.
  const answers = new TestProbe<AllocateSlotReply>(cluster.system);
  const owner = new TestProbe<JobManagerMsg>(cluster.system);
  cluster.system.resolve<TaskManagerMsg>(`${cluster.system.address}/user/taskmanager-1`).tell({
    type: 'AllocateSlot',
    allocationId: 'elsewhere' as AllocationId,
    jobId: jobId('other-job'),
    slotIndex: 0,
    jobManager: owner.ref as ActorRef<JobManagerMsg>,
    replyTo: answers.ref,
  });
  t.is((await answers.expectMessage()).type, 'SlotAllocated');

  const handle = await cluster.submit(bounded, { parallelism: 2 });
  t.is(await within(outcome(handle.result()), 'the job to end'), 'FINISHED');
  await eventually(async () => (await cluster.clusterInfo()).slotsFree === 2, 'the job’s two slots free again, the other job’s held');
  const again = await cluster.submit(bounded, { parallelism: 2 });
  t.is(await within(outcome(again.result()), 'a second job to end'), 'FINISHED');
});

test('a job larger than the cluster does not hold back a smaller one, before or after its slot request times out', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 1, slotsPerTaskManager: 4, slotRequestTimeoutMs: 1_500 });
  const large = await cluster.submit(bounded, { parallelism: 8 });
  const small = await cluster.submit(bounded, { parallelism: 1 });
  t.is(await within(outcome(small.result()), 'the -p 1 job to end', 1_000), 'FINISHED');
  t.regex(await within(outcome(large.result()), 'the -p 8 job to fail', 3_000), /^JOB_FAILED: .*needs 8 slots, but only 4 of 4 are free/);
  const after = await cluster.submit(bounded, { parallelism: 1 });
  t.is(await within(outcome(after.result()), 'a -p 1 job after it to end', 1_000), 'FINISHED');
});

test('a job waiting for slots says how many it needs and has, and what the cluster has free, until it gets them', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 1, slotsPerTaskManager: 2, slotRequestTimeoutMs: 30_000 });
  const running: JobModule = (env) => {
    env.fromSequence(1, Number.MAX_SAFE_INTEGER).filter((n) => n < 0).sinkTo(() => {});
  };
  const first = await cluster.submit(running, { parallelism: 1 });
  await eventually(async () => (await cluster.details(first.jobId)).job.status === 'RUNNING', 'the first job to run');
  t.is((await cluster.details(first.jobId)).waitingForSlots, undefined);
  const waiting = await cluster.submit(bounded, { parallelism: 2 });
  let details = await cluster.details(waiting.jobId);
  await eventually(async () => (details = await cluster.details(waiting.jobId)).waitingForSlots !== undefined, 'the second job to report its wait');
  t.is(details.job.status, 'CREATED');
  const { since, ...wait } = details.waitingForSlots!;
  t.deepEqual(wait, { needed: 2, granted: 0, slotsFree: 1, slotsTotal: 2, taskManagers: 1, timeoutMs: 30_000 });
  t.true(since >= details.job.startTime && since <= Date.now());
  await cluster.cancel(first.jobId);
  t.is(await within(outcome(waiting.result()), 'the waiting job to get its slots and end'), 'FINISHED');
  t.is((await cluster.details(waiting.jobId)).waitingForSlots, undefined);
});
