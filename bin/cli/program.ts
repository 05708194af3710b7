// The weir command line, Flink's verbs and flags declared with commander: per-command help
// (`weir run -h`, `weir help run`), did-you-mean for a mistyped command or option, `-m=host:port`.
// Parsing only: each command hands its typed arguments (args.ts) to its action.
import { Command, CommanderError, Option } from 'commander';
import { didYouMean } from '../../cluster/config/did-you-mean.ts';
import { type JobArgs, type ListArgs, type ParsedOptions, type RunArgs, type TraceArgs, isCheckpointPath, jobArgs, listArgs, runArgs, traceArgs, unknownOption } from './args.ts';
import { UsageError } from './errors.ts';
import type { InitArgs } from './init.ts';
import type { SavepointArgs } from './savepoints.ts';

export interface CommandActions {
  run(args: RunArgs): Promise<void>;
  list(args: ListArgs): Promise<void>;
  info(args: JobArgs): Promise<void>;
  /** weir info <checkpoint path>: the `_metadata` there, read locally. */
  checkpointInfo(path: string): Promise<void>;
  cancel(args: JobArgs): Promise<void>;
  savepoint(args: SavepointArgs): Promise<void>;
  stop(args: SavepointArgs): Promise<void>;
  dispose(path: string): Promise<void>;
  trace(args: TraceArgs): Promise<void>;
  init(args: InitArgs): void;
}

