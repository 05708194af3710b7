// Every key weir.yaml knows: the typed field it sets, its default, its value type. Adding a key is
// three edits in this file: a field in WeirConfig, its default in DEFAULT_CONFIG, a row in SETTINGS
// (the compiler checks that the three agree). Key names are Flink's where Flink has the setting.
import type { AuthSecret, LogLevel } from '../../actors/index.ts';
import type { CheckpointRetention, CheckpointingMode, RestartStrategySettings } from '../../messages/job-graph.ts';
import { secret } from './auth-secret.ts';
import { ANY_PORT, type PortRange } from './port-range.ts';
import { type ValueType, boolean, decimal, memorySizeMb, duration, host, integer, listenPort, logLevel, oneOf, path, port, portRange } from './value-types.ts';

export type RestartStrategyType = RestartStrategySettings['type'];

export interface WeirConfig {
  /** jobmanager.rpc.address: the host the JobManager listens on and clients dial. */
  readonly jobManagerAddress: string;
  /** jobmanager.rpc.port: the JobManager's actor system port. */
  readonly jobManagerPort: number;
  /** rest.address: the host clients reach the REST API at; default jobmanager.rpc.address. */
  readonly restAddress: string;
  /** rest.bind-address: the interface the REST server listens on; default rest.address. */
  readonly restBindAddress: string;
  /** rest.port: the REST API's port, which clients dial. */
  readonly restPort: number;
  /** rest.bind-port: the ports the REST server may listen on; default rest.port. */
  readonly restBindPorts: PortRange;
  /** taskmanager.numberOfTaskSlots: slots each TaskManager offers. */
  readonly taskManagerSlots: number;
  /** taskmanager.host: the host a TaskManager listens on, for actor messages and record batches. */
  readonly taskManagerHost: string;
  /** taskmanager.rpc.port: a TaskManager's actor system port; a range lets several share a host. */
  readonly taskManagerRpcPorts: PortRange;
  /** taskmanager.data.port: the port of a TaskManager's data server (record batches between TaskManagers). */
  readonly taskManagerDataPorts: PortRange;
  /**
   * taskmanager.memory.heap.size (MiB): a TaskManager's JavaScript heap (node --max-old-space-size); near
   * it, the job that grew the heap most fails on that TaskManager, before V8 runs out of memory. null: Node's default, unwatched.
   */
  readonly taskManagerHeapMb: number | null;
  /**
   * taskmanager.memory.process.size (MiB): a TaskManager's whole memory (its resident set: heap, Buffers,
   * code); near it, the job that grew heap and off-heap memory most fails there. null: unwatched.
   */
  readonly taskManagerProcessMb: number | null;
  /** taskmanager.network.max-waiting-requests: partition requests that may wait, in all, for partitions not registered yet. */
  readonly maxWaitingPartitionRequests: number;
  /** taskmanager.network.partition-request-timeout: how long a partition request waits for its partition to register. */
  readonly partitionRequestTimeoutMs: number;
  /** taskmanager.network.max-connections: data connections a TaskManager accepts at once. */
  readonly maxDataConnections: number;
  /** taskmanager.network.max-connections-per-address: the same, from one host. */
  readonly maxDataConnectionsPerAddress: number;
  /** taskmanager.network.idle-connection-timeout: a data connection without a channel this long is closed. */
  readonly idleDataConnectionTimeoutMs: number;
  /** rpc.max-connections: actor connections a process (JobManager, TaskManager) accepts at once. */
  readonly maxRpcConnections: number;
  /** rpc.max-connections-per-address: the same, from one host. */
  readonly maxRpcConnectionsPerAddress: number;
  /** heartbeat.interval: how often connected systems send heartbeats. */
  readonly heartbeatIntervalMs: number;
  /** heartbeat.timeout: silence after which a peer is declared lost; more than the interval. */
  readonly heartbeatTimeoutMs: number;
  /** slot.request.timeout: how long a job waits for the slots it needs before it fails. */
  readonly slotRequestTimeoutMs: number;
  /** task.cancellation.interval: how often a task being cancelled is told again, and reported stuck. */
  readonly taskCancellationIntervalMs: number;
  /**
   * task.cancellation.timeout: a task not gone this long after its cancellation began (or a
   * TaskManager whose event loop is blocked this long) kills the TaskManager process, which its
   * start script's supervisor starts again: a slot is free only when its task is really gone.
   */
  readonly taskCancellationTimeoutMs: number;
  /** client.timeout: how long the CLI waits for the JobManager to answer. */
  readonly clientTimeoutMs: number;
  /** log.level: debug, info, warn, error or off. */
  readonly logLevel: LogLevel;
  /** env.log.dir: the folder of the cluster's pid files and logs; relative to the Weir folder. */
  readonly logDir: string;
  /** parallelism.default: a job's parallelism when `weir run` gets no -p. */
  readonly parallelismDefault: number;
  /** pipeline.auto-watermark-interval: periodic watermark emission of a job that sets none; 0 turns it off. */
  readonly autoWatermarkIntervalMs: number;
  /**
   * security.auth.secret (WEIR_AUTH_SECRET): the secret every connection of the cluster proves it
   * knows; null: no authentication. loadConfig fills it from security.auth.secret-file when only that is set.
   */
  readonly authSecret: AuthSecret | null;
  /** security.auth.secret-file (WEIR_AUTH_SECRET_FILE): a file holding the secret, relative to the Weir folder; not readable by every user. */
  readonly authSecretFile: string | null;
  /**
   * security.ssl.internal.enabled: actor messages and record batches between the cluster's processes
   * (and the CLI) go over mutual TLS with the certificate, key and CA below (PEM files).
   */
  readonly internalTlsEnabled: boolean;
  /** security.ssl.internal.cert: this process's certificate (PEM), relative to the Weir folder. */
  readonly internalTlsCert: string | null;
  /** security.ssl.internal.key: its private key (PEM); not readable by every user. */
  readonly internalTlsKey: string | null;
  /** security.ssl.internal.ca: the CA every peer's certificate must chain to (PEM). */
  readonly internalTlsCa: string | null;
  /** security.ssl.rest.enabled: the REST API and console are served over https with the certificate and key below. */
  readonly restTlsEnabled: boolean;
  /** security.ssl.rest.cert: the REST server's certificate (PEM), relative to the Weir folder. */
  readonly restTlsCert: string | null;
  /** security.ssl.rest.key: its private key (PEM); not readable by every user. */
  readonly restTlsKey: string | null;
  /** security.ssl.verify-hostname: a dialled peer's certificate must name the host dialled. */
  readonly tlsVerifyHostname: boolean;
  /** execution.checkpointing.interval: checkpointing of jobs that enable none themselves; 0 (unset): off. */
  readonly checkpointIntervalMs: number;
  /** execution.checkpointing.mode: EXACTLY_ONCE aligns barriers, AT_LEAST_ONCE does not. */
  readonly checkpointingMode: CheckpointingMode;
  /** execution.checkpointing.timeout: a checkpoint not complete after this long is aborted. */
  readonly checkpointTimeoutMs: number;
  /** execution.checkpointing.unaligned: barriers overtake in-flight data, which joins the snapshot (EXACTLY_ONCE only). */
  readonly unalignedCheckpoints: boolean;
  /** execution.checkpointing.aligned-checkpoint-timeout: with unaligned, a checkpoint starts aligned and switches after this long; 0: unaligned at once. */
  readonly alignedCheckpointTimeoutMs: number;
  /** execution.checkpointing.min-pause: from the end of one checkpoint to the trigger of the next. */
  readonly checkpointMinPauseMs: number;
  /** execution.checkpointing.max-concurrent-checkpoints: checkpoints in progress at once. */
  readonly maxConcurrentCheckpoints: number;
  /** execution.checkpointing.tolerable-failed-checkpoints: failed checkpoints in a row a job survives. */
  readonly tolerableFailedCheckpoints: number;
  /** execution.checkpointing.num-retained (Flink's older state.checkpoints.num-retained): completed checkpoints kept. */
  readonly retainedCheckpoints: number;
  /**
   * execution.checkpointing.dir (Flink's older state.checkpoints.dir): where checkpoints are written,
   * relative to the Weir folder; null: `<env.log.dir>/checkpoints`.
   */
  readonly checkpointsDir: string | null;
  /**
   * execution.checkpointing.savepoint-dir (Flink's older state.savepoints.dir): where `weir savepoint`
   * and `weir stop` put a savepoint that names no directory, relative to the Weir folder; null: none.
   */
  readonly savepointsDir: string | null;
  /** execution.checkpointing.externalized-checkpoint-retention: what a job's checkpoints become when it ends. */
  readonly checkpointRetention: CheckpointRetention;
  /**
   * metrics.reporter.prom.port: the port (or a range, for several processes on a host) where each
   * process serves Prometheus' /metrics, on its own host; null (unset): no Prometheus reporter.
   */
  readonly prometheusPorts: PortRange | null;
  /** restart-strategy.type: null (unset) is exponential-delay for a checkpointing job, else none. */
  readonly restartStrategy: RestartStrategyType | null;
  /** restart-strategy.fixed-delay.attempts: restarts before the job fails. */
  readonly fixedDelayAttempts: number;
  /** restart-strategy.fixed-delay.delay: between a failure and the restart. */
  readonly fixedDelayMs: number;
  /** restart-strategy.exponential-delay.initial-backoff: the first delay. */
  readonly exponentialInitialBackoffMs: number;
  /** restart-strategy.exponential-delay.max-backoff: the longest delay; at least the initial backoff. */
  readonly exponentialMaxBackoffMs: number;
  /** restart-strategy.exponential-delay.backoff-multiplier: the delay grows by this after each failure (> 1). */
  readonly exponentialBackoffMultiplier: number;
  /** restart-strategy.exponential-delay.reset-backoff-threshold: running this long without failure starts again from the initial backoff. */
  readonly exponentialResetBackoffThresholdMs: number;
  /** restart-strategy.exponential-delay.jitter-factor: each delay moves by up to this fraction, at random (0..1). */
  readonly exponentialJitterFactor: number;
  /** restart-strategy.exponential-delay.attempts-before-reset-backoff: restarts before the job fails, counted since the last reset; null: unlimited. */
  readonly exponentialAttempts: number | null;
  /** restart-strategy.failure-rate.max-failures-per-interval: more failures than this within the interval fail the job. */
  readonly failureRateMaxFailures: number;
  /** restart-strategy.failure-rate.failure-rate-interval: the window failures are counted in. */
  readonly failureRateIntervalMs: number;
  /** restart-strategy.failure-rate.delay: between a failure and the restart. */
  readonly failureRateDelayMs: number;
}

