// A processing-time service whose clock moves only when told (Flink's TestProcessingTimeService), for
// specs and for the operator test harness: `advance(to)` runs every callback due by `to`.
//
// Invariants: callbacks run in timestamp order, ties in registration order; a callback registered
// by a running one runs in the same advance when it falls due by `to`; while a callback runs the
// clock reads its timestamp (or the current time, for a timestamp already past), so periodic work
// sees every tick it would see on a real clock.
import type { Cancellable, ProcessingTimeService } from './timer-service.ts';

/** Callbacks one advance may run: a callback registering itself at the current time would spin. */
export const MAX_CALLBACKS_PER_ADVANCE = 100_000;

interface PendingCallback {
  readonly timestamp: number;
  readonly run: (timestamp: number) => void;
}

export class ManualProcessingTimeService implements ProcessingTimeService {
  /** Pending callbacks sorted by (timestamp, registration). */
  private readonly pending: PendingCallback[] = [];
  private now: number;
  private advancing = false;
  private shutDown = false;

  constructor(startAt = 0) {
    this.now = startAt;
  }

  getCurrentProcessingTime(): number {
    return this.now;
  }

  registerTimer(timestamp: number, callback: (timestamp: number) => void): Cancellable {
    if (this.shutDown) return { cancel: () => {} };
    const entry: PendingCallback = { timestamp, run: callback };
    let index = this.pending.length;
    while (index > 0 && this.pending[index - 1].timestamp > timestamp) index--;
    this.pending.splice(index, 0, entry);
    return {
      cancel: () => {
        const at = this.pending.indexOf(entry);
        if (at >= 0) this.pending.splice(at, 1);
      },
    };
  }

  /** Callbacks registered and neither run nor cancelled. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** The timestamp of the next callback, or undefined when none is pending. */
  get nextTimerAt(): number | undefined {
    return this.pending[0]?.timestamp;
  }

  /** Moves the clock to `to` (not back), running every callback due on the way; returns how many ran. */
  advance(to: number): number {
    if (!(to >= this.now)) throw new RangeError(`advance(${to}): the clock is at ${this.now} and does not go back`);
    if (this.advancing) throw new Error('ManualProcessingTimeService.advance called from inside a timer callback');
    let ran = 0;
    this.advancing = true;
    try {
      while (this.pending.length > 0 && this.pending[0].timestamp <= to) {
        if (ran >= MAX_CALLBACKS_PER_ADVANCE) throw new Error(`advance(${to}) ran ${MAX_CALLBACKS_PER_ADVANCE} callbacks; does one register itself at the current time?`);
        const callback = this.pending.shift() as PendingCallback;
        if (callback.timestamp > this.now) this.now = callback.timestamp;
        ran++;
        callback.run(callback.timestamp);
      }
      this.now = to;
    } finally {
      this.advancing = false;
    }
    return ran;
  }

  /** Drops every pending callback; later registrations never run (Flink's quiesce). */
  shutdown(): void {
    this.shutDown = true;
    this.pending.length = 0;
  }
}
