// The slot protocol on a standalone cluster of real processes: a TaskManager stopped with SIGSTOP
// while the ResourceManager allocates its slot (then SIGCONT), and a job larger than the cluster
// submitted before a small one. The TaskManagers' slot tables are the truth: no slot is lost or
// handed out twice, nothing is retried in a loop, and jobs are scheduled independently.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, eventually, isAlive, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const ENDLESS_JOB = fileURLToPath(new URL('./fixtures/endless-job.ts', import.meta.url));
const TRIVIAL_JOB = join(REPO_ROOT, 'examples/trivial-job.ts');
/** The ResourceManager's wait for an allocation's confirmation (ALLOCATE_SLOT_TIMEOUT_MS). */
const ALLOCATE_SLOT_TIMEOUT_MS = 10_000;
const STOPPED_MS = 15_000;

/** The job's final status, or the code and message it failed with. */
const outcome = (result: Promise<{ status: string }>): Promise<string> =>
  result.then(
    (final) => final.status,
    (error: Error & { code?: string }) => `${error.code}: ${error.message}`,
  );

function logLines(logDir: string, file: string, text: string): string[] {
  return readFileSync(join(logDir, file), 'utf8')
    .split('\n')
    .filter((line) => line.includes(text));
}

test.serial('a TaskManager stopped while its slot is allocated is passed over, and its slot is free again once it runs on', async (t) => {
  const { client, logDir, taskManagers } = await startStandaloneCluster(t, {
    name: 'weir-e2e-sigstop',
    taskManagers: 3,
    // Heartbeats often, but the stopped process is not declared lost while it is stopped.
    settings: ['heartbeat.interval: 500 ms', 'heartbeat.timeout: 60 s', 'slot.request.timeout: 60 s'],
  });
  // The ResourceManager picks the first TaskManager by resource id first (all have one free slot).
  const [victim] = [...taskManagers()].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (!victim) return t.fail('no TaskManager ready line');
  process.kill(victim.pid, 'SIGSTOP');
  let resumed = false;
  t.teardown(() => {
    if (!resumed && isAlive(victim.pid)) process.kill(victim.pid, 'SIGCONT');
  });
  const stoppedAt = Date.now();
  const handle = await client.submit(ENDLESS_JOB, { parallelism: 2 });
  const result = outcome(handle.result());
  await eventually(
    async () => (await client.info(handle.jobId)).vertices.every((v) => v.subtasks.every((s) => s === 'RUNNING')),
    ALLOCATE_SLOT_TIMEOUT_MS + 10_000,
    'every subtask to run on the other two TaskManagers',
  );
  t.true(Date.now() - stoppedAt < STOPPED_MS, 'the job runs before the stopped TaskManager resumes');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + STOPPED_MS - Date.now())));
  process.kill(victim.pid, 'SIGCONT');
  resumed = true;

  // It allocates the slot late; the job's JobManager does not hold it, so it is freed and reported.
  await eventually(async () => (await client.clusterInfo()).slotsFree === 1, 15_000, 'the resumed TaskManager’s slot to be free again');
  const jobManagerLog = 'weir-jobmanager.log';
  t.is(logLines(logDir, jobManagerLog, 'was not confirmed within').length, 1, 'one warning for the unanswered allocation');
  t.deepEqual(logLines(logDir, jobManagerLog, 'already allocated'), [], 'no slot picked again while its TaskManager holds it');

  await handle.cancel();
  t.regex(await within(result, 15_000, 'the job to be cancelled'), /^JOB_CANCELED/);
  await eventually(async () => (await client.clusterInfo()).slotsFree === 3, 15_000, 'every slot to be free');
  const full = await client.submit(TRIVIAL_JOB, { parallelism: 3 });
  t.is(await within(outcome(full.result()), 30_000, 'a job on every slot to finish'), 'FINISHED');
});

test.serial('a -p 8 job waiting on a three-slot cluster does not hold back a -p 1 job, before or after its timeout', async (t) => {
  const { client } = await startStandaloneCluster(t, {
    name: 'weir-e2e-independent',
    taskManagers: 3,
    settings: ['heartbeat.interval: 500 ms', 'heartbeat.timeout: 10 s', 'slot.request.timeout: 5 s'],
  });
  const large = await client.submit(TRIVIAL_JOB, { parallelism: 8 });
  const largeResult = outcome(large.result());
  const small = await client.submit(TRIVIAL_JOB, { parallelism: 1 });
  t.is(await within(outcome(small.result()), 4_000, 'the -p 1 job to finish while the -p 8 one waits'), 'FINISHED');
  t.regex(await within(largeResult, 10_000, 'the -p 8 job to fail'), /^JOB_FAILED: .*needs 8 slots, but only 3 of 3 are free/);
  const after = await client.submit(TRIVIAL_JOB, { parallelism: 1 });
  t.is(await within(outcome(after.result()), 15_000, 'a -p 1 job after it to finish'), 'FINISHED');
});