export const DEFAULT_CONFIG: WeirConfig = {
  jobManagerAddress: '127.0.0.1',
  jobManagerPort: 6123,
  restAddress: '127.0.0.1',
  restBindAddress: '127.0.0.1',
  restPort: 8081,
  restBindPorts: [{ from: 8081, to: 8081 }],
  taskManagerSlots: 1,
  taskManagerHost: '127.0.0.1',
  taskManagerRpcPorts: ANY_PORT,
  taskManagerDataPorts: ANY_PORT,
  taskManagerHeapMb: null,
  taskManagerProcessMb: null,
  maxWaitingPartitionRequests: 10_000,
  partitionRequestTimeoutMs: 60_000,
  maxDataConnections: 512,
  maxDataConnectionsPerAddress: 128,
  idleDataConnectionTimeoutMs: 600_000,
  maxRpcConnections: 1024,
  maxRpcConnectionsPerAddress: 256,
  heartbeatIntervalMs: 10_000,
  heartbeatTimeoutMs: 50_000,
  slotRequestTimeoutMs: 300_000,
  taskCancellationIntervalMs: 30_000,
  taskCancellationTimeoutMs: 180_000,
  clientTimeoutMs: 10_000,
  logLevel: 'info',
  logDir: 'log',
  parallelismDefault: 1,
  autoWatermarkIntervalMs: 200, // Flink's default
  authSecret: null,
  authSecretFile: null,
  internalTlsEnabled: false,
  internalTlsCert: null,
  internalTlsKey: null,
  internalTlsCa: null,
  tlsVerifyHostname: true,
  restTlsEnabled: false,
  restTlsCert: null,
  restTlsKey: null,
  // Flink's defaults (api/fault-tolerance/checkpoint-config.ts states the job-side ones).
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
  savepointsDir: null,
  checkpointRetention: 'DELETE_ON_CANCELLATION',
  prometheusPorts: null,
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
};

