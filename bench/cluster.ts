// Job latency on a standalone cluster: a JobManager and two TaskManager processes on loopback; the
// trivial job (examples/trivial-job.ts, parallelism 2) submitted RUNS times through the actor client.
// Prints one JSON line: median and worst time from submit() to RUNNING and to FINISHED (submit()
// includes bundling and planning the module), and the bundling time alone. Flink takes about 1 s.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WeirClient, bundleJob } from '../api/client/index.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const JOB = join(ROOT, 'examples/trivial-job.ts');
const RUNS = 20;
const START_TIMEOUT_MS = 20_000;

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function start(entry: string, env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cluster/entrypoints', entry)], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).once('line', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number): number => Math.round(value * 10) / 10;

const confDir = mkdtempSync(join(tmpdir(), 'weir-bench-'));
// After the children are killed (the handler above runs first): the configuration and the outputs go.
process.on('exit', () => rmSync(confDir, { recursive: true, force: true }));
const port = await freePort();
writeFileSync(join(confDir, 'weir.yaml'), `jobmanager.rpc.port: ${port}\ntaskmanager.numberOfTaskSlots: 1\nlog.level: warn\n`);
const env = { ...process.env, WEIR_CONF_DIR: confDir };
await start('jobmanager.ts', env);
await Promise.all([start('taskmanager.ts', { ...env, WEIR_TASKMANAGER_ID: 'bench-1' }), start('taskmanager.ts', { ...env, WEIR_TASKMANAGER_ID: 'bench-2' })]);

const client = await WeirClient.connect(`127.0.0.1:${port}`);
for (let waited = 0; (await client.clusterInfo()).taskManagers < 2; waited += 20) {
  if (waited > START_TIMEOUT_MS) throw new Error('TaskManagers did not register');
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const toRunning: number[] = [];
const toFinished: number[] = [];
const bundling: number[] = [];
for (let run = 0; run <= RUNS; run++) {
  const bundleStart = performance.now();
  await bundleJob(JOB);
  const bundleMs = performance.now() - bundleStart;
  const started = performance.now();
  const handle = await client.submit(JOB, { parallelism: 2, args: [join(confDir, `out-${run}`)] });
  let runningAt = 0;
  handle.status$.subscribe((change) => {
    if (change.status === 'RUNNING') runningAt = performance.now();
  });
  await handle.result();
  if (run === 0) continue; // warm-up
  toRunning.push(runningAt - started);
  toFinished.push(performance.now() - started);
  bundling.push(bundleMs);
}
await client.close();

process.stdout.write(
  JSON.stringify({
    runs: RUNS,
    submitToRunningMsP50: round(median(toRunning)),
    submitToRunningMsMax: round(Math.max(...toRunning)),
    submitToFinishedMsP50: round(median(toFinished)),
    submitToFinishedMsMax: round(Math.max(...toFinished)),
    bundleMsP50: round(median(bundling)),
    target: { submitToFinishedMs: 1000 },
    met: { submitToFinishedMs: median(toFinished) < 1000 },
  }) + '\n',
);
process.exit(0);
