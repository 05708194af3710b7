// Quarantine: a system that comes back at the same name and port is a new incarnation. Watches of the
// old one end, refs that carry the old incarnation's uid reach nobody, and fresh resolves reach the new.
import test, { type ExecutionContext } from 'ava';
import { type ActorRef, MemoryNetwork, type RemoteOptions, WsTransport } from '../../../actors/index.ts';
import { RemoteRef } from '../../../actors/remote/remote-ref.ts';
import type { Transport } from '../../../actors/remote/transport.ts';
import { encode } from '../../../messages/codec.ts';
import { FrameKind, PROTOCOL_VERSION } from '../../../messages/remoting.ts';
import {
  CountingTransport,
  type Introduce,
  type Ping,
  eventually,
  helloFrame,
  linkUp,
  ping,
  portOf,
  rawPeer,
  sleep,
  spawnProbe,
  spawnWatcher,
  startSystem,
  within,
} from './helpers.ts';

const transports: ReadonlyArray<readonly [string, () => () => Transport]> = [
  [
    'memory',
    () => {
      const network = new MemoryNetwork();
      return () => network.transport();
    },
  ],
  ['ws', () => () => new WsTransport()],
];

for (const [transportName, makeTransport] of transports) {
  test(`a peer restarted at the same name and port over ${transportName} is quarantined: old watches end, old refs are dead letters, new resolves work`, async (t) => {
    const transport = makeTransport();
    const options: RemoteOptions = { reconnectMinMs: 20, reconnectMaxMs: 100 };
    const a = await startSystem(t, 'a', { ...options, transport: transport() });
    const oldWire = new CountingTransport(transport());
    const oldB = await startSystem(t, 'b', { transport: oldWire });
    const port = portOf(oldB.system);

    // a learns a ref that carries old b's uid, and watches an actor of old b.
    const introductions = spawnProbe<Introduce>(a.system, 'introductions');
    const oldInbox = spawnProbe<Ping>(oldB.system, 'inbox');
    oldB.system.resolve<Introduce>(`${a.system.address}/user/introductions`).tell({ type: 'Introduce', ref: oldInbox.ref });
    const oldRef = (await introductions.next(2000, 'the Introduce from old b')).ref;
    t.is((oldRef as RemoteRef<Ping>).uid, oldB.system.uid);
    const watcher = spawnWatcher(a.system, 'watcher');
    watcher.watch(oldRef as ActorRef<never>);
    oldRef.tell(ping(1));
    await oldInbox.next(2000, 'a Ping at old b');

    // Old b crashes: nothing it would say on the way down reaches a.
    oldWire.muted = true;
    await oldB.system.terminate();
    const newB = await startSystem(t, 'b', { transport: transport(), port });
    t.is(newB.system.address, oldB.system.address);
    const newInbox = spawnProbe<Ping>(newB.system, 'inbox');

    const terminated = await watcher.terminated.next(3000, 'Terminated for the old incarnation');
    t.is(terminated.ref.path, `${oldB.system.address}/user/inbox`);
    t.true(terminated.addressTerminated, 'the watch ended because the incarnation is gone');
    t.true(a.log.withCode('QUARANTINED').some((record) => String(record.msg).includes(oldB.system.uid)));

    oldRef.tell(ping(2));
    const fresh = a.system.resolve<Ping>(`${newB.system.address}/user/inbox`);
    fresh.tell(ping(3));
    await newInbox.next(2000, 'the Ping through a fresh resolve at new b');
    await sleep(30);
    t.deepEqual(
      newInbox.received.map((msg) => msg.n),
      [3],
      'nothing sent through the old ref reached the new incarnation',
    );
    const letters = a.deadLetters.filter((letter) => (letter.message as Ping).n === 2);
    t.is(letters.length, 1, 'a drops the Ping through the old ref itself, as a dead letter');
    t.is(letters[0].recipient, `${oldB.system.address}/user/inbox`);
    t.true(letters[0].reason.includes('restarted'), letters[0].reason);
  });
}

/** a and old b over one memory network; `crash` stops old b without a word reaching a. */
async function restartedPeer(t: ExecutionContext) {
  const network = new MemoryNetwork();
  const a = await startSystem(t, 'a', { transport: network.transport(), reconnectMinMs: 20, reconnectMaxMs: 100 });
  const oldWire = new CountingTransport(network.transport());
  const oldB = await startSystem(t, 'b', { transport: oldWire });
  const port = portOf(oldB.system);
  const crash = (): Promise<void> => {
    oldWire.muted = true;
    return oldB.system.terminate();
  };
  return { network, a, oldB, port, crash };
}

