// Runs actors. Each scheduled actor drains at most `throughput` messages per turn, then goes to the
// back of the ready queue (fairness); an actor whose messages take long (a Task's steps) also ends
// its turn once the drain's deadline passed (Akka's throughput-deadline-time), and the drain then
// yields, so that timers and I/O are not held up by one busy actor. Hand-offs run in microtasks (~270 ns, BASELINES.md); after
// `yieldAfterMs` of continuous work the dispatcher continues in setImmediate so I/O progresses.

import { Queue } from './queue.ts';

/** Messages one actor handles before the next ready actor gets a turn. */
export const DEFAULT_THROUGHPUT = 100;
/** Continuous work before the dispatcher yields to the event loop. */
export const DEFAULT_YIELD_AFTER_MS = 5;

const RESOLVED = Promise.resolve();

export interface Runnable {
  /** Handles up to `throughput` messages; true when more are waiting. */
  run(throughput: number): boolean;
}

export class Dispatcher {
  /** The actor whose handler is running now (the sender of whatever it tells). */
  current: { readonly path: string } | undefined;
  /** When the running drain should yield (performance.now() ms): actors end their turn past it. */
  deadline = Number.POSITIVE_INFINITY;
  /** Set by an actor that ended its turn at the deadline: the drain yields at once. */
  overdue = false;
  private readonly ready = new Queue<Runnable>();
  private scheduled = false;
  /** When the current run of microtask hand-offs began: the last time the event loop had a turn. */
  private epochStartedAt = 0;
  private epochMarkerPending = false;

  constructor(
    readonly throughput = DEFAULT_THROUGHPUT,
    readonly yieldAfterMs = DEFAULT_YIELD_AFTER_MS,
  ) {}

  /** Queues `actor` for a turn; the caller makes sure an actor is queued at most once. */
  schedule(actor: Runnable): void {
    this.ready.push(actor);
    if (!this.scheduled) {
      this.scheduled = true;
      if (!this.epochMarkerPending) {
        this.epochMarkerPending = true;
        this.epochStartedAt = performance.now();
        setImmediate(this.markEpoch);
      } else if (performance.now() - this.epochStartedAt > this.yieldAfterMs) {
        // Actors kept waking each other through promises for a whole slice (an ask loop, say):
        // a microtask would starve I/O and timers, so this drain waits for the event loop.
        setImmediate(this.drain);
        return;
      }
      // A then on a settled promise, not queueMicrotask: Node's queueMicrotask allocates an
      // AsyncResource and a bound function per call (~90 ns vs ~30 ns a hop).
      RESOLVED.then(this.drain);
    }
  }

  private readonly markEpoch = (): void => {
    this.epochMarkerPending = false;
  };

  private readonly drain = (): void => {
    const deadline = performance.now() + this.yieldAfterMs;
    this.deadline = deadline;
    this.overdue = false;
    const ready = this.ready;
    let turns = 0;
    for (let actor = ready.shift(); actor !== undefined; actor = ready.shift()) {
      const more = actor.run(this.throughput);
      this.current = undefined;
      if (more) ready.push(actor);
      // Reading the clock every 8th turn keeps its cost off one-message turns (ping-pong).
      if (this.overdue || ((++turns & 7) === 0 && performance.now() > deadline)) break;
    }
    if (ready.length > 0) setImmediate(this.drain);
    else this.scheduled = false;
  };
}
