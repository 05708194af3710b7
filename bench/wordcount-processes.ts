// The processes of bench/wordcount.ts: a standalone cluster from cluster/entrypoints (a JobManager
// and two TaskManagers, each TaskManager's main thread pinned to its own core), the baseline's peer,
// and the bookkeeping that kills every child when the benchmark ends, however it ends.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TlsOptions } from '../actors/index.ts';
import { WeirClient } from '../api/client/index.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const START_TIMEOUT_MS = 20_000;

export function withTimeout<T>(promise: Promise<T>, what: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const children: ChildProcess[] = [];
export const killChildren = (): void => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};
process.on('exit', killChildren);

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts `node [nodeArgs] --import tsx <script>` and waits for the line `{"ready":...}` it prints once listening. */
export async function startNode(script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    // Every line is read (a full pipe would block the child); BENCH_ECHO=1 echoes them on stderr.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve(JSON.parse(line) as Record<string, unknown>);
      else if (process.env.BENCH_ECHO === '1') process.stderr.write(`[${child.pid}] ${line}\n`);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (code ${code}) before it was ready`)));
  });
  return { child, ready: await withTimeout(ready, `${script} to start`, START_TIMEOUT_MS) };
}

const pinning = process.env.BENCH_PIN !== '0' && availableParallelism() >= 2 && process.platform === 'linux';

/** Pins a process's main thread to `cpu`; false when pinning is off or taskset failed. */
export function pin(pid: number | undefined, cpu: number): boolean {
  if (!pinning || pid === undefined) return false;
  try {
    execFileSync('taskset', ['-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface StandaloneCluster {
  readonly client: WeirClient;
  readonly placement: string;
  /** Each TaskManager's process, in start order. */
  readonly taskManagers: readonly ChildProcess[];
  /** Where the JobManager writes checkpoints: `<log dir>/checkpoints`. */
  readonly checkpointsDirectory: string;
  stop(): Promise<void>;
}

export interface StandaloneClusterOptions {
  /** TaskManager processes, one slot each; default 2 (the first two pinned to cpu 0 and 1). */
  readonly taskManagers?: number;
  /** More lines of weir.yaml. */
  readonly settings?: readonly string[];
  /** security.ssl.internal: the PEM files every process reads, and the bench client's own TLS. */
  readonly tls?: { readonly files: { readonly cert: string; readonly key: string; readonly ca: string }; readonly client: TlsOptions };
}

/** A JobManager and TaskManagers (one slot each) with their configuration and logs under `workDir`. */
export async function startStandaloneCluster(workDir: string, options: StandaloneClusterOptions = {}): Promise<StandaloneCluster> {
  const confDir = join(workDir, 'conf');
  mkdirSync(confDir);
  const port = await freePort();
  const tls = options.tls;
  const tlsLines = tls ? ['security.ssl.internal.enabled: true', `security.ssl.internal.cert: ${tls.files.cert}`, `security.ssl.internal.key: ${tls.files.key}`, `security.ssl.internal.ca: ${tls.files.ca}`] : [];
  const settings = [...(options.settings ?? []), ...tlsLines].map((line) => `${line}\n`).join('');
  // rest.bind-port 0: benchmarks run beside other clusters (specs, another bench) without taking 8081.
  writeFileSync(join(confDir, 'weir.yaml'), `jobmanager.rpc.port: ${port}\nrest.bind-port: 0\ntaskmanager.numberOfTaskSlots: 1\nlog.level: error\n${settings}`);
  const env = { ...process.env, WEIR_CONF_DIR: confDir, WEIR_LOG_DIR: join(workDir, 'log') };
  const entry = (name: string): string => join(ROOT, 'cluster/entrypoints', name);
  const nodeArgs = (process.env.BENCH_TM_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const jobManager = await startNode(entry('jobmanager.ts'), env);
  const count = options.taskManagers ?? 2;
  const taskManagers = await Promise.all(
    Array.from({ length: count }, (_, index) => `bench-${index + 1}`).map((id) => startNode(entry('taskmanager.ts'), { ...env, WEIR_TASKMANAGER_ID: id }, nodeArgs)),
  );
  const pinned = taskManagers.slice(0, 2).map(({ child }, cpu) => pin(child.pid, cpu)).every(Boolean);
  const client = await WeirClient.connect(`127.0.0.1:${port}`, tls ? { tls: tls.client } : {});
  for (let waited = 0; (await client.clusterInfo()).taskManagers < count; waited += 20) {
    if (waited > START_TIMEOUT_MS) throw new Error('the TaskManagers did not register');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    client,
    placement: pinned ? 'TaskManager main threads on cpu 0 and cpu 1' : 'unpinned',
    taskManagers: taskManagers.map(({ child }) => child),
    checkpointsDirectory: join(workDir, 'log', 'checkpoints'),
    async stop() {
      await client.close();
      // SIGTERM lets a profiled TaskManager write its profile; SIGKILL on exit catches the rest.
      for (const { child } of [...taskManagers, jobManager]) child.kill('SIGTERM');
      await Promise.all(
        [...taskManagers, jobManager].map(({ child }) =>
          child.exitCode !== null || child.signalCode !== null ? undefined : withTimeout(new Promise((resolve) => child.once('exit', resolve)), 'a cluster process to exit', 10_000),
        ),
      );
    },
  };
}
