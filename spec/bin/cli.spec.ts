// The weir CLI, run as a user runs it (node bin/weir.js): exit 0 on success, 2 with one line naming
// the mistake for a usage error, 1 with one line naming the reason when the request fails — and a
// JobManager that cannot be reached is reported within a bounded time. The runs are serial: each
// is a Node process, and a dozen at once on a small machine would make the time bounds meaningless.
import test, { type ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort, startFakeJobManager } from '../testkit/fake-jobmanager.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** A bound on one CLI run: Node start-up and tsx, plus a connection attempt. */
const CLI_TIMEOUT_MS = 20_000;

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

function weir(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/weir.js', ...args],
      { cwd: REPO, timeout: CLI_TIMEOUT_MS, killSignal: 'SIGKILL', env: { ...process.env, WEIR_LOG_LEVEL: '', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, elapsedMs: Date.now() - started });
      },
    );
  });
}

/** Exactly one non-empty line on stderr, matching `pattern`. */
function assertOneLine(t: ExecutionContext, stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((line) => line !== '');
  t.is(lines.length, 1, stderr);
  t.regex(lines[0] ?? '', pattern);
}

function confDir(t: ExecutionContext, yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-cli-conf-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'weir.yaml'), yaml);
  return dir;
}

test.serial('version and help exit 0', async (t) => {
  const version = await weir(['version']);
  t.is(version.code, 0);
  t.regex(version.stdout, /^weir \d+\.\d+\.\d+\n$/);
  const help = await weir(['help']);
  t.is(help.code, 0);
  for (const command of ['run <job-module>', 'list', 'info <jobId>', 'cancel <jobId>']) t.true(help.stdout.includes(command), command);
});

const usageErrors: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
  ['an unknown command', ['deploy'], /^weir: unknown command "deploy"/],
  ['an unknown flag', ['list', '--verbose'], /^weir list: unknown option "--verbose"$/],
  ['run without a module', ['run'], /^weir run: missing the job module/],
  ['run with a module that does not exist', ['run', 'no/such/job.ts'], /^weir run: no job module at .*no\/such\/job\.ts$/],
  ['a parallelism that is not a positive integer', ['run', 'package.json', '-p', 'zero'], /^weir run: -p expects an integer >= 1, got "zero"$/],
  ['job arguments before --', ['run', 'package.json', 'input.txt'], /^weir run: unexpected argument "input.txt"; pass job arguments after --$/],
  ['-m without a value', ['list', '-m'], /^weir list: Option '-m, --jobmanager <value>' argument missing$/],
  ['-m that is not host:port', ['cancel', 'job-1', '-m', 'localhost'], /^weir cancel: -m "localhost" is not a JobManager address/],
  ['info without a job id', ['info'], /^weir info: missing the job id/],
];

for (const [what, args, pattern] of usageErrors) {
  test.serial(`${what} is a usage error: exit 2 and one line on stderr`, async (t) => {
    const result = await weir(args);
    t.is(result.code, 2, result.stderr);
    assertOneLine(t, result.stderr, pattern);
  });
}

test.serial('a JobManager that is not there: exit 1 with one line naming the address, within a bounded time', async (t) => {
  const address = `127.0.0.1:${await closedPort()}`;
  for (const args of [['list', '-m', address], ['cancel', 'job-1', '-m', address], ['run', 'package.json', '-m', address]]) {
    const result = await weir(args);
    t.is(result.code, 1, result.stderr);
    assertOneLine(t, result.stderr, new RegExp(`^weir: cannot reach the JobManager at ${address.replace(/\./g, '\\.')}: connection refused`));
    t.true(result.elapsedMs < 10_000, `took ${result.elapsedMs} ms`);
  }
});

test.serial('list, info and cancel against a JobManager print its answers and exit 0', async (t) => {
  const address = await startFakeJobManager(t);
  const list = await weir(['list', '-m', address]);
  t.is(list.code, 0, list.stderr);
  t.regex(list.stdout, /^JOB ID\s+STATUS\s+PARALLELISM\s+STARTED\s+NAME\njob-1\s+RUNNING\s+2\s+1970-01-01T00:00:01\.000Z\s+word count\n$/);
  const info = await weir(['info', 'job-1', '-m', address]);
  t.is(info.code, 0, info.stderr);
  t.true(info.stdout.startsWith('Job "word count" (job-1)\n  status:      RUNNING\n'), info.stdout);
  t.true(info.stdout.endsWith('  vertices:\n  watermarks:  none (no subtask is running)\n'), info.stdout);
  const cancel = await weir(['cancel', 'job-1', '-m', address]);
  t.is(cancel.code, 0, cancel.stderr);
  t.is(cancel.stdout, 'Cancelled job job-1.\n');
});

