// The clock and timer source of an actor system. Injected so that specs can step time by hand
// (see spec/testkit/manual-scheduler.ts); the default is the real clock and setTimeout.

export interface Cancellable {
  cancel(): void;
}

export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `task` once after `delayMs`. */
  schedule(delayMs: number, task: () => void): Cancellable;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  schedule(delayMs, task) {
    const handle = setTimeout(task, delayMs);
    return { cancel: () => clearTimeout(handle) };
  },
};
