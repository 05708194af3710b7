// Authentication of remoting connections over real ws: systems that share the secret talk; a peer
// with no proof, a wrong one, a replayed or a reflected one is refused before any message of its is
// decoded, both sides say why, each peer's first refusal is logged (with its address) and every one
// is counted.
import test from 'ava';
import { type ActorSystem, AuthSecret, AuthenticationError, WsTransport } from '../../../actors/index.ts';
import { DiallerAuth } from '../../../actors/remote/handshake-auth.ts';
import type { Connection } from '../../../actors/remote/transport.ts';
import { decode, encode } from '../../../messages/codec.ts';
import { FrameKind, PROTOCOL_VERSION } from '../../../messages/remoting.ts';
import {
  EVIL,
  type Ping,
  type Pong,
  envelopesFrame,
  eventually,
  ping,
  portOf,
  rawPeer,
  sleep,
  spawnPonger,
  spawnProbe,
  startSystem,
  within,
} from './helpers.ts';

const SECRET_TEXT = 'correct horse battery staple';
const SECRET = AuthSecret.from(SECRET_TEXT);
const OTHER = AuthSecret.from('another secret entirely, 32 bytes');

/** The lines of `level` with `code` (not the debug ones): what a peer's refusals put in the log at the default level. */
const linesWithCode = (log: { withCode(code: string): ReadonlyArray<Record<string, unknown>> }, code: string, level: 'error' | 'warn' = 'error') =>
  log.withCode(code).filter((record) => record.level === level);

const ws = (secret?: AuthSecret) => ({ transport: new WsTransport(), ...(secret ? { secret } : {}) });

/** The lines of both logs, as written: the secret must be in none. */
const allLines = (...logs: Array<{ readonly records: ReadonlyArray<Record<string, unknown>> }>): string => logs.flatMap((log) => log.records.map((record) => JSON.stringify(record))).join('\n');

async function pingPong(from: ActorSystem, to: ActorSystem, name: string): Promise<Pong> {
  spawnPonger(to, name);
  return from.ask<Ping, Pong>(from.resolve<Ping>(`${to.address}/user/${name}`), (replyTo) => ping(7, replyTo), 3000);
}

/** The error `connectTo` rejects with, within 3 s. */
async function refusal(from: ActorSystem, to: ActorSystem): Promise<AuthenticationError> {
  const error = await within(from.connectTo(to.address).then(
    () => undefined,
    (reason: unknown) => reason,
  ), 3000, `the connection from ${from.address} to ${to.address} to be refused`);
  if (!(error instanceof AuthenticationError)) throw new Error(`expected an AuthenticationError, got ${String(error)}`);
  return error;
}

test('two systems with the same secret talk both ways, and count no failures', async (t) => {
  const a = await startSystem(t, 'a', ws(SECRET));
  const b = await startSystem(t, 'b', ws(SECRET));
  t.deepEqual(await pingPong(a.system, b.system, 'ponger'), { type: 'Pong', n: 7, from: `${b.system.address}/user/ponger` });
  t.deepEqual(await pingPong(b.system, a.system, 'ponger'), { type: 'Pong', n: 7, from: `${a.system.address}/user/ponger` });
  const none = { missingProofs: 0, wrongProofs: 0, unexpectedProofs: 0, refusedByPeers: 0, tlsRefusals: 0 };
  t.deepEqual([a.system.authStats, b.system.authStats], [none, none]);
});

test('two systems with the same secret that dial each other at once settle on one authenticated connection', async (t) => {
  for (let round = 0; round < 4; round++) {
    const a = await startSystem(t, `a${round}`, ws(SECRET));
    const b = await startSystem(t, `b${round}`, ws(SECRET));
    const atA = spawnProbe<Ping>(a.system, 'inbox');
    const atB = spawnProbe<Ping>(b.system, 'inbox');
    a.system.resolve<Ping>(`${b.system.address}/user/inbox`).tell(ping(1));
    b.system.resolve<Ping>(`${a.system.address}/user/inbox`).tell(ping(2));
    t.is((await atB.next(3000, `round ${round}: a -> b`)).n, 1);
    t.is((await atA.next(3000, `round ${round}: b -> a`)).n, 2);
    t.is(a.system.authStats.wrongProofs + b.system.authStats.wrongProofs, 0);
    await Promise.all([a.system.terminate(), b.system.terminate()]);
  }
});

