// The REST server on its own: where it listens (loopback, the first free port of its range), what a
// silent or stopped Dispatcher turns into (504 / 503 naming the request, within the ask timeout),
// and that close() ends open connections. The MiniCluster starts none unless asked.
import test from 'ava';
import { type Server, createServer } from 'node:net';
import { Behaviors } from '../../../../actors/index.ts';
import { startRestServer } from '../../../../cluster/dispatcher/rest/server.ts';
import { MiniCluster } from '../../../../cluster/minicluster.ts';
import type { DispatcherMsg } from '../../../../messages/dispatcher.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { createTestSystem } from '../../../testkit/index.ts';
import { fetchJson } from './helpers.ts';

/** A server holding a free loopback port, so that a range starting there must move on. */
async function occupy(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

test('the REST server binds 127.0.0.1 by default, at the first free port of its range, and logs it', async (t) => {
  const { system, logs } = await createTestSystem(t, { logLevel: 'info' });
  const dispatcher = system.spawn(Behaviors.ignore<DispatcherMsg>(), 'dispatcher');
  const taken = await occupy();
  t.teardown(() => void taken.close());
  const first = (taken.address() as { port: number }).port;
  const server = await startRestServer({ system, dispatcher, ports: [{ from: first, to: first + 20 }] });
  t.teardown(() => server.close());
  t.is(server.host, '127.0.0.1');
  t.true(server.port > first && server.port <= first + 20, `port ${server.port}`);
  t.is(server.url, `http://127.0.0.1:${server.port}`);
  t.deepEqual(logs.matching('REST API listening on').map((record) => record.msg), [`REST API listening on http://127.0.0.1:${server.port}`]);
});

test('a range without a free port rejects naming rest.bind-port', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const dispatcher = system.spawn(Behaviors.ignore<DispatcherMsg>(), 'dispatcher');
  const taken = await occupy();
  t.teardown(() => void taken.close());
  const port = (taken.address() as { port: number }).port;
  const error = await t.throwsAsync(startRestServer({ system, dispatcher, ports: [{ from: port, to: port }] }), { instanceOf: WeirError });
  t.is(error?.code, 'CONNECTION_FAILED');
  t.regex(error?.message ?? '', new RegExp(`^no free port in rest.bind-port: ${port} \\(listen EADDRINUSE`));
});

test('a Dispatcher that does not answer is a 504 naming the request, within the ask timeout', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const dispatcher = system.spawn(Behaviors.ignore<DispatcherMsg>(), 'dispatcher');
  const server = await startRestServer({ system, dispatcher, askTimeoutMs: 100 });
  t.teardown(() => server.close());
  const started = Date.now();
  const response = await fetchJson(`${server.url}/jobs`);
  t.true(Date.now() - started < 2_000);
  t.deepEqual(response, { status: 504, contentType: 'application/json', body: { errors: ['the Dispatcher did not answer ListJobs within 100 ms'] } });
});

test('once the Dispatcher’s actor system is terminated, requests are a 503', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const dispatcher = system.spawn(Behaviors.ignore<DispatcherMsg>(), 'dispatcher');
  const server = await startRestServer({ system, dispatcher, askTimeoutMs: 100 });
  t.teardown(() => server.close());
  await system.terminate();
  const response = await fetchJson(`${server.url}/overview`);
  t.is(response.status, 503);
  t.regex((response.body as { errors: string[] }).errors[0]!, /^system "test" is terminated; cannot ask /);
});

test('close() ends open connections and the port is free again', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const dispatcher = system.spawn(Behaviors.ignore<DispatcherMsg>(), 'dispatcher');
  const server = await startRestServer({ system, dispatcher });
  // A keep-alive connection stays open after its answer; a trace stream never ends by itself.
  const trace = await fetch(`${server.url}/trace`);
  t.is(trace.status, 200);
  await server.close();
  await t.throwsAsync(trace.text());
  const again = await startRestServer({ system, dispatcher, ports: [{ from: server.port, to: server.port }] });
  t.is(again.port, server.port);
  await again.close();
});

test('a MiniCluster starts no REST API unless asked', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  t.is(cluster.restUrl, undefined);
});
