// taskmanager.memory.heap.size on a real standalone cluster: the TaskManager runs with node's
// --max-old-space-size, and a job that allocates without bound fails, naming the heap, before V8
// runs out of memory; the TaskManager process lives on (same pid, not restarted) and runs the next job.
// taskmanager.memory.process.size: the same for a job that keeps Buffers (off the heap).
import test from 'ava';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const LEAKING_JOB = fileURLToPath(new URL('./fixtures/leaking-job.ts', import.meta.url));
const OFF_HEAP_JOB = fileURLToPath(new URL('./fixtures/offheap-job.ts', import.meta.url));
const TRIVIAL_JOB = fileURLToPath(new URL('../../examples/trivial-job.ts', import.meta.url));

test('a job that allocates without bound fails naming the heap, and its TaskManager lives on', async (t) => {
  const cluster = await startStandaloneCluster(t, { name: 'weir-e2e-heap', taskManagers: 1, settings: ['taskmanager.memory.heap.size: 192m'] });
  const [taskManager] = cluster.taskManagers();
  if (!taskManager) return t.fail('no TaskManager ready line');

  const leaking = await cluster.client.submit(LEAKING_JOB, { parallelism: 1 });
  const error = await t.throwsAsync(within(leaking.result(), 60_000, 'the leaking job to fail'));
  t.regex(
    error?.message ?? '',
    /the TaskManager's heap is at \d+ MB of its 192 MB limit \(taskmanager\.memory\.heap\.size: 192 MB\), and job \S+ grew it most \(\d+ MB lately\): its tasks here fail before the process runs out of memory/,
  );
  t.true(isAlive(taskManager.pid), 'the TaskManager process lives on');
  t.false(readdirSync(cluster.logDir).some((file) => file.endsWith('.fatal') && existsSync(join(cluster.logDir, file))), 'it was not restarted');
  t.is((await cluster.client.clusterInfo()).taskManagers, 1);

  // Its memory came back: the next job runs there.
  const out = join(cluster.root, 'squares');
  const next = await cluster.client.submit(TRIVIAL_JOB, { parallelism: 1, args: [out] });
  t.is((await within(next.result(), 60_000, 'the next job')).status, 'FINISHED');
  t.is(cluster.taskManagers()[0]?.pid, taskManager.pid);
});

test('a job that keeps Buffers without bound fails naming the process size, and its TaskManager lives on', async (t) => {
  const cluster = await startStandaloneCluster(t, { name: 'weir-e2e-offheap', taskManagers: 1, settings: ['taskmanager.memory.process.size: 640m'] });
  const [taskManager] = cluster.taskManagers();
  if (!taskManager) return t.fail('no TaskManager ready line');

  const offHeap = await cluster.client.submit(OFF_HEAP_JOB, { parallelism: 1 });
  const error = await t.throwsAsync(within(offHeap.result(), 60_000, 'the off-heap job to fail'));
  t.regex(
    error?.message ?? '',
    /the TaskManager's memory \(resident set, heap and off-heap\) is at \d+ MB of its 640 MB limit \(taskmanager\.memory\.process\.size\), and job \S+ grew it most \(\d+ MB lately\)/,
  );
  t.true(isAlive(taskManager.pid), 'the TaskManager process lives on');
  t.is((await cluster.client.clusterInfo()).taskManagers, 1);

  const out = join(cluster.root, 'squares');
  const next = await cluster.client.submit(TRIVIAL_JOB, { parallelism: 1, args: [out] });
  t.is((await within(next.result(), 60_000, 'the next job')).status, 'FINISHED');
  t.is(cluster.taskManagers()[0]?.pid, taskManager.pid);
});