test('a system without the secret is refused by one that has it, and both say why', async (t) => {
  const b = await startSystem(t, 'b', ws(SECRET));
  const a = await startSystem(t, 'a', ws());
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  a.system.resolve<Ping>(`${b.system.address}/user/inbox`).tell(ping(1));
  const error = await refusal(a.system, b.system);
  t.is(error.code, 'AUTHENTICATION_FAILED');
  t.deepEqual([error.refusal, error.refusedBy], ['AUTHENTICATION_REQUIRED', 'peer']);
  t.is(
    error.message,
    `${b.system.address} refused this system's authentication: AUTHENTICATION_REQUIRED: ${a.system.address} offered no proof, and this process requires one (security.auth.secret is set here)`,
  );
  await eventually(() => b.log.withCode('AUTHENTICATION_REQUIRED').length === 1 && a.log.withCode('AUTHENTICATION_REQUIRED').length === 1, 2000, 'both sides to log the refusal');
  t.regex(String(b.log.withCode('AUTHENTICATION_REQUIRED')[0].msg), /^refused connection from 127\.0\.0\.1:\d+: AUTHENTICATION_REQUIRED: weir:\/\/a@127\.0\.0\.1:\d+ offered no proof/);
  t.is(b.log.withCode('AUTHENTICATION_REQUIRED')[0].peer, '127.0.0.1');
  t.is(b.system.authStats.missingProofs, 1);
  t.is(a.system.authStats.refusedByPeers, 1);
  await sleep(50);
  t.deepEqual(inbox.received, [], 'nothing was delivered');
});

test('a system with a secret refuses to talk to one without, and both say why', async (t) => {
  const b = await startSystem(t, 'b', ws());
  const a = await startSystem(t, 'a', ws(SECRET));
  const error = await refusal(a.system, b.system);
  t.deepEqual([error.refusal, error.refusedBy], ['AUTHENTICATION_NOT_CONFIGURED', 'peer']);
  t.regex(error.message, /offered a proof, but this process has no security\.auth\.secret to check it; set the same secret on both$/);
  await eventually(() => b.log.withCode('AUTHENTICATION_NOT_CONFIGURED').length === 1 && a.log.withCode('AUTHENTICATION_NOT_CONFIGURED').length === 1, 2000, 'both sides to log');
  t.is(b.system.authStats.unexpectedProofs, 1);
});

test('a wrong secret is refused with AUTHENTICATION_FAILED, logged once per peer, counted every time, and never printed', async (t) => {
  const b = await startSystem(t, 'b', ws(SECRET));
  const a = await startSystem(t, 'a', ws(OTHER));
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  a.system.resolve<Ping>(`${b.system.address}/user/inbox`).tell(ping(1));
  const first = await refusal(a.system, b.system);
  t.deepEqual([first.refusal, first.refusedBy], ['AUTHENTICATION_FAILED', 'peer']);
  t.regex(first.message, /the proof of weir:\/\/a@127\.0\.0\.1:\d+ does not check out: another secret, or a replayed or reflected proof$/);
  // The association dials again (an envelope waits): every attempt is refused and counted.
  // Each side counts when it sees the refusal: the dialler a moment after the acceptor.
  await eventually(() => b.system.authStats.wrongProofs >= 3 && a.system.authStats.refusedByPeers >= 3, 5000, 'three refused attempts, on both sides');
  t.is(linesWithCode(b.log, 'AUTHENTICATION_FAILED').length, 1, 'the acceptor logged the peer once, as an error');
  t.is(linesWithCode(a.log, 'AUTHENTICATION_FAILED', 'warn').length, 1, 'the dialler logged the peer once, as a warning');
  t.true(a.system.authStats.refusedByPeers >= 3);
  t.deepEqual(inbox.received, []);
  const lines = allLines(a.log, b.log);
  t.false(lines.includes(SECRET_TEXT));
  t.false(lines.includes('another secret entirely'));
});

test('dialling a system by another name than the one it listens as is refused, naming both', async (t) => {
  const b = await startSystem(t, 'b', ws(SECRET));
  const a = await startSystem(t, 'a', ws(SECRET));
  const elsewhere = b.system.address.replace('127.0.0.1', 'localhost');
  const error = await within(a.system.connectTo(elsewhere).then(() => undefined, (reason: unknown) => reason), 3000, 'the refusal');
  t.true(error instanceof AuthenticationError);
  t.is((error as AuthenticationError).refusal, 'AUTHENTICATION_ADDRESS_MISMATCH');
  t.regex((error as Error).message, new RegExp(`dialled ${elsewhere}, but this process is ${b.system.address}; with authentication, dial the address a process listens as$`));
});

// --- a raw dialler: bytes of our choosing ------------------------------------------------------------

