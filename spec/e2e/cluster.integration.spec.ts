// A real standalone cluster started by the scripts: one JobManager and two TaskManager processes on
// loopback. Jobs are submitted through the actor client and through `weir run`; an unbounded job is
// cancelled; a TaskManager is killed with -9 under a running job; stop-cluster leaves no process.
import test from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WeirClient } from '../../api/client/index.ts';
import { freePort, isAlive, runCommand as run, within } from './process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENDLESS_JOB = fileURLToPath(new URL('./fixtures/endless-job.ts', import.meta.url));
const TRIVIAL_JOB = join(ROOT, 'examples/trivial-job.ts');
const UNBOUNDED_JOB = join(ROOT, 'examples/unbounded-job.ts');
const HEARTBEAT_TIMEOUT_MS = 2_000;


function pids(logDir: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const file of readdirSync(logDir)) {
    if (file.endsWith('.pid')) found.set(file.slice(0, -4), Number(readFileSync(join(logDir, file), 'utf8').trim()));
  }
  return found;
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readLines(directory: string): number[] {
  return readdirSync(directory)
    .flatMap((file) => readFileSync(join(directory, file), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map(Number)
    .sort((a, b) => a - b);
}

test('a standalone cluster runs, cancels and fails jobs, and stops leaving no process behind', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'weir-e2e-'));
  const confDir = join(root, 'conf');
  const logDir = join(root, 'log');
  mkdirSync(confDir);
  const port = await freePort();
  writeFileSync(
    join(confDir, 'weir.yaml'),
    [
      `jobmanager.rpc.port: ${port}`,
      'taskmanager.numberOfTaskSlots: 1',
      'heartbeat.interval: 200 ms',
      `heartbeat.timeout: ${HEARTBEAT_TIMEOUT_MS} ms`,
      'slot.request.timeout: 10 s',
      'log.level: info',
    ].join('\n') + '\n',
  );
  writeFileSync(join(confDir, 'workers'), 'localhost\nlocalhost\n');
  const env = { ...process.env, WEIR_CONF_DIR: confDir, WEIR_LOG_DIR: logDir, WEIR_LOG_LEVEL: '' };
  t.teardown(async () => {
    await run('bash', [join(ROOT, 'bin/stop-cluster.sh')], env, 30_000);
    for (const pid of pids(logDir).values()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  const started = await run('bash', [join(ROOT, 'bin/start-cluster.sh')], env);
  t.is(started.code, 0, `start-cluster failed: ${started.stderr}`);
  const processes = pids(logDir);
  t.is(processes.size, 3, `expected 1 JobManager and 2 TaskManagers, found ${[...processes.keys()].join(', ')}`);

  const client = await WeirClient.connect(`127.0.0.1:${port}`, { timeoutMs: 10_000 });
  t.teardown(() => client.close());
  await eventually(async () => (await client.clusterInfo()).taskManagers === 2, 15_000, 'both TaskManagers to register');

  // A bounded job through the client, at parallelism 2: both TaskManagers work, the answer is whole.
  const clientOut = join(root, 'out-client');
  const handle = await client.submit(TRIVIAL_JOB, { parallelism: 2, args: [clientOut] });
  const statuses: string[] = [];
  handle.status$.subscribe((change) => statuses.push(change.status));
  t.is((await within(handle.result(), 30_000, 'the bounded job to finish')).status, 'FINISHED');
  t.deepEqual(statuses.slice(-2), ['RUNNING', 'FINISHED']);
  t.deepEqual(
    readLines(clientOut),
    Array.from({ length: 1000 }, (_, i) => (i + 1) * (i + 1)),
  );

  // The same job through `weir run`: waits, prints the final status, exits 0.
  const cliOut = join(root, 'out-cli');
  const cli = await run(process.execPath, [join(ROOT, 'bin/weir.js'), 'run', TRIVIAL_JOB, '-p', '2', '-m', `127.0.0.1:${port}`, '--', cliOut], env);
  t.is(cli.code, 0, `weir run failed: ${cli.stderr}`);
  t.regex(cli.stdout, /FINISHED/);
  t.is(readLines(cliOut).length, 1000);

  // An unbounded job runs until it is cancelled; its slot comes back.
  const unbounded = await client.submit(UNBOUNDED_JOB);
  await within(firstStatus(unbounded.status$, 'RUNNING'), 15_000, 'the unbounded job to run');
  const listed = await client.list();
  t.true(listed.some((job) => job.jobId === unbounded.jobId && job.status === 'RUNNING'));
  await unbounded.cancel();
  const canceled = await within(
    unbounded.result().then(
      () => 'FINISHED',
      (error: Error & { code?: string }) => error.code,
    ),
    15_000,
    'the unbounded job to be canceled',
  );
  t.is(canceled, 'JOB_CANCELED');
  await eventually(async () => (await client.clusterInfo()).slotsFree === 2, 10_000, 'the canceled job to free its slot');

  // kill -9 a TaskManager under a running job: the job fails naming that TaskManager.
  const endless = await client.submit(ENDLESS_JOB, { parallelism: 2 });
  await within(firstStatus(endless.status$, 'RUNNING'), 15_000, 'the endless job to run');
  await eventually(async () => (await client.info(endless.jobId)).vertices.every((v) => v.subtasks.every((s) => s === 'RUNNING')), 15_000, 'every subtask to run');
  const victim = [...pids(logDir).entries()].find(([name]) => name.startsWith('weir-taskmanager'));
  if (!victim) return t.fail('no TaskManager pid file');
  const victimId = JSON.parse(readFileSync(join(logDir, `${victim[0]}.out`), 'utf8').split('\n')[0] ?? '{}').id as string;
  process.kill(victim[1], 'SIGKILL');
  const failure = await within(
    endless.result().then(
      () => undefined,
      (error: Error) => error,
    ),
    HEARTBEAT_TIMEOUT_MS + 10_000,
    'the job to fail after kill -9',
  );
  t.truthy(failure);
  t.regex(failure?.message ?? '', new RegExp(`TaskManager taskmanager-${victimId} .* was lost`));

  // stop-cluster stops the rest; no process of the cluster is left.
  const stopped = await run('bash', [join(ROOT, 'bin/stop-cluster.sh')], env);
  t.is(stopped.code, 0, `stop-cluster failed: ${stopped.stderr}`);
  await eventually(async () => [...processes.values()].every((pid) => !isAlive(pid)), 10_000, 'every cluster process to exit');
});

function firstStatus(status$: import('rxjs').Observable<{ status: string }>, wanted: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const subscription = status$.subscribe({
      next: (change) => {
        if (change.status === wanted) {
          resolve();
          queueMicrotask(() => subscription.unsubscribe());
        }
      },
      error: reject,
      complete: () => reject(new Error(`status stream ended before ${wanted}`)),
    });
  });
}
