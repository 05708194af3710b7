// Restart strategies as the JobManager runs them, stepped with a manual clock and a fixed random
// value: which failures may restart the job, after how long, and what the job's failure cause says
// when they may not.
import test from 'ava';
import { type RestartClock, createRestartBackoff, describeRestartStrategy } from '../../../cluster/jobmanager/restart-strategy.ts';
import type { RestartStrategySettings } from '../../../messages/job-graph.ts';

/** A clock that moves only when told, and a random source that always returns `randomValue` (0.5: the middle of a jitter's range). */
class ManualClock implements RestartClock {
  time = 1_000_000;
  constructor(public randomValue = 0.5) {}
  now(): number {
    return this.time;
  }
  random(): number {
    return this.randomValue;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

const exponential = (overrides: Partial<Extract<RestartStrategySettings, { type: 'exponential-delay' }>> = {}): RestartStrategySettings => ({
  type: 'exponential-delay',
  initialBackoffMs: 1_000,
  maxBackoffMs: 10_000,
  backoffMultiplier: 2,
  resetBackoffThresholdMs: 60_000,
  jitterFactor: 0,
  ...overrides,
});

test('none never restarts, and says so', (t) => {
  const backoff = createRestartBackoff({ type: 'none' }, new ManualClock());
  t.true(backoff.notifyFailure());
  t.false(backoff.canRestart());
  t.is(backoff.description, 'none');
  t.is(backoff.exhausted(), 'none: the job is not restarted');
});

test('fixed delay restarts `attempts` times after the same delay, and the next failure exhausts it', (t) => {
  const backoff = createRestartBackoff({ type: 'fixed-delay', attempts: 3, delayMs: 1_000 }, new ManualClock());
  const answers: Array<[boolean, number]> = [];
  for (let failure = 1; failure <= 4; failure++) {
    backoff.notifyFailure();
    answers.push([backoff.canRestart(), backoff.delayMs()]);
  }
  t.deepEqual(answers, [
    [true, 1_000],
    [true, 1_000],
    [true, 1_000],
    [false, 1_000],
  ]);
  t.is(backoff.exhausted(), 'fixed-delay (3 attempts, 1 s): exhausted after 3 restarts');
});

test('fixed delay with 0 attempts fails the job at the first failure', (t) => {
  const backoff = createRestartBackoff({ type: 'fixed-delay', attempts: 0, delayMs: 0 }, new ManualClock());
  backoff.notifyFailure();
  t.false(backoff.canRestart());
  t.is(backoff.exhausted(), 'fixed-delay (0 attempts, 0 ms): exhausted after 0 restarts');
});

test('exponential delay multiplies the backoff with each restart up to the maximum', (t) => {
  const clock = new ManualClock();
  const backoff = createRestartBackoff(exponential(), clock);
  const delays: number[] = [];
  for (let failure = 0; failure < 6; failure++) {
    t.true(backoff.notifyFailure());
    t.true(backoff.canRestart());
    delays.push(backoff.delayMs());
    // The restart happens when due, and the job fails again at once.
    clock.advance(backoff.delayMs() + 1);
  }
  t.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
});

test('exponential delay counts down the pending restart’s delay as the clock moves', (t) => {
  const clock = new ManualClock();
  const backoff = createRestartBackoff(exponential(), clock);
  backoff.notifyFailure();
  clock.advance(400);
  t.is(backoff.delayMs(), 600);
  clock.advance(1_000);
  t.is(backoff.delayMs(), 0);
});

test('exponential delay takes failures before the pending restart as that restart’s, without growing the backoff', (t) => {
  const clock = new ManualClock();
  const backoff = createRestartBackoff(exponential(), clock);
  t.true(backoff.notifyFailure());
  clock.advance(500);
  t.false(backoff.notifyFailure(), 'a second task failing before the restart is the same failover');
  t.is(backoff.delayMs(), 500);
  clock.advance(501);
  t.true(backoff.notifyFailure());
  t.is(backoff.delayMs(), 2_000);
});

test('exponential delay starts again from the initial backoff once the job ran the reset threshold without failing', (t) => {
  const clock = new ManualClock();
  const backoff = createRestartBackoff(exponential({ resetBackoffThresholdMs: 60_000 }), clock);
  backoff.notifyFailure();
  clock.advance(1_001);
  backoff.notifyFailure();
  t.is(backoff.delayMs(), 2_000);
  clock.advance(2_000 + 59_999);
  backoff.notifyFailure();
  t.is(backoff.delayMs(), 4_000, 'just under the threshold after the restart: it keeps growing');
  clock.advance(4_000 + 60_000);
  backoff.notifyFailure();
  t.is(backoff.delayMs(), 1_000, 'the threshold after the restart: back to the initial backoff');
});

test('exponential delay moves each backoff by up to ±jitter of itself, within the bounds', (t) => {
  const delayWith = (random: number, settings: RestartStrategySettings): number => {
    const backoff = createRestartBackoff(settings, new ManualClock(random));
    backoff.notifyFailure();
    return backoff.delayMs();
  };
  const jittered = exponential({ initialBackoffMs: 1_000, maxBackoffMs: 10_000, jitterFactor: 0.1 });
  // 1000 ± 100: 201 integers; random 0 is the lowest, just under 1 the highest, 0.5 the middle.
  t.is(delayWith(0, jittered), 1_000, 'never below the initial backoff');
  t.is(delayWith(0.5, jittered), 1_000);
  t.is(delayWith(0.999, jittered), 1_100);
  const high = exponential({ initialBackoffMs: 1_000, maxBackoffMs: 2_000, jitterFactor: 0.5 });
  t.is(delayWith(0, high), 1_000);
  t.is(delayWith(0.75, high), 1_250);
  const capped = exponential({ initialBackoffMs: 1_000, maxBackoffMs: 1_000, jitterFactor: 1 });
  t.is(delayWith(0.999, capped), 1_000, 'never above the maximum');
});

test('exponential delay is unlimited by default, and with attempts fails the job after that many restarts since the last reset', (t) => {
  const clock = new ManualClock();
  const unlimited = createRestartBackoff(exponential(), clock);
  for (let failure = 0; failure < 50; failure++) {
    unlimited.notifyFailure();
    clock.advance(unlimited.delayMs() + 1);
  }
  t.true(unlimited.canRestart());
  t.is(unlimited.exhausted(), 'exponential-delay (1 s to 10 s, x2, jitter 0, reset after 1 min): restarts are unlimited');

  const limited = createRestartBackoff(exponential({ attempts: 2 }), clock);
  const answers: boolean[] = [];
  for (let failure = 0; failure < 3; failure++) {
    limited.notifyFailure();
    answers.push(limited.canRestart());
    clock.advance(limited.delayMs() + 1);
  }
  t.deepEqual(answers, [true, true, false]);
  t.is(limited.exhausted(), 'exponential-delay (1 s to 10 s, x2, jitter 0, reset after 1 min, 2 attempts before reset): exhausted after 2 restarts since the backoff was last reset');
});

test('exponential delay’s attempts count again from zero after a reset', (t) => {
  const clock = new ManualClock();
  const backoff = createRestartBackoff(exponential({ attempts: 1, resetBackoffThresholdMs: 60_000 }), clock);
  backoff.notifyFailure();
  t.true(backoff.canRestart());
  clock.advance(1_000 + 60_000);
  backoff.notifyFailure();
  t.true(backoff.canRestart(), 'a job that ran past the threshold has its attempt back');
});

test('failure rate restarts while at most `maxFailuresPerInterval` failures fall within the interval', (t) => {
  const clock = new ManualClock();
  const backoff = createRestartBackoff({ type: 'failure-rate', maxFailuresPerInterval: 2, failureRateIntervalMs: 60_000, delayMs: 500 }, clock);
  backoff.notifyFailure();
  t.true(backoff.canRestart());
  t.is(backoff.delayMs(), 500);
  clock.advance(10_000);
  backoff.notifyFailure();
  t.true(backoff.canRestart());
  clock.advance(10_000);
  backoff.notifyFailure();
  t.false(backoff.canRestart(), 'three failures within 20 s');
  t.is(backoff.exhausted(), 'failure-rate (at most 2 failures per 1 min, 500 ms): 3 failures within 1 min');
});

test('failure rate forgets failures older than the interval', (t) => {
  const clock = new ManualClock();
  const backoff = createRestartBackoff({ type: 'failure-rate', maxFailuresPerInterval: 1, failureRateIntervalMs: 60_000, delayMs: 0 }, clock);
  backoff.notifyFailure();
  clock.advance(60_000);
  backoff.notifyFailure();
  t.false(backoff.canRestart(), 'exactly one interval apart: both count');
  clock.advance(1);
  t.true(backoff.canRestart(), 'checked again later, the oldest has left the interval');
  clock.advance(30_000);
  backoff.notifyFailure();
  t.false(backoff.canRestart(), 'the last two failures are 30 s apart');
});

test('each strategy describes itself in one line for logs', (t) => {
  t.is(describeRestartStrategy({ type: 'none' }), 'none');
  t.is(describeRestartStrategy({ type: 'fixed-delay', attempts: 1, delayMs: 90_000 }), 'fixed-delay (1 attempt, 90 s)');
  t.is(describeRestartStrategy(exponential({ initialBackoffMs: 1_500, maxBackoffMs: 60_000, backoffMultiplier: 1.5, resetBackoffThresholdMs: 3_600_000, jitterFactor: 0.1 })), 'exponential-delay (1500 ms to 1 min, x1.5, jitter 0.1, reset after 1 h)');
  t.is(describeRestartStrategy({ type: 'failure-rate', maxFailuresPerInterval: 1, failureRateIntervalMs: 60_000, delayMs: 1_000 }), 'failure-rate (at most 1 failure per 1 min, 1 s)');
});
