// When a remote channel cannot go on, its gate's poll() throws a WeirError that names the producer's
// TaskManager, its data address and the partition: a connection that drops before the End, an
// unreachable or silent data server, a partition of a released job, a batch over the frame limit.
import { createServer } from 'node:net';
import test from 'ava';
import { partitionKey } from '../../../../cluster/taskmanager/network/network-environment.ts';
import { DATA_PROTOCOL_VERSION, DataFrameKind } from '../../../../messages/data-plane.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { CHANNEL_CREDITS } from '../../../../cluster/taskmanager/network/input-gate.ts';
import { rawServer } from './fake-peer.ts';
import { JOB, drain, eventually, location, pollFailure, record, startPeer } from './helpers.ts';

const KEY = partitionKey(JOB, 'map', 0, 0, 'sink', 0);

test('a connection closed before the End fails the gate naming the peer and partition; ended channels stay ended', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const partition = a.network.createPartition(KEY, 2, 100);
  const done = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const open = b.network.createGate([location(KEY, 1, 'tm-a', a.address)]);
  partition.emit(0, 'all of it', undefined);
  partition.subpartitions[0].finish();
  partition.emit(1, 'some', undefined);
  partition.flush();
  t.deepEqual(await drain(done), [['all of it']]);
  await eventually(() => open.inputChannels[0].batches.length === 1, 2000, 'the first batch of channel 1');
  await a.server.close();
  const error = await pollFailure(open);
  t.is(error.code, 'DATA_CONNECTION_LOST');
  t.is(
    error.message,
    `data connection lost before the end of partition ${KEY} (subpartition 1) of tm-a at ${a.address}: closed (1000 the data server is closing)`,
  );
  t.true(done.finished, 'a channel that saw its End does not fail');
  t.is(done.failed, undefined);
  t.is(b.logs.matching('data connection to').filter((r) => r.code === 'DATA_CONNECTION_LOST').length, 1, 'the drop is logged once');
});

test('a producer that vanishes mid-stream (no close frame) fails the channel with DATA_CONNECTION_LOST', async (t) => {
  const b = await startPeer(t, 'tm-b');
  const fake = await rawServer(t);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', fake.address)]);
  const producer = await fake.accepted;
  t.deepEqual(await producer.frame(0), [DataFrameKind.Hello, DATA_PROTOCOL_VERSION, b.address, null]);
  t.deepEqual(await producer.frame(1), [DataFrameKind.PartitionRequest, 0, KEY, 0, CHANNEL_CREDITS]);
  producer.send([DataFrameKind.Batch, 0, [record(0, 0)], null, null]);
  await eventually(() => gate.inputChannels[0].batches.length === 1, 2000, 'the batch');
  producer.terminate();
  const error = await pollFailure(gate);
  t.is(error.code, 'DATA_CONNECTION_LOST');
  t.is(error.message, `data connection lost before the end of partition ${KEY} (subpartition 0) of tm-a at ${fake.address}: closed (1006)`);
});

test('an unreachable data address fails every channel waiting on it with DATA_CONNECTION_FAILED', async (t) => {
  const b = await startPeer(t, 'tm-b');
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
  const nowhere = `127.0.0.1:${port}`;
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', nowhere), location(KEY, 1, 'tm-a', nowhere)]);
  const error = await pollFailure(gate);
  t.is(error.code, 'DATA_CONNECTION_FAILED');
  t.regex(error.message, new RegExp(`^cannot reach partition ${KEY} \\(subpartition [01]\\) of tm-a at ${nowhere}: cannot connect to the data server at ${nowhere}: .*ECONNREFUSED`));
  t.is((error.cause as WeirError).code, 'DATA_CONNECTION_FAILED');
  t.is(b.server.connectionCount, 0, 'the failed connection is forgotten');
  t.is(b.logs.matching(`cannot reach the data server at ${nowhere}`, 'warn').length, 1);
});

