// Limits on a data port: a connection that carries no channel for the idle timeout is closed (a later
// request dials again and is served), and connections over the per-address cap are closed at once.
import test from 'ava';
import { WebSocket } from 'ws';
import { partitionKey } from '../../../../cluster/taskmanager/network/network-environment.ts';
import { DATA_PATH } from '../../../../cluster/taskmanager/network/data-transport.ts';
import { JOB, drain, eventually, location, settle, startPeer, within } from './helpers.ts';

test('an idle data connection is closed after the idle timeout, and the next request dials again', async (t) => {
  const a = await startPeer(t, 'tm-a', { idleTimeoutMs: 200 });
  const b = await startPeer(t, 'tm-b', { idleTimeoutMs: 60_000 });
  const first = partitionKey(JOB, 'map', 0, 0, 'sink', 0);
  const partition = a.network.createPartition(first, 1, 100);
  const reading = drain(b.network.createGate([location(first, 0, 'tm-a', a.address)]));
  partition.emit(0, 'one', undefined);
  partition.finish();
  t.deepEqual(await within(reading, 5_000, 'the first channel to end'), [['one']]);
  await eventually(() => a.server.connectionCount === 0 && b.server.connectionCount === 0, 5_000, 'the idle connection to be closed on both sides');
  t.true(a.logs.matching('idle: no channel for').length + b.logs.matching('idle: no channel for').length > 0, 'the closing side says why');
  const second = partitionKey(JOB, 'map', 1, 0, 'sink', 0);
  const later = a.network.createPartition(second, 1, 100);
  const again = drain(b.network.createGate([location(second, 0, 'tm-a', a.address)]));
  later.emit(0, 'two', undefined);
  later.finish();
  t.deepEqual(await within(again, 5_000, 'the second channel to end over a new connection'), [['two']]);
});

test('connections over the per-address cap of a data port are closed at once, naming the key', async (t) => {
  const a = await startPeer(t, 'tm-a', { connectionLimits: { maxConnections: 100, maxConnectionsPerHost: 2 } });
  const port = Number(a.address.split(':')[1]);
  const sockets = [0, 1, 2].map(() => new WebSocket(`ws://127.0.0.1:${port}${DATA_PATH}`));
  t.teardown(() => sockets.forEach((socket) => socket.terminate()));
  const closed = await within(
    new Promise<string>((resolve) => sockets[2]!.once('close', (_code: number, reason: Buffer) => resolve(reason.toString()))),
    3_000,
    'the third connection to be closed',
  );
  t.regex(closed, /^the data port holds 2 connections from 127\.0\.0\.1, the most allowed from one host/);
  t.is(a.server.refusedConnections, 1);
  await settle(50);
  t.is(a.server.connectionCount, 2);
  t.is(a.logs.records.filter((record) => record.code === 'CONNECTION_LIMIT').length, 1);
});
