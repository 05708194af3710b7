// Savepoints as a user takes them, with the weir CLI against a standalone cluster: run a checkpointed
// job detached, `weir savepoint` it (the path on the last line), `weir stop` it with a savepoint into
// the cluster's execution.checkpointing.savepoint-dir, then `weir run -s <that path> -p 3` the same
// job at another parallelism: the committed output of both runs together is the window model's
// exactly, once.
import test from 'ava';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateReadings, toJsonLines } from '../../examples/window-readings.ts';
import { parseWindowSpec } from '../../examples/windowed-totals.ts';
import type { JobId } from '../../messages/ids.ts';
import { expectedWindowedTotals } from '../examples/windowed-totals-expected.ts';
import { REPO_ROOT, eventually, runCommand } from './process.ts';
import { committedLines } from './cluster-example.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const OUT_OF_ORDERNESS_MS = 300;
const ALLOWED_LATENESS_MS = 1_000;
// 8 000 readings at 800/s: ~10 s of input, so that three CLI calls (each a process start) fit before the end.


test('weir savepoint, weir stop and weir run -s -p 3 carry a job over a stop and a rescale: the committed output is the model\'s, once', async (t) => {
  const savepoints = mkdtempSync(join(tmpdir(), 'weir-e2e-savepoints-'));
  t.teardown(() => rmSync(savepoints, { recursive: true, force: true }));
  const cluster = await startStandaloneCluster(t, {
    name: 'weir-e2e-savepoint-cli',
    // One slot each: 2 for the first run, 3 for the rescaled one.
    taskManagers: 3,
    logLevel: 'warn',
    settings: [`execution.checkpointing.savepoint-dir: ${savepoints}`],
  });
  const text = toJsonLines(generateReadings({ seed: 41, count: 8_000, outOfOrdernessMs: OUT_OF_ORDERNESS_MS }));
  const input = join(cluster.root, 'readings.jsonl');
  writeFileSync(input, text);
  const window = 'tumbling:500';
  const [output, lateOutput] = [join(cluster.root, 'totals'), join(cluster.root, 'late')];
  const jobArgs = ['--input', input, '--output', output, '--late-output', lateOutput, '--window', window];
  jobArgs.push('--out-of-orderness', String(OUT_OF_ORDERNESS_MS), '--allowed-lateness', String(ALLOWED_LATENESS_MS), '--checkpoint-interval', '300', '--rate', '800');
  const weir = (args: readonly string[]) => runCommand(process.execPath, [join(REPO_ROOT, 'bin', 'weir.js'), ...args], cluster.env, 90_000);

  const submitted = await weir(['run', '-d', 'examples/windowed-totals.ts', '-p', '2', '--', ...jobArgs]);
  t.is(submitted.code, 0, submitted.stderr);
  const jobId = /JobID (\S+)/.exec(submitted.stdout)?.[1] as JobId;
  t.truthy(jobId, submitted.stdout);
  await eventually(async () => (await cluster.client.info(jobId)).vertices.every((vertex) => vertex.subtasks.every((state) => state === 'RUNNING')), 30_000, 'the job to run');

  const taken = await weir(['savepoint', jobId, join(cluster.root, 'manual')]);
  t.is(taken.code, 0, taken.stderr);
  const manual = /^Path: (.+)$/m.exec(taken.stdout)?.[1] ?? '';
  t.true(manual.startsWith(join(cluster.root, 'manual', 'savepoint-')) && existsSync(join(manual, '_metadata')), taken.stdout);

  const info = await weir(['info', jobId]);
  t.is(info.code, 0, info.stderr);
  t.regex(info.stdout, /\n {2}checkpoints: [1-9]\d* completed, \d+ failed, 0 restarts\n/);
  t.regex(info.stdout, /\n {2}latest: {6}(checkpoint|savepoint) \d+ at \S+ \(\d+ bytes in \d+ ms\) \//);

  const stopped = await weir(['stop', jobId]);
  t.is(stopped.code, 0, stopped.stderr);
  const lastLine = stopped.stdout.trim().split('\n').at(-1) ?? '';
  const path = /^Savepoint completed\. Path: (.+)$/.exec(lastLine)?.[1] ?? '';
  t.true(path.startsWith(join(savepoints, 'savepoint-')), stopped.stdout);
  await eventually(async () => (await cluster.client.info(jobId)).job.status === 'FINISHED', 30_000, 'the stopped job to end FINISHED');
  const atStop = committedLines(output).length;

  // At parallelism 3: the windows' key groups move to the subtasks that own them now (rescaling).
  const resumed = await weir(['run', '-s', path, 'examples/windowed-totals.ts', '-p', '3', '--', ...jobArgs]);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(resumed.stdout, /job "Windowed Totals" \(\S+\) is FINISHED/);
  const expected = expectedWindowedTotals(text.split('\n'), parseWindowSpec(window), OUT_OF_ORDERNESS_MS, ALLOWED_LATENESS_MS);
  t.true(atStop > 0 && atStop < expected.totals.length, `the first run committed ${atStop} of ${expected.totals.length} totals`);
  t.deepEqual(committedLines(output), [...expected.totals].sort());
  t.deepEqual(committedLines(lateOutput), [...expected.late].sort());

  const disposed = await weir(['savepoint', '--dispose', manual]);
  t.is(disposed.code, 0, disposed.stderr);
  t.false(existsSync(manual));
});
