// A standalone cluster with security.auth.secret (one JobManager, two TaskManagers, started by the
// scripts): its processes authenticate each other — the job's records cross the TaskManagers' data
// connections, its results come back to the program through the collect sinks' own actor system —;
// the CLI on a client machine (its own weir.yaml, without the secret) runs a job with the secret in
// WEIR_AUTH_SECRET, and without it or with a wrong one fails at once with a clear error, exit 1; a
// TaskManager without the secret cannot register. A cluster bound off loopback without a secret
// says so when it starts.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamExecutionEnvironment } from '../../index.ts';
import { BUILT_IN_TEXT } from '../../examples/wordcount.ts';
import { collectWordCounts, lines } from './fixtures/collect-job.ts';
import { REPO_ROOT, eventually, freePort, runCommand as run, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';
import { countWords, readWordCounts, sorted } from './word-counts.ts';

const SECRET = 'the e2e cluster secret, 40 bytes long....';
const COLLECT_JOB = fileURLToPath(new URL('./fixtures/collect-job.ts', import.meta.url));
const TASKMANAGER_ENTRY = join(REPO_ROOT, 'cluster/entrypoints/taskmanager.ts');
const JOBMANAGER_ENTRY = join(REPO_ROOT, 'cluster/entrypoints/jobmanager.ts');
/** The CLI's ask timeout on the client machine: a refusal must come long before it. */
const CLIENT_TIMEOUT_S = 30;

test('a cluster with a secret runs jobs for clients that know it and refuses, at once and clearly, those that do not', async (t) => {
  const { address, root, logDir, client } = await startStandaloneCluster(t, { name: 'weir-auth', secret: SECRET, logLevel: 'warn' });
  const port = address.split(':')[1];
  // A client machine's configuration: where the JobManager is, not the secret.
  const clientConf = join(root, 'client-conf');
  mkdirSync(clientConf);
  writeFileSync(join(clientConf, 'weir.yaml'), `jobmanager.rpc.port: ${port}\nclient.timeout: ${CLIENT_TIMEOUT_S} s\n`);
  const clientEnv = (secret: string | undefined): NodeJS.ProcessEnv => ({ ...process.env, WEIR_CONF_DIR: clientConf, WEIR_LOG_LEVEL: '', WEIR_AUTH_SECRET: secret ?? '' });
  const weir = (args: readonly string[], secret: string | undefined) => run(process.execPath, [join(REPO_ROOT, 'bin/weir'), ...args], clientEnv(secret), 60_000);

  // The CLI with the secret in its environment: a word count at parallelism 2, records between the TaskManagers.
  const out = join(root, 'out');
  const ran = await weir(['run', join(REPO_ROOT, 'examples/wordcount.ts'), '-p', '2', '--', '--output', out], SECRET);
  t.is(ran.code, 0, `weir run failed: ${ran.stderr}`);
  t.regex(ran.stdout, /FINISHED/);
  t.deepEqual(sorted(readWordCounts(out)), sorted(countWords(BUILT_IN_TEXT)));

  // A program whose results come back through the collect sinks: they dial its client, with the secret too.
  process.env.WEIR_AUTH_SECRET = SECRET;
  try {
    const args = ['count', '3000'];
    const remote = StreamExecutionEnvironment.getExecutionEnvironment({ cluster: address, jobModule: COLLECT_JOB, args, parallelism: 2 });
    const counts = await within(collectWordCounts(remote, args), 30_000, 'the remote word count');
    t.deepEqual(sorted(counts), sorted(countWords(lines(3000).join('\n'))));
  } finally {
    delete process.env.WEIR_AUTH_SECRET;
  }

  // Without the secret, or with another one: exit 1 with the reason, long before any timeout.
  for (const [secret, expected] of [
    [undefined, `weir: authentication failed: the JobManager at 127.0.0.1:${port} requires a secret, and this client has none; set security.auth.secret or WEIR_AUTH_SECRET`],
    ['not the secret of this cluster at all', `weir: authentication failed: the JobManager at 127.0.0.1:${port} refused this client's proof; check security.auth.secret / WEIR_AUTH_SECRET`],
  ] as const) {
    const started = Date.now();
    const refused = await weir(['list'], secret);
    const elapsed = Date.now() - started;
    t.is(refused.code, 1, refused.stderr);
    t.is(refused.stderr.trim(), expected);
    t.is(refused.stdout, '');
    t.true(elapsed < (CLIENT_TIMEOUT_S * 1000) / 3, `refused after ${elapsed} ms`);
  }

  // A TaskManager started without the secret runs, but the ResourceManager never hears of it.
  const rogueConf = join(root, 'rogue-conf');
  mkdirSync(rogueConf);
  writeFileSync(join(rogueConf, 'weir.yaml'), `jobmanager.rpc.port: ${port}\nlog.level: info\n`);
  const rogue = spawn(process.execPath, ['--import', 'tsx', TASKMANAGER_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, WEIR_CONF_DIR: rogueConf, WEIR_TASKMANAGER_ID: 'rogue', WEIR_AUTH_SECRET: '', WEIR_LOG_LEVEL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => void rogue.kill('SIGKILL'));
  let rogueLog = '';
  rogue.stderr.on('data', (chunk: Buffer) => (rogueLog += chunk.toString()));
  await eventually(async () => rogueLog.includes('AUTHENTICATION_REQUIRED'), 20_000, 'the rogue TaskManager to be refused');
  t.regex(rogueLog, /refused this process's authentication: weir:\/\/taskmanager-rogue@127\.0\.0\.1:\d+ offered no proof, and this process requires one/);
  const jobManagerLog = readFileSync(join(logDir, 'weir-jobmanager.log'), 'utf8');
  t.regex(jobManagerLog, /"code":"AUTHENTICATION_REQUIRED"/);
  t.regex(jobManagerLog, /refused connection from 127\.0\.0\.1:\d+: AUTHENTICATION_REQUIRED: weir:\/\/taskmanager-rogue@/);
  t.false(jobManagerLog.includes(SECRET) || rogueLog.includes(SECRET), 'the secret is in no log');
  const info = await client.clusterInfo();
  t.is(info.taskManagers, 2, 'the rogue TaskManager did not register');
});

test('a JobManager bound off loopback without a secret warns, naming its port, in its log and its ready line', async (t) => {
  const conf = join(REPO_ROOT, '.tmp', `weir-exposed-${process.pid}`);
  mkdirSync(conf, { recursive: true });
  const { rmSync } = await import('node:fs');
  t.teardown(() => rmSync(conf, { recursive: true, force: true }));
  const port = await freePort();
  // Bound to every interface, for the moment the test needs; only loopback is dialled.
  // The REST API stays on loopback (it follows jobmanager.rpc.address unless told otherwise).
  writeFileSync(join(conf, 'weir.yaml'), `jobmanager.rpc.address: 0.0.0.0\njobmanager.rpc.port: ${port}\nrest.bind-address: 127.0.0.1\nrest.port: 0\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', JOBMANAGER_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, WEIR_CONF_DIR: conf, WEIR_AUTH_SECRET: '', WEIR_LOG_LEVEL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => void child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await eventually(async () => stdout.includes('\n'), 20_000, `the ready line (stderr: ${stderr})`);
  const ready = JSON.parse(stdout.split('\n')[0]) as { warning?: string };
  const expected = `security.auth.secret is not set, and this JobManager listens on 0.0.0.0:${port} (actor messages), off loopback: anyone who reaches this port can submit jobs and run code on the cluster. Set security.auth.secret (docs/security.md).`;
  t.is(ready.warning, expected);
  await eventually(async () => stderr.includes('AUTHENTICATION_DISABLED'), 5_000, 'the log line');
  t.true(stderr.includes(expected));
});
