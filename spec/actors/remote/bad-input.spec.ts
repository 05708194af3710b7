// Bad input from a peer is logged naming the peer and dropped; nothing else breaks. Each test ends by
// showing that good traffic still flows.
import test from 'ava';
import { MemoryNetwork, WsTransport } from '../../../actors/index.ts';
import { encode } from '../../../messages/codec.ts';
import { FrameKind, PROTOCOL_VERSION } from '../../../messages/remoting.ts';
import {
  CountingTransport,
  EVIL,
  type Ping,
  envelopesFrame,
  eventually,
  handshakenRawPeer,
  helloFrame,
  linkUp,
  memoryRemote,
  ping,
  portOf,
  rawPeer,
  sleep,
  spawnProbe,
  startSystem,
  within,
  wsPair,
} from './helpers.ts';

test('a malformed frame after a good hello is logged naming the peer and closes only that connection', async (t) => {
  const { b, inbox, toInbox } = await wsPair(t);
  toInbox.tell(ping(1));
  await inbox.next(2000, 'a Ping before the garbage');
  const { raw, answer } = await handshakenRawPeer(portOf(b.system));
  t.like(answer, [FrameKind.HelloAck, { address: b.system.address, version: PROTOCOL_VERSION }]);
  raw.send(Uint8Array.from([0xc1, 0xff, 0x00, 0x13]));
  await within(raw.closed, 2000, 'b to close the raw connection');
  const logged = b.log.withCode('MALFORMED_FRAME');
  t.is(logged.length, 1);
  t.is(logged[0].peer, EVIL);
  t.is(logged[0].level, 'error');
  t.true(String(logged[0].msg).includes(EVIL));
  toInbox.tell(ping(2));
  t.is((await inbox.next(2000, 'a Ping after the garbage')).n, 2);
});

test('a frame that decodes to something other than a frame closes that connection as malformed', async (t) => {
  const { b, inbox, toInbox } = await wsPair(t);
  const { raw } = await handshakenRawPeer(portOf(b.system));
  raw.send(encode({ hello: 'not an array' }));
  await within(raw.closed, 2000, 'b to close the raw connection');
  t.like(b.log.withCode('MALFORMED_FRAME'), [{ peer: EVIL }]);
  toInbox.tell(ping(1));
  t.is((await inbox.next(2000, 'a Ping afterwards')).n, 1);
});

test('a malformed envelope inside a good frame is dropped alone, logged naming the peer', async (t) => {
  const { b, inbox } = await wsPair(t);
  const { raw } = await handshakenRawPeer(portOf(b.system));
  raw.send(encode([FrameKind.Envelopes, [['/user/inbox', '', null, ping(1)], ['/user/inbox', 42], ['/user/inbox', '', null, ping(2)]]]));
  await inbox.waitFor(2, 2000);
  t.deepEqual(
    inbox.received.map((msg) => msg.n),
    [1, 2],
  );
  const logged = b.log.withCode('MALFORMED_FRAME');
  t.is(logged.length, 1);
  t.true(String(logged[0].msg).includes(EVIL));
  raw.send(envelopesFrame('/user/inbox', ping(3)));
  t.is((await inbox.waitFor(3, 2000, 'a Ping on the same connection'))[2].n, 3);
});

test('a frame over maxFrameBytes closes that connection, and the next connection works', async (t) => {
  const { a, b, inbox, toInbox } = await wsPair(t, { maxFrameBytes: 4096 });
  const { raw: bystander } = await handshakenRawPeer(portOf(b.system));
  toInbox.tell({ type: 'Ping', n: 1, padding: 'x'.repeat(10_000) } as Ping);
  await eventually(
    () => b.log.records.some((record) => String(record.msg).includes('FRAME_TOO_LARGE') && String(record.msg).includes(a.system.address)),
    2000,
    'b to log the oversized frame naming a',
  );
  await eventually(() => a.log.records.some((record) => String(record.msg).includes('closed')), 2000, 'a to see its connection close');
  t.is(inbox.received.length, 0, 'the oversized message was dropped');
  // Another peer's connection is untouched.
  await sleep(20);
  bystander.send(envelopesFrame('/user/inbox', ping(2)));
  t.is((await inbox.next(2000, 'the bystander Ping')).n, 2);
  // a reconnects for its next message.
  toInbox.tell(ping(3));
  t.is((await inbox.next(2000, 'a Ping from a after the close')).n, 3);
});

test('an oversized frame over the memory transport closes that connection and is logged', async (t) => {
  const network = new MemoryNetwork();
  const b = await startSystem(t, 'b', memoryRemote(network, { maxFrameBytes: 4096 }));
  const a = await startSystem(t, 'a', memoryRemote(network));
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  const toInbox = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
  toInbox.tell(ping(1));
  await inbox.next(2000, 'a Ping before');
  toInbox.tell({ type: 'Ping', n: 2, padding: 'x'.repeat(10_000) } as Ping);
  await eventually(
    () => b.log.records.some((record) => String(record.msg).includes('FRAME_TOO_LARGE') && String(record.msg).includes(a.system.address)),
    2000,
    'b to log the oversized frame naming a',
  );
  await eventually(() => a.log.records.some((record) => String(record.msg).includes('closed')), 2000, 'a to see its connection close');
  toInbox.tell(ping(3));
  t.is((await inbox.next(2000, 'a Ping after the close')).n, 3);
  t.deepEqual(
    inbox.received.map((msg) => msg.n),
    [1, 3],
  );
});