test('envelopes queued for the old incarnation are dropped when the new one answers the hello', async (t) => {
  const { network, a, oldB, port, crash } = await restartedPeer(t);
  const introductions = spawnProbe<Introduce>(a.system, 'introductions');
  const oldInbox = spawnProbe<Ping>(oldB.system, 'inbox');
  oldB.system.resolve<Introduce>(`${a.system.address}/user/introductions`).tell({ type: 'Introduce', ref: oldInbox.ref });
  const oldRef = (await introductions.next(2000, 'the Introduce from old b')).ref;
  // a keeps a watch, so its association (and the uid it knows) outlives the closed connection.
  spawnWatcher(a.system, 'watcher').watch(oldRef as ActorRef<never>);
  await sleep(20);
  await crash();
  await eventually(() => a.log.records.some((record) => String(record.msg).includes('closed')), 2000, 'a to see old b go');
  // Sent while nobody listens at b's port: these wait for the reconnect.
  oldRef.tell(ping(1));
  const fresh = a.system.resolve<Ping>(`${oldB.system.address}/user/inbox`);
  fresh.tell(ping(2));
  const newB = await startSystem(t, 'b', { transport: network.transport(), port });
  const newInbox = spawnProbe<Ping>(newB.system, 'inbox');
  await newInbox.next(3000, 'the fresh Ping at new b');
  await sleep(30);
  t.deepEqual(
    newInbox.received.map((msg) => msg.n),
    [2],
  );
  const dropped = a.deadLetters.filter((letter) => (letter.message as Ping).n === 1);
  t.is(dropped.length, 1, 'a drops the envelope for the old incarnation itself');
  t.true(dropped[0].reason.includes(`quarantined incarnation ${oldB.system.uid}`), dropped[0].reason);
});

test('a hello from a quarantined incarnation is refused with QUARANTINED', async (t) => {
  const { network, a, oldB, port, crash } = await restartedPeer(t);
  const oldUid = oldB.system.uid;
  spawnProbe<Ping>(oldB.system, 'inbox');
  await linkUp(a.system, oldB.system);
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(a.system.resolve<never>(`${oldB.system.address}/user/inbox`));
  await sleep(20);
  await crash();
  const newB = await startSystem(t, 'b', { transport: network.transport(), port });
  await watcher.terminated.next(3000, 'the watch of old b to end');
  await eventually(() => a.log.withCode('QUARANTINED').length > 0, 2000, 'a to quarantine old b');
  // Something claiming to be old b dials a.
  const impostor = await rawPeer(network.transport(), portOf(a.system));
  impostor.send(helloFrame(newB.system.address, PROTOCOL_VERSION, oldUid));
  const answer = await impostor.frame(0, 2000, 'the answer to the hello');
  t.like(answer, [FrameKind.Reject, { code: 'QUARANTINED' }]);
  await within(impostor.closed, 2000, 'the impostor connection to close');
  t.true(a.log.withCode('QUARANTINED').some((record) => String(record.msg).includes(`incarnation ${oldUid}`)));
});

test('an envelope addressed to a previous incarnation of the receiving system is a dead letter there', async (t) => {
  const network = new MemoryNetwork();
  const b = await startSystem(t, 'b', { transport: network.transport() });
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  const peer = await rawPeer(network.transport(), portOf(b.system));
  peer.send(helloFrame('weir://old-friend@127.0.0.1:9'));
  await peer.frame(0, 2000, 'the HelloAck');
  peer.send(encode([FrameKind.Envelopes, [['/user/inbox', 'uid-of-an-earlier-b', null, ping(1)]]]));
  peer.send(encode([FrameKind.Envelopes, [['/user/inbox', b.system.uid, null, ping(2)]]]));
  await inbox.next(2000, 'the Ping addressed to this incarnation');
  t.deepEqual(
    inbox.received.map((msg) => msg.n),
    [2],
  );
  t.like(b.deadLetters, [{ recipient: `${b.system.address}/user/inbox` }]);
  t.true(b.deadLetters[0].reason.includes('uid-of-an-earlier-b'), b.deadLetters[0].reason);
});
