// No single frame from a peer takes down the process. Every handler of a decoded frame checks what it
// reads; a frame that breaks a rule closes only its own connection, logged naming the peer, or is
// dropped alone. Each test runs over the real ws transport, records every exception that would have
// ended the process (none may escape), and ends by showing that another peer's next message arrives.
import test, { type ExecutionContext } from 'ava';
import { MemoryNetwork, WsTransport } from '../../../actors/index.ts';
import { MAX_HANDSHAKE_FRAME_BYTES } from '../../../actors/remote/options.ts';
import { encode } from '../../../messages/codec.ts';
import { FrameKind, MAX_UID_CHARS, PROTOCOL_VERSION } from '../../../messages/remoting.ts';
import {
  EVIL,
  ForgedRef,
  type Ping,
  type RawPeer,
  envelopesFrame,
  escaped,
  eventually,
  handshakenRawPeer,
  helloFrame,
  memoryRemote,
  ping,
  portOf,
  rawPeer,
  sleep,
  spawnProbe,
  startSystem,
  uncaughtExceptions,
  within,
  wsPair,
} from './helpers.ts';

/** After the bad frame: what the process would have died of has had a timer turn to surface. */
const SURFACE_MS = 30;

/**
 * The raw peer's close notice, or 'not closed' after 2 s: asserted after what escaped, since a
 * handler that threw into ws left its connection open, and what it threw says more than a timeout.
 */
const closeNotice = (raw: RawPeer): Promise<string> => within(raw.closed, 2000, 'the close').catch(() => 'not closed');

/** The reason in a raw peer's close notice: `closed (1000 <reason>)`. */
const wireReason = (closed: string): string => /^closed \(\d+ ?(.*)\)$/s.exec(closed)?.[1] ?? closed;

/**
 * A raw peer says hello to b as EVIL, then sends `frame`. Resolves once b closed that connection
 * (or 2 s passed) and anything that escaped has had a timer turn to surface.
 */
async function afterHello(t: ExecutionContext, frame: Uint8Array) {
  const uncaught = uncaughtExceptions(t);
  const pair = await wsPair(t);
  const { raw } = await handshakenRawPeer(portOf(pair.b.system));
  raw.send(frame);
  const closed = await closeNotice(raw);
  await sleep(SURFACE_MS);
  return { ...pair, raw, closed, uncaught };
}

/** a's next Ping reaches b's inbox: b, and the process, go on. */
async function stillDelivers(t: ExecutionContext, pair: Awaited<ReturnType<typeof wsPair>>, n: number): Promise<void> {
  pair.toInbox.tell(ping(n));
  t.is((await pair.inbox.next(2000, 'a Ping from a')).n, n);
}

test('a Watch of a path without the leading slash closes only that connection, logged naming the peer', async (t) => {
  const pair = await afterHello(t, encode([FrameKind.Watch, 'x', 'k']));
  t.deepEqual(escaped(pair.uncaught), []);
  t.regex(pair.closed, /^closed \(1000 MALFORMED_FRAME: /);
  const logged = pair.b.log.withCode('MALFORMED_FRAME');
  t.is(logged.length, 1);
  t.is(logged[0].peer, EVIL);
  t.is(logged[0].msg, `closing the connection to ${EVIL}: Watch frame: the path "x" is not a local actor path like /user/name`);
  await stillDelivers(t, pair, 1);
});

test('a frame that makes the system close with a long reason is closed with the reason cut to 123 bytes of UTF-8', async (t) => {
  const pair = await afterHello(t, encode(['é'.repeat(60)]));
  t.deepEqual(escaped(pair.uncaught), []);
  const reason = wireReason(pair.closed);
  t.is(reason, `MALFORMED_FRAME: unknown frame kind "${'é'.repeat(40)}…" (`);
  t.is(Buffer.byteLength(reason), 123);
  t.like(pair.b.log.withCode('MALFORMED_FRAME'), [{ peer: EVIL, msg: `closing the connection to ${EVIL}: unknown frame kind "${'é'.repeat(40)}…" (60 characters)` }]);
  await stillDelivers(t, pair, 1);
});

test('the same frame before any hello is refused with HANDSHAKE_FAILED, and the system goes on', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { b, inbox, toInbox } = await wsPair(t);
  const raw = await rawPeer(new WsTransport(), portOf(b.system));
  raw.send(encode(['é'.repeat(60)]));
  t.like(await raw.frame(0, 2000, 'the Reject'), [FrameKind.Reject, { code: 'HANDSHAKE_FAILED' }]);
  t.is(wireReason(await within(raw.closed, 2000, 'b to close the connection')), 'HANDSHAKE_FAILED');
  await sleep(SURFACE_MS);
  t.deepEqual(escaped(uncaught), []);
  t.regex(String(b.log.withCode('HANDSHAKE_FAILED')[0]?.msg), /^refused connection from 127\.0\.0\.1:\d+: the first frame is not a weir hello: unknown frame kind "é{40}…" \(60 characters\)$/);
  toInbox.tell(ping(1));
  t.is((await inbox.next(2000, 'a Ping from a')).n, 1);
});