/** A raw ws connection to `system` that has sent a hello asking for authentication, and the challenge it got. */
async function challenged(system: ActorSystem, secret: AuthSecret, from = EVIL): Promise<{ raw: Awaited<ReturnType<typeof rawPeer>>; auth: DiallerAuth; nonce: Uint8Array }> {
  const raw = await rawPeer(new WsTransport(), portOf(system));
  const auth = new DiallerAuth(secret, 'rpc', from, system.address);
  raw.send(encode([FrameKind.Hello, { version: PROTOCOL_VERSION, address: from, uid: 'raw-uid', auth: auth.helloAuth }]));
  const challenge = (await raw.frame(0, 2000, 'the challenge')) as [number, Uint8Array];
  if (challenge[0] !== FrameKind.Challenge) throw new Error(`expected a Challenge, got ${JSON.stringify(challenge)}`);
  return { raw, auth, nonce: challenge[1] };
}

test('a dialler that knows the secret is admitted, and the HelloAck carries the proof of the acceptor', async (t) => {
  const b = await startSystem(t, 'b', ws(SECRET));
  const { raw, auth, nonce } = await challenged(b.system, SECRET);
  raw.send(encode([FrameKind.Proof, auth.answer(nonce)]));
  const ack = (await raw.frame(1, 2000, 'the HelloAck')) as [number, { address: string; proof: Uint8Array }];
  t.is(ack[0], FrameKind.HelloAck);
  t.is(ack[1].address, b.system.address);
  t.is(auth.problemWith(ack[1].proof), undefined, 'the proof of the acceptor checks out');
});

test('frames sent before the proof are never decoded: an envelope in place of the proof is refused, not delivered', async (t) => {
  const b = await startSystem(t, 'b', ws(SECRET));
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  const { raw } = await challenged(b.system, SECRET);
  raw.send(envelopesFrame('/user/inbox', ping(666)));
  const reject = (await raw.frame(1, 2000, 'the Reject')) as [number, { code: string; reason: string }];
  t.deepEqual(reject, [FrameKind.Reject, { code: 'AUTHENTICATION_FAILED', reason: `${EVIL} answered the challenge with a Envelopes frame, not a proof` }]);
  await within(raw.closed, 2000, 'the close');
  await sleep(50);
  t.deepEqual(inbox.received, []);
  t.is(b.system.authStats.wrongProofs, 1);
});

test('a frame larger than the handshake limit before the proof closes the connection', async (t) => {
  const b = await startSystem(t, 'b', { ...ws(SECRET), maxHandshakeFrameBytes: 1024 });
  const { raw } = await challenged(b.system, SECRET);
  raw.send(new Uint8Array(4096));
  await within(raw.closed, 2000, 'the close');
  await eventually(() => b.log.withCode('FRAME_TOO_LARGE').length === 1, 2000, 'the log line');
  t.pass();
});

test('a replayed proof is refused: the acceptor challenges each connection with a fresh nonce', async (t) => {
  const b = await startSystem(t, 'b', ws(SECRET));
  const first = await challenged(b.system, SECRET);
  const recorded = first.auth.answer(first.nonce);
  first.raw.send(encode([FrameKind.Proof, recorded]));
  t.is(((await first.raw.frame(1, 2000, 'the HelloAck')) as [number])[0], FrameKind.HelloAck);
  // An eavesdropper replays the whole dialler side: the same hello (same nonce), the same proof.
  const replay = await rawPeer(new WsTransport(), portOf(b.system));
  replay.send(encode([FrameKind.Hello, { version: PROTOCOL_VERSION, address: EVIL, uid: 'raw-uid', auth: first.auth.helloAuth }]));
  const challenge = (await replay.frame(0, 2000, 'the challenge')) as [number, Uint8Array];
  t.notDeepEqual(challenge[1], first.nonce);
  replay.send(encode([FrameKind.Proof, recorded]));
  const reject = (await replay.frame(1, 2000, 'the Reject')) as [number, { code: string }];
  t.deepEqual(reject[1].code, 'AUTHENTICATION_FAILED');
  t.is(b.system.authStats.wrongProofs, 1);
});

test('proofs from a raw dialler without the secret are refused; the peer is logged once with its address', async (t) => {
  const b = await startSystem(t, 'b', ws(SECRET));
  for (let attempt = 0; attempt < 3; attempt++) {
    const { raw, auth, nonce } = await challenged(b.system, OTHER);
    raw.send(encode([FrameKind.Proof, auth.answer(nonce)]));
    await within(raw.closed, 2000, `attempt ${attempt} to be closed`);
  }
  t.is(b.system.authStats.wrongProofs, 3);
  const lines = linesWithCode(b.log, 'AUTHENTICATION_FAILED');
  t.is(lines.length, 1);
  t.regex(String(lines[0].msg), /^refused connection from 127\.0\.0\.1:\d+: AUTHENTICATION_FAILED: the proof of weir:\/\/evil@127\.0\.0\.1:9 does not check out/);
  t.is(lines[0].peer, '127.0.0.1');
});

