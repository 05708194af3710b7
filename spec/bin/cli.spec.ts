// The weir CLI, run as a user runs it (bin/weir): exit codes as Flink's — 0 on success, 1 with one
// line naming the mistake or the reason otherwise, 130 when Ctrl-C leaves an attached run — and a
// JobManager that cannot be reached is reported within a bounded time. The command-line grammar
// itself (every flag, help text and usage error) is spec/bin/cli/program.spec.ts, in process. The
// runs are serial: each is a Node process, and a dozen at once on a small machine would make the
// time bounds meaningless.
import test, { type ExecutionContext } from 'ava';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobOverview } from '../../messages/dispatcher.ts';
import { jobId } from '../../messages/ids.ts';
import { closedPort, startAcceptingJobManager, startFakeJobManager } from '../testkit/fake-jobmanager.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** A bound on one CLI run: Node start-up and tsx, plus a connection attempt. */
const CLI_TIMEOUT_MS = 20_000;

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

function weir(args: readonly string[], env: NodeJS.ProcessEnv = {}, entry = 'bin/weir'): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [entry, ...args],
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

test.serial('version and help exit 0; a bare weir prints the usage on stderr and exits 1', async (t) => {
  const version = await weir(['version']);
  t.is(version.code, 0);
  t.regex(version.stdout, /^weir \d+\.\d+\.\d+\n$/);
  const help = await weir(['help', 'run']);
  t.is(help.code, 0, help.stderr);
  t.true(help.stdout.startsWith('Usage: weir run [options] <job-module> [job-args...]\n'), help.stdout);
  const bare = await weir([]);
  t.is(bare.code, 1);
  t.is(bare.stdout, '');
  t.true(bare.stderr.startsWith('Usage: weir <command> [options]\n'), bare.stderr);
});

test.serial('bin/weir.js, the first name of the command, runs the same CLI', async (t) => {
  const [viaWeir, viaWeirJs] = [await weir(['--version']), await weir(['--version'], {}, 'bin/weir.js')];
  t.is(viaWeirJs.code, 0, viaWeirJs.stderr);
  t.is(viaWeirJs.stdout, viaWeir.stdout);
});

const usageErrors: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
  ['an unknown command', ['deploy'], /^weir: unknown command "deploy"; "weir help" lists the commands$/],
  ['a mistyped command', ['lst'], /^weir: unknown command "lst" \(did you mean "list"\?\); "weir help" lists the commands$/],
  ['a mistyped flag', ['list', '--runing'], /^weir list: unknown option "--runing" \(did you mean --running\?\)$/],
  ['run with a module that does not exist', ['run', 'no/such/job.ts'], /^weir run: no job module at .*no\/such\/job\.ts$/],
  ['a mistyped run flag after the module', ['run', 'examples/trivial-job.ts', '--paralelism', '2'], /^weir run: unknown option "--paralelism" \(did you mean --parallelism\?\); a job argument that looks like it goes after --$/],
  ['-m without a value', ['list', '-m'], /^weir list: option -m, --jobmanager needs a value \(host:port\)$/],
  ['-m that is not host:port', ['cancel', 'job-1', '-m=localhost'], /^weir cancel: -m "localhost" is not a JobManager address/],
  ['info without a job id', ['info'], /^weir info: missing the job id; usage: weir info \[options\] <jobId>$/],
];

for (const [what, args, pattern] of usageErrors) {
  test.serial(`${what} is a usage error: exit 1, as Flink's, and one line on stderr`, async (t) => {
    const result = await weir(args);
    t.is(result.code, 1, result.stderr);
    t.is(result.stdout, '');
    assertOneLine(t, result.stderr, pattern);
  });
}

test.serial('savepoint and stop of a job the JobManager does not know exit 1 naming it; --dispose refuses what is no savepoint', async (t) => {
  const { address } = await startAcceptingJobManager(t, 'finish');
  for (const args of [
    ['stop', 'job-1', '-m', address],
    ['savepoint', 'job-1', '-m', address],
  ]) {
    const result = await weir(args);
    t.is(result.code, 1, result.stderr);
    t.regex(result.stderr, new RegExp(`knows no job job-1\\n$`));
  }
  const result = await weir(['savepoint', '--dispose', '/nowhere/sp-1']);
  t.is(result.code, 1, result.stderr);
  t.is(result.stderr, 'weir savepoint --dispose: cannot restore from /nowhere/sp-1: it has no _metadata file (not a completed checkpoint or savepoint)\n');
});

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
  t.regex(list.stdout, /^JOB ID\s+STATUS\s+PARALLELISM\s+STARTED\s+NAME\njob-1\s+RUNNING\s+2\s+1970-01-01T00:00:01\.000Z\s+word count\nSlots: 2 free of 4 on 2 TaskManagers\n$/);
  const info = await weir(['info', 'job-1', '-m', address]);
  t.is(info.code, 0, info.stderr);
  t.true(info.stdout.startsWith('Job "word count" (job-1)\n  status:      RUNNING\n'), info.stdout);
  t.true(info.stdout.endsWith('  vertices:\n  metrics:     none (no subtask has run yet)\n  watermarks:  none (no subtask is running)\n'), info.stdout);
  const cancel = await weir(['cancel', 'job-1', '-m', address]);
  t.is(cancel.code, 0, cancel.stderr);
  t.is(cancel.stdout, 'Cancelled job job-1.\n');
});

