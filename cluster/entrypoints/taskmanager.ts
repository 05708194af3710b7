// A TaskManager process of a standalone cluster: registers with the ResourceManager of the
// JobManager named in conf/weir.yaml and runs the tasks it is given. Prints one JSON line
// {"ready":true,...} once listening (registration goes on in the background, with retries).
// WEIR_TASKMANAGER_ID names it (default: random); taskmanager.host (WEIR_TASKMANAGER_HOST) is the
// host it listens on, for actor messages on the first free port of taskmanager.rpc.port and, on
// the first free port of taskmanager.data.port, for record batches from and to other TaskManagers
// (its data server, whose address it registers with the ResourceManager).
// A task that outlives task.cancellation.timeout after its cancellation (or an event loop blocked
// that long) kills the process (cluster/taskmanager/cancellation-watchdog.ts); it first writes
// WEIR_TASKMANAGER_FATAL_FILE, when set, so that bin/weir-daemon.sh's supervisor starts it again.
import { randomBytes } from 'node:crypto';
import { ActorSystem, parseActorPath } from '../../actors/index.ts';
import type { ResourceManagerMsg } from '../../messages/resource-manager.ts';
import type { ChannelLocation } from '../../messages/task-manager.ts';
import { describeError } from '../../messages/errors.ts';
import { resourceId } from '../../messages/ids.ts';
import { TASK_MANAGER_NAME, resourceManagerPath } from '../../messages/addresses.ts';
import { WEIR_HOME, loadConfig } from '../config.ts';
import { readInternalTls } from '../config/internal-tls.ts';
import { startProcessWatchdog } from '../taskmanager/cancellation-watchdog.ts';
import { BundleLoader } from '../taskmanager/job-code.ts';
import { DataServer } from '../taskmanager/network/data-server.ts';
import { parseDataAddress } from '../taskmanager/network/data-transport.ts';
import { NetworkEnvironment } from '../taskmanager/network/network-environment.ts';
import { taskManager } from '../taskmanager/task-manager.ts';
import { configureCollectSenders } from '../../api/client/collect-sender.ts';
import { bindInRange } from './bind-in-range.ts';
import { exposureWarning } from './exposure.ts';
import { exitOnSignals, fail } from './process.ts';
import { type PrometheusReporter, startPrometheusReporter } from '../metrics/prometheus-reporter.ts';
import { taskManagerFamilies } from '../metrics/taskmanager-families.ts';
import { TaskMetricsRegistry } from '../taskmanager/metrics-registry.ts';

const id = process.env.WEIR_TASKMANAGER_ID ?? randomBytes(4).toString('hex');
let system: ActorSystem;
let dataServer: DataServer;
let dataAddress: string;
let warning: string | undefined;
let prometheus: PrometheusReporter | undefined;
try {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`WEIR_TASKMANAGER_ID "${id}" may hold only letters, digits, '_' and '-'`);
  const config = loadConfig();
  const host = config.taskManagerHost;
  // The collect sinks' client system (api/client/collect-sender.ts) reads the host from here too.
  process.env.WEIR_TASKMANAGER_HOST = host;
  const secret = config.authSecret ?? undefined;
  const tls = readInternalTls(config, WEIR_HOME);
  // The collect sinks' own actor system dials the client: it proves the same secret, over the same TLS.
  configureCollectSenders({ secret, ...(tls ? { tls } : {}) });
  const ownId = resourceId(`taskmanager-${id}`);
  system = await bindInRange(config.taskManagerRpcPorts, 'taskmanager.rpc.port', (port) =>
    ActorSystem.create({
      name: `taskmanager-${id}`,
      remote: { host, port, heartbeatIntervalMs: config.heartbeatIntervalMs, acceptablePauseMs: config.heartbeatTimeoutMs,
        maxConnections: config.maxRpcConnections,
        maxConnectionsPerHost: config.maxRpcConnectionsPerAddress,
        ...(secret ? { secret } : {}),
        ...(tls ? { tls } : {}),
      },
      log: { level: config.logLevel },
    }),
  );
  const log = system.log.child({ component: 'data-server' });
  // Locations in this TaskManager are served by handing batches over; all others through the data server.
  const isLocal = (location: ChannelLocation): boolean => location.resourceId === ownId;
  const data = await bindInRange(config.taskManagerDataPorts, 'taskmanager.data.port', async (port) => {
    const server = new DataServer({
      host,
      port,
      log,
      connectionLimits: { maxConnections: config.maxDataConnections, maxConnectionsPerHost: config.maxDataConnectionsPerAddress },
      idleTimeoutMs: config.idleDataConnectionTimeoutMs,
      ...(secret ? { secret } : {}),
      ...(tls ? { tls } : {}),
    });
    const network = new NetworkEnvironment(isLocal, server, {
      maxWaitingRequests: config.maxWaitingPartitionRequests,
      partitionRequestTimeoutMs: config.partitionRequestTimeoutMs,
      log: system.log.child({ component: 'network' }),
    });
    return { server, network, address: await server.listen(network) };
  });
  ({ server: dataServer, address: dataAddress } = data);
  const watchdog = startProcessWatchdog({
    timeoutMs: config.taskCancellationTimeoutMs,
    name: `TaskManager ${id}`,
    ...(process.env.WEIR_TASKMANAGER_FATAL_FILE ? { markerFile: process.env.WEIR_TASKMANAGER_FATAL_FILE } : {}),
  });
  const listeners = [
    { host, port: parseActorPath(system.address).address.port ?? 0, what: 'actor messages' },
    { host, port: parseDataAddress(dataAddress).port, what: 'record batches' },
  ];
  warning = exposureWarning('TaskManager', listeners, secret !== undefined);
  if (warning) system.log.warn(warning, { code: 'AUTHENTICATION_DISABLED' });
  // Its running tasks' figures, which the Prometheus reporter reads.
  const metricsRegistry = new TaskMetricsRegistry();
  system.spawn(
    taskManager({
      resourceId: ownId,
      slots: config.taskManagerSlots,
      resourceManager: system.resolve<ResourceManagerMsg>(resourceManagerPath(config.jobManagerAddress, config.jobManagerPort)),
      loader: new BundleLoader(),
      network: data.network,
      dataAddress,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      heartbeatTimeoutMs: config.heartbeatTimeoutMs,
      cancellationIntervalMs: config.taskCancellationIntervalMs,
      watchdog,
      metricsRegistry,
      ...(config.taskManagerHeapMb !== null ? { heapLimitMb: config.taskManagerHeapMb } : {}),
      ...(config.taskManagerProcessMb !== null ? { processLimitMb: config.taskManagerProcessMb } : {}),
    }),
    TASK_MANAGER_NAME,
  );
  if (config.prometheusPorts !== null) {
    prometheus = await startPrometheusReporter({ host, ports: config.prometheusPorts, processLabels: { role: 'taskmanager', tm_id: ownId }, families: taskManagerFamilies(metricsRegistry) });
    system.log.info(`Prometheus metrics at ${prometheus.url}`);
  }
} catch (error) {
  fail(`TaskManager ${id} did not start: ${describeError(error)}`);
}
process.stdout.write(JSON.stringify({ ready: true, role: 'taskmanager', id, address: system.address, dataAddress, pid: process.pid, ...(prometheus ? { metrics: prometheus.url } : {}), ...(warning ? { warning } : {}) }) + '\n');
exitOnSignals(system, async () => {
  await prometheus?.close();
  await dataServer.close();
});
