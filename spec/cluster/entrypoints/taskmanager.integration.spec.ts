// The TaskManager process binds the first free port of taskmanager.rpc.port and of
// taskmanager.data.port; with every port of a range taken it exits 1, saying which key and why.
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort } from '../../testkit/fake-jobmanager.ts';

const ENTRY = fileURLToPath(new URL('../../../cluster/entrypoints/taskmanager.ts', import.meta.url));
/** A bound on the process's start: Node, tsx and two listens. */
const START_TIMEOUT_MS = 20_000;

interface Outcome {
  readonly ready?: { readonly address: string; readonly dataAddress: string };
  readonly code?: number | null;
  readonly stderr: string;
}

async function blockPort(t: ExecutionContext): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** Starts the entrypoint with `yaml` and waits for its ready line or its exit. */
async function startTaskManager(t: ExecutionContext, yaml: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-tm-ports-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'weir.yaml'), `jobmanager.rpc.port: ${await closedPort()}\nlog.level: off\n${yaml}`);
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { env: { ...process.env, WEIR_CONF_DIR: dir, WEIR_TASKMANAGER_ID: 'spec-1', WEIR_LOG_LEVEL: '' } });
  t.teardown(() => void child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<Outcome>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line or exit within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      resolve({ ready: JSON.parse(stdout.split('\n')[0]) as Outcome['ready'], stderr });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const portOf = (address: string): number => Number(/:(\d+)$/.exec(address)?.[1]);

test('a TaskManager whose first port is taken binds the next free one of its range, for actor messages and for data', async (t) => {
  const taken = await blockPort(t);
  const range = `${taken}-${Math.min(taken + 20, 65535)}`;
  const { ready, stderr } = await startTaskManager(t, `taskmanager.rpc.port: ${range}\ntaskmanager.data.port: ${range}\n`);
  t.truthy(ready, stderr);
  const rpcPort = portOf(ready!.address);
  const dataPort = portOf(ready!.dataAddress);
  t.true(rpcPort > taken && rpcPort <= taken + 20, `rpc port ${rpcPort}, taken ${taken}`);
  t.true(dataPort > rpcPort && dataPort <= taken + 20, `data port ${dataPort}, rpc port ${rpcPort}`);
  t.regex(ready!.address, /^weir:\/\/taskmanager-spec-1@127\.0\.0\.1:\d+$/);
});

test('a TaskManager whose every port is taken exits 1 naming the key, the range and the reason', async (t) => {
  const taken = await blockPort(t);
  const { ready, code, stderr } = await startTaskManager(t, `taskmanager.rpc.port: ${taken}\n`);
  t.is(ready, undefined);
  t.is(code, 1);
  t.regex(stderr.trim(), new RegExp(`^TaskManager spec-1 did not start: no free port in taskmanager\\.rpc\\.port: ${taken} \\(cannot listen on 127\\.0\\.0\\.1:${taken}: .*EADDRINUSE.*\\)$`));
});
