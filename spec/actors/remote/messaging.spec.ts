import test from 'ava';
import { type ActorRef, ActorSystem, Behaviors, MemoryNetwork, type RemoteOptions, WsTransport, ask } from '../../../actors/index.ts';
import { type Ping, type Pong, memoryRemote, ping, spawnPonger, spawnProbe, startSystem, within } from './helpers.ts';

const transports: ReadonlyArray<[string, () => () => RemoteOptions]> = [
  ['memory', () => {
    const network = new MemoryNetwork();
    return () => memoryRemote(network);
  }],
  ['ws', () => () => ({ transport: new WsTransport() })],
];

for (const [name, makeRemote] of transports) {
  test(`a tell crosses to another system over ${name} and arrives once, in order`, async (t) => {
    const remote = makeRemote();
    const a = await startSystem(t, 'a', remote());
    const b = await startSystem(t, 'b', remote());
    const probe = spawnProbe<Ping>(b.system, 'inbox');
    const target = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
    for (let n = 0; n < 20; n++) target.tell(ping(n));
    const received = await probe.waitFor(20, 3000);
    t.deepEqual(received.map((msg) => msg.n), [...Array(20).keys()]);
  });

  test(`an ask across systems over ${name} gets the remote reply`, async (t) => {
    const remote = makeRemote();
    const a = await startSystem(t, 'a', remote());
    const b = await startSystem(t, 'b', remote());
    spawnPonger(b.system, 'ponger');
    const target = a.system.resolve<Ping>(`${b.system.address}/user/ponger`);
    const reply = await within(ask<Ping, Pong>(target, (replyTo) => ping(7, replyTo), 3000), 4000, 'the Pong');
    t.deepEqual(reply, { type: 'Pong', n: 7, from: `${b.system.address}/user/ponger` });
  });
}