test('a TraceSubscribe with a malformed filter is refused, logged naming the peer, and later traced messages harm nothing', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { b, inbox, toInbox } = await wsPair(t);
  const { raw } = await handshakenRawPeer(portOf(b.system));
  raw.send(encode([FrameKind.TraceSubscribe, 1, { types: { length: 1 } }]));
  const closed = await closeNotice(raw);
  inbox.ref.tell(ping(1)); // a traced message, had the subscription been served
  toInbox.tell(ping(2));
  await inbox.waitFor(2, 2000, 'both Pings');
  await sleep(SURFACE_MS);
  t.deepEqual(escaped(uncaught), []);
  t.regex(closed, /^closed \(1000 MALFORMED_FRAME: /);
  t.false(b.system.traceHub.active, 'nothing subscribed');
  t.like(b.log.withCode('MALFORMED_FRAME'), [{ peer: EVIL, msg: `closing the connection to ${EVIL}: TraceSubscribe frame: the filter's types are an object, not an array of strings` }]);
});

const malformedFilters: Array<[string, unknown, string]> = [
  ['types that are not strings', { types: ['Ping', 3] }, "the filter's types are an array of 2, not an array of strings"],
  ['a path that is not a string', { path: 7 }, "the filter's path is 7, not a string"],
  ['an unknown field', { types: ['Ping'], where: 'x' }, 'the filter has an unknown field "where"'],
  ['no filter object', 'Ping', 'the filter is "Ping", not an object'],
];

