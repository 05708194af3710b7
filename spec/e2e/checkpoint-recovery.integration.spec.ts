// Exactly-once under real failure: examples/windowed-totals.ts with --checkpoint-interval on a
// standalone cluster of two one-slot TaskManager processes (the job at parallelism 2 uses both),
// while the spec kills a TaskManager with kill -9 three times, each time after another checkpoint
// completed, and starts a replacement with bin/taskmanager.sh. The job restarts from its latest
// checkpoint each time; its committed output (the FileSink's visible part files) must equal the
// window model's exactly: nothing lost, nothing twice, and the same late lines and late firings as
// a run without failure (restored operators resume at their checkpointed watermark).
import test from 'ava';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateReadings, toJsonLines } from '../../examples/window-readings.ts';
import { parseWindowSpec } from '../../examples/windowed-totals.ts';
import type { JobStatusChanged } from '../../messages/job-status.ts';
import { expectedWindowedTotals } from '../examples/windowed-totals-expected.ts';
import { REPO_ROOT, eventually, isAlive, runCommand, within } from './process.ts';
import { committedLines } from './cluster-example.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const OUT_OF_ORDERNESS_MS = 300;
const ALLOWED_LATENESS_MS = 1_000;
const KILLS = 3;


/** The ids of the job's completed checkpoints (chk-<id> directories with _metadata). */
function completedCheckpoints(jobDirectory: string): number[] {
  if (!existsSync(jobDirectory)) return [];
  return readdirSync(jobDirectory)
    .filter((name) => name.startsWith('chk-') && existsSync(join(jobDirectory, name, '_metadata')))
    .map((name) => Number(name.slice(4)));
}

test('windowed totals with the exactly-once file sink survive kill -9 of TaskManagers: the committed output is the model\'s', async (t) => {
  const cluster = await startStandaloneCluster(t, {
    name: 'weir-e2e-recovery',
    taskManagers: 2,
    logLevel: 'warn',
    settings: ['restart-strategy.type: fixed-delay', 'restart-strategy.fixed-delay.attempts: 20', 'restart-strategy.fixed-delay.delay: 100 ms'],
  });
  const text = toJsonLines(generateReadings({ seed: 31, count: 6_000, outOfOrdernessMs: OUT_OF_ORDERNESS_MS }));
  const input = join(cluster.root, 'readings.jsonl');
  writeFileSync(input, text);
  const window = 'session:200';
  const [output, lateOutput] = [join(cluster.root, 'totals'), join(cluster.root, 'late')];
  const args = ['--input', input, '--output', output, '--late-output', lateOutput, '--window', window];
  args.push('--out-of-orderness', String(OUT_OF_ORDERNESS_MS), '--allowed-lateness', String(ALLOWED_LATENESS_MS));
  args.push('--checkpoint-interval', '200', '--rate', '1000');

  const handle = await cluster.client.submit(join(REPO_ROOT, 'examples', 'windowed-totals.ts'), { parallelism: 2, args });
  const statuses: JobStatusChanged['status'][] = [];
  handle.status$.subscribe({ next: (change) => statuses.push(change.status), error: () => undefined });
  const jobDirectory = join(cluster.logDir, 'checkpoints', handle.jobId);

  const killed: number[] = [];
  for (let round = 0; round < KILLS; round++) {
    // Each kill after a checkpoint newer than the last kill's, at a random moment after it.
    const newest = Math.max(0, ...completedCheckpoints(jobDirectory));
    await eventually(async () => completedCheckpoints(jobDirectory).some((id) => id > newest), 30_000, `a checkpoint after ${newest}`);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 200)));
    const victims = cluster.taskManagers().filter((taskManager) => isAlive(taskManager.pid) && !killed.includes(taskManager.pid));
    const victim = victims[Math.floor(Math.random() * victims.length)];
    process.kill(victim.pid, 'SIGKILL');
    killed.push(victim.pid);
    const started = await runCommand('bash', [join(REPO_ROOT, 'bin', 'taskmanager.sh'), 'start'], cluster.env, 30_000);
    t.is(started.code, 0, `a replacement TaskManager: ${started.stderr}`);
  }

  const result = await within(handle.result(), 120_000, 'the job to finish after the kills');
  t.is(result.status, 'FINISHED');
  t.true(statuses.filter((status) => status === 'RESTARTING').length >= KILLS, `restarted after each kill: ${statuses.join(' ')}`);
  const expected = expectedWindowedTotals(text.split('\n'), parseWindowSpec(window), OUT_OF_ORDERNESS_MS, ALLOWED_LATENESS_MS);
  t.true(expected.totals.length > 1_000 && expected.late.length > 20, `${expected.totals.length} firings, ${expected.late.length} late lines`);
  t.deepEqual(committedLines(output), [...expected.totals].sort());
  t.deepEqual(committedLines(lateOutput), [...expected.late].sort());
});