export interface Output {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const JOBMANAGER_HELP = 'the JobManager (default: jobmanager.rpc.address:jobmanager.rpc.port of conf/weir.yaml, or of WEIR_CONF_DIR)';

const ROOT_EPILOGUE = `
Every command takes -m, --jobmanager <host:port>; the default is jobmanager.rpc.address and
jobmanager.rpc.port of conf/weir.yaml (WEIR_CONF_DIR points elsewhere).
Exit codes, as Flink's: 0 success, 1 a failure or a usage error; 130 when Ctrl-C leaves an attached
"weir run" (its job keeps running).
"weir help <command>" or "weir <command> -h" prints a command's options.`;

const RUN_EPILOGUE = `
Arguments after the module go to the job, except run's own options; everything after "--" goes to
the job as it is:  weir run job.ts -p 2 --input in.txt   is   weir run job.ts -p 2 -- --input in.txt
The module's default export runs here, as Flink's main(): execute() submits the job, and the code
after it runs here once the job ended (with -d it does not run); executeAndCollect() and
toObservable() bring their records here.
Ctrl-C stops following the job and leaves it running, as Flink's client does; "weir cancel <jobId>"
stops it.`;

const TRACE_EPILOGUE = `
Each line: time, the system that saw it, sender -> recipient, message type, size on the wire, job.
A message between two systems shows twice, as sent [out] and as received [in]. A task's steps come
as one line a second per task ("Step x1234 in 87 ms"). The traced processes filter and drop under
load: how many they dropped goes to stderr. Ctrl-C ends it (exit 0).`;

/**
 * Parses `argv` (without node and the script) and runs its command's action. Resolves to undefined
 * once an action ran, or to the exit code after help or the version was printed (0; 1 for a bare
 * `weir`); rejects with a UsageError for a mistake, or with what the action threw.
 */
export async function dispatch(argv: readonly string[], actions: CommandActions, output: Output, version: string): Promise<number | undefined> {
  // `weir run`'s job arguments after `--` never reach commander, which keeps a `--` that follows an
  // unknown option among the arguments: the job could not tell it from one of its own.
  const separator = argv[0] === 'run' ? argv.indexOf('--') : -1;
  const own = separator < 0 ? argv : argv.slice(0, separator);
  const explicitJobArgs = separator < 0 ? [] : argv.slice(separator + 1);
  try {
    await buildProgram(actions, output, version, explicitJobArgs).parseAsync([...own], { from: 'user' });
    return undefined;
  } catch (error) {
    if (isHelpShown(error)) return error.exitCode;
    throw error;
  }
}

function buildProgram(actions: CommandActions, output: Output, version: string, explicitJobArgs: readonly string[]): Command {
  const versionLine = `weir ${version}\n`;
  const program = configure(new Command('weir'), output)
    .usage('<command> [options]')
    .description('Submit and manage the jobs of a standalone Weir cluster (Flink\'s "flink" command).')
    .helpCommand(false)
    .version(versionLine.trimEnd(), '-v, --version', 'print the Weir version')
    .addHelpText('after', ROOT_EPILOGUE);

  const run = command(program, output, 'run', 'bundle, submit and follow a job until it ends (Flink\'s "flink run")')
    .argument('<job-module>', 'a TypeScript or JavaScript module whose default export builds the job')
    .argument('[job-args...]', 'arguments for the job module')
    .addOption(valueOption('-p, --parallelism <parallelism>', "the job's default parallelism (default: parallelism.default of conf/weir.yaml)"))
    .option('-d, --detached', 'return once the job is submitted, printing its id')
    .addOption(valueOption('-m, --jobmanager <host:port>', JOBMANAGER_HELP))
    .addOption(valueOption('-s, --fromSavepoint <savepointPath>', 'start the job from a savepoint (or a retained checkpoint\'s directory)'))
    .option('-n, --allowNonRestoredState', 'with -s: skip savepoint state that no operator of the job takes')
    .option('--no-typecheck', 'submit a TypeScript module without type-checking it with tsc first')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', RUN_EPILOGUE);
  run.action((modulePath: string, implicitArgs: string[], options: ParsedOptions) =>
    actions.run(runArgs(modulePath, implicitArgs, explicitJobArgs, options, flagsOf(run))),
  );

  command(program, output, 'list', 'list the running and scheduled jobs (-a: every job)')
    .option('-r, --running', 'running and restarting jobs')
    .option('-s, --scheduled', 'jobs waiting to run (created, initializing)')
    .option('-a, --all', 'every job, ended ones too')
    .addOption(valueOption('-m, --jobmanager <host:port>', JOBMANAGER_HELP))
    .action((options: ParsedOptions) => actions.list(listArgs(options)));

  command(program, output, 'info', "show a job's status, vertices and watermarks, or a checkpoint's metadata")
    .argument('<jobId>', 'the job, as run or list print it; or a checkpoint or savepoint directory (a path, with a /)')
    .addOption(valueOption('-m, --jobmanager <host:port>', JOBMANAGER_HELP))
    .action((id: string, options: ParsedOptions) => (isCheckpointPath(id) ? actions.checkpointInfo(id) : actions.info(jobArgs('info', id, options))));

  command(program, output, 'cancel', 'cancel a job')
    .argument('<jobId>', 'the job, as run or list print it')
    .addOption(valueOption('-m, --jobmanager <host:port>', JOBMANAGER_HELP))
    .action((id: string, options: ParsedOptions) => actions.cancel(jobArgs('cancel', id, options)));

  command(program, output, 'stop', 'take a savepoint of a job, then stop it; prints the savepoint\'s path on its last line')
    .argument('<jobId>', 'the job, as run or list print it')
    .addOption(valueOption('-p, --savepointPath [savepointPath]', 'where the savepoint goes (default: state.savepoints.dir)'))
    .option('-d, --drain', 'advance event time to its end before the savepoint: every event-time timer fires, open windows emit (for a job that ends for good)')
    .addOption(valueOption('-m, --jobmanager <host:port>', JOBMANAGER_HELP))
    .action((id: string, options: ParsedOptions) => {
      const args = jobArgs('stop', id, options);
      const target = typeof options.savepointPath === 'string' ? { targetDirectory: options.savepointPath } : {};
      return actions.stop({ ...args, ...target, ...(options.drain === true ? { drain: true } : {}) });
    });

  command(program, output, 'savepoint', 'take a savepoint of a running job; prints its path on the last line')
    .argument('[jobId]', 'the job, as run or list print it')
    .argument('[targetDirectory]', 'where the savepoint goes (default: state.savepoints.dir)')
    .addOption(valueOption('-d, --dispose <savepointPath>', 'delete a savepoint instead'))
    .addOption(valueOption('-m, --jobmanager <host:port>', JOBMANAGER_HELP))
    .action((id: string | undefined, target: string | undefined, options: ParsedOptions) => {
      if (typeof options.dispose === 'string') return actions.dispose(options.dispose);
      const args = jobArgs('savepoint', id, options);
      return actions.savepoint({ ...args, ...(target === undefined ? {} : { targetDirectory: target }) });
    });

  command(program, output, 'trace', "print the cluster's actor messages as they happen, until Ctrl-C")
    .addOption(valueOption('--job <jobId>', 'only messages about this job'))
    .addOption(valueOption('--actor <glob>', 'only messages to or from actors whose path matches (* within a segment, ** across)'))
    .addOption(valueOption('--type <glob>', 'only message types that match, e.g. "Submit*" or "SubmitJob,RegisterTaskManager"'))
    .option('--json', 'one JSON object per line (for jq)')
    .addOption(valueOption('-m, --jobmanager <host:port>', JOBMANAGER_HELP))
    .addHelpText('after', TRACE_EPILOGUE)
    .action((options: ParsedOptions) => actions.trace(traceArgs(options)));
  command(program, output, 'init', 'create a project for jobs of your own: a sample job, its spec, npm start and npm test')
    .argument('<directory>', 'where the project goes: a new or an empty directory')
    .action((directory: string) => actions.init({ directory }));

  command(program, output, 'version', 'print the Weir version').action(() => output.writeOut(versionLine));

  command(program, output, 'help', 'print the help of a command')
    .argument('[command]', 'the command')
    .action((name: string | undefined) => {
      if (name === undefined) return program.help();
      const target = program.commands.find((candidate) => candidate.name() === name);
      if (!target) throw unknownCommand(name, program);
      target.help();
    });
  return program;
}

/** Whether a CommanderError only says that help or the version was printed (exit 0, or 1 for a bare `weir`). */
function isHelpShown(error: unknown): error is CommanderError {
  return error instanceof CommanderError && (error.code === 'commander.help' || error.code === 'commander.helpDisplayed' || error.code === 'commander.version');
}

function command(program: Command, output: Output, name: string, description: string): Command {
  return configure(program.command(name), output).description(description);
}

/** Help and errors through `output`; errors as UsageErrors that name the command, never process.exit. */
function configure(target: Command, output: Output): Command {
  return target
    .helpOption('-h, --help', 'print this help')
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr, outputError: () => undefined })
    .exitOverride((error) => {
      throw isHelpShown(error) ? error : usageErrorOf(error, target);
    });
}

