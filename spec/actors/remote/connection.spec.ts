// The link between two systems: one connection per pair used both ways, simultaneous dials settling
// on one connection, and reconnecting after the link broke.
import test from 'ava';
import { MemoryNetwork, WsTransport } from '../../../actors/index.ts';
import type { Transport } from '../../../actors/remote/transport.ts';
import { CountingTransport, type Ping, eventually, ping, sleep, spawnProbe, startSystem } from './helpers.ts';

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
  test(`traffic both ways between two systems over ${transportName} uses one connection, dialled by the first sender`, async (t) => {
    const transport = makeTransport();
    const wireA = new CountingTransport(transport());
    const wireB = new CountingTransport(transport());
    const a = await startSystem(t, 'a', { transport: wireA });
    const b = await startSystem(t, 'b', { transport: wireB });
    const atA = spawnProbe<Ping>(a.system, 'inbox');
    const atB = spawnProbe<Ping>(b.system, 'inbox');
    a.system.resolve<Ping>(`${b.system.address}/user/inbox`).tell(ping(1));
    await atB.next(2000, 'a -> b');
    b.system.resolve<Ping>(`${a.system.address}/user/inbox`).tell(ping(2));
    await atA.next(2000, 'b -> a');
    for (let round = 0; round < 3; round++) {
      a.system.resolve<Ping>(`${b.system.address}/user/inbox`).tell(ping(10 + round));
      b.system.resolve<Ping>(`${a.system.address}/user/inbox`).tell(ping(20 + round));
    }
    await atA.waitFor(4, 2000);
    await atB.waitFor(4, 2000);
    t.deepEqual([wireA.dialled, wireA.accepted, wireA.open], [1, 0, 1]);
    t.deepEqual([wireB.dialled, wireB.accepted, wireB.open], [0, 1, 1]);
  });
}

for (const [transportName, makeTransport] of transports) {
  test(`two systems that dial each other at the same time over ${transportName} settle on one connection that works both ways`, async (t) => {
    // Repeated, because which hello arrives first varies from round to round.
    for (let round = 0; round < 6; round++) {
      const transport = makeTransport();
      const wireA = new CountingTransport(transport());
      const wireB = new CountingTransport(transport());
      const a = await startSystem(t, `a${round}`, { transport: wireA });
      const b = await startSystem(t, `b${round}`, { transport: wireB });
      const atA = spawnProbe<Ping>(a.system, 'inbox');
      const atB = spawnProbe<Ping>(b.system, 'inbox');
      const toB = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
      const toA = b.system.resolve<Ping>(`${a.system.address}/user/inbox`);
      toB.tell(ping(1));
      toA.tell(ping(1));
      await atA.next(3000, `round ${round}: the first b -> a`);
      await atB.next(3000, `round ${round}: the first a -> b`);
      t.is(wireA.dialled + wireB.dialled, 2, 'both sides dialled');
      await eventually(() => wireA.open === 1 && wireB.open === 1, 2000, `round ${round}: one connection left open on each side`);
      // The surviving connection carries traffic both ways, and nothing is lost on the way there.
      for (let n = 2; n <= 5; n++) {
        toB.tell(ping(n));
        toA.tell(ping(n));
        await sleep(n * 3);
      }
      await atA.waitFor(5, 3000, `round ${round}: 5 Pings at a`);
      await atB.waitFor(5, 3000, `round ${round}: 5 Pings at b`);
      t.deepEqual(
        atA.received.map((msg) => msg.n),
        [1, 2, 3, 4, 5],
      );
      t.deepEqual(
        atB.received.map((msg) => msg.n),
        [1, 2, 3, 4, 5],
      );
      t.deepEqual([wireA.open, wireB.open], [1, 1], `round ${round}: still one connection each`);
      await Promise.all([a.system.terminate(), b.system.terminate()]);
    }
  });
}

for (const [transportName, makeTransport] of transports) {
  test(`after the connection drops, later messages over ${transportName} reconnect and are delivered`, async (t) => {
    const transport = makeTransport();
    const wireA = new CountingTransport(transport());
    const a = await startSystem(t, 'a', { transport: wireA });
    const b = await startSystem(t, 'b', { transport: transport() });
    const atA = spawnProbe<Ping>(a.system, 'inbox');
    const atB = spawnProbe<Ping>(b.system, 'inbox');
    const toB = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
    toB.tell(ping(1));
    await atB.next(2000, 'the Ping before the drop');
    wireA.dropAll();
    await eventually(() => wireA.open === 0, 1000, 'the connection to close');
    await eventually(() => b.log.records.some((record) => String(record.msg).includes('closed')), 2000, 'b to see the connection close');
    toB.tell(ping(2));
    toB.tell(ping(3));
    b.system.resolve<Ping>(`${a.system.address}/user/inbox`).tell(ping(4));
    await atB.waitFor(3, 3000, 'the Pings after the drop at b');
    await atA.next(3000, 'the Ping after the drop at a');
    t.deepEqual(
      atB.received.map((msg) => msg.n),
      [1, 2, 3],
    );
    t.is(atA.received[0].n, 4);
    t.is(wireA.dialled, 2, 'a dialled again');
  });
}

test('messages sent right after the link broke are delivered in order over the next connection', async (t) => {
  const network = new MemoryNetwork();
  const wireA = new CountingTransport(network.transport());
  const a = await startSystem(t, 'a', { transport: wireA, reconnectMinMs: 20 });
  const b = await startSystem(t, 'b', { transport: network.transport() });
  const atB = spawnProbe<Ping>(b.system, 'inbox');
  const toB = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
  toB.tell(ping(1));
  await atB.next(2000, 'the first Ping');
  // Cut the link and write in the same turn, before anything could reconnect.
  wireA.dropAll();
  for (let n = 2; n <= 6; n++) toB.tell(ping(n));
  await atB.waitFor(6, 3000, 'the Pings queued during the outage');
  t.deepEqual(
    atB.received.map((msg) => msg.n),
    [1, 2, 3, 4, 5, 6],
  );
});