test('a message that encodes over the sender\'s maxFrameBytes is a dead letter there and its frame-mates still go', async (t) => {
  const network = new MemoryNetwork();
  const wireA = new CountingTransport(network.transport());
  const b = await startSystem(t, 'b', memoryRemote(network));
  const a = await startSystem(t, 'a', { transport: wireA, maxFrameBytes: 4096 });
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  const toInbox = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
  await linkUp(a.system, b.system);
  toInbox.tell(ping(1));
  toInbox.tell({ type: 'Ping', n: 2, padding: 'x'.repeat(10_000) } as Ping);
  toInbox.tell(ping(3));
  await inbox.waitFor(2, 2000);
  await sleep(20);
  t.deepEqual(
    inbox.received.map((msg) => msg.n),
    [1, 3],
  );
  t.like(a.deadLetters, [{ type: 'Ping', recipient: `${b.system.address}/user/inbox` }]);
  t.true(a.deadLetters[0].reason.includes('4096-byte frame limit'), a.deadLetters[0].reason);
  t.is(wireA.dialled, 1, 'the connection stayed up');
});

test('a message of an unknown type is logged as UNKNOWN_MESSAGE_TYPE with the type and the peer, and dropped', async (t) => {
  const { b, inbox, toInbox } = await wsPair(t);
  const { raw } = await handshakenRawPeer(portOf(b.system));
  raw.send(envelopesFrame('/user/inbox', { type: 'NoSuchMessage', n: 1 }));
  raw.send(envelopesFrame('/user/inbox', ping(2)));
  t.is((await inbox.next(2000, 'the good Ping behind the unknown one')).n, 2, 'the same connection goes on');
  const logged = b.log.withCode('UNKNOWN_MESSAGE_TYPE');
  t.is(logged.length, 1);
  t.is(logged[0].peer, EVIL);
  t.true(String(logged[0].msg).includes('"NoSuchMessage"'));
  t.like(b.deadLetters, [{ type: 'NoSuchMessage', recipient: `${b.system.address}/user/inbox` }]);
  toInbox.tell(ping(3));
  t.is((await inbox.next(2000, 'a Ping from a')).n, 3);
});

test('a message for an actor that does not exist is a dead letter naming the path and the sender', async (t) => {
  const { a, b, inbox, toInbox } = await wsPair(t);
  a.system.resolve<Ping>(`${b.system.address}/user/nobody`).tell(ping(1));
  toInbox.tell(ping(2));
  t.is((await inbox.next(2000, 'the Ping to the real inbox')).n, 2);
  t.is(b.deadLetters.length, 1);
  t.is(b.deadLetters[0].recipient, `${b.system.address}/user/nobody`);
  t.true(b.deadLetters[0].reason.includes(a.system.address), b.deadLetters[0].reason);
  t.true(b.log.records.some((record) => String(record.msg).includes('/user/nobody')));
});

test('a hello with another protocol version is answered with PROTOCOL_VERSION_MISMATCH and closed', async (t) => {
  const { b, inbox, toInbox } = await wsPair(t);
  const raw = await rawPeer(new WsTransport(), portOf(b.system));
  raw.send(helloFrame(EVIL, PROTOCOL_VERSION + 1));
  const answer = await raw.frame(0, 2000, 'the Reject');
  t.like(answer, [FrameKind.Reject, { code: 'PROTOCOL_VERSION_MISMATCH' }]);
  t.true(String((answer as [number, { reason: string }])[1].reason).includes(`protocol ${PROTOCOL_VERSION + 1}`));
  await within(raw.closed, 2000, 'b to close the connection');
  const logged = b.log.withCode('PROTOCOL_VERSION_MISMATCH');
  t.is(logged.length, 1);
  t.true(String(logged[0].msg).includes(EVIL));
  toInbox.tell(ping(1));
  t.is((await inbox.next(2000, 'a Ping from a')).n, 1);
});

test('a first frame that is not a hello is refused with HANDSHAKE_FAILED', async (t) => {
  const { b, inbox, toInbox } = await wsPair(t);
  const raw = await rawPeer(new WsTransport(), portOf(b.system));
  raw.send(envelopesFrame('/user/inbox', ping(99)));
  t.like(await raw.frame(0, 2000, 'the Reject'), [FrameKind.Reject, { code: 'HANDSHAKE_FAILED' }]);
  await within(raw.closed, 2000, 'b to close the connection');
  toInbox.tell(ping(1));
  await inbox.next(2000, 'a Ping from a');
  t.deepEqual(
    inbox.received.map((msg) => msg.n),
    [1],
  );
});

test('a sender refuses to send a message of an unregistered type: dead letter, error logged, later messages flow', async (t) => {
  const network = new MemoryNetwork();
  const b = await startSystem(t, 'b', memoryRemote(network));
  const a = await startSystem(t, 'a', memoryRemote(network));
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  const toInbox = a.system.resolve<unknown>(`${b.system.address}/user/inbox`);
  toInbox.tell({ type: 'NeverRegistered', n: 1 });
  toInbox.tell({ n: 2 });
  toInbox.tell(ping(3));
  t.is((await inbox.next(2000, 'the registered Ping')).n, 3);
  await sleep(20);
  t.is(inbox.received.length, 1);
  t.like(a.deadLetters, [
    { type: 'NeverRegistered', recipient: `${b.system.address}/user/inbox` },
    { recipient: `${b.system.address}/user/inbox` },
  ]);
  t.like(a.log.withCode('UNKNOWN_MESSAGE_TYPE'), [{ level: 'error' }]);
  t.true(String(a.log.withCode('UNKNOWN_MESSAGE_TYPE')[0].msg).includes('"NeverRegistered"'));
  t.is(a.log.withCode('INVALID_MESSAGE').length, 1);
  t.is(b.log.withCode('UNKNOWN_MESSAGE_TYPE').length, 0, 'nothing unregistered reached b');
});
