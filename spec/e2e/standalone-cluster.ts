// A standalone cluster for multi-process specs, started by the scripts as a user starts one
// (bin/start-cluster.sh): one JobManager and one-slot TaskManager processes on loopback, with a
// configuration of the spec's own in a temporary directory. The teardown stops it (stop-cluster.sh,
// then kill -9 of any process a pid file still names) and removes the directory.
import type { ExecutionContext } from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WeirClient } from '../../api/client/index.ts';
import { REPO_ROOT, freePort, isAlive, runCommand } from './process.ts';

export interface StandaloneCluster {
  /** The JobManager's address, host:port. */
  readonly address: string;
  readonly logDir: string;
  /** Connected, once every TaskManager registered; closed in teardown. */
  readonly client: WeirClient;
  /** The pid of every process start-cluster.sh wrote down. */
  pids(): number[];
}

export interface StandaloneClusterOptions {
  /** TaskManager processes, one slot each. Default 2. */
  readonly taskManagers?: number;
  /** More lines of weir.yaml, e.g. `heartbeat.timeout: 30 s`. */
  readonly settings?: readonly string[];
  /** Prefix of the temporary directory. */
  readonly name: string;
}

/** How long the TaskManagers may take to register with the ResourceManager. */
const REGISTRATION_TIMEOUT_MS = 15_000;

export async function startStandaloneCluster(t: ExecutionContext, options: StandaloneClusterOptions): Promise<StandaloneCluster> {
  const { taskManagers = 2, settings = [], name } = options;
  const root = mkdtempSync(join(tmpdir(), `${name}-`));
  t.teardown(() => rmSync(root, { recursive: true, force: true })); // teardowns run last-first: after the cluster stops
  const confDir = join(root, 'conf');
  const logDir = join(root, 'log');
  mkdirSync(confDir);
  const port = await freePort();
  writeFileSync(join(confDir, 'weir.yaml'), [`jobmanager.rpc.port: ${port}`, 'taskmanager.numberOfTaskSlots: 1', 'log.level: info', ...settings].join('\n') + '\n');
  writeFileSync(join(confDir, 'workers'), 'localhost\n'.repeat(taskManagers));
  const env = { ...process.env, WEIR_CONF_DIR: confDir, WEIR_LOG_DIR: logDir, WEIR_LOG_LEVEL: '' };
  const pids = (): number[] =>
    readdirSync(logDir)
      .filter((file) => file.endsWith('.pid'))
      .map((file) => Number(readFileSync(join(logDir, file), 'utf8').trim()));
  t.teardown(async () => {
    await runCommand('bash', [join(REPO_ROOT, 'bin', 'stop-cluster.sh')], env, 30_000);
    for (const pid of pids()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  const started = await runCommand('bash', [join(REPO_ROOT, 'bin', 'start-cluster.sh')], env);
  if (started.code !== 0) throw new Error(`start-cluster.sh exited with ${started.code}: ${started.stderr}`);
  const address = `127.0.0.1:${port}`;
  const client = await WeirClient.connect(address, { timeoutMs: 10_000 });
  t.teardown(() => client.close());
  const deadline = Date.now() + REGISTRATION_TIMEOUT_MS;
  while ((await client.clusterInfo()).taskManagers < taskManagers) {
    if (Date.now() > deadline) throw new Error(`${taskManagers} TaskManagers did not register within ${REGISTRATION_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { address, logDir, client, pids };
}
