// weir trace against a real standalone cluster (bin/start-cluster.sh): started before a job is
// submitted, it prints that job's SubmitJob; --type filters at the traced side; --json lines parse;
// Ctrl-C (SIGINT) and SIGTERM end it with exit 0. The job finishes whole while the full trace runs.
import test from 'ava';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, eventually, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const TRIVIAL_JOB = join(REPO_ROOT, 'examples/trivial-job.ts');

interface Traced {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exit: Promise<number | null>;
}

function startTrace(t: import('ava').ExecutionContext, args: readonly string[], env: NodeJS.ProcessEnv): Traced {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'weir.js'), 'trace', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const traced: Traced = { child, stdout: '', stderr: '', exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout?.on('data', (chunk: Buffer) => (traced.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (traced.stderr += chunk.toString()));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return traced;
}

test('weir trace prints the SubmitJob of a job submitted meanwhile, --type filters, --json parses, SIGINT and SIGTERM end it with 0', async (t) => {
  const cluster = await startStandaloneCluster(t, { name: 'weir-e2e-trace', taskManagers: 2, logLevel: 'warn' });
  const everything = startTrace(t, [], cluster.env);
  // Each trace's own watch of the TaskManagers is answered by the ResourceManager: that line says it is subscribed.
  const filtered = startTrace(t, ['--type', 'SubmitJob,TaskManagersChanged', '--json'], cluster.env);
  const ready = (traced: Traced) => traced.stdout.includes('TaskManagersChanged');
  await eventually(async () => ready(everything) && ready(filtered), 30_000, `both traces to subscribe (stderr: ${everything.stderr}${filtered.stderr})`);

  const output = join(cluster.root, 'squares');
  const handle = await cluster.client.submit(TRIVIAL_JOB, { parallelism: 2, args: [output] });
  t.is((await within(handle.result(), 60_000, 'the job to finish')).status, 'FINISHED');
  const squares = readdirSync(output).flatMap((file) => readFileSync(join(output, file), 'utf8').split('\n').filter((line) => line !== ''));
  t.is(squares.length, 1000, 'the job is whole while the full trace runs');

  await eventually(async () => everything.stdout.includes('  SubmitJob  ') && filtered.stdout.includes('"SubmitJob"'), 30_000, 'SubmitJob in both traces');
  everything.child.kill('SIGINT');
  filtered.child.kill('SIGTERM');
  t.is(await within(everything.exit, 15_000, 'weir trace to end on SIGINT'), 0, everything.stderr);
  t.is(await within(filtered.exit, 15_000, 'weir trace to end on SIGTERM'), 0, filtered.stderr);

  const submitLine = everything.stdout.split('\n').find((line) => line.includes('  SubmitJob  ')) ?? '';
  t.regex(submitLine, new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  jobmanager  client-\\w+ -> jobmanager/user/dispatcher  SubmitJob  [\\d.]+ (B|kB|MB)  job ${handle.jobId}  \\[in\\]$`));
  t.true(everything.stdout.includes('  RegisterTaskManager') || everything.stdout.includes('  SubmitTask  '), 'more than the filtered types');

  const events = filtered.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string; jobId?: string; summary?: { bundle?: string } });
  t.deepEqual([...new Set(events.map((event) => event.type))].sort(), ['SubmitJob', 'TaskManagersChanged']);
  const submit = events.find((event) => event.type === 'SubmitJob');
  t.is(submit?.jobId, handle.jobId);
  t.regex(submit?.summary?.bundle ?? '', /… \(\d+ chars\)$/, 'the bundle is cut, not shipped whole');
});
