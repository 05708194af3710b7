// Authentication of data connections between TaskManagers, over real ws: stacks that share the secret
// exchange batches; a peer with no proof, a wrong, replayed or reflected one is refused before a
// data frame of its reaches a partition or a channel; both sides say why; each peer's first refusal
// is logged with its address, and every one is counted (DataServer.authStats).
import test from 'ava';
import { AuthSecret, DiallerAuth } from '../../../../actors/index.ts';
import { CHANNEL_CREDITS } from '../../../../cluster/taskmanager/network/input-gate.ts';
import { partitionKey } from '../../../../cluster/taskmanager/network/network-environment.ts';
import { DATA_PROTOCOL_VERSION, DataFrameKind } from '../../../../messages/data-plane.ts';
import { type RawSocket, rawClient, rawServer } from './fake-peer.ts';
import { JOB, type Peer, drain, eventually, location, pollFailure, settle, startPeer, within } from './helpers.ts';

const KEY = partitionKey(JOB, 'map', 0, 0, 'sink', 0);
const SECRET_TEXT = 'the data plane shares this secret';
const SECRET = AuthSecret.from(SECRET_TEXT);
const OTHER = AuthSecret.from('some other secret, not the same one');

/** The lines of `level` with `code`: the refusing side logs an error, the refused one a warning. */
const logLines = (peer: Peer, code: string, level: 'error' | 'warn' = 'error') => peer.logs.records.filter((record) => record.code === code && record.level === level);

/** A raw dialler of `server` that sent a Hello asking for authentication, and the challenge it got. */
async function challenged(t: Parameters<typeof rawClient>[0], server: Peer, secret: AuthSecret, from: string | null = '127.0.0.1:9') {
  const raw = await rawClient(t, server.address);
  const auth = new DiallerAuth(secret, 'data', from ?? '', server.address);
  raw.send([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, from, auth.helloAuth]);
  const challenge = (await raw.frame(0)) as [number, Uint8Array];
  if (challenge[0] !== DataFrameKind.Challenge) throw new Error(`expected a Challenge, got ${JSON.stringify(challenge)}`);
  return { raw, auth, nonce: challenge[1] };
}

const closeReasonOf = (raw: RawSocket): Promise<string> => within(raw.reason, 2000, 'the close');

test('TaskManagers with the same secret exchange batches over an authenticated connection, and count no failures', async (t) => {
  const a = await startPeer(t, 'tm-a', { secret: SECRET });
  const b = await startPeer(t, 'tm-b', { secret: SECRET });
  const partition = a.network.createPartition(KEY, 1, 100);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  partition.emit(0, 'one', undefined);
  partition.emit(0, 'two', undefined);
  partition.finish();
  t.deepEqual(await drain(gate), [['one', 'two']]);
  const none = { missingProofs: 0, wrongProofs: 0, unexpectedProofs: 0, refusedByPeers: 0, tlsRefusals: 0 };
  t.deepEqual([a.server.authStats, b.server.authStats], [none, none]);
});

test('a TaskManager without the secret is refused by one that has it: its channel fails with AUTHENTICATION_FAILED and both log why', async (t) => {
  const a = await startPeer(t, 'tm-a', { secret: SECRET });
  const b = await startPeer(t, 'tm-b');
  a.network.createPartition(KEY, 1, 100);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const error = await pollFailure(gate);
  t.is(error.code, 'AUTHENTICATION_FAILED');
  t.is(
    error.message,
    `cannot read partition ${KEY} (subpartition 0) of tm-a at ${a.address}: refused by ${a.address}: AUTHENTICATION_REQUIRED: the TaskManager at ${b.address} offered no proof, and this process requires one (security.auth.secret is set here)`,
  );
  t.is(a.server.authStats.missingProofs, 1);
  t.is(b.server.authStats.refusedByPeers, 1);
  t.is(logLines(a, 'AUTHENTICATION_REQUIRED').length, 1);
  t.is(logLines(a, 'AUTHENTICATION_REQUIRED')[0].peer, '127.0.0.1');
  t.is(logLines(b, 'AUTHENTICATION_REQUIRED', 'warn').length, 1);
  t.is(logLines(b, 'AUTHENTICATION_REQUIRED', 'warn')[0].peer, a.address);
});