/** An option whose value may be written `-m=host:port` too (commander reads that as "=host:port"). */
function valueOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser((value: string) => (value.startsWith('=') ? value.slice(1) : value));
}

function flagsOf(target: Command): string[] {
  return target.options.flatMap((option) => [option.long, option.short]).filter((flag): flag is string => flag !== undefined);
}

const ARGUMENT_NAMES: Readonly<Record<string, string>> = { 'job-module': 'job module', jobId: 'job id' };

/** commander's errors, in Weir's words: one line, the command named, a did-you-mean where one helps. */
function usageErrorOf(error: CommanderError, target: Command): UsageError {
  const name = target.parent ? target.name() : '';
  const prefix = name === '' ? 'weir' : `weir ${name}`;
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'commander.unknownCommand':
      return unknownCommand(quoted, target);
    case 'commander.unknownOption':
      return unknownOption(prefix, quoted, flagsOf(target));
    case 'commander.missingArgument':
      return new UsageError(`${prefix}: missing the ${ARGUMENT_NAMES[quoted] ?? quoted}; usage: weir ${name} ${target.usage()}`);
    case 'commander.optionMissingArgument':
      return new UsageError(`${prefix}: option ${quoted.replace(/ <.*>$/, '')} needs a value (${/<([^>]*)>/.exec(quoted)?.[1] ?? 'a value'})`);
    case 'commander.excessArguments':
      return new UsageError(`${prefix}: unexpected argument "${target.args[target.registeredArguments.length] ?? ''}"`);
    default:
      return new UsageError(`${prefix}: ${error.message.replace(/^error: /, '').split('\n')[0]}`);
  }
}

function unknownCommand(name: string, program: Command): UsageError {
  const root = program.parent ?? program;
  return new UsageError(`weir: unknown command "${name}"${didYouMean(name, root.commands.map((known) => known.name()))}; "weir help" lists the commands`);
}