export interface Setting<K extends keyof WeirConfig = keyof WeirConfig> {
  readonly field: K;
  readonly type: ValueType<WeirConfig[K]>;
  /** The variable that overrides the key; default WEIR_ + the key upper-cased, '.' and '-' as '_'. */
  readonly envVar?: string;
  /** The default when the key is not set, from the keys read so far (rows above this one). */
  readonly defaultFrom?: (config: WeirConfig) => WeirConfig[K];
  /** Flink's older name of the key `olderNameOf` (same field); it has no variable of its own, and both may not be set. */
  readonly olderNameOf?: string;
}

function setting<K extends keyof WeirConfig>(field: K, type: ValueType<WeirConfig[K]>, extra: Omit<Setting<K>, 'field' | 'type'> = {}): Setting {
  return { field, type, ...extra } as Setting;
}

/** Flink's Integer.MAX_VALUE: the bound of its int options (attempts, counts). */
const INT_MAX = 2_147_483_647;

/** Keys in dependency order: a defaultFrom reads only rows above its own. */
export const SETTINGS: Readonly<Record<string, Setting>> = {
  'jobmanager.rpc.address': setting('jobManagerAddress', host),
  'jobmanager.rpc.port': setting('jobManagerPort', port),
  'rest.address': setting('restAddress', host, { defaultFrom: (config) => config.jobManagerAddress }),
  'rest.bind-address': setting('restBindAddress', host, { defaultFrom: (config) => config.restAddress }),
  'rest.port': setting('restPort', listenPort),
  'rest.bind-port': setting('restBindPorts', portRange, { defaultFrom: (config) => [{ from: config.restPort, to: config.restPort }] }),
  'taskmanager.numberOfTaskSlots': setting('taskManagerSlots', integer(1, 4096)),
  'taskmanager.host': setting('taskManagerHost', host),
  'taskmanager.rpc.port': setting('taskManagerRpcPorts', portRange),
  'taskmanager.data.port': setting('taskManagerDataPorts', portRange),
  'taskmanager.memory.heap.size': setting('taskManagerHeapMb', memorySizeMb),
  'taskmanager.memory.process.size': setting('taskManagerProcessMb', memorySizeMb),
  'taskmanager.network.max-waiting-requests': setting('maxWaitingPartitionRequests', integer(1, INT_MAX)),
  'taskmanager.network.partition-request-timeout': setting('partitionRequestTimeoutMs', duration()),
  'taskmanager.network.max-connections': setting('maxDataConnections', integer(1, 1_000_000)),
  'taskmanager.network.max-connections-per-address': setting('maxDataConnectionsPerAddress', integer(1, 1_000_000)),
  'taskmanager.network.idle-connection-timeout': setting('idleDataConnectionTimeoutMs', duration()),
  'rpc.max-connections': setting('maxRpcConnections', integer(1, 1_000_000)),
  'rpc.max-connections-per-address': setting('maxRpcConnectionsPerAddress', integer(1, 1_000_000)),
  'heartbeat.interval': setting('heartbeatIntervalMs', duration()),
  'heartbeat.timeout': setting('heartbeatTimeoutMs', duration()),
  'slot.request.timeout': setting('slotRequestTimeoutMs', duration()),
  'task.cancellation.interval': setting('taskCancellationIntervalMs', duration()),
  'task.cancellation.timeout': setting('taskCancellationTimeoutMs', duration()),
  'client.timeout': setting('clientTimeoutMs', duration()),
  'log.level': setting('logLevel', logLevel),
  // WEIR_LOG_DIR is what the bin/ scripts have always read.
  'env.log.dir': setting('logDir', path, { envVar: 'WEIR_LOG_DIR' }),
  'parallelism.default': setting('parallelismDefault', integer(1, 32_768)),
  'pipeline.auto-watermark-interval': setting('autoWatermarkIntervalMs', duration({ allowZero: true })),
  'security.auth.secret': setting('authSecret', secret, { envVar: 'WEIR_AUTH_SECRET' }),
  'security.auth.secret-file': setting('authSecretFile', path, { envVar: 'WEIR_AUTH_SECRET_FILE' }),
  'security.ssl.internal.enabled': setting('internalTlsEnabled', boolean),
  'security.ssl.internal.cert': setting('internalTlsCert', path),
  'security.ssl.internal.key': setting('internalTlsKey', path),
  'security.ssl.internal.ca': setting('internalTlsCa', path),
  'security.ssl.verify-hostname': setting('tlsVerifyHostname', boolean),
  'security.ssl.rest.enabled': setting('restTlsEnabled', boolean),
  'security.ssl.rest.cert': setting('restTlsCert', path),
  'security.ssl.rest.key': setting('restTlsKey', path),
  'execution.checkpointing.interval': setting('checkpointIntervalMs', duration({ allowZero: true })),
  'execution.checkpointing.mode': setting('checkpointingMode', oneOf<CheckpointingMode>({ EXACTLY_ONCE: 'EXACTLY_ONCE', AT_LEAST_ONCE: 'AT_LEAST_ONCE' })),
  'execution.checkpointing.timeout': setting('checkpointTimeoutMs', duration()),
  'execution.checkpointing.unaligned': setting('unalignedCheckpoints', boolean),
  'execution.checkpointing.aligned-checkpoint-timeout': setting('alignedCheckpointTimeoutMs', duration({ allowZero: true, zeroIs: 'unaligned from the start' })),
  'execution.checkpointing.min-pause': setting('checkpointMinPauseMs', duration({ allowZero: true, zeroIs: 'no pause' })),
  'execution.checkpointing.max-concurrent-checkpoints': setting('maxConcurrentCheckpoints', integer(1, INT_MAX)),
  'execution.checkpointing.tolerable-failed-checkpoints': setting('tolerableFailedCheckpoints', integer(0, INT_MAX)),
  'execution.checkpointing.num-retained': setting('retainedCheckpoints', integer(1, INT_MAX)),
  'state.checkpoints.num-retained': setting('retainedCheckpoints', integer(1, INT_MAX), { olderNameOf: 'execution.checkpointing.num-retained' }),
  'execution.checkpointing.dir': setting('checkpointsDir', path),
  'state.checkpoints.dir': setting('checkpointsDir', path, { olderNameOf: 'execution.checkpointing.dir' }),
  'execution.checkpointing.savepoint-dir': setting('savepointsDir', path),
  'state.savepoints.dir': setting('savepointsDir', path, { olderNameOf: 'execution.checkpointing.savepoint-dir' }),
  'execution.checkpointing.externalized-checkpoint-retention': setting(
    'checkpointRetention',
    oneOf<CheckpointRetention>({ DELETE_ON_CANCELLATION: 'DELETE_ON_CANCELLATION', RETAIN_ON_CANCELLATION: 'RETAIN_ON_CANCELLATION', NO_EXTERNALIZED_CHECKPOINTS: 'NO_EXTERNALIZED_CHECKPOINTS' }),
  ),
  'metrics.reporter.prom.port': setting('prometheusPorts', portRange),
  // Flink's names and aliases of each strategy.
  'restart-strategy.type': setting(
    'restartStrategy',
    oneOf<RestartStrategyType>({
      none: 'none',
      off: 'none',
      disable: 'none',
      'fixed-delay': 'fixed-delay',
      fixeddelay: 'fixed-delay',
      'exponential-delay': 'exponential-delay',
      exponentialdelay: 'exponential-delay',
      'failure-rate': 'failure-rate',
      failurerate: 'failure-rate',
    }),
  ),
  'restart-strategy.fixed-delay.attempts': setting('fixedDelayAttempts', integer(0, INT_MAX)),
  'restart-strategy.fixed-delay.delay': setting('fixedDelayMs', duration({ allowZero: true, zeroIs: 'no delay' })),
  'restart-strategy.exponential-delay.initial-backoff': setting('exponentialInitialBackoffMs', duration()),
  'restart-strategy.exponential-delay.max-backoff': setting('exponentialMaxBackoffMs', duration()),
  'restart-strategy.exponential-delay.backoff-multiplier': setting('exponentialBackoffMultiplier', decimal(1, Infinity, { aboveMin: true })),
  'restart-strategy.exponential-delay.reset-backoff-threshold': setting('exponentialResetBackoffThresholdMs', duration()),
  'restart-strategy.exponential-delay.jitter-factor': setting('exponentialJitterFactor', decimal(0, 1)),
  'restart-strategy.exponential-delay.attempts-before-reset-backoff': setting('exponentialAttempts', integer(1, INT_MAX)),
  'restart-strategy.failure-rate.max-failures-per-interval': setting('failureRateMaxFailures', integer(1, INT_MAX)),
  'restart-strategy.failure-rate.failure-rate-interval': setting('failureRateIntervalMs', duration()),
  'restart-strategy.failure-rate.delay': setting('failureRateDelayMs', duration({ allowZero: true, zeroIs: 'no delay' })),
};
