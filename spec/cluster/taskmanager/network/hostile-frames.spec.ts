// No single frame or connection takes down a TaskManager's data server: a frame that breaks a rule,
// before or after the Hello, closes only its own connection (logged naming the peer, the close
// reason cut to fit WebSocket's 123 bytes), and the server goes on serving other TaskManagers.
// Each test records every exception that would have ended the process; none may escape.
import test, { type ExecutionContext } from 'ava';
import { WebSocket } from 'ws';
import { DATA_PATH, MAX_DATA_HELLO_FRAME_BYTES } from '../../../../cluster/taskmanager/network/data-transport.ts';
import { partitionKey } from '../../../../cluster/taskmanager/network/network-environment.ts';
import { encode } from '../../../../messages/codec.ts';
import { DATA_PROTOCOL_VERSION, DataFrameKind, MAX_DATA_ADDRESS_CHARS } from '../../../../messages/data-plane.ts';
import { escaped, sleep, uncaughtExceptions } from '../../../actors/remote/helpers.ts';
import { rawClient } from './fake-peer.ts';
import { JOB, type Peer, drain, eventually, location, startPeer, within } from './helpers.ts';

const KEY = partitionKey(JOB, 'map', 0, 0, 'sink', 0);
/** After the bad frame: what the process would have died of has had a timer turn to surface. */
const SURFACE_MS = 30;

/** tm-a serves a partition of one subpartition; `check` shows that tm-b still reads it to the end over a good connection. */
async function servingPair(t: ExecutionContext) {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const check = async (): Promise<void> => {
    const partition = a.network.createPartition(KEY, 1, 100);
    const gate = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
    partition.emit(0, 'still serving', undefined);
    partition.finish();
    t.deepEqual(await drain(gate), [['still serving']]);
  };
  return { a, check };
}

/** The reason the raw client's connection was closed with, or 'not closed' after 2 s (asserted after what escaped). */
const closeReasonOf = (raw: { reason: Promise<string> }): Promise<string> => within(raw.reason, 2000, 'the close').catch(() => 'not closed');

const errorsOf = (peer: Peer, code: string) => peer.logs.records.filter((entry) => entry.code === code && entry.level === 'error');

const longKind: Array<[string, unknown[][]]> = [
  ['before the Hello', []],
  ['after the Hello', [[DataFrameKind.Hello, DATA_PROTOCOL_VERSION, null, null]]],
];

for (const [when, before] of longKind) {
  test(`a frame that makes the server close with a long reason ${when} closes that connection, the reason cut to 123 bytes`, async (t) => {
    const uncaught = uncaughtExceptions(t);
    const { a, check } = await servingPair(t);
    const raw = await rawClient(t, a.address);
    for (const frame of before) raw.send(frame);
    raw.send(['é'.repeat(60)]);
    const reason = await closeReasonOf(raw);
    await sleep(SURFACE_MS);
    t.deepEqual(escaped(uncaught), []);
    t.is(reason, `MALFORMED_FRAME: unknown data frame kind "${'é'.repeat(40)}`);
    t.is(Buffer.byteLength(reason), 122, 'the ellipsis that follows, 3 bytes, would pass 123');
    const logged = errorsOf(a, 'MALFORMED_FRAME');
    t.is(logged.length, 1);
    t.regex(String(logged[0].peer), /^127\.0\.0\.1:\d+$/);
    t.is(logged[0].msg, `closing the data connection to ${String(logged[0].peer)}: unknown data frame kind "${'é'.repeat(40)}…" (60 characters)`);
    await check();
  });
}

test('a frame kind JSON cannot print (a 64-bit integer) closes that connection as malformed', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { a, check } = await servingPair(t);
  const raw = await rawClient(t, a.address);
  raw.send([2n ** 64n - 1n]);
  const reason = await closeReasonOf(raw);
  await sleep(SURFACE_MS);
  t.deepEqual(escaped(uncaught), []);
  t.is(reason, 'MALFORMED_FRAME: unknown data frame kind 18446744073709551615n');
  await check();
});

test('a Hello naming a data address that is not host:port closes the connection with INVALID_ADDRESS', async (t) => {
  const { a, check } = await servingPair(t);
  const raw = await rawClient(t, a.address);
  raw.send([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, 'not an address', null]);
  t.is(await closeReasonOf(raw), 'INVALID_ADDRESS: data address "not an address" is not host:port');
  t.is(errorsOf(a, 'INVALID_ADDRESS').length, 1);
  await eventually(() => a.server.connectionCount === 0, 2000, 'tm-a to forget the connection');
  await check();
});

test(`a Hello naming a data address over ${MAX_DATA_ADDRESS_CHARS} characters closes the connection as malformed`, async (t) => {
  const { a, check } = await servingPair(t);
  const raw = await rawClient(t, a.address);
  raw.send([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, `${'h'.repeat(MAX_DATA_ADDRESS_CHARS)}:1`, null]);
  t.is(await closeReasonOf(raw), 'MALFORMED_FRAME: Hello frame with 4 fields does not have the expected fields');
  await check();
});

test('connections opened and dropped, with and without a Hello, leave nothing behind and the server serves on', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { a, check } = await servingPair(t);
  for (let index = 0; index < 40; index++) {
    const socket = new WebSocket(`ws://${a.address}${DATA_PATH}`, { perMessageDeflate: false });
    socket.on('error', () => {});
    await within(new Promise((resolve) => socket.once('open', resolve)), 2000, `connection ${index} to open`);
    if (index % 2 === 0) socket.send(encode([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, null, null]));
    if (index % 4 < 2) socket.terminate();
    else socket.close();
  }
  await eventually(() => a.server.connectionCount === 0, 3000, 'tm-a to forget every dropped connection');
  t.deepEqual(escaped(uncaught), []);
  await check();
});

test(`a first frame over ${MAX_DATA_HELLO_FRAME_BYTES} bytes closes the connection before anything is buffered; after a Hello, frames that size are fine`, async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { a, check } = await servingPair(t);
  const longKey = `${JOB}/${'x'.repeat(MAX_DATA_HELLO_FRAME_BYTES)}/0/sink/0`; // parks: no such partition yet
  const early = await rawClient(t, a.address);
  early.send([DataFrameKind.PartitionRequest, 0, longKey, 0, 2]);
  t.is(await within(early.closed, 2000, 'tm-a to refuse the first frame'), 1009, 'ws: message too big');
  await eventually(() => a.logs.records.some((entry) => entry.code === 'FRAME_TOO_LARGE'), 2000, 'tm-a to log it');
  t.regex(String(a.logs.records.find((entry) => entry.code === 'FRAME_TOO_LARGE')?.msg), /^closed the data connection from 127\.0\.0\.1:\d+ before its Hello: FRAME_TOO_LARGE: Max payload size exceeded$/);

  const raw = await rawClient(t, a.address);
  raw.send([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, null, null]);
  raw.send([DataFrameKind.PartitionRequest, 0, longKey, 0, 2]);
  const partition = a.network.createPartition(longKey, 1, 100);
  partition.finish();
  t.deepEqual(await raw.frame(0), [DataFrameKind.End, 0], 'the large request was served');
  t.deepEqual(escaped(uncaught), []);
  await check();
});