test.serial('run submits the job module; a rejected job is exit 1 with the JobManager\'s reason', async (t) => {
  const address = await startFakeJobManager(t);
  const result = await weir(['run', 'examples/trivial-job.ts', '-p', '2', '-m', address, '--', 'out-dir']);
  t.is(result.code, 1, result.stderr);
  assertOneLine(t, result.stderr, /^weir: the JobManager at .+ rejected job "trivial job" \(.+\): the fake JobManager runs no jobs \(got "trivial job", 1 vertices, -p 2\)$/);
});

test.serial('run follows the job to its end (exit 0); arguments after the module that are not run\'s go to the job', async (t) => {
  const { address, log } = await startAcceptingJobManager(t, 'finish');
  const result = await weir(['run', 'examples/trivial-job.ts', '--records', '10', '-m', address, 'out dir', '--', '-p', '3']);
  t.is(result.code, 0, result.stderr);
  const [submitted] = log.submitted;
  t.deepEqual(submitted?.args, ['--records', '10', 'out dir', '-p', '3']);
  const lines = result.stdout.trim().split('\n');
  t.is(lines[0], `Job has been submitted with JobID ${submitted?.jobId}`);
  t.regex(lines[1] ?? '', new RegExp(`^\\d{4}-.+Z job "submitted job" \\(${submitted?.jobId}\\) is RUNNING$`));
  t.is(lines.at(-1), `Job ${submitted?.jobId} finished.`);
  t.is(result.stderr, '');
});

test.serial('without -p, run submits with parallelism.default of weir.yaml; -p wins over it', async (t) => {
  const { address, log } = await startAcceptingJobManager(t, 'finish');
  const dir = confDir(t, 'parallelism.default: 3\n');
  t.is((await weir(['run', 'examples/trivial-job.ts', '-m', address], { WEIR_CONF_DIR: dir })).code, 0);
  t.is((await weir(['run', 'examples/trivial-job.ts', '-m', address, '-p', '2'], { WEIR_CONF_DIR: dir })).code, 0);
  t.deepEqual(log.submitted.map((submitted) => submitted.planParallelism), [3, 2]);
  t.deepEqual(log.submitted.map((submitted) => submitted.jobGraph.vertices[0]?.parallelism), [3, 2]);
});

test.serial('run -d prints the job id and exits 0 while the job runs', async (t) => {
  const { address, log } = await startAcceptingJobManager(t, 'run');
  const result = await weir(['run', 'examples/trivial-job.ts', '-d', '-m', address]);
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, `Job has been submitted with JobID ${log.submitted[0]?.jobId}\n`);
  t.deepEqual(log.cancelled, []);
});

test.serial('Ctrl-C on an attached run leaves the job running and names the weir cancel that stops it; exit 130', async (t) => {
  const { address, log } = await startAcceptingJobManager(t, 'run');
  const child = spawn(process.execPath, ['bin/weir', 'run', 'examples/trivial-job.ts', '-m', address], { cwd: REPO, env: { ...process.env, WEIR_LOG_LEVEL: '' } });
  t.teardown(() => void child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + CLI_TIMEOUT_MS;
  while (!/is RUNNING\n/.test(stdout)) {
    if (Date.now() > deadline) throw new Error(`no RUNNING line within ${CLI_TIMEOUT_MS} ms: ${stdout} ${stderr}`);
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before the job ran: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGINT');
  const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), CLI_TIMEOUT_MS))]);
  t.is(code, 130, stderr);
  const id = log.submitted[0]?.jobId;
  t.is(stderr, `weir run: stopped following job ${id}; it keeps running. Cancel it with: weir cancel ${id} -m ${address}\n`);
  t.deepEqual(log.cancelled, [], 'the CLI never cancels the job');
});

test.serial('a mistyped run flag after the module submits nothing and leaves no folder named after it', async (t) => {
  const { address, log } = await startAcceptingJobManager(t, 'finish');
  const cwd = mkdtempSync(join(tmpdir(), 'weir-cli-cwd-'));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  const result = await new Promise<CliResult>((resolve) =>
    execFile(process.execPath, [join(REPO, 'bin/weir'), 'run', join(REPO, 'examples/trivial-job.ts'), '--paralelism', '2', '-m', address], { cwd, timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr, elapsedMs: 0 }),
    ),
  );
  t.is(result.code, 1, result.stderr);
  t.deepEqual(log.submitted, []);
  t.deepEqual(readdirSync(cwd), []);
  t.false(existsSync(join(REPO, '--paralelism')));
});

