// A standalone cluster with security.ssl.internal (one JobManager, two TaskManagers, started by the
// scripts, certificates of a throwaway CA): actor messages, record batches between the TaskManagers
// and the collect sinks' results to a program all go over mutual TLS; a TaskManager or a CLI whose
// certificate another CA signed is refused, and the JobManager logs it with the peer's address.
import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamExecutionEnvironment } from '../../index.ts';
import { BUILT_IN_TEXT } from '../../examples/wordcount.ts';
import { createCertificateAuthority } from '../testkit/tls-certificates.ts';
import { collectWordCounts, lines } from './fixtures/collect-job.ts';
import { REPO_ROOT, eventually, runCommand as run, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';
import { countWords, readWordCounts, sorted } from './word-counts.ts';

const COLLECT_JOB = fileURLToPath(new URL('./fixtures/collect-job.ts', import.meta.url));
const TASKMANAGER_ENTRY = join(REPO_ROOT, 'cluster/entrypoints/taskmanager.ts');

test('a cluster with internal TLS runs jobs across TaskManagers and refuses processes whose certificate another CA signed', async (t) => {
  const clusterCa = createCertificateAuthority('e2e');
  const foreignCa = createCertificateAuthority('e2e-foreign');
  t.teardown(() => {
    clusterCa.dispose();
    foreignCa.dispose();
  });
  const tls = clusterCa.issue('cluster');
  foreignCa.issue('intruder');
  const files = { cert: join(clusterCa.directory, 'cluster.crt'), key: join(clusterCa.directory, 'cluster.key'), ca: join(clusterCa.directory, 'ca.crt') };
  const settings = ['security.ssl.internal.enabled: true', `security.ssl.internal.cert: ${files.cert}`, `security.ssl.internal.key: ${files.key}`, `security.ssl.internal.ca: ${files.ca}`];
  const { address, root, env, logDir, client } = await startStandaloneCluster(t, { name: 'weir-tls', settings, tls, logLevel: 'warn' });

  // The CLI (its weir.yaml is the cluster's): a word count at parallelism 2, records between the TaskManagers over TLS.
  const out = join(root, 'out');
  const ran = await run(process.execPath, [join(REPO_ROOT, 'bin/weir'), 'run', join(REPO_ROOT, 'examples/wordcount.ts'), '-p', '2', '--', '--output', out], env, 60_000);
  t.is(ran.code, 0, `weir run failed: ${ran.stderr}`);
  t.deepEqual(sorted(readWordCounts(out)), sorted(countWords(BUILT_IN_TEXT)));

  // A program's results come back through the collect sinks, which dial its client over TLS too (from the environment).
  const variables = { WEIR_SECURITY_SSL_INTERNAL_ENABLED: 'true', WEIR_SECURITY_SSL_INTERNAL_CERT: files.cert, WEIR_SECURITY_SSL_INTERNAL_KEY: files.key, WEIR_SECURITY_SSL_INTERNAL_CA: files.ca };
  Object.assign(process.env, variables);
  try {
    const args = ['count', '2000'];
    const remote = StreamExecutionEnvironment.getExecutionEnvironment({ cluster: address, jobModule: COLLECT_JOB, args, parallelism: 2 });
    const counts = await within(collectWordCounts(remote, args), 30_000, 'the remote word count');
    t.deepEqual(sorted(counts), sorted(countWords(lines(2000).join('\n'))));
  } finally {
    for (const name of Object.keys(variables)) delete process.env[name];
  }

  // A CLI with a certificate of another CA: exit 1 naming TLS, long before its timeout.
  const intruder = { WEIR_SECURITY_SSL_INTERNAL_CERT: join(foreignCa.directory, 'intruder.crt'), WEIR_SECURITY_SSL_INTERNAL_KEY: join(foreignCa.directory, 'intruder.key') };
  const started = Date.now();
  const refused = await run(process.execPath, [join(REPO_ROOT, 'bin/weir'), 'list'], { ...env, ...intruder }, 60_000);
  t.is(refused.code, 1, refused.stdout);
  t.regex(refused.stderr.trim(), /^weir: the TLS handshake with weir:\/\/jobmanager@127\.0\.0\.1:\d+ failed: the peer refused this process's certificate \(TLS client certificate refused\) \(security\.ssl\.internal: both sides need certificates of the same CA\)$/);
  t.true(Date.now() - started < 8_000, `refused after ${Date.now() - started} ms`);

  // A TaskManager with such a certificate never registers; the JobManager logs the refusal with its address.
  const rogue = spawn(process.execPath, ['--import', 'tsx', TASKMANAGER_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...env, ...intruder, WEIR_TASKMANAGER_ID: 'rogue' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => void rogue.kill('SIGKILL'));
  const jobManagerLog = (): string => readFileSync(join(logDir, 'weir-jobmanager.log'), 'utf8');
  await eventually(async () => /refused TLS connection from 127\.0\.0\.1:\d+: client certificate refused/.test(jobManagerLog()), 20_000, 'the JobManager to refuse the rogue TaskManager');
  t.regex(jobManagerLog(), /"code":"TLS_HANDSHAKE_FAILED"/);
  t.is((await client.clusterInfo()).taskManagers, 2, 'the rogue TaskManager did not register');
});
