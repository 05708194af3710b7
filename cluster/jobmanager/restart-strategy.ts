// Restart strategies as the JobManager runs them (Flink's RestartBackoffTimeStrategy): told of each
// failure, they say whether the job may restart and after how long. One instance per job, made from
// its RestartStrategySettings (cluster/config/fault-tolerance.ts decides which); the clock and the
// randomness of the jitter are injected, so that specs step them.
//
// Use: on a failure, notifyFailure(); then canRestart() ? restart after delayMs() : fail the job
// with exhausted() as the cause.
import type { RestartStrategySettings } from '../../messages/job-graph.ts';
import { formatDuration } from '../config/value-types.ts';

export interface RestartBackoff {
  /** For logs: the strategy and its settings, "fixed-delay (3 attempts, 1 s)". */
  readonly description: string;
  /**
   * Counts a failure at the clock's now. False when it joins a restart already pending, which it
   * does not count again (exponential-delay: failures before the scheduled restart are one).
   */
  notifyFailure(): boolean;
  /** Whether the failures so far allow one more restart. */
  canRestart(): boolean;
  /** How long from now until the restart of the last failure; 0 when it is due. */
  delayMs(): number;
  /** Why canRestart() is false, for the job's failure cause: "fixed-delay (3 attempts, 1 s): exhausted after 3 restarts". */
  exhausted(): string;
}

/** Time and chance, injected: `now` in ms (Date.now), `random` in [0, 1) (Math.random). */
export interface RestartClock {
  now(): number;
  random(): number;
}

export const SYSTEM_CLOCK: RestartClock = { now: () => Date.now(), random: () => Math.random() };

export function createRestartBackoff(settings: RestartStrategySettings, clock: RestartClock = SYSTEM_CLOCK): RestartBackoff {
  switch (settings.type) {
    case 'none':
      return new NoRestart();
    case 'fixed-delay':
      return new FixedDelayRestart(settings);
    case 'exponential-delay':
      return new ExponentialDelayRestart(settings, clock);
    case 'failure-rate':
      return new FailureRateRestart(settings, clock);
    default:
      return settings satisfies never;
  }
}