// --- a raw acceptor: an impostor at an address a system dials ---------------------------------------

/**
 * Listens on ws and plays the acceptor: challenges the dialler, then answers its proof with
 * `ackProof(theDiallersProof)` in the HelloAck. Resolves with what the dialler sent after that.
 */
async function impostor(t: { teardown(fn: () => unknown): void }, ackProof: (diallerProof: Uint8Array) => Uint8Array): Promise<{ address: string; afterAck: Promise<unknown> }> {
  const transport = new WsTransport();
  t.teardown(() => transport.close());
  let address = '';
  let reportAfterAck!: (frame: unknown) => void;
  const afterAck = new Promise<unknown>((resolve) => (reportAfterAck = resolve));
  const listening = await transport.listen('127.0.0.1', 0, { maxFrameBytes: 1 << 20, maxHandshakeFrameBytes: 1 << 20 }, (connection: Connection) => {
    let step = 0;
    connection.setHandlers({
      onFrame: (bytes) => {
        const frame = decode(bytes) as [number, unknown];
        if (step === 0) connection.send(encode([FrameKind.Challenge, new Uint8Array(32).fill(7)]));
        else if (step === 1) connection.send(encode([FrameKind.HelloAck, { version: PROTOCOL_VERSION, address, uid: 'impostor', proof: ackProof(frame[1] as Uint8Array) }]));
        else reportAfterAck(frame);
        step++;
      },
      onClose: () => undefined,
    });
  });
  address = `weir://b@127.0.0.1:${listening.port}`;
  return { address, afterAck };
}

test('a reflected proof fails: an impostor that answers with the dialler its own proof is refused', async (t) => {
  const a = await startSystem(t, 'a', ws(SECRET));
  const fake = await impostor(t, (diallerProof) => diallerProof);
  const error = await within(a.system.connectTo(fake.address).then(() => undefined, (reason: unknown) => reason), 3000, 'the refusal');
  t.true(error instanceof AuthenticationError);
  t.deepEqual([(error as AuthenticationError).refusal, (error as AuthenticationError).refusedBy], ['AUTHENTICATION_FAILED', 'self']);
  t.is((error as Error).message, `${fake.address} did not prove it knows the secret: its proof does not check out: it does not know this process's secret`);
  // The dialler tells the impostor why before it closes, and sends nothing else.
  t.deepEqual(((await within(fake.afterAck, 2000, 'the Reject')) as [number, { code: string }])[1].code, 'AUTHENTICATION_FAILED');
  t.is(a.system.authStats.wrongProofs, 1);
  t.is(linesWithCode(a.log, 'AUTHENTICATION_FAILED').length, 1);
});

test('an impostor without the secret cannot make up a proof either', async (t) => {
  const a = await startSystem(t, 'a', ws(SECRET));
  const fake = await impostor(t, () => new Uint8Array(32).fill(1));
  const error = await within(a.system.connectTo(fake.address).then(() => undefined, (reason: unknown) => reason), 3000, 'the refusal');
  t.is((error as AuthenticationError).refusal, 'AUTHENTICATION_FAILED');
  t.is(a.system.authStats.wrongProofs, 1);
});

test('a dialled system takes no frame over the handshake limit before the acceptor proved itself', async (t) => {
  const a = await startSystem(t, 'a', { ...ws(SECRET), maxHandshakeFrameBytes: 1024 });
  const transport = new WsTransport();
  t.teardown(() => transport.close());
  let closed!: (reason: string) => void;
  const closedWith = new Promise<string>((resolve) => (closed = resolve));
  const listening = await transport.listen('127.0.0.1', 0, { maxFrameBytes: 1 << 20, maxHandshakeFrameBytes: 1 << 20 }, (connection: Connection) => {
    connection.setHandlers({ onFrame: () => connection.send(new Uint8Array(4096)), onClose: (reason) => closed(reason) });
  });
  void a.system.connectTo(`weir://b@127.0.0.1:${listening.port}`).catch(() => undefined);
  t.regex(await within(closedWith, 3000, 'the dialler to close'), /1009/);
  await eventually(() => a.log.withCode('FRAME_TOO_LARGE').length >= 1, 2000, 'the log line');
  t.regex(String(a.log.withCode('FRAME_TOO_LARGE')[0].msg), /^closed the connection to weir:\/\/b@127\.0\.0\.1:\d+ before the handshake completed: FRAME_TOO_LARGE/);
});