test('a data server that accepts TCP but never answers fails the channel after the connect timeout', async (t) => {
  const silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => silent.close(() => resolve())));
  const sockets: import('node:net').Socket[] = [];
  silent.on('connection', (socket) => sockets.push(socket));
  t.teardown(() => sockets.forEach((socket) => socket.destroy()));
  const address = silent.address();
  const silentAddress = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const b = await startPeer(t, 'tm-b', { connectTimeoutMs: 200 });
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', silentAddress)]);
  const error = await pollFailure(gate);
  t.is(error.code, 'DATA_CONNECTION_FAILED');
  t.true(error.message.endsWith(`cannot connect to the data server at ${silentAddress}: no connection within 200 ms`), error.message);
});

test('a request for a partition of a job released at the producer fails with PARTITION_RELEASED naming both', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  a.network.createPartition(KEY, 1, 100);
  a.network.releaseJob(JOB);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const error = await pollFailure(gate);
  t.is(error.code, 'PARTITION_RELEASED');
  t.is(error.message, `the producer cannot serve partition ${KEY} (subpartition 0) of tm-a at ${a.address}: partition ${KEY} (subpartition 0): its job was released here`);
  t.is(b.server.connectionCount, 1, 'the connection stays up for other channels');
});

test('a batch that encodes over the frame limit fails only its channel with FRAME_TOO_LARGE', async (t) => {
  const a = await startPeer(t, 'tm-a', { maxFrameBytes: 4096 });
  const b = await startPeer(t, 'tm-b');
  const partition = a.network.createPartition(KEY, 2, 100);
  const big = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const small = b.network.createGate([location(KEY, 1, 'tm-a', a.address)]);
  const reading = drain(small);
  partition.emit(0, 'x'.repeat(10_000), undefined);
  partition.emit(1, 'fits', undefined);
  partition.finish();
  const error = await pollFailure(big);
  t.is(error.code, 'FRAME_TOO_LARGE');
  t.regex(error.message, new RegExp(`^the producer cannot serve partition ${KEY} \\(subpartition 0\\) of tm-a at ${a.address}: a batch of 1 records of partition ${KEY} \\(subpartition 0\\) encodes to \\d+ bytes, over the 4096 bytes allowed$`));
  t.deepEqual(await reading, [['fits']]);
});

test('records msgpack cannot encode fail their channel with RECORD_ENCODING_FAILED', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const partition = a.network.createPartition(KEY, 1, 100);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  partition.emit(0, { n: 1n << 70n }, undefined);
  partition.finish();
  const error = await pollFailure(gate);
  t.is(error.code, 'RECORD_ENCODING_FAILED');
  t.true(error.message.includes(`cannot encode a batch of 1 records of partition ${KEY} (subpartition 0)`), error.message);
});

test('a job released at the producer fails its remote channels with PARTITION_RELEASED, and its connections keep no reader of it', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const partition = a.network.createPartition(KEY, 2, 100);
  const attached = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  // Subtask 1 of another producer never deploys: its request waits at tm-a.
  const parkedKey = partitionKey(JOB, 'map', 1, 0, 'sink', 0);
  const parked = b.network.createGate([location(parkedKey, 0, 'tm-a', a.address)]);
  partition.emit(0, 'some', undefined);
  partition.flush();
  await eventually(() => attached.inputChannels[0].batches.length === 1 && a.server.readerCount === 2, 2000, 'a batch, and both requests at tm-a');

  a.network.releaseJob(JOB);
  const released = await pollFailure(attached);
  t.is(released.code, 'PARTITION_RELEASED');
  t.is(
    released.message,
    `the producer cannot serve partition ${KEY} (subpartition 0) of tm-a at ${a.address}: partition ${KEY} (subpartition 0) was released before its end: its producer stopped or its job ended`,
  );
  const never = await pollFailure(parked);
  t.is(never.code, 'PARTITION_RELEASED');
  t.regex(never.message, /will not register: its job was released here$/);
  t.is(a.server.readerCount, 0, 'the connection forgot both readers');
});
