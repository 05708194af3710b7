// Flink's RestartStrategies as plain data for the JobGraph, each value checked against Flink's
// preconditions where the strategy is made, and again by env.setRestartStrategy() for one made by hand.
import test, { type ExecutionContext } from 'ava';
import { RestartStrategies, type RestartStrategyConfiguration, StreamExecutionEnvironment } from '../../../api/index.ts';
import { WeirError } from '../../../messages/errors.ts';

const invalid = (t: ExecutionContext, message: string, run: () => unknown): void => {
  const error = t.throws(run, { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  t.is(error?.message, message);
};

test('each strategy is the plain data the JobGraph carries', (t) => {
  t.deepEqual(RestartStrategies.noRestart(), { type: 'none' });
  t.deepEqual(RestartStrategies.fixedDelayRestart(3, 1_000), { type: 'fixed-delay', attempts: 3, delayMs: 1_000 });
  t.deepEqual(RestartStrategies.exponentialDelayRestart(1_000, 60_000, 1.5, 3_600_000, 0.1), {
    type: 'exponential-delay',
    initialBackoffMs: 1_000,
    maxBackoffMs: 60_000,
    backoffMultiplier: 1.5,
    resetBackoffThresholdMs: 3_600_000,
    jitterFactor: 0.1,
  });
  t.deepEqual(RestartStrategies.exponentialDelayRestart(10, 10, 2, 1, 0, 5), {
    type: 'exponential-delay',
    initialBackoffMs: 10,
    maxBackoffMs: 10,
    backoffMultiplier: 2,
    resetBackoffThresholdMs: 1,
    jitterFactor: 0,
    attempts: 5,
  });
  t.deepEqual(RestartStrategies.failureRateRestart(2, 60_000, 0), { type: 'failure-rate', maxFailuresPerInterval: 2, failureRateIntervalMs: 60_000, delayMs: 0 });
});

test('fixed delay refuses negative or fractional attempts and a negative delay', (t) => {
  invalid(t, 'RestartStrategies.fixedDelayRestart(): attempts must be a non-negative integer, got -1', () => RestartStrategies.fixedDelayRestart(-1, 1_000));
  invalid(t, 'RestartStrategies.fixedDelayRestart(): attempts must be a non-negative integer, got 2.5', () => RestartStrategies.fixedDelayRestart(2.5, 1_000));
  invalid(t, 'RestartStrategies.fixedDelayRestart(): delayMs must be a non-negative integer of milliseconds, got NaN', () => RestartStrategies.fixedDelayRestart(3, Number.NaN));
});

test('exponential delay takes Flink’s bounds: backoffs of 1 ms or more, a multiplier above 1, a jitter from 0 to 1', (t) => {
  const where = 'RestartStrategies.exponentialDelayRestart()';
  invalid(t, `${where}: initialBackoffMs must be a positive integer of milliseconds, got 0`, () => RestartStrategies.exponentialDelayRestart(0, 1_000, 2, 1_000, 0));
  invalid(t, `${where}: maxBackoffMs must be a positive integer of milliseconds, got -5`, () => RestartStrategies.exponentialDelayRestart(1, -5, 2, 1_000, 0));
  invalid(t, `${where}: backoffMultiplier must be a finite number > 1, got 1`, () => RestartStrategies.exponentialDelayRestart(1, 1_000, 1, 1_000, 0));
  invalid(t, `${where}: resetBackoffThresholdMs must be a positive integer of milliseconds, got 0`, () => RestartStrategies.exponentialDelayRestart(1, 1_000, 2, 0, 0));
  invalid(t, `${where}: jitterFactor must be a number from 0 to 1, got 1.5`, () => RestartStrategies.exponentialDelayRestart(1, 1_000, 2, 1_000, 1.5));
  invalid(t, `${where}: jitterFactor must be a number from 0 to 1, got -0.1`, () => RestartStrategies.exponentialDelayRestart(1, 1_000, 2, 1_000, -0.1));
  invalid(t, `${where}: attempts must be a positive integer, got 0`, () => RestartStrategies.exponentialDelayRestart(1, 1_000, 2, 1_000, 0, 0));
  invalid(t, `${where}: initialBackoffMs (5000) must not be above maxBackoffMs (1000)`, () => RestartStrategies.exponentialDelayRestart(5_000, 1_000, 2, 1_000, 0));
});

test('failure rate needs at least one failure per a positive interval', (t) => {
  const where = 'RestartStrategies.failureRateRestart()';
  invalid(t, `${where}: maxFailuresPerInterval must be a positive integer, got 0`, () => RestartStrategies.failureRateRestart(0, 60_000, 1_000));
  invalid(t, `${where}: failureRateIntervalMs must be a positive integer of milliseconds, got 0`, () => RestartStrategies.failureRateRestart(1, 0, 1_000));
  invalid(t, `${where}: delayMs must be a non-negative integer of milliseconds, got -1`, () => RestartStrategies.failureRateRestart(1, 60_000, -1));
});

test('setRestartStrategy keeps the strategy, and refuses one made by hand that breaks the same rules', (t) => {
  const env = new StreamExecutionEnvironment();
  t.is(env.getRestartStrategy(), undefined);
  env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 1_000));
  t.deepEqual(env.getRestartStrategy(), { type: 'fixed-delay', attempts: 3, delayMs: 1_000 });
  invalid(t, 'env.setRestartStrategy(): jitterFactor must be a number from 0 to 1, got 2', () =>
    env.setRestartStrategy({ type: 'exponential-delay', initialBackoffMs: 1, maxBackoffMs: 2, backoffMultiplier: 2, resetBackoffThresholdMs: 1, jitterFactor: 2 }),
  );
  invalid(t, 'env.setRestartStrategy(): expects a strategy of RestartStrategies (type "none", "fixed-delay", "exponential-delay", "failure-rate"), got type "fixeddelay"', () =>
    env.setRestartStrategy({ type: 'fixeddelay' } as unknown as RestartStrategyConfiguration),
  );
  invalid(t, 'env.setRestartStrategy(): expects a strategy of RestartStrategies (type "none", "fixed-delay", "exponential-delay", "failure-rate"), got null', () =>
    env.setRestartStrategy(null as unknown as RestartStrategyConfiguration),
  );
  t.deepEqual(env.getRestartStrategy(), { type: 'fixed-delay', attempts: 3, delayMs: 1_000 }, 'a refused strategy changes nothing');
});

test('setRestartStrategy keeps only the strategy’s own fields', (t) => {
  const env = new StreamExecutionEnvironment();
  env.setRestartStrategy({ type: 'none', attempts: 3 } as unknown as RestartStrategyConfiguration);
  t.deepEqual(env.getRestartStrategy(), { type: 'none' });
});
