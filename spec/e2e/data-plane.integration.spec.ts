// Records between TaskManager processes: a standalone cluster of two one-slot TaskManagers on
// loopback, each with its data server. A job with a rebalance and a keyBy at parallelism 2 sends
// records both ways over the data connections and gets every one; kill -9 of one TaskManager fails
// the job at once through the other's data connection (long before the heartbeat timeout), naming
// the lost producer and its data address.
import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const SHUFFLE_JOB = fileURLToPath(new URL('./fixtures/shuffle-job.ts', import.meta.url));
const HEARTBEAT_TIMEOUT_MS = 30_000;
const RECORDS = 100_000;

test('records cross TaskManagers over their data connections, and a lost producer fails the job naming it', async (t) => {
  const { root, client, taskManagers } = await startStandaloneCluster(t, { name: 'weir-data-plane', settings: [`heartbeat.timeout: ${HEARTBEAT_TIMEOUT_MS} ms`] });
  const workers = taskManagers();
  t.is(workers.length, 2);
  for (const worker of workers) t.regex(worker.dataAddress, /^127\.0\.0\.1:\d+$/, 'each TaskManager runs a data server');

  const out = join(root, 'out');
  const bounded = await client.submit(SHUFFLE_JOB, { parallelism: 2, args: [out, String(RECORDS)] });
  t.is((await within(bounded.result(), 30_000, 'the bounded shuffle to finish')).status, 'FINISHED');
  const lines = readdirSync(out).flatMap((file) => readFileSync(join(out, file), 'utf8').split('\n').filter((line) => line !== '').map(Number));
  t.deepEqual(lines.sort((a, b) => a - b), Array.from({ length: RECORDS }, (_, i) => (i + 1) * 2 + 1));

  const endless = await client.submit(SHUFFLE_JOB, { parallelism: 2 });
  const running = Date.now() + 15_000;
  while (!(await client.info(endless.jobId)).vertices.every((v) => v.subtasks.every((s) => s === 'RUNNING')) && Date.now() < running) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const [victim] = workers;
  const killedAt = Date.now();
  process.kill(victim.pid, 'SIGKILL');
  const failure = await within(endless.result().then(() => undefined, (error: Error) => error), HEARTBEAT_TIMEOUT_MS + 10_000, 'the job to fail');
  t.regex(failure?.message ?? '', new RegExp(`data connection lost before the end of partition \\S+ \\(subpartition \\d\\) of taskmanager-${victim.id} at ${victim.dataAddress}: closed \\(1006\\)`));
  t.log(`the job failed ${Date.now() - killedAt} ms after the kill`);
  t.true(Date.now() - killedAt < HEARTBEAT_TIMEOUT_MS, 'the data connection tells before the heartbeat does');
});
