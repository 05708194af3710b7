// The weir command line as commander parses it (bin/cli/program.ts), in this process: what each
// command's action gets, what help prints, and every usage error in one line that names the command,
// the offending argument and, for a typo, what was meant.
import test from 'ava';
import type { JobArgs, ListArgs, RunArgs, TraceArgs } from '../../../bin/cli/args.ts';
import { CommandError, UsageError } from '../../../bin/cli/errors.ts';
import type { InitArgs } from '../../../bin/cli/init.ts';
import { type CommandActions, dispatch } from '../../../bin/cli/program.ts';

interface Dispatched {
  readonly exitCode: number | undefined;
  readonly calls: ReadonlyArray<readonly [string, RunArgs | ListArgs | JobArgs | TraceArgs | InitArgs]>;
  readonly stdout: string;
  readonly stderr: string;
}

async function parse(argv: readonly string[]): Promise<Dispatched> {
  const calls: [string, RunArgs | ListArgs | JobArgs | TraceArgs | InitArgs][] = [];
  let stdout = '';
  let stderr = '';
  const actions: CommandActions = {
    run: async (args) => void calls.push(['run', args]),
    list: async (args) => void calls.push(['list', args]),
    info: async (args) => void calls.push(['info', args]),
    cancel: async (args) => void calls.push(['cancel', args]),
    savepoint: async (args) => void calls.push(['savepoint', args]),
    stop: async (args) => void calls.push(['stop', args]),
    dispose: async (path) => void calls.push(['dispose', { jobId: path } as JobArgs]),
    checkpointInfo: async (path) => void calls.push(['checkpointInfo', { jobId: path } as JobArgs]),
    trace: async (args) => void calls.push(['trace', args]),
    init: (args) => void calls.push(['init', args]),
  };
  const exitCode = await dispatch(argv, actions, { writeOut: (text) => void (stdout += text), writeErr: (text) => void (stderr += text) }, '9.8.7');
  return { exitCode, calls, stdout, stderr };
}

async function runArgsOf(argv: readonly string[]): Promise<RunArgs> {
  const { calls } = await parse(['run', ...argv]);
  const [[name, args]] = calls;
  if (name !== 'run') throw new Error(`expected run, got ${name}`);
  return args as RunArgs;
}

