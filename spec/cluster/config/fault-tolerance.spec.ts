// The checkpointing and restart-strategy keys of weir.yaml (Flink's names, aliases and defaults), and
// how a job's own settings, the cluster's keys and Flink's rules combine into what the JobManager runs.
import test, { type ExecutionContext } from 'ava';
import {
  DEFAULT_ALIGNED_CHECKPOINT_TIMEOUT_MS,
  DEFAULT_CHECKPOINTING_MODE,
  DEFAULT_CHECKPOINT_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENT_CHECKPOINTS,
  DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS,
  DEFAULT_TOLERABLE_CHECKPOINT_FAILURES,
  DEFAULT_UNALIGNED_CHECKPOINTS,
} from '../../../api/index.ts';
import { DEFAULT_CONFIG, envVarFor, parseConfig } from '../../../cluster/config.ts';
import { checkpointingFor, checkpointingProblem, restartStrategyFor } from '../../../cluster/config/fault-tolerance.ts';
import type { RestartStrategyType } from '../../../cluster/config/schema.ts';
import { WeirError } from '../../../messages/errors.ts';
import type { JobGraph } from '../../../messages/job-graph.ts';
import { graph, vertex } from '../helpers.ts';

const FILE = '/etc/weir/weir.yaml';

const job = (settings: Partial<Pick<JobGraph, 'checkpointing' | 'restartStrategy' | 'runtimeMode'>> = {}): JobGraph => ({ ...graph([vertex('v', 1)]), ...settings });