test.serial('list shows running and scheduled jobs as Flink\'s does; -a every job, -s the scheduled ones', async (t) => {
  const job = (id: string, status: JobOverview['status'], startTime: number): JobOverview => ({ jobId: jobId(id), name: `job ${id}`, status, startTime, endTime: null, parallelism: 1 });
  const address = await startFakeJobManager(t, { listed: [job('a', 'FINISHED', 1_000), job('b', 'RUNNING', 2_000), job('c', 'CREATED', 3_000)] });
  const list = async (...flags: string[]) => (await weir(['list', '-m', address, ...flags])).stdout;
  t.is(
    await list(),
    [
      'JOB ID  STATUS   PARALLELISM  STARTED                   NAME',
      'c       CREATED  1            1970-01-01T00:00:03.000Z  job c',
      'b       RUNNING  1            1970-01-01T00:00:02.000Z  job b',
      'Slots: 2 free of 4 on 2 TaskManagers',
      '',
    ].join('\n'),
  );
  t.is(
    await list('-a'),
    [
      'JOB ID  STATUS    PARALLELISM  STARTED                   NAME',
      'c       CREATED   1            1970-01-01T00:00:03.000Z  job c',
      'b       RUNNING   1            1970-01-01T00:00:02.000Z  job b',
      'a       FINISHED  1            1970-01-01T00:00:01.000Z  job a',
      'Slots: 2 free of 4 on 2 TaskManagers',
      '',
    ].join('\n'),
  );
  t.is(await list('-s'), ['JOB ID  STATUS   PARALLELISM  STARTED                   NAME', 'c       CREATED  1            1970-01-01T00:00:03.000Z  job c', 'Slots: 2 free of 4 on 2 TaskManagers', ''].join('\n'));
  const empty = await startFakeJobManager(t, { listed: [job('a', 'FINISHED', 1_000)] });
  t.is((await weir(['list', '-m', empty])).stdout, 'No running or scheduled jobs.\nSlots: 2 free of 4 on 2 TaskManagers\n');
  t.is((await weir(['list', '-r', '-m', empty])).stdout, 'No running jobs.\nSlots: 2 free of 4 on 2 TaskManagers\n');
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

test.serial('a broken weir.yaml stops the CLI with one line naming the file, the line and the key, and what was meant', async (t) => {
  const dir = confDir(t, 'jobmanager.rpc.port: 6123\njobmanager.rpc.prot: 1\n');
  const result = await weir(['list'], { WEIR_CONF_DIR: dir });
  t.is(result.code, 1);
  t.is(result.stderr, `weir: ${join(dir, 'weir.yaml')}:2: unknown key "jobmanager.rpc.prot" (did you mean "jobmanager.rpc.port"?)\n`);
});

test.serial("the nested form of Flink 2's config.yaml works as well", async (t) => {
  const [host, port] = (await startFakeJobManager(t)).split(':');
  const dir = confDir(t, `jobmanager:\n  rpc:\n    address: ${host}\n    port: ${port}\n`);
  const list = await weir(['list'], { WEIR_CONF_DIR: dir });
  t.is(list.code, 0, list.stderr);
  t.true(list.stdout.includes('job-1'), list.stdout);
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

test.serial('a job module that throws while it declares fails run with its error and the module\'s file:line below it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-cli-job-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const job = join(dir, 'job.ts');
  writeFileSync(
    job,
    [
      `import { type JobModule, WeirError } from ${JSON.stringify(join(REPO, 'index.ts'))};`,
      'const job: JobModule = (env, args) => {',
      "  if (args.length === 0) throw new WeirError('INVALID_ARGUMENT', 'give me an output directory');",
      '  env.fromSequence(1, 10).writeAsText(args[0]!);',
      '};',
      'export default job;',
    ].join('\n') + '\n',
  );
  const result = await weir(['run', job, '--no-typecheck', '-m', await startFakeJobManager(t)]);
  t.is(result.code, 1, result.stderr);
  t.is(result.stderr, `weir: WeirError: give me an output directory\n    at job (${job}:3:32)\n`);
});

test.serial('run --no-typecheck submits the module unchecked (here: to a JobManager that is not there)', async (t) => {
  const address = `127.0.0.1:${await closedPort()}`;
  const result = await weir(['run', jobWithTypeError(t), '--no-typecheck', '-m', address]);
  t.is(result.code, 1, result.stderr);
  assertOneLine(t, result.stderr, /^weir: cannot reach the JobManager at .+: connection refused/);
});