async function usageError(t: import('ava').ExecutionContext, argv: readonly string[]): Promise<string> {
  const error = await t.throwsAsync(parse(argv), { instanceOf: UsageError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  return error?.message ?? '';
}

test('run takes its options before or after the module, and hands every other argument to the job', async (t) => {
  const args = await runArgsOf(['-d', 'job.ts', '--input', 'in.txt', '-p', '4', 'out-dir', '--top=3']);
  t.deepEqual(args, { modulePath: 'job.ts', detached: true, typecheck: true, allowNonRestoredState: false, parallelism: 4, jobArgs: ['--input', 'in.txt', 'out-dir', '--top=3'] });
});

test('after -- everything goes to the job, run\'s own options and a second -- included', async (t) => {
  const args = await runArgsOf(['job.ts', '--unknown', '-p', '2', '--', '-p', '3', '--paralelism', '--', '-d']);
  t.is(args.parallelism, 2);
  t.false(args.detached);
  t.deepEqual(args.jobArgs, ['--unknown', '-p', '3', '--paralelism', '--', '-d']);
  t.deepEqual((await runArgsOf(['job.ts', '--', '--help'])).jobArgs, ['--help']);
});

test('-m takes host:port as "-m host:port", "-m=host:port", "-mhost:port" and "--jobmanager=host:port"', async (t) => {
  for (const argv of [['-m', 'jm.example.com:7123'], ['-m=jm.example.com:7123'], ['-mjm.example.com:7123'], ['--jobmanager=jm.example.com:7123'], ['--jobmanager', 'jm.example.com:7123']]) {
    t.deepEqual((await runArgsOf(['job.ts', ...argv])).jobManager, { host: 'jm.example.com', port: 7123 }, argv.join(' '));
    const { calls } = await parse(['list', ...argv]);
    t.deepEqual((calls[0][1] as ListArgs).jobManager, { host: 'jm.example.com', port: 7123 });
  }
  t.is((await runArgsOf(['job.ts', '-p=3'])).parallelism, 3);
});

test('run reads -s, -n and --no-typecheck; without -p the parallelism is left to parallelism.default', async (t) => {
  const args = await runArgsOf(['job.ts', '-s', '/savepoints/sp-1', '-n', '--no-typecheck']);
  t.is(args.fromSavepoint, '/savepoints/sp-1');
  t.true(args.allowNonRestoredState);
  t.false(args.typecheck);
  t.is(args.parallelism, undefined);
  t.is((await runArgsOf(['job.ts', '--fromSavepoint=/sp'])).fromSavepoint, '/sp');
});

test('list shows running and scheduled jobs by default, as Flink\'s; -r, -s and -a pick', async (t) => {
  const groups = async (...flags: string[]) => [...((await parse(['list', ...flags])).calls[0][1] as ListArgs).show].sort();
  t.deepEqual(await groups(), ['running', 'scheduled']);
  t.deepEqual(await groups('-r'), ['running']);
  t.deepEqual(await groups('--scheduled'), ['scheduled']);
  t.deepEqual(await groups('-r', '-s'), ['running', 'scheduled']);
  t.deepEqual(await groups('-a'), ['running', 'scheduled', 'terminated']);
});

test('info and cancel take one job id', async (t) => {
  t.deepEqual((await parse(['info', 'job-1', '-m', '127.0.0.1:6123'])).calls, [['info', { jobId: 'job-1', jobManager: { host: '127.0.0.1', port: 6123 } }]]);
  t.deepEqual((await parse(['cancel', ' job-2 '])).calls, [['cancel', { jobId: 'job-2' }]]);
});

test('info with a path (it has a /) shows that checkpoint`s or savepoint`s metadata instead of a job', async (t) => {
  t.deepEqual((await parse(['info', '/var/weir/checkpoints/job-1/chk-3'])).calls, [['checkpointInfo', { jobId: '/var/weir/checkpoints/job-1/chk-3' }]]);
  t.deepEqual((await parse(['info', './chk-3/_metadata'])).calls, [['checkpointInfo', { jobId: './chk-3/_metadata' }]]);
  t.deepEqual((await parse(['info', 'chk-3'])).calls, [['info', { jobId: 'chk-3' }]], 'without a / it is a job id');
});

test('help: "weir -h", "weir --help" and "weir help" print every command; exit 0', async (t) => {
  const outputs = new Set<string>();
  for (const argv of [['-h'], ['--help'], ['help']]) {
    const { exitCode, stdout, stderr, calls } = await parse(argv);
    t.is(exitCode, 0);
    t.is(stderr, '');
    t.deepEqual(calls, []);
    outputs.add(stdout);
  }
  t.is(outputs.size, 1);
  const [help] = outputs;
  t.true(help.startsWith('Usage: weir <command> [options]\n'), help);
  for (const line of ['run [options] <job-module> [job-args...]', 'list [options]', 'info [options] <jobId>', 'cancel [options] <jobId>', 'stop [options] <jobId>', 'savepoint [options] [jobId] [targetDirectory]', 'init <directory>', 'version', 'help [command]']) {
    t.true(help.includes(`\n  ${line} `), line);
  }
  t.true(help.includes('Exit codes, as Flink\'s: 0 success, 1 a failure or a usage error; 130 when Ctrl-C'), help);
});

test('a bare "weir" prints the usage on stderr and exits 1', async (t) => {
  const { exitCode, stdout, stderr } = await parse([]);
  t.is(exitCode, 1);
  t.is(stdout, '');
  t.true(stderr.startsWith('Usage: weir <command> [options]\n'), stderr);
});

test('every command has its own help: "weir <command> -h", "--help" and "weir help <command>" print the same', async (t) => {
  for (const name of ['run', 'list', 'info', 'cancel', 'stop', 'savepoint', 'init', 'version', 'help']) {
    const texts = new Set<string>();
    for (const argv of [[name, '-h'], [name, '--help'], ['help', name]]) {
      const { exitCode, stdout, calls } = await parse(argv);
      t.is(exitCode, 0, argv.join(' '));
      t.deepEqual(calls, []);
      texts.add(stdout);
    }
    t.is(texts.size, 1, name);
    t.true([...texts][0].startsWith(`Usage: weir ${name} `), [...texts][0]);
  }
  const run = (await parse(['help', 'run'])).stdout;
  for (const flag of ['-p, --parallelism <parallelism>', '-d, --detached', '-m, --jobmanager <host:port>', '-s, --fromSavepoint <savepointPath>', '-n, --allowNonRestoredState', '--no-typecheck']) {
    t.true(run.includes(`  ${flag} `), flag);
  }
  t.true(run.includes('everything after "--" goes to\nthe job as it is'), run);
  t.is((await parse(['run', 'job.ts', '-h'])).stdout, run, "-h after the module is run's own");
});

test('-v, --version and "weir version" print the version; exit 0', async (t) => {
  for (const argv of [['-v'], ['--version'], ['version']]) {
    const { exitCode, stdout } = await parse(argv);
    t.true(exitCode === 0 || exitCode === undefined, `${argv[0]}: printed by commander (0) or by the version command (undefined: its action ran)`);
    t.is(stdout, 'weir 9.8.7\n');
  }
});

const usageErrors: ReadonlyArray<readonly [string, readonly string[], string]> = [
  ['an unknown command', ['deploy'], 'weir: unknown command "deploy"; "weir help" lists the commands'],
  ['a mistyped command', ['lsit'], 'weir: unknown command "lsit" (did you mean "list"?); "weir help" lists the commands'],
  ['help for a mistyped command', ['help', 'cancle'], 'weir: unknown command "cancle" (did you mean "cancel"?); "weir help" lists the commands'],
  ['an unknown option of weir', ['--verbose'], 'weir: unknown option "--verbose"'],
  ['an unknown option of a command', ['list', '--verbose'], 'weir list: unknown option "--verbose"'],
  ['a mistyped option', ['list', '--runing'], 'weir list: unknown option "--runing" (did you mean --running?)'],
  ['a mistyped option of run before the module', ['run', '--paralelism', '2', 'job.ts'], 'weir run: unknown option "--paralelism" (did you mean --parallelism?)'],
  ['a mistyped option of run after the module', ['run', 'job.ts', '--paralelism', '2'], 'weir run: unknown option "--paralelism" (did you mean --parallelism?); a job argument that looks like it goes after --'],
  ['an abbreviated option of run after the module', ['run', 'job.ts', '--detach'], 'weir run: unknown option "--detach" (did you mean --detached?); a job argument that looks like it goes after --'],
  ['a mistyped option written with =', ['run', 'job.ts', '--jobmanger=127.0.0.1:6123'], 'weir run: unknown option "--jobmanger" (did you mean --jobmanager?); a job argument that looks like it goes after --'],
  ['run without a module', ['run'], 'weir run: missing the job module; usage: weir run [options] <job-module> [job-args...]'],
  ['run with only options', ['run', '-d', '-p', '2'], 'weir run: missing the job module; usage: weir run [options] <job-module> [job-args...]'],
  ['a parallelism that is not a positive integer', ['run', 'job.ts', '-p', 'zero'], 'weir run: -p expects an integer >= 1, got "zero"'],
  ['a parallelism of 0', ['run', 'job.ts', '-p', '0'], 'weir run: -p expects an integer >= 1, got "0"'],
  ['-p without a value', ['run', 'job.ts', '-p'], 'weir run: option -p, --parallelism needs a value (parallelism)'],
  ['-m without a value', ['list', '-m'], 'weir list: option -m, --jobmanager needs a value (host:port)'],
  ['-m that is not host:port', ['cancel', 'job-1', '-m', 'localhost'], 'weir cancel: -m "localhost" is not a JobManager address like 127.0.0.1:6123 (host:port, port 1..65535)'],
  ['-m= that is not host:port', ['info', 'job-1', '-m=localhost:http'], 'weir info: -m "localhost:http" is not a JobManager address like 127.0.0.1:6123 (host:port, port 1..65535)'],
  ['info without a job id', ['info'], 'weir info: missing the job id; usage: weir info [options] <jobId>'],
  ['cancel without a job id', ['cancel', '-m', '127.0.0.1:6123'], 'weir cancel: missing the job id; usage: weir cancel [options] <jobId>'],
  ['stop without a job id', ['stop'], 'weir stop: missing the job id; usage: weir stop [options] <jobId>'],
  ['savepoint without a job id', ['savepoint'], 'weir savepoint: missing the job id; usage: weir savepoint [options] <jobId>'],
  ['list with an argument', ['list', 'job-1'], 'weir list: unexpected argument "job-1"'],
  ['init without a directory', ['init'], 'weir init: missing the directory; usage: weir init [options] <directory>'],
  ['cancel with two job ids', ['cancel', 'job-1', 'job-2'], 'weir cancel: unexpected argument "job-2"'],
];

for (const [what, argv, message] of usageErrors) {
  test(`${what} is a usage error naming it: weir ${argv.join(' ')}`, async (t) => {
    t.is(await usageError(t, argv), message);
  });
}

test('init hands its directory to its action', async (t) => {
  t.deepEqual((await parse(['init', 'my-jobs'])).calls, [['init', { directory: 'my-jobs' }]]);
});

test('stop, savepoint and savepoint --dispose hand their job, target directory or path to their action', async (t) => {
  t.deepEqual((await parse(['stop', 'job-1'])).calls, [['stop', { jobId: 'job-1' }]]);
  t.deepEqual((await parse(['stop', 'job-1', '-p', '/savepoints'])).calls, [['stop', { jobId: 'job-1', targetDirectory: '/savepoints' }]]);
  t.deepEqual((await parse(['savepoint', 'job-1', '/savepoints'])).calls, [['savepoint', { jobId: 'job-1', targetDirectory: '/savepoints' }]]);
  t.deepEqual((await parse(['savepoint', 'job-1'])).calls, [['savepoint', { jobId: 'job-1' }]]);
  t.deepEqual((await parse(['savepoint', '-d', '/savepoints/sp-1'])).calls, [['dispose', { jobId: '/savepoints/sp-1' }]]);
  t.is((await runArgsOf(['job.ts', '-s', '/sp'])).fromSavepoint, '/sp');
});

test('stop --drain and -d hand drain to the stop action', async (t) => {
  t.deepEqual((await parse(['stop', 'job-1', '--drain'])).calls, [['stop', { jobId: 'job-1', drain: true }]]);
  t.deepEqual((await parse(['stop', '-d', '-p', '/savepoints', 'job-1'])).calls, [['stop', { jobId: 'job-1', targetDirectory: '/savepoints', drain: true }]]);
});

test('trace takes --job, --actor, --type, --json and -m', async (t) => {
  const { calls } = await parse(['trace', '--job', 'j1', '--actor', '/user/*', '--type', 'Submit*', '--json', '-m', 'localhost:7000']);
  t.deepEqual(calls, [['trace', { json: true, job: 'j1', actor: '/user/*', type: 'Submit*', jobManager: { host: 'localhost', port: 7000 } }]]);
  const { calls: plain } = await parse(['trace']);
  t.deepEqual(plain, [['trace', { json: false }]]);
});

test('trace refuses a glob over 256 characters, naming the flag', async (t) => {
  t.is(await usageError(t, ['trace', '--type', 'x'.repeat(300)]), 'weir trace: --type has 300 characters, over 256');
});