for (const [what, filter, problem] of malformedFilters) {
  test(`a trace filter with ${what} is refused: ${problem}`, async (t) => {
    const { b, closed } = await afterHello(t, encode([FrameKind.TraceSubscribe, 1, filter]));
    t.regex(closed, /^closed \(1000 MALFORMED_FRAME: /);
    t.like(b.log.withCode('MALFORMED_FRAME'), [{ peer: EVIL, msg: `closing the connection to ${EVIL}: TraceSubscribe frame: ${problem}` }]);
    t.false(b.system.traceHub.active);
  });
}

test('a frame kind JSON cannot print (a 64-bit integer) closes that connection as malformed', async (t) => {
  const pair = await afterHello(t, encode([2n ** 64n - 1n]));
  t.deepEqual(escaped(pair.uncaught), []);
  t.regex(pair.closed, /^closed \(1000 MALFORMED_FRAME: /);
  t.like(pair.b.log.withCode('MALFORMED_FRAME'), [{ peer: EVIL, msg: `closing the connection to ${EVIL}: unknown frame kind 18446744073709551615n` }]);
  await stillDelivers(t, pair, 1);
});

const badIds: Array<[string, unknown[], string]> = [
  ['a TraceSubscribe with a 64-bit id', [FrameKind.TraceSubscribe, 2n ** 64n - 1n, {}], 'TraceSubscribe frame: the subscription id 18446744073709551615n is not a non-negative integer'],
  ['a TraceSubscribe with an id past 2^53', [FrameKind.TraceSubscribe, 2 ** 60, {}], `TraceSubscribe frame: the subscription id ${2 ** 60} is not a non-negative integer`],
  ['a TraceUnsubscribe with a fractional id', [FrameKind.TraceUnsubscribe, 1.5], 'TraceUnsubscribe frame: the subscription id 1.5 is not a non-negative integer'],
  ['TraceEvents with a negative id', [FrameKind.TraceEvents, -1, []], 'TraceEvents frame: the subscription id -1 is not a non-negative integer'],
  ['a Terminated whose path is a number', [FrameKind.Terminated, 7, null], 'Terminated frame: the path 7 is not a local actor path like /user/name'],
  ['an Unwatch of a full address', [FrameKind.Unwatch, 'weir://b@127.0.0.1:1/user/inbox', 'k'], 'Unwatch frame: the path "weir://b@127.0.0.1:1/user/inbox" is not a local actor path like /user/name'],
  ['a Heartbeat with a field', [FrameKind.Heartbeat, { big: 'x'.repeat(100) }], 'Heartbeat frame: 2 fields, not 1'],
  ['a HelloAck after the handshake', [FrameKind.HelloAck, { version: PROTOCOL_VERSION, address: EVIL, uid: 'u' }], 'a HelloAck frame after the handshake'],
  ['a Reject with a body that is not one', [FrameKind.Reject, ['x']], 'Reject frame: the body is not {code, reason}'],
];

for (const [what, frame, message] of badIds) {
  test(`${what} closes that connection as malformed`, async (t) => {
    const pair = await afterHello(t, encode(frame));
    t.deepEqual(escaped(pair.uncaught), []);
    t.regex(pair.closed, /^closed \(1000 MALFORMED_FRAME: /);
    t.like(pair.b.log.withCode('MALFORMED_FRAME'), [{ peer: EVIL, msg: `closing the connection to ${EVIL}: ${message}` }]);
    await stillDelivers(t, pair, 1);
  });
}

test('a ref whose path does not parse, nested in a message, costs its frame and connection only', async (t) => {
  const pair = await afterHello(t, encode([FrameKind.Envelopes, [['/user/inbox', '', null, { type: 'Ping', n: 1, replyTo: new ForgedRef('no path at all') }]]]));
  t.deepEqual(escaped(pair.uncaught), []);
  t.regex(pair.closed, /^closed \(1000 MALFORMED_FRAME: /);
  const logged = pair.b.log.withCode('MALFORMED_FRAME');
  t.is(logged.length, 1);
  t.is(logged[0].peer, EVIL);
  t.regex(String(logged[0].msg), /^closing the connection to weir:\/\/evil@127\.0\.0\.1:9: cannot decode a frame of \d+ bytes: "no path at all" is not an actor path/);
  t.is(pair.inbox.received.length, 0);
  await stillDelivers(t, pair, 2);
});

test('a Terminated for a path this system never watched is ignored, and the connection goes on', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { b, inbox } = await wsPair(t);
  const { raw } = await handshakenRawPeer(portOf(b.system));
  raw.send(encode([FrameKind.Terminated, '/user/never-watched', 'it failed']));
  raw.send(envelopesFrame('/user/inbox', ping(1)));
  t.is((await inbox.next(2000, 'the Ping on the same connection')).n, 1);
  t.deepEqual(escaped(uncaught), []);
  t.is(b.log.withCode('MALFORMED_FRAME').length, 0);
});

test('a Watch of a /temp or /system path with no actor there is answered with Terminated at once', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { b, inbox } = await wsPair(t);
  const { raw } = await handshakenRawPeer(portOf(b.system));
  raw.send(encode([FrameKind.Watch, '/temp/$nobody', 'k']));
  raw.send(encode([FrameKind.Watch, '/system/nobody', 'k']));
  raw.send(encode([FrameKind.Unwatch, '/temp/$nobody', 'k']));
  t.deepEqual(await raw.frame(1, 2000, 'the first Terminated'), [FrameKind.Terminated, '/temp/$nobody', null]);
  t.deepEqual(await raw.frame(2, 2000, 'the second Terminated'), [FrameKind.Terminated, '/system/nobody', null]);
  raw.send(envelopesFrame('/user/inbox', ping(1)));
  t.is((await inbox.next(2000, 'the Ping on the same connection')).n, 1);
  t.deepEqual(escaped(uncaught), []);
});

test('an envelope whose sender is not a path is dropped alone, even while a remote trace filters by path', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { a, b, inbox } = await wsPair(t);
  const subscription = a.system.remoteTrace$(b.system.address, { path: '/user/elsewhere' }).subscribe(() => {});
  t.teardown(() => subscription.unsubscribe());
  await eventually(() => b.system.traceHub.active, 2000, 'b to trace for a');
  const { raw } = await handshakenRawPeer(portOf(b.system));
  raw.send(encode([FrameKind.Envelopes, [['/user/inbox', '', 42, ping(1)], ['/user/inbox', '', null, ping(2)]]]));
  t.is((await inbox.next(2000, 'the well-formed Ping')).n, 2);
  await sleep(SURFACE_MS);
  t.deepEqual(escaped(uncaught), []);
  t.deepEqual(inbox.received.map((msg) => msg.n), [2]);
  t.like(b.log.withCode('MALFORMED_FRAME'), [{ peer: EVIL, msg: `dropped a malformed envelope from ${EVIL}` }]);
});

test('a hello with a uid over the limit is refused with HANDSHAKE_FAILED', async (t) => {
  const { b, inbox, toInbox } = await wsPair(t);
  const raw = await rawPeer(new WsTransport(), portOf(b.system));
  raw.send(helloFrame(EVIL, PROTOCOL_VERSION, 'u'.repeat(MAX_UID_CHARS + 1)));
  t.like(await raw.frame(0, 2000, 'the Reject'), [FrameKind.Reject, { code: 'HANDSHAKE_FAILED' }]);
  await within(raw.closed, 2000, 'b to close the connection');
  t.regex(String(b.log.withCode('HANDSHAKE_FAILED')[0]?.msg), new RegExp(`the first frame is not a weir hello: Hello frame: the uid has ${MAX_UID_CHARS + 1} characters, over ${MAX_UID_CHARS}$`));
  toInbox.tell(ping(1));
  t.is((await inbox.next(2000, 'a Ping from a')).n, 1);
});

test('a HelloAck with a bad body ends that dial, logged naming the peer, and the dialler goes on', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { a, inbox, toInbox } = await wsPair(t);
  const server = new WsTransport();
  t.teardown(() => server.close());
  const { port } = await server.listen('127.0.0.1', 0, { maxFrameBytes: 1 << 20, maxHandshakeFrameBytes: 1 << 20 }, (connection) =>
    connection.setHandlers({ onFrame: () => connection.send(encode([FrameKind.HelloAck, { version: PROTOCOL_VERSION, address: 5 }])), onClose: () => {} }),
  );
  const evil = `weir://evil@127.0.0.1:${port}`;
  a.system.resolve<Ping>(`${evil}/user/x`).tell(ping(1));
  await eventually(() => a.log.withCode('HANDSHAKE_FAILED').length > 0, 2000, 'a to refuse the answer');
  await sleep(SURFACE_MS);
  t.deepEqual(escaped(uncaught), []);
  t.like(a.log.withCode('HANDSHAKE_FAILED')[0], { peer: evil, msg: `${evil} refused the connection: unexpected answer to hello: HelloAck frame: the body is not {version, address, uid}` });
  toInbox.tell(ping(2));
  t.is((await inbox.next(2000, 'a Ping from a to b')).n, 2);
});