const invalidConfig = (t: ExecutionContext, text: string, message: string): void => {
  const error = t.throws(() => parseConfig(text, FILE), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_CONFIG');
  t.is(error?.message, message);
};

test('unset, the keys hold Flink’s defaults: checkpointing off, no restart strategy chosen', (t) => {
  t.like(DEFAULT_CONFIG, {
    checkpointIntervalMs: 0,
    checkpointingMode: 'EXACTLY_ONCE',
    checkpointTimeoutMs: 600_000,
    unalignedCheckpoints: false,
    alignedCheckpointTimeoutMs: 0,
    checkpointMinPauseMs: 0,
    maxConcurrentCheckpoints: 1,
    tolerableFailedCheckpoints: 0,
    retainedCheckpoints: 1,
    checkpointsDir: null,
    restartStrategy: null,
    fixedDelayAttempts: 1,
    fixedDelayMs: 1_000,
    exponentialInitialBackoffMs: 1_000,
    exponentialMaxBackoffMs: 60_000,
    exponentialBackoffMultiplier: 1.5,
    exponentialResetBackoffThresholdMs: 3_600_000,
    exponentialJitterFactor: 0.1,
    exponentialAttempts: null,
    failureRateMaxFailures: 1,
    failureRateIntervalMs: 60_000,
    failureRateDelayMs: 1_000,
  });
});

test('the cluster’s checkpointing defaults are the ones a job’s CheckpointConfig shows', (t) => {
  t.is(DEFAULT_CONFIG.checkpointingMode, DEFAULT_CHECKPOINTING_MODE);
  t.is(DEFAULT_CONFIG.checkpointTimeoutMs, DEFAULT_CHECKPOINT_TIMEOUT_MS);
  t.is(DEFAULT_CONFIG.checkpointMinPauseMs, DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS);
  t.is(DEFAULT_CONFIG.maxConcurrentCheckpoints, DEFAULT_MAX_CONCURRENT_CHECKPOINTS);
  t.is(DEFAULT_CONFIG.tolerableFailedCheckpoints, DEFAULT_TOLERABLE_CHECKPOINT_FAILURES);
  t.is(DEFAULT_CONFIG.unalignedCheckpoints, DEFAULT_UNALIGNED_CHECKPOINTS);
  t.is(DEFAULT_CONFIG.alignedCheckpointTimeoutMs, DEFAULT_ALIGNED_CHECKPOINT_TIMEOUT_MS);
});

test('the unaligned checkpoint keys are read into their typed values; a mistyped one gets a did-you-mean', (t) => {
  t.like(parseConfig('execution.checkpointing.unaligned: true\nexecution.checkpointing.aligned-checkpoint-timeout: 30 s', FILE), {
    unalignedCheckpoints: true,
    alignedCheckpointTimeoutMs: 30_000,
  });
  t.is(parseConfig('execution.checkpointing.aligned-checkpoint-timeout: 0', FILE).alignedCheckpointTimeoutMs, 0, '0: unaligned from the start');
  invalidConfig(t, 'execution.checkpointing.unaligned: sometimes', `${FILE}:1: key "execution.checkpointing.unaligned" expects true or false, got "sometimes"`);
  invalidConfig(t, 'execution.checkpointing.unalinged: true', `${FILE}:1: unknown key "execution.checkpointing.unalinged" (did you mean "execution.checkpointing.unaligned"?)`);
});

test('unaligned checkpoints resolve as the other keys do, the job’s setting first; with AT_LEAST_ONCE they are refused naming both settings', (t) => {
  const config = parseConfig('execution.checkpointing.unaligned: true\nexecution.checkpointing.aligned-checkpoint-timeout: 2 s', FILE);
  t.like(checkpointingFor(config, job({ checkpointing: { intervalMs: 500 } })), { unaligned: true, alignedCheckpointTimeoutMs: 2_000 });
  t.like(checkpointingFor(config, job({ checkpointing: { intervalMs: 500, unaligned: false, alignedCheckpointTimeoutMs: 0 } })), { unaligned: false, alignedCheckpointTimeoutMs: 0 });
  t.is(checkpointingProblem(config, job({ checkpointing: { intervalMs: 500 } })), undefined);
  t.is(
    checkpointingProblem(config, job({ checkpointing: { intervalMs: 500, mode: 'AT_LEAST_ONCE' } })),
    'execution.checkpointing.unaligned is true, but the job asks for AT_LEAST_ONCE: unaligned checkpoints need EXACTLY_ONCE (set execution.checkpointing.mode to EXACTLY_ONCE or execution.checkpointing.unaligned to false)',
  );
  const atLeastOnce = parseConfig('execution.checkpointing.mode: AT_LEAST_ONCE', FILE);
  t.is(
    checkpointingProblem(atLeastOnce, job({ checkpointing: { intervalMs: 500, unaligned: true } })),
    'the job enables unaligned checkpoints (enableUnalignedCheckpoints()), but execution.checkpointing.mode asks for AT_LEAST_ONCE: unaligned checkpoints need EXACTLY_ONCE (set execution.checkpointing.mode to EXACTLY_ONCE or execution.checkpointing.unaligned to false)',
  );
  t.is(checkpointingProblem(atLeastOnce, job({ checkpointing: { intervalMs: 500 } })), undefined, 'aligned AT_LEAST_ONCE is fine');
});

test('every checkpointing key is read into its typed value', (t) => {
  const config = parseConfig(
    [
      'execution.checkpointing.interval: 30 s',
      'execution.checkpointing.mode: AT_LEAST_ONCE',
      'execution.checkpointing.timeout: 2 min',
      'execution.checkpointing.min-pause: 500 ms',
      'execution.checkpointing.max-concurrent-checkpoints: 2',
      'execution.checkpointing.tolerable-failed-checkpoints: 3',
      'execution.checkpointing.num-retained: 5',
      'execution.checkpointing.dir: /var/weir/checkpoints',
    ].join('\n'),
    FILE,
  );
  t.like(config, {
    checkpointIntervalMs: 30_000,
    checkpointingMode: 'AT_LEAST_ONCE',
    checkpointTimeoutMs: 120_000,
    checkpointMinPauseMs: 500,
    maxConcurrentCheckpoints: 2,
    tolerableFailedCheckpoints: 3,
    retainedCheckpoints: 5,
    checkpointsDir: '/var/weir/checkpoints',
  });
  t.is(parseConfig('execution.checkpointing.mode: exactly_once', FILE).checkpointingMode, 'EXACTLY_ONCE', 'as Flink, enum values in any case');
});

test('every restart-strategy key is read into its typed value, flat or nested', (t) => {
  const flat = parseConfig(
    [
      'restart-strategy.type: exponential-delay',
      'restart-strategy.fixed-delay.attempts: 3',
      'restart-strategy.fixed-delay.delay: 10 s',
      'restart-strategy.exponential-delay.initial-backoff: 2 s',
      'restart-strategy.exponential-delay.max-backoff: 5 min',
      'restart-strategy.exponential-delay.backoff-multiplier: 2.5',
      'restart-strategy.exponential-delay.reset-backoff-threshold: 2 h',
      'restart-strategy.exponential-delay.jitter-factor: 0.25',
      'restart-strategy.exponential-delay.attempts-before-reset-backoff: 10',
      'restart-strategy.failure-rate.max-failures-per-interval: 4',
      'restart-strategy.failure-rate.failure-rate-interval: 5 min',
      'restart-strategy.failure-rate.delay: 0',
    ].join('\n'),
    FILE,
  );
  t.like(flat, {
    restartStrategy: 'exponential-delay',
    fixedDelayAttempts: 3,
    fixedDelayMs: 10_000,
    exponentialInitialBackoffMs: 2_000,
    exponentialMaxBackoffMs: 300_000,
    exponentialBackoffMultiplier: 2.5,
    exponentialResetBackoffThresholdMs: 7_200_000,
    exponentialJitterFactor: 0.25,
    exponentialAttempts: 10,
    failureRateMaxFailures: 4,
    failureRateIntervalMs: 300_000,
    failureRateDelayMs: 0,
  });
  const nested = parseConfig(['restart-strategy:', '  type: fixed-delay', '  fixed-delay:', '    attempts: 3', '    delay: 10 s'].join('\n'), FILE);
  t.like(nested, { restartStrategy: 'fixed-delay', fixedDelayAttempts: 3, fixedDelayMs: 10_000 });
});

const strategyNames: ReadonlyArray<readonly [string, RestartStrategyType]> = [
  ['none', 'none'],
  ['off', 'none'],
  ['disable', 'none'],
  ['fixed-delay', 'fixed-delay'],
  ['fixeddelay', 'fixed-delay'],
  ['exponential-delay', 'exponential-delay'],
  ['exponentialdelay', 'exponential-delay'],
  ['failure-rate', 'failure-rate'],
  ['failurerate', 'failure-rate'],
  ['Fixed-Delay', 'fixed-delay'],
];

for (const [name, type] of strategyNames) {
  test(`restart-strategy.type "${name}" is ${type}, as in Flink`, (t) => {
    t.is(parseConfig(`restart-strategy.type: ${name}`, FILE).restartStrategy, type);
  });
}

test('Flink’s older names state.checkpoints.dir and state.checkpoints.num-retained set the same values', (t) => {
  t.like(parseConfig('state.checkpoints.dir: /data/chk\nstate.checkpoints.num-retained: 3', FILE), { checkpointsDir: '/data/chk', retainedCheckpoints: 3 });
  invalidConfig(
    t,
    'state.checkpoints.dir: /a\nexecution.checkpointing.dir: /b',
    `${FILE}:1: keys "state.checkpoints.dir" and "execution.checkpointing.dir" are both set (Flink's older and newer name of one key); set one of them`,
  );
  invalidConfig(
    t,
    'execution.checkpointing.num-retained: 2\nstate.checkpoints.num-retained: 3',
    `${FILE}:2: keys "state.checkpoints.num-retained" and "execution.checkpointing.num-retained" are both set (Flink's older and newer name of one key); set one of them`,
  );
});

test('the keys have WEIR_* variables; an older name has none of its own', (t) => {
  t.is(envVarFor('execution.checkpointing.interval'), 'WEIR_EXECUTION_CHECKPOINTING_INTERVAL');
  const config = parseConfig('', FILE, {
    WEIR_EXECUTION_CHECKPOINTING_INTERVAL: '1 min',
    WEIR_RESTART_STRATEGY_TYPE: 'off',
    WEIR_EXECUTION_CHECKPOINTING_DIR: '/env/chk',
    WEIR_STATE_CHECKPOINTS_DIR: '/ignored',
  });
  t.like(config, { checkpointIntervalMs: 60_000, restartStrategy: 'none', checkpointsDir: '/env/chk' });
});

const invalidValues: ReadonlyArray<readonly [string, string, string]> = [
  ['an unknown strategy', 'restart-strategy.type: fixed', 'key "restart-strategy.type" expects one of none, off, disable, fixed-delay, fixeddelay, exponential-delay, exponentialdelay, failure-rate, failurerate, got "fixed"'],
  ['an unknown mode', 'execution.checkpointing.mode: ONCE', 'key "execution.checkpointing.mode" expects one of EXACTLY_ONCE, AT_LEAST_ONCE, got "ONCE"'],
  ['a multiplier of 1', 'restart-strategy.exponential-delay.backoff-multiplier: 1', 'key "restart-strategy.exponential-delay.backoff-multiplier" expects a number > 1, got "1"'],
  ['a jitter above 1', 'restart-strategy.exponential-delay.jitter-factor: 1.5', 'key "restart-strategy.exponential-delay.jitter-factor" expects a number from 0 to 1, got "1.5"'],
  ['a negative jitter', 'restart-strategy.exponential-delay.jitter-factor: -0.1', 'key "restart-strategy.exponential-delay.jitter-factor" expects a number from 0 to 1, got "-0.1"'],
  ['negative attempts', 'restart-strategy.fixed-delay.attempts: -1', 'key "restart-strategy.fixed-delay.attempts" expects an integer 0..2147483647, got "-1"'],
  ['zero concurrent checkpoints', 'execution.checkpointing.max-concurrent-checkpoints: 0', 'key "execution.checkpointing.max-concurrent-checkpoints" expects an integer 1..2147483647, got "0"'],
  ['a zero checkpoint timeout', 'execution.checkpointing.timeout: 0', 'key "execution.checkpointing.timeout" expects a duration: milliseconds, or a number with a unit like "100 ms", "10 s", "5 min", "1 h", got "0"'],
  ['a delay that is no duration', 'restart-strategy.fixed-delay.delay: soon', 'key "restart-strategy.fixed-delay.delay" expects a duration (0 for no delay): milliseconds, or a number with a unit like "100 ms", "10 s", "5 min", "1 h", got "soon"'],
  ['an interval that is no duration', 'execution.checkpointing.interval: -1', 'key "execution.checkpointing.interval" expects a duration (0 turns it off): milliseconds, or a number with a unit like "100 ms", "10 s", "5 min", "1 h", got "-1"'],
];

for (const [what, text, message] of invalidValues) {
  test(`${what} stops the start, naming the file, the line and the key`, (t) => {
    invalidConfig(t, `log.level: info\n${text}`, `${FILE}:2: ${message}`);
  });
}

test('an initial backoff above the maximum backoff is refused, naming both keys', (t) => {
  invalidConfig(
    t,
    'restart-strategy.exponential-delay.initial-backoff: 2 min',
    `${FILE}:1: key "restart-strategy.exponential-delay.initial-backoff" (120000 ms) expects a duration no longer than "restart-strategy.exponential-delay.max-backoff" (60000 ms)`,
  );
});

test('a mistyped key gets a did-you-mean', (t) => {
  invalidConfig(t, 'restart-strategy.fixed-delay.atempts: 3', `${FILE}:1: unknown key "restart-strategy.fixed-delay.atempts" (did you mean "restart-strategy.fixed-delay.attempts"?)`);
  invalidConfig(t, 'execution.checkpointing.intervall: 1 s', `${FILE}:1: unknown key "execution.checkpointing.intervall" (did you mean "execution.checkpointing.interval"?)`);
  invalidConfig(t, 'state.checkpoint.dir: /x', `${FILE}:1: unknown key "state.checkpoint.dir" (did you mean "state.checkpoints.dir"?)`);
});

// --- what the JobManager runs -------------------------------------------------------------------

test('a job that does not enable checkpointing on a cluster that does not either does not checkpoint', (t) => {
  t.is(checkpointingFor(DEFAULT_CONFIG, job()), undefined);
});

test('the cluster’s interval turns checkpointing on for a job that sets none, with every other key', (t) => {
  const config = parseConfig('execution.checkpointing.interval: 10 s\nexecution.checkpointing.dir: chk\nexecution.checkpointing.num-retained: 3', FILE);
  t.deepEqual(checkpointingFor(config, job()), {
    intervalMs: 10_000,
    mode: 'EXACTLY_ONCE',
    timeoutMs: 600_000,
    minPauseMs: 0,
    maxConcurrent: 1,
    tolerableFailures: 0,
    retained: 3,
    directory: 'chk',
    retention: 'DELETE_ON_CANCELLATION',
    unaligned: false,
    alignedCheckpointTimeoutMs: 0,
  });
});

test('what the job set wins over the cluster’s keys, field by field', (t) => {
  const config = parseConfig('execution.checkpointing.interval: 10 s\nexecution.checkpointing.mode: AT_LEAST_ONCE\nexecution.checkpointing.timeout: 1 min', FILE);
  t.deepEqual(checkpointingFor(config, job({ checkpointing: { intervalMs: 500, timeoutMs: 5_000, directory: '/job/chk', retention: 'RETAIN_ON_CANCELLATION' } })), {
    intervalMs: 500,
    mode: 'AT_LEAST_ONCE',
    timeoutMs: 5_000,
    minPauseMs: 0,
    maxConcurrent: 1,
    tolerableFailures: 0,
    retained: 1,
    directory: '/job/chk',
    retention: 'RETAIN_ON_CANCELLATION',
    unaligned: false,
    alignedCheckpointTimeoutMs: 0,
  });
  t.is(checkpointingFor(DEFAULT_CONFIG, job({ checkpointing: { intervalMs: 500 } }))?.directory, null, 'set nowhere: the cluster picks the directory');
});

test('a BATCH job does not checkpoint, as in Flink, even when it enabled checkpointing', (t) => {
  const config = parseConfig('execution.checkpointing.interval: 10 s', FILE);
  t.is(checkpointingFor(config, job({ runtimeMode: 'BATCH', checkpointing: { intervalMs: 500 } })), undefined);
  t.deepEqual(restartStrategyFor(config, job({ runtimeMode: 'BATCH' })), { type: 'none' });
});

test('the job’s restart strategy wins over the cluster’s', (t) => {
  const config = parseConfig('restart-strategy.type: failure-rate', FILE);
  t.deepEqual(restartStrategyFor(config, job({ restartStrategy: { type: 'fixed-delay', attempts: 2, delayMs: 5 } })), { type: 'fixed-delay', attempts: 2, delayMs: 5 });
});

test('a job’s exponential delay without attempts takes the cluster’s attempts-before-reset-backoff', (t) => {
  const exponential = { type: 'exponential-delay', initialBackoffMs: 10, maxBackoffMs: 100, backoffMultiplier: 2, resetBackoffThresholdMs: 1_000, jitterFactor: 0 } as const;
  t.deepEqual(restartStrategyFor(DEFAULT_CONFIG, job({ restartStrategy: exponential })), exponential, 'unlimited on both sides');
  const config = parseConfig('restart-strategy.exponential-delay.attempts-before-reset-backoff: 4', FILE);
  t.deepEqual(restartStrategyFor(config, job({ restartStrategy: exponential })), { ...exponential, attempts: 4 });
  t.deepEqual(restartStrategyFor(config, job({ restartStrategy: { ...exponential, attempts: 1 } })), { ...exponential, attempts: 1 });
});

test('without a job strategy, restart-strategy.type decides, with its own keys', (t) => {
  const fixed = parseConfig('restart-strategy.type: fixeddelay\nrestart-strategy.fixed-delay.attempts: 3\nrestart-strategy.fixed-delay.delay: 10 s', FILE);
  t.deepEqual(restartStrategyFor(fixed, job()), { type: 'fixed-delay', attempts: 3, delayMs: 10_000 });
  const rate = parseConfig('restart-strategy.type: failure-rate', FILE);
  t.deepEqual(restartStrategyFor(rate, job()), { type: 'failure-rate', maxFailuresPerInterval: 1, failureRateIntervalMs: 60_000, delayMs: 1_000 });
  const off = parseConfig('restart-strategy.type: off\nexecution.checkpointing.interval: 1 s', FILE);
  t.deepEqual(restartStrategyFor(off, job()), { type: 'none' }, 'set to none, a checkpointing job is not restarted either');
});

test('configured nowhere, a checkpointing job restarts with exponential delay and any other job does not restart', (t) => {
  const exponential = {
    type: 'exponential-delay',
    initialBackoffMs: 1_000,
    maxBackoffMs: 60_000,
    backoffMultiplier: 1.5,
    resetBackoffThresholdMs: 3_600_000,
    jitterFactor: 0.1,
  };
  t.deepEqual(restartStrategyFor(DEFAULT_CONFIG, job({ checkpointing: { intervalMs: 1_000 } })), exponential, 'checkpointing enabled by the job');
  t.deepEqual(restartStrategyFor(parseConfig('execution.checkpointing.interval: 1 s', FILE), job()), exponential, 'checkpointing enabled by the cluster');
  t.deepEqual(restartStrategyFor(DEFAULT_CONFIG, job()), { type: 'none' });
  const tuned = parseConfig('execution.checkpointing.interval: 1 s\nrestart-strategy.exponential-delay.max-backoff: 10 s\nrestart-strategy.exponential-delay.attempts-before-reset-backoff: 7', FILE);
  t.deepEqual(restartStrategyFor(tuned, job()), { ...exponential, maxBackoffMs: 10_000, attempts: 7 }, 'with the cluster’s exponential-delay keys');
});
