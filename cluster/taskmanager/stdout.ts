// Where print() sinks write by default: this process's standard output, one line per record. When
// the reader of a pipe goes away (`npx tsx job.ts | head`), Node reports EPIPE as an 'error' event
// that would crash the process; here it only closes the output: later lines are dropped (as a
// process killed by SIGPIPE would print nothing more) and the job runs on to its end.

let closed = false;
let listening = false;

/** Writes `line` and a newline to process.stdout, until its reader has gone. */
export function writeStdoutLine(line: string): void {
  if (closed) return;
  if (!listening) {
    listening = true;
    process.stdout.on('error', onStdoutError);
  }
  process.stdout.write(line + '\n');
}

function onStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') {
    closed = true;
    return;
  }
  // Anything else is not ours to hide: without this listener it would have been thrown.
  process.stdout.off('error', onStdoutError);
  listening = false;
  throw error;
}
