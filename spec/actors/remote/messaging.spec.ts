// Tell and ask between two systems in one process, over the in-memory transport and over ws.
import test from 'ava';
import { type ActorRef, Behaviors, MemoryNetwork, type RemoteOptions, WsTransport, ask } from '../../../actors/index.ts';
import { LocalRef } from '../../../actors/local-ref.ts';
import { RemoteRef } from '../../../actors/remote/remote-ref.ts';
import { type Introduce, type Ping, type Pong, memoryRemote, ping, sleep, spawnPonger, spawnProbe, startSystem, within } from './helpers.ts';

/** Each transport gives a factory of remote options for the systems of one test. */
const transports: ReadonlyArray<readonly [string, () => () => RemoteOptions]> = [
  [
    'memory',
    () => {
      const network = new MemoryNetwork();
      return () => memoryRemote(network);
    },
  ],
  ['ws', () => () => ({ transport: new WsTransport() })],
];

for (const [transportName, makeRemote] of transports) {
  test(`a tell reaches an actor in another system over ${transportName}, every message once and in order`, async (t) => {
    const remote = makeRemote();
    const a = await startSystem(t, 'a', remote());
    const b = await startSystem(t, 'b', remote());
    const inbox = spawnProbe<Ping>(b.system, 'inbox');
    const target = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
    for (let n = 0; n < 50; n++) target.tell(ping(n));
    await inbox.waitFor(50, 3000);
    await sleep(20); // room for a duplicate to show up
    t.deepEqual(
      inbox.received.map((msg) => msg.n),
      [...Array(50).keys()],
    );
  });

  test(`an ask to an actor in another system over ${transportName} resolves with its remote reply`, async (t) => {
    const remote = makeRemote();
    const a = await startSystem(t, 'a', remote());
    const b = await startSystem(t, 'b', remote());
    spawnPonger(b.system, 'ponger');
    const target = a.system.resolve<Ping>(`${b.system.address}/user/ponger`);
    const replies = await within(
      Promise.all([1, 2, 3].map((n) => ask<Ping, Pong>(target, (replyTo) => ping(n, replyTo), 3000))),
      4000,
      'three Pongs',
    );
    t.deepEqual(
      replies.map((reply) => [reply.n, reply.from]),
      [1, 2, 3].map((n) => [n, `${b.system.address}/user/ponger`]),
    );
  });

  test(`a replyTo ref inside a message resolves back to the sender's system over ${transportName}`, async (t) => {
    const remote = makeRemote();
    const a = await startSystem(t, 'a', remote());
    const b = await startSystem(t, 'b', remote());
    const seenAtB: Array<ActorRef<Pong>> = [];
    b.system.spawn(
      Behaviors.receive<Ping>((ctx, msg) => {
        if (msg.replyTo) {
          seenAtB.push(msg.replyTo);
          msg.replyTo.tell({ type: 'Pong', n: msg.n, from: ctx.self.path });
        }
        return Behaviors.same;
      }),
      'ponger',
    );
    const replies = spawnProbe<Pong>(a.system, 'replies');
    a.system.resolve<Ping>(`${b.system.address}/user/ponger`).tell(ping(5, replies.ref));
    const reply = await replies.next(3000, 'the Pong at a');
    t.is(reply.n, 5);
    t.is(seenAtB.length, 1);
    t.true(seenAtB[0] instanceof RemoteRef, 'b holds a remote ref to the replyTo');
    t.is(seenAtB[0].path, `${a.system.address}/user/replies`);
    t.is((seenAtB[0] as RemoteRef<Pong>).uid, a.system.uid, 'the ref carries the incarnation of the system that owns it');
  });
}

test('a ref to an actor of the receiving system comes back to it as a local ref', async (t) => {
  const network = new MemoryNetwork();
  const a = await startSystem(t, 'a', memoryRemote(network));
  const b = await startSystem(t, 'b', memoryRemote(network));
  const own = spawnProbe<Ping>(b.system, 'own');
  const introductions = spawnProbe<Introduce>(b.system, 'introductions');
  // a holds only a remote ref to b's actor and hands it back to b inside a message.
  const ownSeenFromA = a.system.resolve<Ping>(`${b.system.address}/user/own`);
  a.system.resolve<Introduce>(`${b.system.address}/user/introductions`).tell({ type: 'Introduce', ref: ownSeenFromA });
  const introduction = await introductions.next(3000, 'the Introduce at b');
  t.true(introduction.ref instanceof LocalRef, 'the ref is b-local again, not a round trip through a');
  introduction.ref.tell(ping(1));
  t.is((await own.next(1000, 'the Ping sent through the returned ref')).n, 1);
});

test('an actor asking an actor in another system gets the reply as a message', async (t) => {
  const network = new MemoryNetwork();
  const a = await startSystem(t, 'a', memoryRemote(network));
  const b = await startSystem(t, 'b', memoryRemote(network));
  spawnPonger(b.system, 'ponger');
  const results = spawnProbe<string>(a.system, 'results');
  type AskerMsg = { readonly type: 'Go' } | { readonly type: 'Answered'; readonly text: string };
  const asker = a.system.spawn(
    Behaviors.receive<AskerMsg>((ctx, msg) => {
      if (msg.type === 'Go') {
        const target = ctx.system.resolve<Ping>(`${b.system.address}/user/ponger`);
        ctx.ask<Ping, Pong>(target, (replyTo) => ping(9, replyTo), 3000, (result) => ({
          type: 'Answered',
          text: result.ok ? `pong ${result.value.n}` : `failed: ${String(result.error)}`,
        }));
      } else results.ref.tell(msg.text);
      return Behaviors.same;
    }),
    'asker',
  );
  asker.tell({ type: 'Go' });
  t.is(await results.next(4000, 'the asker to report'), 'pong 9');
});