/** The strategy in one line: "exponential-delay (1 s to 1 min, x1.5, jitter 0.1, reset after 1 h)". */
export function describeRestartStrategy(settings: RestartStrategySettings): string {
  switch (settings.type) {
    case 'none':
      return 'none';
    case 'fixed-delay':
      return `fixed-delay (${plural(settings.attempts, 'attempt')}, ${formatDuration(settings.delayMs)})`;
    case 'exponential-delay': {
      const { initialBackoffMs, maxBackoffMs, backoffMultiplier, jitterFactor, resetBackoffThresholdMs, attempts } = settings;
      const limit = attempts === undefined ? '' : `, ${plural(attempts, 'attempt')} before reset`;
      return `exponential-delay (${formatDuration(initialBackoffMs)} to ${formatDuration(maxBackoffMs)}, x${backoffMultiplier}, jitter ${jitterFactor}, reset after ${formatDuration(resetBackoffThresholdMs)}${limit})`;
    }
    case 'failure-rate':
      return `failure-rate (at most ${plural(settings.maxFailuresPerInterval, 'failure')} per ${formatDuration(settings.failureRateIntervalMs)}, ${formatDuration(settings.delayMs)})`;
    default:
      return settings satisfies never;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A failed task fails the job. */
class NoRestart implements RestartBackoff {
  readonly description = 'none';

  notifyFailure(): boolean {
    return true;
  }

  canRestart(): boolean {
    return false;
  }

  delayMs(): number {
    return 0;
  }

  exhausted(): string {
    return 'none: the job is not restarted';
  }
}

/** Restarts `attempts` times, each `delayMs` after its failure; the next failure fails the job. */
class FixedDelayRestart implements RestartBackoff {
  readonly description: string;
  private failures = 0;

  constructor(private readonly settings: Extract<RestartStrategySettings, { type: 'fixed-delay' }>) {
    this.description = describeRestartStrategy(settings);
  }

  notifyFailure(): boolean {
    this.failures++;
    return true;
  }

  canRestart(): boolean {
    return this.failures <= this.settings.attempts;
  }

  delayMs(): number {
    return this.settings.delayMs;
  }

  exhausted(): string {
    return `${this.description}: exhausted after ${plural(this.settings.attempts, 'restart')}`;
  }
}

/**
 * Each restart waits `initialBackoffMs * backoffMultiplier^n` (n: restarts since the last reset),
 * moved by up to ±jitterFactor of itself and kept within [initialBackoffMs, maxBackoffMs]. A failure
 * `resetBackoffThresholdMs` or more after the last restart was due starts again from n = 0 (the job
 * ran that long without failing). Failures before the pending restart is due are that restart's.
 * With `attempts`, more than that many restarts since the last reset fail the job.
 */
class ExponentialDelayRestart implements RestartBackoff {
  readonly description: string;
  /** Restarts since the last reset, the pending one included. */
  private restarts = 0;
  /** When the pending restart is (or was) due; -Infinity before the first failure. */
  private restartDueAt = -Infinity;

  constructor(
    private readonly settings: Extract<RestartStrategySettings, { type: 'exponential-delay' }>,
    private readonly clock: RestartClock,
  ) {
    this.description = describeRestartStrategy(settings);
  }

  notifyFailure(): boolean {
    const now = this.clock.now();
    if (now <= this.restartDueAt) return false;
    if (now - this.restartDueAt >= this.settings.resetBackoffThresholdMs) this.restarts = 0;
    this.restartDueAt = now + this.backoff();
    this.restarts++;
    return true;
  }

  canRestart(): boolean {
    return this.restarts <= (this.settings.attempts ?? Infinity);
  }

  delayMs(): number {
    return Math.max(0, this.restartDueAt - this.clock.now());
  }

  exhausted(): string {
    const { attempts } = this.settings;
    return attempts === undefined ? `${this.description}: restarts are unlimited` : `${this.description}: exhausted after ${plural(attempts, 'restart')} since the backoff was last reset`;
  }

  /** The delay of the next restart: grown, jittered, bounded. */
  private backoff(): number {
    const { initialBackoffMs, maxBackoffMs, backoffMultiplier, jitterFactor } = this.settings;
    const grown = Math.floor(initialBackoffMs * backoffMultiplier ** this.restarts);
    // Uniform over the integers of [-spread, spread]: jobs failing together do not restart together.
    const spread = Math.floor(grown * jitterFactor);
    const jitter = spread === 0 ? 0 : Math.floor(this.clock.random() * (2 * spread + 1)) - spread;
    return Math.max(initialBackoffMs, Math.min(grown + jitter, maxBackoffMs));
  }
}

/**
 * Restarts `delayMs` after each failure unless more than `maxFailuresPerInterval` failures fell
 * within one `failureRateIntervalMs`: it keeps the times of the last max + 1 failures.
 */
class FailureRateRestart implements RestartBackoff {
  readonly description: string;
  /** Oldest first; at most maxFailuresPerInterval + 1. */
  private readonly failureTimes: number[] = [];

  constructor(
    private readonly settings: Extract<RestartStrategySettings, { type: 'failure-rate' }>,
    private readonly clock: RestartClock,
  ) {
    this.description = describeRestartStrategy(settings);
  }

  notifyFailure(): boolean {
    if (this.failureTimes.length > this.settings.maxFailuresPerInterval) this.failureTimes.shift();
    this.failureTimes.push(this.clock.now());
    return true;
  }

  canRestart(): boolean {
    if (this.failureTimes.length <= this.settings.maxFailuresPerInterval) return true;
    return this.clock.now() - this.failureTimes[0] > this.settings.failureRateIntervalMs;
  }

  delayMs(): number {
    return this.settings.delayMs;
  }

  exhausted(): string {
    return `${this.description}: ${plural(this.failureTimes.length, 'failure')} within ${formatDuration(this.settings.failureRateIntervalMs)}`;
  }
}
