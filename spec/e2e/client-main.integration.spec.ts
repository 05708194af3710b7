// weir run runs a job module as Flink's client runs main() (api/client/run-job-module.ts), on a real
// standalone cluster: the module's code after execute() runs once, in the CLI, after the job ended,
// and never on a TaskManager; executeAndCollect() and toObservable() deliver their records to the
// CLI; a detached run of a module that collects fails before submitting, saying why.
import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourcePosition } from '../testkit/source-position.ts';
import { REPO_ROOT, type CommandResult, runCommand } from './process.ts';
import { type StandaloneCluster, startStandaloneCluster } from './standalone-cluster.ts';

const CLIENT_MAIN_JOB = fileURLToPath(new URL('./fixtures/client-main-job.ts', import.meta.url));
const RUN_TIMEOUT_MS = 60_000;
const SQUARES = Array.from({ length: 10 }, (_, index) => (index + 1) ** 2);

function weirRun(cluster: StandaloneCluster, args: readonly string[]): Promise<CommandResult> {
  // --no-typecheck: tsc over the fixture and all of Weir it imports is slow, and not what this spec is about.
  return runCommand(process.execPath, [join(REPO_ROOT, 'bin', 'weir'), 'run', '--no-typecheck', '-m', cluster.address, CLIENT_MAIN_JOB, ...args], cluster.env, RUN_TIMEOUT_MS);
}

/** What the TaskManagers printed, after each one's ready line. */
function taskManagerOutput(cluster: StandaloneCluster): string {
  return readdirSync(cluster.logDir)
    .filter((file) => /^weir-taskmanager.*\.out$/.test(file))
    .map((file) => readFileSync(join(cluster.logDir, file), 'utf8').split('\n').slice(1).join('\n'))
    .join('');
}

test('the code after execute() runs once, in the client, after the job finished, and never on a TaskManager', async (t) => {
  const cluster = await startStandaloneCluster(t, { name: 'weir-e2e-client-main', taskManagers: 1, logLevel: 'warn' });
  const output = join(cluster.root, 'squares');
  const run = await weirRun(cluster, ['after-execute', output]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '');
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  const jobId = /^Job has been submitted with JobID (\S+)$/m.exec(run.stdout)?.[1] ?? '';
  t.deepEqual(lines.slice(0, 2), ['declaring the after-execute job', `Job has been submitted with JobID ${jobId}`], run.stdout);
  t.deepEqual(lines.slice(-3), [
    `${/\S+ job "After Execute" \(\S+\) is FINISHED/.exec(run.stdout)?.[0] ?? 'a FINISHED line'}`,
    `Job ${jobId} finished.`,
    `after execute: job "After Execute" (${jobId}) wrote squares summing to ${SQUARES.reduce((a, b) => a + b)}`,
  ]);
  t.is(run.stdout.match(/after execute/g)?.length, 1, 'once');
  t.is(taskManagerOutput(cluster), 'declaring the after-execute job\n', 'a TaskManager plans the module up to execute() only');
});

test('executeAndCollect() and toObservable() under weir run deliver their records to the CLI, which prints what the module prints', async (t) => {
  const cluster = await startStandaloneCluster(t, { name: 'weir-e2e-client-collect', taskManagers: 1, logLevel: 'warn' });
  const collect = await weirRun(cluster, ['collect']);
  t.is(collect.code, 0, collect.stderr);
  t.is(collect.stdout.split('\n').at(-2), `collected: ${SQUARES.join(' ')}`, collect.stdout);
  const observe = await weirRun(cluster, ['observable']);
  t.is(observe.code, 0, observe.stderr);
  t.is(observe.stdout.split('\n').at(-2), `observed: ${SQUARES.join(' ')}`, observe.stdout);
  t.is(taskManagerOutput(cluster), 'declaring the collect job\ndeclaring the observable job\n');

  // Detached, nothing is left to deliver the records to: refused before anything is submitted.
  const detached = await weirRun(cluster, ['-d', 'collect']);
  t.is(detached.code, 1);
  t.is(detached.stdout, 'declaring the collect job\n');
  t.is(
    detached.stderr,
    `weir: ${CLIENT_MAIN_JOB} reads its results on the client (executeAndCollect() or toObservable()), which a detached run (weir run -d) leaves at once: run it attached, or write the results with a sink (print(), writeAsText())\n` +
      // The module's line that asked for the records (V8 names the loop's variable).
      `    at clientMainJob (${sourcePosition(CLIENT_MAIN_JOB, 'square of squares.executeAndCollect')})\n`,
  );
  t.deepEqual((await cluster.client.list()).map((job) => job.name), ['Collect', 'Observe'], 'the detached run submitted nothing');
});
