// A task stuck in user code (an infinite loop) on a standalone cluster: its slot is not free while
// the task runs; the TaskManager's cancellation watchdog kills the process after
// task.cancellation.timeout, the start script's supervisor starts it again, and the new process
// registers with its slot free and runs the next job.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, eventually, isAlive, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const SPINNING_JOB = fileURLToPath(new URL('./fixtures/spinning-job.ts', import.meta.url));
const TRIVIAL_JOB = join(REPO_ROOT, 'examples/trivial-job.ts');
const CANCELLATION_TIMEOUT_MS = 4_000;

const outcome = (result: Promise<{ status: string }>): Promise<string> =>
  result.then(
    (final) => final.status,
    (error: Error & { code?: string }) => `${error.code}: ${error.message}`,
  );

test('a task stuck in user code keeps its slot until the watchdog kills its TaskManager, which its supervisor starts again', async (t) => {
  const { client, logDir, taskManagers } = await startStandaloneCluster(t, {
    name: 'weir-e2e-stuck-task',
    taskManagers: 1,
    // The heartbeat timeout is far longer than the cancellation timeout: the watchdog ends the process first.
    settings: ['heartbeat.interval: 500 ms', 'heartbeat.timeout: 30 s', 'task.cancellation.interval: 1 s', `task.cancellation.timeout: ${CANCELLATION_TIMEOUT_MS} ms`],
  });
  const [stuck] = taskManagers();
  if (!stuck) return t.fail('no TaskManager ready line');
  const handle = await client.submit(SPINNING_JOB);
  const result = outcome(handle.result());
  await eventually(async () => (await client.info(handle.jobId)).vertices.every((v) => v.subtasks.every((s) => s === 'RUNNING')), 15_000, 'the job to run');
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // its sixth record enters the loop after 0.5 s

  // While the stuck process lives, its slot is never counted free.
  let mostFreeWhileAlive = 0;
  const sampled = (async () => {
    while (isAlive(stuck.pid)) {
      const { slotsFree } = await client.clusterInfo();
      if (isAlive(stuck.pid)) mostFreeWhileAlive = Math.max(mostFreeWhileAlive, slotsFree);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await handle.cancel();
  t.regex(await within(result, CANCELLATION_TIMEOUT_MS + 15_000, 'the job to end'), /^JOB_CANCELED/);
  await within(sampled, CANCELLATION_TIMEOUT_MS + 15_000, 'the stuck TaskManager to be killed');
  t.is(mostFreeWhileAlive, 0, 'its slot was never free while its task ran');
  const log = readFileSync(join(logDir, 'weir-taskmanager-1.log'), 'utf8');
  t.regex(log, /"code":"TASK_CANCELLATION_TIMEOUT"/);
  t.regex(log, /killed by its cancellation watchdog; starting it again/);

  await eventually(
    async () => {
      const info = await client.clusterInfo();
      return info.taskManagers === 1 && info.slotsFree === 1;
    },
    30_000,
    'the TaskManager to be started again and register with its slot free',
  );
  const next = await client.submit(TRIVIAL_JOB, { parallelism: 1 });
  t.is(await within(outcome(next.result()), 30_000, 'the next job to finish'), 'FINISHED');
});