test('a TaskManager with a secret refuses to read from one without, and both log why', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b', { secret: SECRET });
  a.network.createPartition(KEY, 1, 100);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const error = await pollFailure(gate);
  t.is(error.code, 'AUTHENTICATION_FAILED');
  t.regex(error.message, /AUTHENTICATION_NOT_CONFIGURED: the TaskManager at 127\.0\.0\.1:\d+ offered a proof, but this process has no security\.auth\.secret to check it; set the same secret on both$/);
  t.is(a.server.authStats.unexpectedProofs, 1);
  t.is(logLines(a, 'AUTHENTICATION_NOT_CONFIGURED').length, 1);
  t.is(logLines(b, 'AUTHENTICATION_NOT_CONFIGURED', 'warn').length, 1);
});

test('a wrong secret fails the channel; the listener logs the peer once and counts every try; the secret is never logged', async (t) => {
  const a = await startPeer(t, 'tm-a', { secret: SECRET });
  a.network.createPartition(KEY, 3, 100);
  const b = await startPeer(t, 'tm-b', { secret: OTHER });
  for (let subpartition = 0; subpartition < 3; subpartition++) {
    // Each gate dials again: the failed connection was forgotten.
    const error = await pollFailure(b.network.createGate([location(KEY, subpartition, 'tm-a', a.address)]));
    t.is(error.code, 'AUTHENTICATION_FAILED');
    t.regex(error.message, /AUTHENTICATION_FAILED: the proof of the TaskManager at 127\.0\.0\.1:\d+ does not check out: another secret, or a replayed or reflected proof$/);
  }
  t.is(a.server.authStats.wrongProofs, 3);
  t.is(logLines(a, 'AUTHENTICATION_FAILED').length, 1);
  t.regex(String(logLines(a, 'AUTHENTICATION_FAILED')[0].msg), /^refused the data connection from 127\.0\.0\.1:\d+: AUTHENTICATION_FAILED: the proof of/);
  const lines = [...a.logs.records, ...b.logs.records].map((record) => JSON.stringify(record)).join('\n');
  t.false(lines.includes(SECRET_TEXT));
});

test('a data frame in place of the proof is refused and never served', async (t) => {
  const a = await startPeer(t, 'tm-a', { secret: SECRET });
  const partition = a.network.createPartition(KEY, 1, 100);
  partition.emit(0, 'private', undefined);
  partition.flush();
  const { raw } = await challenged(t, a, SECRET);
  raw.send([DataFrameKind.PartitionRequest, 0, KEY, 0, CHANNEL_CREDITS]);
  t.deepEqual(await raw.frame(1), [DataFrameKind.Refused, 'AUTHENTICATION_FAILED', 'the TaskManager at 127.0.0.1:9 answered the challenge with a frame of kind 2, not a Proof']);
  t.regex(await closeReasonOf(raw), /^AUTHENTICATION_FAILED: /);
  t.deepEqual(raw.frames.map((frame) => (frame as unknown[])[0]), [DataFrameKind.Challenge, DataFrameKind.Refused], 'no Batch');
  t.is(a.server.authStats.wrongProofs, 1);
});

test('a data frame before the Hello, or a Hello without a proof, to a listener with a secret is refused', async (t) => {
  const a = await startPeer(t, 'tm-a', { secret: SECRET });
  a.network.createPartition(KEY, 1, 100);
  const early = await rawClient(t, a.address);
  early.send([DataFrameKind.PartitionRequest, 0, KEY, 0, CHANNEL_CREDITS]);
  t.regex(await closeReasonOf(early), /^MALFORMED_FRAME: the first frame from 127\.0\.0\.1:\d+ is kind 2, not Hello$/);
  const bare = await rawClient(t, a.address);
  bare.send([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, null, null]);
  bare.send([DataFrameKind.PartitionRequest, 0, KEY, 0, CHANNEL_CREDITS]);
  const refused = (await bare.frame(0)) as [number, string, string];
  t.deepEqual(refused.slice(0, 2), [DataFrameKind.Refused, 'AUTHENTICATION_REQUIRED']);
  await closeReasonOf(bare);
  t.deepEqual(bare.frames.length, 1, 'the request after the Hello was not served');
});

