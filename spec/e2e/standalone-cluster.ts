// A standalone cluster for multi-process specs, started by the scripts as a user starts one
// (bin/start-cluster.sh): one JobManager and one-slot TaskManager processes on loopback, with a
// configuration of the spec's own in a temporary directory. The teardown stops it (stop-cluster.sh,
// then kill -9 of any process a pid file still names) and removes the directory.
import type { ExecutionContext } from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogLevel, TlsOptions } from '../../actors/index.ts';
import { WeirClient } from '../../api/client/index.ts';
import { REPO_ROOT, eventually, freePort, isAlive, runCommand } from './process.ts';

export interface StandaloneCluster {
  /** The JobManager's address, host:port. */
  readonly address: string;
  /** The REST API's base URL, from the JobManager's ready line. */
  readonly restUrl: string;
  /** The temporary directory, removed in teardown: conf/ and log/ are in it, and the spec's own files may go there. */
  readonly root: string;
  /** Holds weir.yaml and workers. */
  readonly confDir: string;
  /** The pid files, and each process's stdout (.out) and log (.log). */
  readonly logDir: string;
  /** This process's environment with the cluster's WEIR_CONF_DIR and WEIR_LOG_DIR: for bin/weir and the scripts. */
  readonly env: NodeJS.ProcessEnv;
  /** Connected, once every TaskManager registered; closed in teardown. */
  readonly client: WeirClient;
  /** The pid of every process start-cluster.sh wrote down (and no script removed since). */
  pids(): number[];
  /** The ready line of every TaskManager started: the first line of its .out file. */
  taskManagers(): TaskManagerReady[];
}

/** What a TaskManager prints first on stdout once it is up. */
export interface TaskManagerReady {
  readonly id: string;
  /** Its actor system's address, weir://taskmanager-<id>@host:port. */
  readonly address: string;
  /** Its data server, host:port. */
  readonly dataAddress: string;
  readonly pid: number;
  /** Its Prometheus endpoint, when metrics.reporter.prom.port is set. */
  readonly metrics?: string;
}

export interface StandaloneClusterOptions {
  /** TaskManager processes, one slot each. Default 2. */
  readonly taskManagers?: number;
  /** log.level of weir.yaml. Default info. */
  readonly logLevel?: LogLevel;
  /** More lines of weir.yaml, e.g. `heartbeat.timeout: 30 s`. */
  readonly settings?: readonly string[];
  /** Prefix of the temporary directory. */
  readonly name: string;
  /** security.auth.secret of weir.yaml, which the helper's client uses too. Default: none. */
  readonly secret?: string;
  /** rest.bind-port of weir.yaml. Default 0 (any free port: specs run side by side). */
  readonly restPorts?: string;
  /** The helper's client's TLS, for a cluster whose settings enable security.ssl.internal. */
  readonly tls?: TlsOptions;
}

/** How long the TaskManagers may take to register with the ResourceManager. */
const REGISTRATION_TIMEOUT_MS = 15_000;
/** A bound on stop-cluster.sh in teardown; what it leaves is killed with -9. */
const STOP_TIMEOUT_MS = 30_000;

export async function startStandaloneCluster(t: ExecutionContext, options: StandaloneClusterOptions): Promise<StandaloneCluster> {
  const { taskManagers = 2, logLevel = 'info', settings = [], name, secret, tls, restPorts = '0' } = options;
  const root = mkdtempSync(join(tmpdir(), `${name}-`));
  t.teardown(() => rmSync(root, { recursive: true, force: true })); // teardowns run last-first: after the cluster stops
  const confDir = join(root, 'conf');
  const logDir = join(root, 'log');
  mkdirSync(confDir);
  const port = await freePort();
  const secretLines = secret === undefined ? [] : [`security.auth.secret: ${JSON.stringify(secret)}`];
  writeFileSync(join(confDir, 'weir.yaml'), [`jobmanager.rpc.port: ${port}`, `rest.bind-port: "${restPorts}"`, 'taskmanager.numberOfTaskSlots: 1', `log.level: ${logLevel}`, ...secretLines, ...settings].join('\n') + '\n');
  writeFileSync(join(confDir, 'workers'), 'localhost\n'.repeat(taskManagers));
  // The cluster's secret is the one of its weir.yaml only, whatever this process's environment holds.
  const env = { ...process.env, WEIR_CONF_DIR: confDir, WEIR_LOG_DIR: logDir, WEIR_LOG_LEVEL: '', WEIR_AUTH_SECRET: '' };
  const filesEndingIn = (suffix: string): string[] => (existsSync(logDir) ? readdirSync(logDir).filter((file) => file.endsWith(suffix)) : []);
  const firstLine = (file: string): string => readFileSync(join(logDir, file), 'utf8').split('\n')[0] ?? '';
  const pids = (): number[] => filesEndingIn('.pid').map((file) => Number(firstLine(file).trim()));
  const readyLines = (): TaskManagerReady[] =>
    filesEndingIn('.out')
      .filter((file) => file.startsWith('weir-taskmanager'))
      .map((file) => JSON.parse(firstLine(file) || '{}') as TaskManagerReady);
  t.teardown(async () => {
    await runCommand('bash', [join(REPO_ROOT, 'bin', 'stop-cluster.sh')], env, STOP_TIMEOUT_MS);
    for (const pid of pids()) {
      try {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // gone between the check and the kill
      }
    }
  });

  const started = await runCommand('bash', [join(REPO_ROOT, 'bin', 'start-cluster.sh')], env);
  if (started.code !== 0) throw new Error(`start-cluster.sh exited with ${started.code}: ${started.stderr}`);
  const address = `127.0.0.1:${port}`;
  const client = await WeirClient.connect(address, { timeoutMs: 10_000, ...(secret === undefined ? {} : { secret }), ...(tls === undefined ? {} : { tls }) });
  t.teardown(() => client.close());
  await eventually(async () => (await client.clusterInfo()).taskManagers >= taskManagers, REGISTRATION_TIMEOUT_MS, `${taskManagers} TaskManagers to register`);
  const jobManagerOut = filesEndingIn('.out').find((file) => file.startsWith('weir-jobmanager'));
  const restUrl = (JSON.parse((jobManagerOut && firstLine(jobManagerOut)) || '{}') as { rest?: string }).rest;
  if (!restUrl) throw new Error(`the JobManager's ready line names no REST URL: ${jobManagerOut ? firstLine(jobManagerOut) : 'no .out file'}`);
  return { address, restUrl, root, confDir, logDir, env, client, pids, taskManagers: readyLines };
}
