// Every key weir.yaml knows: the typed field it sets, its default, its value type. Adding a key is
// three edits in this file: a field in WeirConfig, its default in DEFAULT_CONFIG, a row in SETTINGS
// (the compiler checks that the three agree). Key names are Flink's where Flink has the setting.
import type { AuthSecret, LogLevel } from '../../actors/index.ts';
import { secret } from './auth-secret.ts';
import { ANY_PORT, type PortRange } from './port-range.ts';
import { type ValueType, duration, host, integer, listenPort, logLevel, path, port, portRange } from './value-types.ts';

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
};

export interface Setting<K extends keyof WeirConfig = keyof WeirConfig> {
  readonly field: K;
  readonly type: ValueType<WeirConfig[K]>;
  /** The variable that overrides the key; default WEIR_ + the key upper-cased, '.' and '-' as '_'. */
  readonly envVar?: string;
  /** The default when the key is not set, from the keys read so far (rows above this one). */
  readonly defaultFrom?: (config: WeirConfig) => WeirConfig[K];
}

function setting<K extends keyof WeirConfig>(field: K, type: ValueType<WeirConfig[K]>, extra: Omit<Setting<K>, 'field' | 'type'> = {}): Setting {
  return { field, type, ...extra } as Setting;
}

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
};
