// A Scheduler whose clock moves only when a spec calls `advance`, as RxJS's TestScheduler: timers,
// ask timeouts and restart backoff become steps a spec takes, not waits it sits through.
//
// Invariants: tasks run in due-time order, ties in the order they were scheduled; a task scheduled
// by a running task runs in the same `advance` when it falls due within it; now() during a task is
// that task's due time.
import type { Cancellable, Scheduler } from '../../actors/index.ts';

/** Tasks one `advance` may run before it gives up: a task rescheduling itself at 0 ms would spin. */
export const MAX_TASKS_PER_ADVANCE = 100_000;

interface Task {
  readonly due: number;
  readonly seq: number;
  readonly run: () => void;
}

export class ManualScheduler implements Scheduler {
  /** Pending tasks sorted by (due, seq); touched by schedule, cancel and advance. */
  private readonly tasks: Task[] = [];
  private clock: number;
  private nextSeq = 0;
  private advancing = false;

  constructor(startAt = 0) {
    this.clock = startAt;
  }

  now(): number {
    return this.clock;
  }

  schedule(delayMs: number, task: () => void): Cancellable {
    const entry: Task = { due: this.clock + Math.max(0, delayMs), seq: this.nextSeq++, run: task };
    let index = this.tasks.length;
    while (index > 0 && this.tasks[index - 1].due > entry.due) index--;
    this.tasks.splice(index, 0, entry);
    return {
      cancel: () => {
        const at = this.tasks.indexOf(entry);
        if (at >= 0) this.tasks.splice(at, 1);
      },
    };
  }

  /** Tasks scheduled and neither run nor cancelled. */
  get pendingCount(): number {
    return this.tasks.length;
  }

  /** When the next task falls due, or undefined when none is pending. */
  get nextDueAt(): number | undefined {
    return this.tasks[0]?.due;
  }

  /** Moves the clock `ms` forward, running every task that falls due on the way; returns how many ran. */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`advance takes a duration >= 0 ms, got ${ms}`);
    if (this.advancing) throw new Error('ManualScheduler.advance called from inside a scheduled task');
    const target = this.clock + ms;
    let ran = 0;
    this.advancing = true;
    try {
      while (this.tasks.length > 0 && this.tasks[0].due <= target) {
        if (ran >= MAX_TASKS_PER_ADVANCE) {
          throw new Error(`advance(${ms}) ran ${MAX_TASKS_PER_ADVANCE} tasks without reaching ${target} ms; does a task reschedule itself at 0 ms?`);
        }
        const task = this.tasks.shift() as Task;
        this.clock = task.due;
        ran++;
        task.run();
      }
      this.clock = target;
    } finally {
      this.advancing = false;
    }
    return ran;
  }
}
