// The TaskManager process's last resort (Flink's TaskCancelerWatchDog): a task that is not gone
// task.cancellation.timeout after its cancellation began kills the process, and so does an event
// loop blocked that long (user code in an infinite loop: nothing in the process can cancel it, not
// even see the CancelTask). A worker thread keeps the deadlines, so it acts while the main thread
// is stuck; it writes one log line, leaves a marker file for the start script's supervisor (which
// then starts the TaskManager again), and sends SIGKILL to its own process.
//
// A stopped process (SIGSTOP) is not stuck: the worker sees its own ticks stop too, and moves every
// deadline by the time it was stopped.
import { Worker } from 'node:worker_threads';
import type { ExecutionAttemptId } from '../../messages/ids.ts';

/** What the TaskManager tells the watchdog. */
export interface CancellationWatchdog {
  /** A task's cancellation began: unless disarmed within the timeout, the process is killed. */
  arm(executionAttemptId: ExecutionAttemptId, what: string): void;
  /** The task is gone. */
  disarm(executionAttemptId: ExecutionAttemptId): void;
}

export interface ProcessWatchdogOptions {
  /** task.cancellation.timeout */
  readonly timeoutMs: number;
  /** Written before the kill: the supervisor restarts the process only when it exists. */
  readonly markerFile?: string;
  /** Names the process in the log line. */
  readonly name: string;
}

/** How often the main thread tells the worker it is alive, and the worker checks its deadlines. */
export const WATCHDOG_TICK_MS = 250;
/** A gap in the worker's own ticks longer than this means the whole process was stopped, not stuck. */
export const SUSPENDED_GAP_MS = 2_000;

type WatchdogCommand = { readonly arm: string; readonly what: string } | { readonly disarm: string } | { readonly beat: true };

// Plain JavaScript, run by the worker: it must not depend on the main thread for anything.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
const { timeoutMs, markerFile, name, tickMs, suspendedGapMs } = workerData;
const armed = new Map();
let lastBeat = Date.now();
let lastTick = Date.now();
parentPort.on('message', (command) => {
  if (command.beat) lastBeat = Date.now();
  else if (command.arm !== undefined) { if (!armed.has(command.arm)) armed.set(command.arm, { deadline: Date.now() + timeoutMs, what: command.what }); }
  else if (command.disarm !== undefined) armed.delete(command.disarm);
});
function kill(reason) {
  const line = JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: name + ': ' + reason + '; killing the process (task.cancellation.timeout ' + timeoutMs + ' ms)', code: 'TASK_CANCELLATION_TIMEOUT' });
  try { writeFileSync(2, line + '\\n'); } catch {}
  if (markerFile) { try { writeFileSync(markerFile, line + '\\n'); } catch {} }
  process.kill(process.pid, 'SIGKILL');
}
setInterval(() => {
  const now = Date.now();
  const gap = now - lastTick;
  lastTick = now;
  if (gap > suspendedGapMs) {
    lastBeat += gap;
    for (const entry of armed.values()) entry.deadline += gap;
  }
  if (now - lastBeat > timeoutMs) return kill('its event loop has been blocked for ' + (now - lastBeat) + ' ms, so no task of it can be cancelled');
  for (const entry of armed.values()) if (now > entry.deadline) return kill(entry.what + ' was not gone ' + timeoutMs + ' ms after its cancellation began');
}, tickMs);
`;

/** Starts the worker; it does not keep the process alive. */
export function startProcessWatchdog(options: ProcessWatchdogOptions): CancellationWatchdog & { close(): Promise<void> } {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { ...options, tickMs: WATCHDOG_TICK_MS, suspendedGapMs: SUSPENDED_GAP_MS },
  });
  worker.unref();
  const send = (command: WatchdogCommand): void => worker.postMessage(command);
  const beat = setInterval(() => send({ beat: true }), WATCHDOG_TICK_MS);
  beat.unref();
  return {
    arm: (executionAttemptId, what) => send({ arm: executionAttemptId, what }),
    disarm: (executionAttemptId) => send({ disarm: executionAttemptId }),
    close: async () => {
      clearInterval(beat);
      await worker.terminate();
    },
  };
}
