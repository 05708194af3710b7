// Records between TaskManager processes: a standalone cluster of two one-slot TaskManagers on
// loopback, each with its data server. A job with a rebalance and a keyBy at parallelism 2 sends
// records both ways over the data connections and gets every one; kill -9 of one TaskManager fails
// the job at once through the other's data connection (long before the heartbeat timeout), naming
// the lost producer and its data address.
import test from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WeirClient } from '../../api/client/index.ts';
import { freePort, runCommand, within } from './process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHUFFLE_JOB = fileURLToPath(new URL('./fixtures/shuffle-job.ts', import.meta.url));
const HEARTBEAT_TIMEOUT_MS = 30_000;
const RECORDS = 100_000;

/** The ready line of each TaskManager: its id, data address and pid. */
function taskManagers(logDir: string): Array<{ id: string; dataAddress: string; pid: number }> {
  return readdirSync(logDir)
    .filter((file) => file.startsWith('weir-taskmanager') && file.endsWith('.out'))
    .map((file) => JSON.parse(readFileSync(join(logDir, file), 'utf8').split('\n')[0] ?? '{}') as { id: string; dataAddress: string; pid: number });
}

test('records cross TaskManagers over their data connections, and a lost producer fails the job naming it', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'weir-data-plane-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true })); // teardowns run last-first: after stop-cluster
  const confDir = join(root, 'conf');
  const logDir = join(root, 'log');
  mkdirSync(confDir);
  const port = await freePort();
  const config = [`jobmanager.rpc.port: ${port}`, 'taskmanager.numberOfTaskSlots: 1', `heartbeat.timeout: ${HEARTBEAT_TIMEOUT_MS} ms`, 'log.level: info'];
  writeFileSync(join(confDir, 'weir.yaml'), config.join('\n') + '\n');
  writeFileSync(join(confDir, 'workers'), 'localhost\nlocalhost\n');
  const env = { ...process.env, WEIR_CONF_DIR: confDir, WEIR_LOG_DIR: logDir, WEIR_LOG_LEVEL: '' };
  t.teardown(() => runCommand('bash', [join(ROOT, 'bin', 'stop-cluster.sh')], env));
  t.is((await runCommand('bash', [join(ROOT, 'bin', 'start-cluster.sh')], env)).code, 0);
  const workers = taskManagers(logDir);
  t.is(workers.length, 2);
  for (const worker of workers) t.regex(worker.dataAddress, /^127\.0\.0\.1:\d+$/, 'each TaskManager runs a data server');

  const client = await WeirClient.connect(`127.0.0.1:${port}`, { timeoutMs: 10_000 });
  t.teardown(() => client.close());
  const deadline = Date.now() + 15_000;
  while ((await client.clusterInfo()).taskManagers < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

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
