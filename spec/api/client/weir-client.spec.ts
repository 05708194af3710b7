// The client talks to the Dispatcher of a system named "jobmanager" over ws: connect checks the port
// and then the Dispatcher, requests map their replies, and every way of not reaching the JobManager
// is a JOBMANAGER_UNREACHABLE naming the address, within the client's timeout.
import test, { type ExecutionContext } from 'ava';
import { type Socket, createServer } from 'node:net';
import { WeirClient, parseHostPort } from '../../../api/client/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { jobId } from '../../../messages/ids.ts';
import { CLUSTER_INFO, KNOWN_JOB, closedPort, startFakeJobManager } from '../../testkit/fake-jobmanager.ts';

async function connect(t: ExecutionContext, address: string): Promise<WeirClient> {
  const client = await WeirClient.connect(address, { timeoutMs: 3_000, logLevel: 'off' });
  t.teardown(() => client.close());
  return client;
}

test('connect reaches the Dispatcher; clusterInfo, list and info return its answers', async (t) => {
  const client = await connect(t, await startFakeJobManager(t));
  t.deepEqual(await client.clusterInfo(), CLUSTER_INFO);
  t.deepEqual(await client.list(), [KNOWN_JOB]);
  t.deepEqual(await client.info(KNOWN_JOB.jobId), { type: 'JobDetails', job: KNOWN_JOB, vertices: [], watermarks: [], metrics: [] });
  t.deepEqual(await client.watermarks(KNOWN_JOB.jobId), []);
  await t.notThrowsAsync(client.cancel(KNOWN_JOB.jobId));
});

test('an unknown job is JOB_NOT_FOUND for info and watermarks, and CANCELLATION_FAILED for cancel', async (t) => {
  const client = await connect(t, await startFakeJobManager(t));
  const notFound = await t.throwsAsync(client.info(jobId('nope')), { instanceOf: WeirError });
  t.is(notFound?.code, 'JOB_NOT_FOUND');
  t.true(notFound?.message.includes('nope'), notFound?.message);
  const noWatermarks = await t.throwsAsync(client.watermarks(jobId('nope')), { instanceOf: WeirError });
  t.is(noWatermarks?.code, 'JOB_NOT_FOUND');
  t.is(noWatermarks?.message, notFound?.message);
  const failed = await t.throwsAsync(client.cancel(jobId('nope')), { instanceOf: WeirError });
  t.is(failed?.code, 'CANCELLATION_FAILED');
  t.is(failed?.message, 'cannot cancel job nope: no such job');
});

test('submit bundles and plans the module, and a rejection is JOB_REJECTED with the reason', async (t) => {
  const address = await startFakeJobManager(t);
  const client = await connect(t, address);
  const error = await t.throwsAsync(client.submit('examples/trivial-job.ts', { parallelism: 2 }), { instanceOf: WeirError });
  t.is(error?.code, 'JOB_REJECTED');
  t.regex(error?.message ?? '', new RegExp(`^the JobManager at ${address} rejected job "trivial job" \\(.+\\): the fake JobManager runs no jobs \\(got "trivial job", 1 vertices, -p 2\\)$`));
});

test('a closed port is JOBMANAGER_UNREACHABLE at once, naming the address', async (t) => {
  const address = `127.0.0.1:${await closedPort()}`;
  const started = Date.now();
  const error = await t.throwsAsync(WeirClient.connect(address, { timeoutMs: 5_000 }), { instanceOf: WeirError });
  t.is(error?.code, 'JOBMANAGER_UNREACHABLE');
  t.true(error?.message.startsWith(`cannot reach the JobManager at ${address}: connection refused`), error?.message);
  t.true(Date.now() - started < 2_000);
});

test('a port that answers TCP but is no JobManager is JOBMANAGER_UNREACHABLE after the timeout', async (t) => {
  const silent = createServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => silent.close(() => resolve())));
  const sockets = new Set<Socket>();
  silent.on('connection', (socket) => sockets.add(socket));
  t.teardown(() => sockets.forEach((socket) => socket.destroy()));
  const address = `127.0.0.1:${(silent.address() as { port: number }).port}`;
  const error = await t.throwsAsync(WeirClient.connect(address, { timeoutMs: 300, logLevel: 'off' }), { instanceOf: WeirError });
  t.is(error?.code, 'JOBMANAGER_UNREACHABLE');
  t.is(error?.message, `the JobManager at ${address} did not answer RequestClusterInfo within 300 ms`);
});

test('addresses are host:port or [ipv6]:port', (t) => {
  t.deepEqual(parseHostPort('jm.example.com:6123'), { host: 'jm.example.com', port: 6123 });
  t.deepEqual(parseHostPort('[::1]:6123'), { host: '::1', port: 6123 });
  for (const bad of ['6123', 'host:', 'host:0', 'host:70000', 'a b:1']) {
    const error = t.throws(() => parseHostPort(bad), { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_ADDRESS');
  }
});