test.serial('run submits the job module; a rejected job is exit 1 with the JobManager\'s reason', async (t) => {
  const address = await startFakeJobManager(t);
  const result = await weir(['run', 'examples/trivial-job.ts', '-p', '2', '-m', address, '--', 'out-dir']);
  t.is(result.code, 1, result.stderr);
  assertOneLine(t, result.stderr, /^weir: the JobManager at .+ rejected job "trivial job" \(.+\): the fake JobManager runs no jobs/);
});

test.serial('an unknown job id: exit 1 with the JobManager\'s reason', async (t) => {
  const address = await startFakeJobManager(t);
  const info = await weir(['info', 'job-9', '-m', address]);
  t.is(info.code, 1);
  assertOneLine(t, info.stderr, new RegExp(`^weir: the JobManager at ${address.replace(/\./g, '\\.')} knows no job job-9$`));
  const cancel = await weir(['cancel', 'job-9', '-m', address]);
  t.is(cancel.code, 1);
  assertOneLine(t, cancel.stderr, /^weir: cannot cancel job job-9: no such job$/);
});

test.serial('without -m the CLI dials jobmanager.rpc.address:port of weir.yaml in WEIR_CONF_DIR', async (t) => {
  const [host, port] = (await startFakeJobManager(t)).split(':');
  const dir = confDir(t, `jobmanager.rpc.address: ${host}\njobmanager.rpc.port: ${port}\n`);
  const list = await weir(['list'], { WEIR_CONF_DIR: dir });
  t.is(list.code, 0, list.stderr);
  t.true(list.stdout.includes('job-1'), list.stdout);
});

test.serial('a broken weir.yaml stops the CLI with one line naming the file, the line and the key', async (t) => {
  const dir = confDir(t, 'jobmanager.rpc.port: 6123\njobmanager.rpc.prot: 1\n');
  const result = await weir(['list'], { WEIR_CONF_DIR: dir });
  t.is(result.code, 1);
  assertOneLine(t, result.stderr, new RegExp(`^weir: ${join(dir, 'weir.yaml').replace(/\./g, '\\.')}:2: unknown key "jobmanager\\.rpc\\.prot"`));
});

/** A job module outside the repository (no tsconfig.json above it) with a type error on line 4. */
function jobWithTypeError(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-cli-job-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'job.ts');
  writeFileSync(
    file,
    [
      `import type { JobModule } from ${JSON.stringify(join(REPO, 'index.ts'))};`,
      'const job: JobModule = (env) => {',
      '  const counts = env.fromElements({ word: "a", count: 1 }).keyBy((r) => r.word);',
      "  counts.sum('word').print();",
      '};',
      'export default job;',
    ].join('\n') + '\n',
  );
  return file;
}

test.serial('run type-checks a TypeScript job first: a type error is exit 1 with tsc\'s diagnostic, and nothing is submitted', async (t) => {
  const address = `127.0.0.1:${await closedPort()}`;
  const job = jobWithTypeError(t);
  const result = await weir(['run', job, '-m', address]);
  t.is(result.code, 1, result.stderr);
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  t.is(lines[0], `weir: ${job} does not type-check (tsc):`);
  t.regex(lines[1] ?? '', /job\.ts\(4,\d+\): error TS2345: Argument of type '"word"' is not assignable to parameter of type 'never'/);
  t.is(lines.at(-1), '1 error; fix them, or run with --no-typecheck');
  // The JobManager was never dialled: no connection error.
  t.notRegex(result.stderr, /cannot reach/);
  // No project file of the check is left behind.
  t.deepEqual(
    readdirSync(dirname(job)).filter((name) => name.startsWith('.weir-typecheck')),
    [],
  );
});

test.serial('run --no-typecheck submits the module unchecked (here: to a JobManager that is not there)', async (t) => {
  const address = `127.0.0.1:${await closedPort()}`;
  const result = await weir(['run', jobWithTypeError(t), '--no-typecheck', '-m', address]);
  t.is(result.code, 1, result.stderr);
  assertOneLine(t, result.stderr, /^weir: cannot reach the JobManager at .+: connection refused/);
});
