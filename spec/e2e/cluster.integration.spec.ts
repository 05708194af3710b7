// A real standalone cluster started by the scripts (startStandaloneCluster runs bin/start-cluster.sh
// and fails the test with its stderr when it exits non-zero): one JobManager and two TaskManager
// processes on loopback. Jobs are submitted through the actor client and through `weir run`; an unbounded job is
// cancelled; a TaskManager is killed with -9 under a running job; stop-cluster leaves no process.
import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, eventually, isAlive, runCommand as run, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const ENDLESS_JOB = fileURLToPath(new URL('./fixtures/endless-job.ts', import.meta.url));
const TRIVIAL_JOB = join(REPO_ROOT, 'examples/trivial-job.ts');
const UNBOUNDED_JOB = join(REPO_ROOT, 'examples/unbounded-job.ts');
const HEARTBEAT_TIMEOUT_MS = 2_000;


function readLines(directory: string): number[] {
  return readdirSync(directory)
    .flatMap((file) => readFileSync(join(directory, file), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map(Number)
    .sort((a, b) => a - b);
}

test('a standalone cluster runs, cancels and fails jobs, and stops leaving no process behind', async (t) => {
  const { address, root, logDir, env, client, pids, taskManagers } = await startStandaloneCluster(t, {
    name: 'weir-e2e-cluster',
    settings: ['heartbeat.interval: 200 ms', `heartbeat.timeout: ${HEARTBEAT_TIMEOUT_MS} ms`, 'slot.request.timeout: 10 s'],
  });
  const processes = pids();
  t.is(processes.length, 3, `expected 1 JobManager and 2 TaskManagers, found the pid files ${readdirSync(logDir).filter((file) => file.endsWith('.pid')).join(', ')}`);

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
  const cli = await run(process.execPath, [join(REPO_ROOT, 'bin/weir'), 'run', TRIVIAL_JOB, '-p', '2', '-m', address, '--', cliOut], env);
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
  const [victim] = taskManagers();
  if (!victim) return t.fail('no TaskManager ready line');
  process.kill(victim.pid, 'SIGKILL');
  const failure = await within(
    endless.result().then(
      () => undefined,
      (error: Error) => error,
    ),
    HEARTBEAT_TIMEOUT_MS + 10_000,
    'the job to fail after kill -9',
  );
  t.truthy(failure);
  t.regex(failure?.message ?? '', new RegExp(`TaskManager taskmanager-${victim.id} .* was lost`));

  // stop-cluster stops the rest; no process of the cluster is left.
  const stopped = await run('bash', [join(REPO_ROOT, 'bin/stop-cluster.sh')], env);
  t.is(stopped.code, 0, `stop-cluster failed: ${stopped.stderr}`);
  await eventually(async () => processes.every((pid) => !isAlive(pid)), 10_000, 'every cluster process to exit');
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
