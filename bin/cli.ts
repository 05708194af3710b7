// The weir CLI (launched by bin/weir.js). Exit codes: 0 success (run: the job FINISHED), 1 the
// request failed (JobManager unreachable, job FAILED or CANCELED, unknown job), 2 usage error.
// A failure prints one line on stderr: "weir: <reason>" ("weir run: <reason>" for a usage error);
// a job module that does not type-check prints tsc's diagnostics below it (exit 1, nothing submitted).
import { readFileSync } from 'node:fs';
import { WeirError } from '../messages/errors.ts';
import { UsageError, parseJobArgs, parseListArgs, parseRunArgs } from './cli/args.ts';
import { cancelCommand, infoCommand, listCommand } from './cli/jobs.ts';
import { runCommand } from './cli/run.ts';

const USAGE = `usage: weir <command> [options]

commands:
  run <job-module> [-p N] [-d] [-m host:port] [--no-typecheck] [-- job args]
              bundle, submit and follow a job until it ends (-d: submit only)
  list [-m host:port]             list the cluster's jobs
  info <jobId> [-m host:port]     show a job's status, vertices and watermarks
  cancel <jobId> [-m host:port]   cancel a job
  version     print the Weir version
  help        print this help

options:
  -p, --parallelism N       default parallelism of the job's operators
  -d, --detached            return once the job is submitted
  -m, --jobmanager host:port
                            the JobManager (default: jobmanager.rpc.address and
                            jobmanager.rpc.port of conf/weir.yaml, or WEIR_CONF_DIR)
`;

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A bound on the wait for the client's last sockets and timers after the command is done. */
const EXIT_GRACE_MS = 2_000;

const out = (line: string): void => {
  process.stdout.write(line + '\n');
};

// `weir list | head`: a reader that goes away ends the output, as for any Unix tool.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
});

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'version':
    case '--version': {
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      out(`weir ${pkg.version}`);
      return EXIT_OK;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return EXIT_OK;
    case 'run':
      await runCommand(parseRunArgs(rest), out, (line) => void process.stderr.write(`${line}\n`));
      return EXIT_OK;
    case 'list':
      await listCommand(parseListArgs(rest), out);
      return EXIT_OK;
    case 'info':
      await infoCommand(parseJobArgs('info', rest), out);
      return EXIT_OK;
    case 'cancel':
      await cancelCommand(parseJobArgs('cancel', rest), out);
      return EXIT_OK;
    default:
      throw new UsageError(`weir: unknown command "${command}"; run "weir help" for the commands`);
  }
}

/** One line: a usage error names its command itself ("weir run: ..."), anything else gets "weir: ". */
function reasonOf(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  if (error instanceof WeirError) return `weir: ${error.message}`;
  if (error instanceof Error) return `weir: ${error.name}: ${error.message}`;
  return `weir: ${String(error)}`;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // One line, except for tsc's diagnostics, which are the point of a failed type check.
  const reason = reasonOf(error);
  process.stderr.write(`${error instanceof WeirError && error.code === 'TYPE_CHECK_FAILED' ? reason : reason.split('\n')[0]}\n`);
  process.exitCode = error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
}
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
