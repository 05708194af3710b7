// Where print() sinks write by default: this process's standard output, one line per record. A
// failed write is reported by Node as an 'error' event that would crash the process: the reader of a
// pipe went away (`npx tsx job.ts | head`: EPIPE), or the disk of the TaskManager's .out file is
// full (ENOSPC). Here it only closes the output: later lines are dropped and counted (as a process
// killed by SIGPIPE would print nothing more), and the job runs on to its end.

let closed = false;
let listening = false;
/** Lines print() could not write since the output failed (EPIPE, ENOSPC, ...). */
export let droppedStdoutLines = 0;

/** Writes `line` and a newline to process.stdout, until the output has failed. */
export function writeStdoutLine(line: string): void {
  if (closed) {
    droppedStdoutLines++;
    return;
  }
  if (!listening) {
    listening = true;
    process.stdout.on('error', onStdoutError);
  }
  process.stdout.write(line + '\n');
}

function onStdoutError(): void {
  closed = true;
}