test(`a first frame over maxHandshakeFrameBytes (default ${MAX_HANDSHAKE_FRAME_BYTES}) closes the connection before anything is buffered; after a hello, frames that size are fine`, async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { b, inbox, toInbox } = await wsPair(t);
  const large = envelopesFrame('/user/inbox', { type: 'Ping', n: 1, padding: 'x'.repeat(MAX_HANDSHAKE_FRAME_BYTES) });
  const early = await rawPeer(new WsTransport(), portOf(b.system));
  early.send(large);
  t.regex(await closeNotice(early), /^error: |^closed \(1009/, 'ws refuses the frame at its header');
  await eventually(() => b.log.withCode('FRAME_TOO_LARGE').length > 0, 2000, 'b to log the refused first frame');
  t.regex(String(b.log.withCode('FRAME_TOO_LARGE')[0].msg), /^closed the connection from 127\.0\.0\.1:\d+ before its hello: FRAME_TOO_LARGE: Max payload size exceeded$/);
  t.is(inbox.received.length, 0);
  const { raw } = await handshakenRawPeer(portOf(b.system));
  raw.send(large);
  t.is((await inbox.next(2000, 'the large Ping after a hello')).n, 1);
  toInbox.tell(ping(2));
  t.is((await inbox.next(2000, 'a Ping from a')).n, 2);
  t.deepEqual(escaped(uncaught), []);
});

test('the memory transport keeps the same handshake limit', async (t) => {
  const network = new MemoryNetwork();
  const b = await startSystem(t, 'b', memoryRemote(network, { maxHandshakeFrameBytes: 200 }));
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  const early = await rawPeer(network.transport(), portOf(b.system));
  const longHello = helloFrame(`${EVIL}/${'x'.repeat(200)}`);
  early.send(longHello);
  t.is(await closeNotice(early), `closed by peer: FRAME_TOO_LARGE: ${longHello.length} bytes exceeds 200`);
  const a = await startSystem(t, 'a', memoryRemote(network));
  a.system.resolve<Ping>(inbox.ref.path).tell({ type: 'Ping', n: 1, padding: 'x'.repeat(1000) } as Ping);
  t.is((await inbox.next(2000, 'a large Ping after the hello')).n, 1);
});