test('a replayed proof is refused: the listener challenges each connection with a fresh nonce', async (t) => {
  const a = await startPeer(t, 'tm-a', { secret: SECRET });
  const first = await challenged(t, a, SECRET);
  const recorded = first.auth.answer(first.nonce);
  first.raw.send([DataFrameKind.Proof, recorded]);
  t.is(((await first.raw.frame(1)) as [number])[0], DataFrameKind.Accepted);
  const replay = await rawClient(t, a.address);
  replay.send([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, '127.0.0.1:9', first.auth.helloAuth]);
  t.is(((await replay.frame(0)) as [number])[0], DataFrameKind.Challenge);
  replay.send([DataFrameKind.Proof, recorded]);
  t.deepEqual(((await replay.frame(1)) as unknown[]).slice(0, 2), [DataFrameKind.Refused, 'AUTHENTICATION_FAILED']);
  t.is(a.server.authStats.wrongProofs, 1);
});

test('a reflected proof fails: a listener that answers the dialler with its own proof is refused, and no request reaches it', async (t) => {
  const b = await startPeer(t, 'tm-b', { secret: SECRET });
  const fake = await rawServer(t);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', fake.address)]);
  const producer = await fake.accepted;
  const hello = (await producer.frame(0)) as [number, number, string, { to: string }];
  t.deepEqual([hello[0], hello[1], hello[2], hello[3].to], [DataFrameKind.Hello, DATA_PROTOCOL_VERSION, b.address, fake.address]);
  producer.send([DataFrameKind.Challenge, new Uint8Array(32).fill(5)]);
  const proof = (await producer.frame(1)) as [number, Uint8Array];
  t.is(proof[0], DataFrameKind.Proof);
  producer.send([DataFrameKind.Accepted, proof[1]]);
  const error = await pollFailure(gate);
  t.is(error.code, 'AUTHENTICATION_FAILED');
  t.regex(error.message, /did not prove it knows the secret: its proof does not check out: it does not know this process's secret$/);
  t.deepEqual(((await producer.frame(2)) as unknown[]).slice(0, 2), [DataFrameKind.Refused, 'AUTHENTICATION_FAILED']);
  await settle(50);
  t.is(producer.frames.length, 3, 'the PartitionRequest was never sent');
  t.is(b.server.authStats.wrongProofs, 1);
});

test('a batch from a listener that has not proved itself never reaches the channel', async (t) => {
  const b = await startPeer(t, 'tm-b', { secret: SECRET });
  const fake = await rawServer(t);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', fake.address)]);
  const producer = await fake.accepted;
  await producer.frame(0);
  producer.send([DataFrameKind.Batch, 0, ['forged'], null, null]);
  const error = await pollFailure(gate);
  t.is(error.code, 'AUTHENTICATION_FAILED');
  t.regex(error.message, /sent a frame of kind 3 without authenticating$/);
  t.deepEqual(gate.inputChannels[0].batches, []);
});

test('a listener without a secret and a dialler without one talk as before: the Hello is not answered', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const partition = a.network.createPartition(KEY, 1, 100);
  const raw = await rawClient(t, a.address);
  raw.send([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, null, null]);
  raw.send([DataFrameKind.PartitionRequest, 0, KEY, 0, CHANNEL_CREDITS]);
  partition.emit(0, 'plain', undefined);
  partition.flush();
  t.deepEqual(await raw.frame(0), [DataFrameKind.Batch, 0, ['plain'], null, null]);
  await eventually(() => a.server.connectionCount === 1, 1000, 'the connection');
});

test('a listener that never answers the handshake fails the channel after the connect timeout, not never', async (t) => {
  const b = await startPeer(t, 'tm-b', { secret: SECRET, connectTimeoutMs: 200 });
  const fake = await rawServer(t);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', fake.address)]);
  await (await fake.accepted).frame(0);
  const error = await pollFailure(gate);
  t.is(error.code, 'DATA_CONNECTION_FAILED');
  t.is(error.message, `cannot read partition ${KEY} (subpartition 0) of tm-a at ${fake.address}: HANDSHAKE_TIMEOUT: no answer to the handshake within 200 ms`);
});

test('a dialler that never says Hello is closed after the connect timeout', async (t) => {
  const a = await startPeer(t, 'tm-a', { connectTimeoutMs: 200 });
  const raw = await rawClient(t, a.address);
  t.is(await closeReasonOf(raw), 'HANDSHAKE_TIMEOUT: no Hello within 200 ms');
  await eventually(() => a.server.connectionCount === 0, 1000, 'the connection to be forgotten');
});
