// Bad input on a data connection closes that connection with an error logged naming the peer; the
// channels it carried fail, and other connections go on. parseDataFrame says what is wrong.
import test from 'ava';
import { partitionKey } from '../../../../cluster/taskmanager/network/network-environment.ts';
import { DATA_PROTOCOL_VERSION, DataFrameKind, parseDataFrame } from '../../../../messages/data-plane.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { rawClient, rawServer } from './fake-peer.ts';
import { JOB, drain, eventually, location, startPeer, within } from './helpers.ts';

const KEY = partitionKey(JOB, 'map', 0, 0, 'sink', 0);
const EVIL = '127.0.0.1:9';

test('a malformed frame closes that connection with a logged error; another connection keeps serving', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const partition = a.network.createPartition(KEY, 2, 100);
  const good = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const raw = await rawClient(t, a.address);
  raw.send([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, EVIL, null]);
  raw.sendBytes(Uint8Array.from([0xc1, 0xff, 0x00, 0x13]));
  t.is(await within(raw.closed, 2000, 'tm-a to close the raw connection'), 1000);
  const logged = a.logs.records.filter((entry) => entry.code === 'MALFORMED_FRAME');
  t.is(logged.length, 1);
  t.is(logged[0].level, 'error');
  t.is(logged[0].peer, EVIL);
  t.true(String(logged[0].msg).startsWith(`closing the data connection to ${EVIL}: cannot decode a frame of 4 bytes`), String(logged[0].msg));
  partition.emit(0, 'still flowing', undefined);
  partition.finish();
  t.deepEqual(await drain(good), [['still flowing']]);
});

const refusals: Array<[string, unknown[], string, RegExp]> = [
  ['a first frame that is not Hello', [[DataFrameKind.Credit, 0, 1]], 'MALFORMED_FRAME', /the first frame from 127\.0\.0\.1:\d+ is kind 5, not Hello/],
  ['another protocol version', [[DataFrameKind.Hello, 99, EVIL, null]], 'PROTOCOL_VERSION_MISMATCH', new RegExp(`speaks data protocol 99, this TaskManager ${DATA_PROTOCOL_VERSION}`)],
  ['a second Hello', [[DataFrameKind.Hello, DATA_PROTOCOL_VERSION, EVIL, null], [DataFrameKind.Hello, DATA_PROTOCOL_VERSION, EVIL, null]], 'MALFORMED_FRAME', /unexpected Hello from 127\.0\.0\.1:9/],
  ['a Batch for a channel it never requested', [[DataFrameKind.Hello, DATA_PROTOCOL_VERSION, null, null], [DataFrameKind.Batch, 7, [1], null, null]], 'MALFORMED_FRAME', /Batch frame from 127\.0\.0\.1:\d+ names channel 7, which is not open/],
  ['the same channel requested twice', [[DataFrameKind.Hello, DATA_PROTOCOL_VERSION, EVIL, null], [DataFrameKind.PartitionRequest, 0, KEY, 0, 2], [DataFrameKind.PartitionRequest, 0, KEY, 0, 2]], 'MALFORMED_FRAME', /requested channel 0 twice/],
  ['a frame with missing fields', [[DataFrameKind.Hello, DATA_PROTOCOL_VERSION, EVIL, null], [DataFrameKind.PartitionRequest, 0, KEY]], 'MALFORMED_FRAME', /PartitionRequest frame with 3 fields/],
  ['an unknown frame kind', [[DataFrameKind.Hello, DATA_PROTOCOL_VERSION, EVIL, null], [42, 0]], 'MALFORMED_FRAME', /unknown data frame kind 42/],
];

for (const [what, frames, code, message] of refusals) {
  test(`${what} closes the connection, logged as ${code}`, async (t) => {
    const a = await startPeer(t, 'tm-a');
    const raw = await rawClient(t, a.address);
    for (const frame of frames) raw.send(frame);
    await within(raw.closed, 2000, 'tm-a to close the connection');
    const logged = a.logs.records.filter((entry) => entry.code === code && entry.level === 'error');
    t.is(logged.length, 1);
    t.regex(String(logged[0].msg), message);
    t.is(a.server.connectionCount, 0);
  });
}

test('a text frame closes the connection', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const raw = await rawClient(t, a.address);
  raw.sendBytes('hello?');
  t.is(await within(raw.closed, 2000, 'tm-a to close the connection'), 1000);
  await eventually(() => a.server.connectionCount === 0, 2000, 'tm-a to forget the connection');
  t.pass();
});

