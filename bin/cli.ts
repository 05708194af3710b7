// The weir CLI (launched by bin/weir): Flink's bin/flink for a Weir cluster. Exit codes as Flink's:
// 0 success (help, version; run: the job FINISHED, or was submitted with -d), 1 anything else (a
// usage error, an unreachable JobManager, a FAILED or CANCELED job, an unknown job), and 130 when
// Ctrl-C leaves an attached run (the job keeps running); Ctrl-C or SIGTERM end weir trace with 0. A failure prints one line on stderr,
// naming the command ("weir run: ...") or "weir: <reason>", then the frames of the user's code it
// came from (the job module's file:line); a job module that does not type-check prints tsc's
// diagnostics below it (nothing submitted).
import { readFileSync } from 'node:fs';
import { WeirError } from '../messages/errors.ts';
import { toErrorInfo } from '../messages/job-status.ts';
import { userFrames } from '../messages/user-frames.ts';
import type { JobArgs, ListArgs, RunArgs, TraceArgs } from './cli/args.ts';
import { checkpointInfoCommand } from './cli/checkpoint-info.ts';
import { CommandError } from './cli/errors.ts';
import { type InitArgs, initCommand } from './cli/init.ts';
import { cancelCommand, infoCommand, listCommand } from './cli/jobs.ts';
import { type SavepointArgs, disposeCommand, savepointCommand, stopCommand } from './cli/savepoints.ts';
import { dispatch } from './cli/program.ts';
import { runCommand } from './cli/run.ts';
import { traceCommand } from './cli/trace.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
/** 128 + SIGINT, what a shell reports for a program Ctrl-C ended. */
export const EXIT_INTERRUPTED = 130;

/** A bound on the wait for the client's last sockets and timers after the command is done. */
const EXIT_GRACE_MS = 2_000;

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const warn = (line: string): void => void process.stderr.write(`${line}\n`);

// `weir list | head`: a reader that goes away ends the output, as for any Unix tool.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
});

const onInterrupt = (listener: () => void): (() => void) => {
  process.once('SIGINT', listener);
  return () => void process.off('SIGINT', listener);
};

/** weir trace ends on Ctrl-C and on SIGTERM alike, cleanly (exit 0). */
const onStop = (listener: () => void): (() => void) => {
  const once = (): void => {
    remove();
    listener();
  };
  const remove = (): void => {
    process.off('SIGINT', once);
    process.off('SIGTERM', once);
  };
  process.on('SIGINT', once);
  process.on('SIGTERM', once);
  return remove;
};

async function main(argv: readonly string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const actions = {
    run: async (args: RunArgs) => {
      if ((await runCommand(args, { out, warn, onInterrupt })) === 'left-running') exitCode = EXIT_INTERRUPTED;
    },
    list: (args: ListArgs) => listCommand(args, out),
    info: (args: JobArgs) => infoCommand(args, out),
    checkpointInfo: (path: string) => checkpointInfoCommand(path, out),
    cancel: (args: JobArgs) => cancelCommand(args, out),
    savepoint: (args: SavepointArgs) => savepointCommand(args, out),
    stop: (args: SavepointArgs) => stopCommand(args, out),
    dispose: (path: string) => disposeCommand(path, out),
    trace: (args: TraceArgs) => traceCommand(args, { out, warn, onStop, backlog: () => process.stdout.writableLength }),
    init: (args: InitArgs) => initCommand(args, out),
  };
  const output = { writeOut: (text: string) => void process.stdout.write(text), writeErr: (text: string) => void process.stderr.write(text) };
  return (await dispatch(argv, actions, output, packageVersion())) ?? exitCode;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** One line: a CLI error names its command itself ("weir run: ..."), anything else gets "weir: ". */
function reasonOf(error: unknown): string {
  if (error instanceof CommandError) return error.message;
  if (error instanceof WeirError) return `weir: ${error.message}`;
  if (error instanceof Error) return `weir: ${error.name}: ${error.message}`;
  return `weir: ${String(error)}`;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // One line, except for tsc's diagnostics, which are the point of a failed type check.
  const reason = reasonOf(error);
  warn(error instanceof WeirError && error.code === 'TYPE_CHECK_FAILED' ? reason : reason.split('\n')[0]!);
  for (const frame of userFrames(toErrorInfo(error).stack)) warn(`    ${frame}`);
  process.exitCode = EXIT_FAILED;
}
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
