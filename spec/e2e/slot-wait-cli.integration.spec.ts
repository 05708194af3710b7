// A job larger than the cluster, seen from the CLI on a real standalone cluster (two one-slot
// TaskManagers): an attached `weir run -p 3` says after ~2 s what the job waits for instead of
// sitting in CREATED silently, and `weir info` shows the same wait.
import test from 'ava';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, killHard, runCommand, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const ENDLESS_JOB = fileURLToPath(new URL('./fixtures/endless-job.ts', import.meta.url));
const WAIT = /^needs 3 slots, has 0; 2 of 2 free on 2 TaskManagers; waiting \d+ s \(slot\.request\.timeout: 5 min\)$/;

test('an attached weir run and weir info say what a job waiting for slots needs and what the cluster has', async (t) => {
  const { address, env, client } = await startStandaloneCluster(t, { name: 'weir-e2e-slot-wait' });
  const run = spawn(process.execPath, [`${REPO_ROOT}bin/weir`, 'run', '-p', '3', '-m', address, '--no-typecheck', ENDLESS_JOB], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => killHard(run));
  let stderr = '';
  run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const waitLine = new Promise<string>((resolve) => {
    createInterface({ input: run.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.includes(' waits for slots: ')) resolve(line);
    });
  });
  const line = await within(waitLine, 20_000, `weir run to say the job waits for slots (stdout: ${lines.join(' | ')}; stderr: ${stderr})`);
  const jobId = /^Job has been submitted with JobID (\S+)$/.exec(lines[0] ?? '')?.[1];
  t.truthy(jobId, lines[0]);
  const [time, rest] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
  t.false(Number.isNaN(Date.parse(time)));
  t.true(rest.startsWith(`job ${jobId} waits for slots: `), rest);
  t.regex(rest.slice(`job ${jobId} waits for slots: `.length), WAIT);

  const info = await runCommand(process.execPath, [`${REPO_ROOT}bin/weir`, 'info', jobId!, '-m', address], env);
  t.is(info.code, 0, info.stderr);
  const waiting = info.stdout.split('\n').find((entry) => entry.startsWith('  waiting:     for slots: '));
  t.regex(waiting?.slice('  waiting:     for slots: '.length) ?? info.stdout, WAIT);
  t.true(info.stdout.includes('  status:      CREATED\n'));
  await client.cancel(jobId! as Parameters<typeof client.cancel>[0]);
});
