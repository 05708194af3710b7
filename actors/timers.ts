// Timers owned by one actor. A tick is a message in the actor's mailbox; each key has a generation,
// so a tick of a timer cancelled or replaced after it was queued is dropped (as in Akka).
import { InternalMessage, SKIP } from './internal-message.ts';
import type { Cancellable, Scheduler } from './scheduler.ts';

interface ActiveTimer {
  readonly generation: number;
  readonly repeat: boolean;
  handle: Cancellable;
}

class TimerTick<M> extends InternalMessage {
  constructor(
    private readonly owner: TimerScheduler<M>,
    readonly key: unknown,
    readonly generation: number,
    readonly msg: M,
  ) {
    super();
  }

  get original(): unknown {
    return this.msg;
  }

  unwrap(): unknown {
    return this.owner.accept(this.key, this.generation) ? this.msg : SKIP;
  }
}

export class TimerScheduler<M> {
  private readonly timers = new Map<unknown, ActiveTimer>();
  private nextGeneration = 1;

  /** @param deliver puts a tick in the owning actor's mailbox. */
  constructor(
    private readonly scheduler: Scheduler,
    private readonly deliver: (tick: InternalMessage) => void,
  ) {}

  /** Sends `msg` to self once after `delayMs`; replaces a timer with the same key. */
  startSingleTimer(key: unknown, msg: M, delayMs: number): void {
    this.start(key, msg, delayMs, undefined);
  }

  /** Sends `msg` to self every `intervalMs` (first after `initialDelayMs`, default the interval). */
  startTimerAtFixedRate(key: unknown, msg: M, intervalMs: number, initialDelayMs = intervalMs): void {
    if (!(intervalMs > 0)) throw new RangeError(`timer interval must be > 0 ms, got ${intervalMs}`);
    this.start(key, msg, initialDelayMs, intervalMs);
  }

  isTimerActive(key: unknown): boolean {
    return this.timers.has(key);
  }

  cancel(key: unknown): void {
    const timer = this.timers.get(key);
    if (!timer) return;
    timer.handle.cancel();
    this.timers.delete(key);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) timer.handle.cancel();
    this.timers.clear();
  }

  /** Called when a tick is dequeued: true when its timer is still the current one for the key. */
  accept(key: unknown, generation: number): boolean {
    const timer = this.timers.get(key);
    if (!timer || timer.generation !== generation) return false;
    if (!timer.repeat) this.timers.delete(key);
    return true;
  }

  private start(key: unknown, msg: M, delayMs: number, intervalMs: number | undefined): void {
    this.cancel(key);
    const generation = this.nextGeneration++;
    const timer: ActiveTimer = { generation, repeat: intervalMs !== undefined, handle: { cancel() {} } };
    // Fixed rate: each firing is scheduled from the planned time of the previous one, not from now.
    let due = this.scheduler.now() + delayMs;
    const fire = (): void => {
      if (this.timers.get(key) !== timer) return;
      this.deliver(new TimerTick(this, key, generation, msg));
      if (intervalMs !== undefined) {
        due += intervalMs;
        timer.handle = this.scheduler.schedule(Math.max(0, due - this.scheduler.now()), fire);
      }
    };
    timer.handle = this.scheduler.schedule(delayMs, fire);
    this.timers.set(key, timer);
  }
}
