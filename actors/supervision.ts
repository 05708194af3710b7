// Supervision declared as data: supervise(behavior, restartWithBackoff({ minMs: 100, maxMs: 10_000 })).
// An actor without a strategy stops when it fails, as in Akka Typed.

export interface RestartLimit {
  /** Restarts allowed within `withinMs`; one more stops the actor. Default: unlimited. */
  readonly maxRestarts?: number;
  /** The window the restarts are counted in; default 60 s. */
  readonly withinMs?: number;
}

export type SupervisorStrategy =
  | { readonly kind: 'resume' }
  | { readonly kind: 'stop' }
  | { readonly kind: 'escalate' }
  | ({ readonly kind: 'restart' } & RestartLimit)
  | ({ readonly kind: 'backoff'; readonly minMs: number; readonly maxMs: number; readonly randomFactor: number } & RestartLimit);

/** Drop the message that failed, keep the behavior and its state. */
export function resume(): SupervisorStrategy {
  return { kind: 'resume' };
}

/** Stop the actor (the default). Watchers get Terminated with the error. */
export function stop(): SupervisorStrategy {
  return { kind: 'stop' };
}

/** Stop the actor and fail its parent with CHILD_FAILED, so the parent's strategy decides. */
export function escalate(): SupervisorStrategy {
  return { kind: 'escalate' };
}

/** Start again from the initial behavior at once; children are stopped and timers cancelled. */
export function restart(limit: RestartLimit = {}): SupervisorStrategy {
  return { kind: 'restart', ...limit };
}

export interface BackoffOptions extends RestartLimit {
  readonly minMs: number;
  readonly maxMs: number;
  /** Up to this fraction is added to each delay, so that many actors do not restart in step. */
  readonly randomFactor?: number;
}

/** Restart after minMs, 2*minMs, 4*minMs ... up to maxMs; messages wait in the mailbox meanwhile. */
export function restartWithBackoff(options: BackoffOptions): SupervisorStrategy {
  return { kind: 'backoff', randomFactor: 0, ...options };
}

/** Counts restarts within the strategy's window. */
export class RestartCounter {
  private times: number[] = [];

  /** Records a restart at `now`; false when it would exceed the limit. */
  allow(strategy: RestartLimit, now: number): boolean {
    const within = strategy.withinMs ?? 60_000;
    this.times = this.times.filter((t) => now - t < within);
    this.times.push(now);
    return strategy.maxRestarts === undefined || this.times.length <= strategy.maxRestarts;
  }

  /** Restarts counted in the current window, including the latest. */
  get recent(): number {
    return this.times.length;
  }
}

export function backoffDelay(strategy: { minMs: number; maxMs: number; randomFactor: number }, attempt: number): number {
  const base = Math.min(strategy.maxMs, strategy.minMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + Math.random() * strategy.randomFactor));
}
