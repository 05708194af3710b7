// The JobManager process of a standalone cluster: the Dispatcher, its REST API and the ResourceManager
// (JobManagers are started per job by the Dispatcher). Prints one JSON line {"ready":true,...} once
// listening, with the REST API's URL.
// Run by bin/jobmanager.sh; configuration from conf/weir.yaml (WEIR_CONF_DIR).
import { ActorSystem } from '../../actors/index.ts';
import { describeError } from '../../messages/errors.ts';
import { DISPATCHER_NAME, JOBMANAGER_SYSTEM, RESOURCE_MANAGER_NAME } from '../../messages/addresses.ts';
import { resolve } from 'node:path';
import { WEIR_HOME, loadConfig } from '../config.ts';
import { dispatcher } from '../dispatcher/dispatcher.ts';
import { type RestServer, startRestServer } from '../dispatcher/rest/server.ts';
import { readInternalTls } from '../config/internal-tls.ts';
import { resourceManager } from '../resourcemanager/resource-manager.ts';
import { BundleLoader } from '../taskmanager/job-code.ts';
import { exposureWarning, isLoopback } from './exposure.ts';
import { jobManagerFamilies } from '../metrics/jobmanager-families.ts';
import { type PrometheusReporter, startPrometheusReporter } from '../metrics/prometheus-reporter.ts';
import { exitOnSignals, fail } from './process.ts';

let system: ActorSystem;
let rest: RestServer;
let warning: string | undefined;
let prometheus: PrometheusReporter | undefined;
try {
  const config = loadConfig();
  const tls = readInternalTls(config, WEIR_HOME);
  system = await ActorSystem.create({
    name: JOBMANAGER_SYSTEM,
    remote: {
      host: config.jobManagerAddress,
      port: config.jobManagerPort,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      acceptablePauseMs: config.heartbeatTimeoutMs,
      ...(config.authSecret ? { secret: config.authSecret } : {}),
      ...(tls ? { tls } : {}),
    },
    log: { level: config.logLevel },
  });
  const rm = system.spawn(resourceManager(), RESOURCE_MANAGER_NAME);
  // JobManagers import a job's bundle too when its sources have split enumerators (fromSource).
  const dispatcherRef = system.spawn(
    dispatcher({
      resourceManager: rm,
      slotRequestTimeoutMs: config.slotRequestTimeoutMs,
      jobCode: new BundleLoader(),
      // Relative paths of weir.yaml start at the Weir folder, as env.log.dir does.
      faultTolerance: { ...config, checkpointsDir: config.checkpointsDir === null ? null : resolve(WEIR_HOME, config.checkpointsDir) },
      checkpointsDirectory: resolve(WEIR_HOME, config.logDir, 'checkpoints'),
      ...(config.savepointsDir !== null ? { savepointsDirectory: resolve(WEIR_HOME, config.savepointsDir) } : {}),
    }),
    DISPATCHER_NAME,
  );
  rest = await startRestServer({ system, dispatcher: dispatcherRef, host: config.restBindAddress, ports: config.restBindPorts });
  const listeners = [
    { host: config.jobManagerAddress, port: config.jobManagerPort, what: 'actor messages' },
    { host: config.restBindAddress, port: rest.port, what: 'the REST API' },
  ];
  warning = exposureWarning('JobManager', listeners, config.authSecret !== null);
  if (warning) system.log.warn(warning, { code: 'AUTHENTICATION_DISABLED' });
  else if (!isLoopback(config.restBindAddress)) {
    // The secret guards actor messages only so far (issue 12): say that the REST API is open.
    system.log.warn(`the REST API on ${rest.url} does not check security.auth.secret yet: anyone who reaches it can read the cluster and cancel jobs; set rest.bind-address: 127.0.0.1 (docs/security.md)`, { code: 'AUTHENTICATION_DISABLED' });
  }
  if (config.prometheusPorts !== null) {
    prometheus = await startPrometheusReporter({
      host: config.jobManagerAddress,
      ports: config.prometheusPorts,
      processLabels: { role: 'jobmanager' },
      families: jobManagerFamilies(dispatcherRef),
    });
    system.log.info(`Prometheus metrics at ${prometheus.url}`);
  }
} catch (error) {
  fail(`JobManager did not start: ${describeError(error)}`);
}
process.stdout.write(
  JSON.stringify({ ready: true, role: 'jobmanager', address: system.address, rest: rest.url, pid: process.pid, ...(prometheus ? { metrics: prometheus.url } : {}), ...(warning ? { warning } : {}) }) + '\n',
);
exitOnSignals(system, async () => {
  await rest.close();
  await prometheus?.close();
});
