// A JobGraph's checkpointing and restart strategy as they arrive off the wire: each strategy with its
// own fields, held to the bounds Flink's strategies take, errors naming the field.
import test from 'ava';
import { JobGraphSchema, RestartStrategySettingsSchema } from '../../messages/job-graph.ts';

const exponential = { type: 'exponential-delay', initialBackoffMs: 1_000, maxBackoffMs: 60_000, backoffMultiplier: 1.5, resetBackoffThresholdMs: 3_600_000, jitterFactor: 0.1 };

test('each restart strategy passes with its own fields', (t) => {
  for (const strategy of [
    { type: 'none' },
    { type: 'fixed-delay', attempts: 0, delayMs: 0 },
    exponential,
    { ...exponential, attempts: 3 },
    { type: 'failure-rate', maxFailuresPerInterval: 1, failureRateIntervalMs: 60_000, delayMs: 1_000 },
  ]) {
    t.is(RestartStrategySettingsSchema.explain(strategy, 'restartStrategy'), undefined, strategy.type);
  }
});

test('an exponential delay is held to Flink’s bounds, naming the field', (t) => {
  const explain = (fields: object): string | undefined => RestartStrategySettingsSchema.explain({ ...exponential, ...fields }, 'restartStrategy');
  t.is(explain({ backoffMultiplier: 1 }), 'restartStrategy.backoffMultiplier: expected a finite number > 1, got 1');
  t.is(explain({ jitterFactor: 2 }), 'restartStrategy.jitterFactor: expected a finite number >= 0 and <= 1, got 2');
  t.is(explain({ initialBackoffMs: 0 }), 'restartStrategy.initialBackoffMs: expected a finite number > 0, got 0');
  t.is(explain({ attempts: 0 }), 'restartStrategy.attempts: expected a positive integer, got 0');
});

test('an unknown strategy type is refused, naming it (the wording is oneOfTagged’s)', (t) => {
  const problem = RestartStrategySettingsSchema.explain({ type: 'fixeddelay' }, 'restartStrategy') ?? '';
  t.true(problem.startsWith('restartStrategy') && problem.endsWith('got "fixeddelay"'), problem);
});

test('a graph’s checkpointing needs a positive interval', (t) => {
  const graph = { name: 'job', maxParallelism: 128, runtimeMode: 'STREAMING', vertices: [] };
  t.is(JobGraphSchema.explain({ ...graph, checkpointing: { intervalMs: 1_000, mode: 'AT_LEAST_ONCE' } }, 'jobGraph'), undefined);
  t.is(JobGraphSchema.explain({ ...graph, checkpointing: { intervalMs: 0 } }, 'jobGraph'), 'jobGraph.checkpointing.intervalMs: expected a finite number > 0, got 0');
  t.is(JobGraphSchema.explain({ ...graph, checkpointing: { intervalMs: 1, mode: 'ONCE' } }, 'jobGraph'), 'jobGraph.checkpointing.mode: expected one of "EXACTLY_ONCE", "AT_LEAST_ONCE", got "ONCE"');
});
