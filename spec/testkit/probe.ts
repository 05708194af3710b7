// TestProbe: an actor that records what it receives, so a spec can await the next message with a
// bounded wait that fails loudly, and watch other actors for their Terminated signal.
//
// The waits use real timers (setTimeout), never the system's scheduler: a spec on a ManualScheduler
// still gets a timeout when the message it waits for never comes.
import { messageType } from '../../messages/errors.ts';
import { type ActorRef, type ActorSystem, Behaviors, type Terminated } from '../../actors/index.ts';

/** How long expectMessage and expectTerminated wait by default. */
export const DEFAULT_EXPECT_TIMEOUT_MS = 2_000;

/** Sent to the probe's own actor so that it calls ctx.watch in its own turn. */
class WatchCommand {
  constructor(readonly target: ActorRef<never>) {}
}

interface Waiter<T> {
  readonly resolve: (value: T) => void;
}

/** Items that arrive, and the specs that wait for them, in arrival order. */
class Inbox<T> {
  readonly items: T[] = [];
  private readonly waiters: Waiter<T>[] = [];

  deliver(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(item);
    else this.items.push(item);
  }

  next(timeoutMs: number, describeTimeout: () => string): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(describeTimeout()));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

let probeCounter = 0;

export class TestProbe<M> {
  readonly ref: ActorRef<M>;
  /** Every message received, in order, including those already taken by expectMessage. */
  readonly received: M[] = [];
  private readonly messages = new Inbox<M>();
  private readonly terminations = new Inbox<Terminated>();

  constructor(system: ActorSystem, name = `probe-${(probeCounter++).toString(36)}`) {
    const behavior = Behaviors.receive<M | WatchCommand>(
      (ctx, msg) => {
        if (msg instanceof WatchCommand) ctx.watch(msg.target);
        else this.record(msg);
        return Behaviors.same;
      },
      (_ctx, signal) => {
        if (signal.signal === 'Terminated') this.terminations.deliver(signal);
        return Behaviors.same;
      },
    );
    this.ref = system.spawn(behavior, name).narrow<M>();
  }

  get path(): string {
    return this.ref.path;
  }

  get receivedCount(): number {
    return this.received.length;
  }

  /** The next message not yet taken; rejects after `timeoutMs` (real time) naming the probe. */
  expectMessage(timeoutMs = DEFAULT_EXPECT_TIMEOUT_MS): Promise<M> {
    return this.messages.next(timeoutMs, () => `${this.path} got no message within ${timeoutMs} ms (received ${this.receivedCount} in all)`);
  }

  /** The next `count` messages, each waited for with `timeoutMs`. */
  async expectMessages(count: number, timeoutMs = DEFAULT_EXPECT_TIMEOUT_MS): Promise<M[]> {
    const out: M[] = [];
    for (let i = 0; i < count; i++) out.push(await this.expectMessage(timeoutMs));
    return out;
  }

  /** Waits `ms` (real time) and rejects when a message not yet taken is there. */
  async expectNoMessage(ms: number): Promise<void> {
    await new Promise<void>((resolve) => setTimeout(resolve, ms));
    if (this.messages.items.length > 0) {
      throw new Error(`${this.path} expected no message for ${ms} ms but got ${describe(this.messages.items[0])}`);
    }
  }

  /** Watches `target` from the probe's actor; its Terminated signal comes to expectTerminated. */
  watch(target: ActorRef<never>): void {
    (this.ref as unknown as ActorRef<WatchCommand>).tell(new WatchCommand(target));
  }

  /** The next Terminated signal of a watched actor; rejects after `timeoutMs` (real time). */
  expectTerminated(timeoutMs = DEFAULT_EXPECT_TIMEOUT_MS): Promise<Terminated> {
    return this.terminations.next(timeoutMs, () => `${this.path} saw no watched actor terminate within ${timeoutMs} ms`);
  }

  private record(msg: M): void {
    this.received.push(msg);
    this.messages.deliver(msg);
  }
}

function describe(msg: unknown): string {
  try {
    return JSON.stringify(msg) ?? messageType(msg);
  } catch {
    return messageType(msg);
  }
}
