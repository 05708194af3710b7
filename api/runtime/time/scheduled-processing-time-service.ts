// The task's processing-time service on a real clock (Flink's SystemProcessingTimeService): a timer
// is a scheduler task that, when due, hands the callback to the task as mail, so callbacks run on the
// task's turn between steps, never inside one and never on another stack.
//
// How the runtime uses it: the Task makes one per subtask with its scheduler (`realScheduler`, or a
// ManualScheduler in specs) and a mail executor that enqueues a message to itself and runs the given
// function when the message is handled; at the end of the task it calls shutdown(), after which no
// callback runs, even one already enqueued as mail.
//
// A callback never runs before its timestamp: a scheduler that fires early (setTimeout rounds) or a
// delay beyond setTimeout's limit is scheduled again for the rest. A timer at Infinity never fires.
import type { Cancellable, ProcessingTimeService } from './timer-service.ts';

/** The longest delay setTimeout takes (2^31 - 1 ms); a longer one would fire at once. */
export const MAX_SCHEDULE_DELAY_MS = 2_147_483_647;

/** What the service needs of a clock: the actors' Scheduler has this shape. */
export interface TimerScheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `task` once after `delayMs`. */
  schedule(delayMs: number, task: () => void): Cancellable;
}

/** Runs `task` on the task's turn, as mail between steps. */
export type MailExecutor = (task: () => void) => void;

class ScheduledTimer implements Cancellable {
  /** The scheduler task while waiting; undefined once handed to the mailbox or cancelled. */
  handle: Cancellable | undefined = undefined;
  /** Cancelled or run: never runs (again). */
  settled = false;

  constructor(
    private readonly service: ScheduledProcessingTimeService,
    readonly timestamp: number,
    readonly callback: (timestamp: number) => void,
  ) {}

  cancel(): void {
    if (this.settled) return;
    this.settled = true;
    this.handle?.cancel();
    this.handle = undefined;
    this.service.forget(this);
  }
}

export class ScheduledProcessingTimeService implements ProcessingTimeService {
  /** Timers registered and not yet run or cancelled, for shutdown(). */
  private readonly timers = new Set<ScheduledTimer>();
  private shutDown = false;

  constructor(
    private readonly scheduler: TimerScheduler,
    private readonly mailExecutor: MailExecutor,
  ) {}

  getCurrentProcessingTime(): number {
    return this.scheduler.now();
  }

  registerTimer(timestamp: number, callback: (timestamp: number) => void): Cancellable {
    const timer = new ScheduledTimer(this, timestamp, callback);
    if (this.shutDown || timestamp === Number.POSITIVE_INFINITY) return timer;
    this.timers.add(timer);
    this.schedule(timer);
    return timer;
  }

  /** Cancels every pending timer; none runs after this, and later registrations never run. */
  shutdown(): void {
    this.shutDown = true;
    for (const timer of [...this.timers]) timer.cancel();
  }

  /** Timers registered and not yet run or cancelled. */
  get pendingCount(): number {
    return this.timers.size;
  }

  /** @internal Called by a timer that is cancelled. */
  forget(timer: ScheduledTimer): void {
    this.timers.delete(timer);
  }

  private schedule(timer: ScheduledTimer): void {
    const delay = Math.min(Math.max(0, timer.timestamp - this.scheduler.now()), MAX_SCHEDULE_DELAY_MS);
    timer.handle = this.scheduler.schedule(delay, () => this.onDue(timer));
  }

  private onDue(timer: ScheduledTimer): void {
    if (timer.settled) return;
    if (this.scheduler.now() < timer.timestamp) {
      this.schedule(timer);
      return;
    }
    timer.handle = undefined;
    this.mailExecutor(() => {
      if (timer.settled || this.shutDown) return;
      this.timers.delete(timer);
      timer.settled = true;
      timer.callback(timer.timestamp);
    });
  }
}