test('a malformed frame from a producer fails the consumer`s channels with DATA_CONNECTION_LOST, the cause attached', async (t) => {
  const b = await startPeer(t, 'tm-b');
  const fake = await rawServer(t);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', fake.address)]);
  const producer = await fake.accepted;
  await producer.frame(1);
  producer.send([DataFrameKind.Batch, 0, 'not records', null, null]);
  await within(producer.closed, 2000, 'tm-b to close the connection');
  const error = t.throws(() => gate.poll(), { instanceOf: WeirError });
  t.is(error?.code, 'DATA_CONNECTION_LOST');
  t.regex(error?.message ?? '', new RegExp(`^data connection lost before the end of partition ${KEY} \\(subpartition 0\\) of tm-a at ${fake.address}: MALFORMED_FRAME: Batch frame with 5 fields`));
  t.is((error?.cause as WeirError).code, 'MALFORMED_FRAME');
  t.is(b.logs.records.filter((entry) => entry.code === 'MALFORMED_FRAME' && entry.peer === fake.address).length, 1);
});

test('a credit for a channel that has ended is ignored (it crossed the End)', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const partition = a.network.createPartition(KEY, 1, 100);
  partition.finish();
  const raw = await rawClient(t, a.address);
  raw.send([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, null, null]);
  raw.send([DataFrameKind.PartitionRequest, 3, KEY, 0, 2]);
  t.deepEqual(await raw.frame(0), [DataFrameKind.End, 3]);
  raw.send([DataFrameKind.Credit, 3, 1]);
  raw.send([DataFrameKind.PartitionRequest, 4, KEY, 9, 2]);
  t.deepEqual(await raw.frame(1), [DataFrameKind.Failed, 4, 'SUBPARTITION_NOT_FOUND', `partition ${KEY} has 1 subpartitions, not 9`]);
  t.is(a.server.connectionCount, 1, 'the connection stays open');
});

test('parseDataFrame accepts each well-formed frame and names what is wrong with the rest', (t) => {
  const good = [
    [DataFrameKind.Hello, DATA_PROTOCOL_VERSION, null, null],
    [DataFrameKind.Hello, DATA_PROTOCOL_VERSION, '127.0.0.1:1', null],
    [DataFrameKind.PartitionRequest, 0, KEY, 2, 2],
    [DataFrameKind.Batch, 1, [], null, null],
    [DataFrameKind.End, 1],
    [DataFrameKind.Credit, 1, 3],
    [DataFrameKind.Failed, 1, 'PARTITION_RELEASED', 'gone'],
    [DataFrameKind.PriorityEvent, 1, { kind: 'barrier' }],
  ];
  for (const frame of good) t.is(parseDataFrame(frame), frame as never);
  const bad: Array<[unknown, string]> = [
    [null, 'not a data frame: null'],
    [[], 'not a data frame: an empty array'],
    ['x', 'not a data frame: string'],
    [[DataFrameKind.Credit, 1, 0], 'Credit frame with 3 fields does not have the expected fields'],
    [[DataFrameKind.End, -1], 'End frame with 2 fields does not have the expected fields'],
    [[DataFrameKind.Batch, 1.5, [], null, null], 'Batch frame with 5 fields does not have the expected fields'],
    [[DataFrameKind.Failed, 1, 'NOT_A_CODE', 'x'], 'Failed frame with 4 fields does not have the expected fields'],
    [[DataFrameKind.PriorityEvent, 1, 7], 'PriorityEvent frame with 3 fields does not have the expected fields'],
    [[DataFrameKind.PriorityEvent, 1], 'PriorityEvent frame with 2 fields does not have the expected fields'],
    [['Batch', 1, []], 'unknown data frame kind "Batch"'],
  ];
  for (const [value, message] of bad) {
    const error = t.throws(() => parseDataFrame(value), { instanceOf: WeirError }, JSON.stringify(value));
    t.is(error?.code, 'MALFORMED_FRAME');
    t.is(error?.message, message);
  }
});

test('parseDataFrame refuses a Batch whose timestamps are not numbers (or undefined)', (t) => {
  const error = t.throws(() => parseDataFrame([DataFrameKind.Batch, 1, ['a', 'b'], [5, 'soon'], null]), { instanceOf: WeirError });
  t.is(error?.code, 'MALFORMED_FRAME');
  t.notThrows(() => parseDataFrame([DataFrameKind.Batch, 1, ['a', 'b'], [undefined, Number.POSITIVE_INFINITY], null]));
});
