// A job in its own project, as a TypeScript team would keep it: `weir init` in a temporary
// directory, then `npm install` (Weir as a file: dependency on this checkout), `npm start` (the
// sample job on an embedded mini cluster), `npm test` (its spec on the operator test harness), and
// the project's own `weir` submitting the job to a standalone cluster.
import test from 'ava';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCommand } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

/** What the sample job prints: each word's final count, in the order the keyed sum emits them. */
const SAMPLE_OUTPUT = ['that\t1', 'question\t1', 'or\t1', 'not\t1', 'is\t1', 'the\t1', 'to\t2', 'be\t2'];
/** A bound on each npm command (install needs no registry: Weir is a local path). */
const NPM_TIMEOUT_MS = 60_000;

test('a project made by weir init installs, runs its job embedded and on a cluster, and passes its test', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'weir-e2e-init-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const project = join(root, 'my-jobs');
  const env = { ...process.env, WEIR_LOG_LEVEL: '' };
  const npm = (args: readonly string[]) => runCommand('npm', args, env, NPM_TIMEOUT_MS, project);

  const init = await runCommand(process.execPath, [join(REPO_ROOT, 'bin', 'weir'), 'init', project], env);
  t.is(init.code, 0, init.stderr);

  const install = await npm(['install', '--prefer-offline', '--no-audit', '--no-fund']);
  t.is(install.code, 0, install.stderr);

  const start = await npm(['start', '--silent']);
  t.is(start.code, 0, start.stderr);
  t.is(start.stdout, SAMPLE_OUTPUT.map((line) => `${line}\n`).join(''));

  const spec = await npm(['test', '--silent']);
  t.is(spec.code, 0, spec.stdout + spec.stderr);
  t.regex(spec.stdout, /^# pass 2$/m);
  t.regex(spec.stdout, /^# fail 0$/m);

  // The project's own weir command (node_modules/.bin), type-checking the job with the project's tsconfig.
  const cluster = await startStandaloneCluster(t, { name: 'weir-e2e-init-cluster', taskManagers: 1, logLevel: 'warn' });
  const run = await runCommand(join(project, 'node_modules', '.bin', 'weir'), ['run', 'src/word-count.ts', '-m', cluster.address], cluster.env, NPM_TIMEOUT_MS, project);
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '');
  t.regex(run.stdout, /job "Word Count" \(\S+\) is FINISHED\n/);
  const [out] = readdirSync(cluster.logDir).filter((file) => /^weir-taskmanager.*\.out$/.test(file));
  t.deepEqual(readFileSync(join(cluster.logDir, out), 'utf8').split('\n').slice(1, -1), SAMPLE_OUTPUT, 'print() goes to the TaskManager\'s .out, after its ready line');
});
