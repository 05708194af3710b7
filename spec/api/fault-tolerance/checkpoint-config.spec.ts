// A job's checkpointing as its module sets it: env.enableCheckpointing() and the CheckpointConfig's
// setters (Flink's), each checked where it is called, and only what was set reaching the JobGraph.
import test, { type ExecutionContext } from 'ava';
import { CheckpointConfig, CheckpointingMode, StreamExecutionEnvironment } from '../../../api/index.ts';
import { checkpointingSettings } from '../../../api/fault-tolerance/checkpoint-config.ts';
import { WeirError } from '../../../messages/errors.ts';

const invalid = (t: ExecutionContext, message: string, run: () => unknown): void => {
  const error = t.throws(run, { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  t.is(error?.message, message);
};

test('checkpointing is off until an interval is set, and the getters then show Flink’s defaults', (t) => {
  const config = new StreamExecutionEnvironment().getCheckpointConfig();
  t.false(config.isCheckpointingEnabled());
  t.is(config.getCheckpointInterval(), -1);
  t.is(config.getCheckpointingMode(), 'EXACTLY_ONCE');
  t.is(config.getCheckpointTimeout(), 600_000);
  t.is(config.getMinPauseBetweenCheckpoints(), 0);
  t.is(config.getMaxConcurrentCheckpoints(), 1);
  t.is(config.getTolerableCheckpointFailureNumber(), 0);
  t.is(config.getCheckpointStorage(), undefined);
  t.is(checkpointingSettings(config), undefined);
});

test('enableCheckpointing sets the interval, and the mode only when it is given', (t) => {
  const env = new StreamExecutionEnvironment();
  t.is(env.enableCheckpointing(5_000), env);
  const config = env.getCheckpointConfig();
  t.true(config.isCheckpointingEnabled());
  t.is(config.getCheckpointInterval(), 5_000);
  t.deepEqual(checkpointingSettings(config), { intervalMs: 5_000 }, 'no mode: the cluster’s execution.checkpointing.mode applies');
  env.enableCheckpointing(2_000, CheckpointingMode.AT_LEAST_ONCE);
  t.deepEqual(checkpointingSettings(config), { intervalMs: 2_000, mode: 'AT_LEAST_ONCE' });
});

test('every setter lands in the job’s settings, the interval turning checkpointing on', (t) => {
  const config = new CheckpointConfig()
    .setCheckpointInterval(1_000)
    .setCheckpointingMode('AT_LEAST_ONCE')
    .setCheckpointTimeout(30_000)
    .setMinPauseBetweenCheckpoints(500)
    .setMaxConcurrentCheckpoints(2)
    .setTolerableCheckpointFailureNumber(3)
    .setCheckpointStorage('/var/weir/checkpoints');
  t.deepEqual(checkpointingSettings(config), {
    intervalMs: 1_000,
    mode: 'AT_LEAST_ONCE',
    timeoutMs: 30_000,
    minPauseMs: 500,
    maxConcurrent: 2,
    tolerableFailures: 3,
    directory: '/var/weir/checkpoints',
  });
  t.is(config.getCheckpointTimeout(), 30_000);
  t.is(config.getMinPauseBetweenCheckpoints(), 500);
  t.is(config.getMaxConcurrentCheckpoints(), 2);
  t.is(config.getTolerableCheckpointFailureNumber(), 3);
});

test('settings without an interval do not turn checkpointing on', (t) => {
  const config = new CheckpointConfig().setCheckpointTimeout(30_000);
  t.false(config.isCheckpointingEnabled());
  t.is(checkpointingSettings(config), undefined);
});

test('a file:// URI is taken as its local path, and a relative path is kept as written', (t) => {
  t.is(new CheckpointConfig().setCheckpointStorage('file:///tmp/weir/chk').getCheckpointStorage(), '/tmp/weir/chk');
  t.is(new CheckpointConfig().setCheckpointStorage('checkpoints').getCheckpointStorage(), 'checkpoints');
});

test('an interval that is not a positive integer of milliseconds fails at the call that set it', (t) => {
  const env = new StreamExecutionEnvironment();
  invalid(t, 'env.enableCheckpointing(): intervalMs must be a positive integer of milliseconds, got 0', () => env.enableCheckpointing(0));
  invalid(t, 'env.enableCheckpointing(): intervalMs must be a positive integer of milliseconds, got NaN', () => env.enableCheckpointing(Number.NaN));
  invalid(t, 'env.enableCheckpointing(): intervalMs must be a positive integer of milliseconds, got 1.5', () => env.enableCheckpointing(1.5));
  invalid(t, 'CheckpointConfig.setCheckpointInterval(): intervalMs must be a positive integer of milliseconds, got -1', () => env.getCheckpointConfig().setCheckpointInterval(-1));
  t.false(env.getCheckpointConfig().isCheckpointingEnabled(), 'a refused value changes nothing');
});

test('a mode other than EXACTLY_ONCE or AT_LEAST_ONCE fails, naming the call', (t) => {
  const env = new StreamExecutionEnvironment();
  invalid(t, 'env.enableCheckpointing(): mode must be EXACTLY_ONCE or AT_LEAST_ONCE, got "exactly_once"', () => env.enableCheckpointing(1_000, 'exactly_once' as CheckpointingMode));
  invalid(t, 'CheckpointConfig.setCheckpointingMode(): mode must be EXACTLY_ONCE or AT_LEAST_ONCE, got nothing', () =>
    env.getCheckpointConfig().setCheckpointingMode(undefined as unknown as CheckpointingMode),
  );
});

test('each setter refuses a value out of its range, naming itself, the parameter and the value', (t) => {
  const config = new CheckpointConfig();
  invalid(t, 'CheckpointConfig.setCheckpointTimeout(): timeoutMs must be a positive integer of milliseconds, got 0', () => config.setCheckpointTimeout(0));
  invalid(t, 'CheckpointConfig.setMinPauseBetweenCheckpoints(): minPauseMs must be a non-negative integer of milliseconds, got -1', () => config.setMinPauseBetweenCheckpoints(-1));
  invalid(t, 'CheckpointConfig.setMaxConcurrentCheckpoints(): maxConcurrent must be a positive integer, got 0', () => config.setMaxConcurrentCheckpoints(0));
  invalid(t, 'CheckpointConfig.setTolerableCheckpointFailureNumber(): tolerableFailures must be a non-negative integer, got Infinity', () =>
    config.setTolerableCheckpointFailureNumber(Infinity),
  );
  invalid(t, 'CheckpointConfig.setCheckpointStorage(): directory must be a directory path or a file:// URI, got ""', () => config.setCheckpointStorage(''));
  invalid(
    t,
    'CheckpointConfig.setCheckpointStorage(): directory must be a local directory (a path or a file:// URI), got "s3://bucket/checkpoints": Weir writes checkpoints to local or shared file systems only',
    () => config.setCheckpointStorage('s3://bucket/checkpoints'),
  );
});

test('unaligned checkpoints and the aligned checkpoint timeout, as Flink names them, reach the job’s settings', (t) => {
  const env = new StreamExecutionEnvironment().enableCheckpointing(1_000);
  const config = env.getCheckpointConfig();
  t.false(config.isUnalignedCheckpointsEnabled());
  t.is(config.getAlignedCheckpointTimeout(), 0);
  t.is(config.enableUnalignedCheckpoints(), config);
  t.true(config.isUnalignedCheckpointsEnabled());
  config.setAlignedCheckpointTimeout(30_000);
  t.is(config.getAlignedCheckpointTimeout(), 30_000);
  t.deepEqual(checkpointingSettings(config), { intervalMs: 1_000, unaligned: true, alignedCheckpointTimeoutMs: 30_000 });
  config.enableUnalignedCheckpoints(false);
  t.deepEqual(checkpointingSettings(config), { intervalMs: 1_000, unaligned: false, alignedCheckpointTimeoutMs: 30_000 }, 'false is set too: it wins over the cluster’s key');
  invalid(t, 'CheckpointConfig.setAlignedCheckpointTimeout(): timeoutMs must be a non-negative integer of milliseconds, got -5', () => config.setAlignedCheckpointTimeout(-5));
  invalid(t, 'CheckpointConfig.enableUnalignedCheckpoints(): enabled must be a boolean, got "yes"', () => config.enableUnalignedCheckpoints('yes' as unknown as boolean));
});
