// Coalescing: the envelopes sent to one peer in one turn leave in as few frames as the per-frame
// limit allows, in the order they were sent.
import test, { type ExecutionContext } from 'ava';
import { Behaviors, MemoryNetwork } from '../../../actors/index.ts';
import { FrameKind } from '../../../messages/remoting.ts';
import { CountingTransport, type Ping, ping, spawnProbe, startSystem } from './helpers.ts';

/** a and b, already connected by one warm-up Ping to b's inbox. */
async function connectedPair(t: ExecutionContext, maxEnvelopesPerFrame = 1000) {
  const network = new MemoryNetwork();
  const wireA = new CountingTransport(network.transport());
  const a = await startSystem(t, 'a', { transport: wireA, maxEnvelopesPerFrame });
  const b = await startSystem(t, 'b', { transport: network.transport() });
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  const target = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
  target.tell(ping(-1));
  await inbox.next(2000, 'the warm-up Ping');
  return { wireA, target, inbox, a, b };
}

test('5000 tells in one turn over a live connection leave in 5 frames of 1000 and arrive in order', async (t) => {
  const { wireA, target, inbox } = await connectedPair(t);
  const framesBefore = wireA.envelopeFrames.length;
  for (let n = 0; n < 5000; n++) target.tell(ping(n));
  await inbox.waitFor(5001, 5000);
  const frames = wireA.envelopeFrames.slice(framesBefore);
  t.deepEqual(frames, [1000, 1000, 1000, 1000, 1000]);
  t.deepEqual(
    inbox.received.slice(1).map((msg) => msg.n),
    [...Array(5000).keys()],
  );
});

test('tells sent before the connection exists are held and leave coalesced once it is up', async (t) => {
  const network = new MemoryNetwork();
  const wireA = new CountingTransport(network.transport());
  const a = await startSystem(t, 'a', { transport: wireA });
  const b = await startSystem(t, 'b', { transport: network.transport() });
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  const target = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
  for (let n = 0; n < 2500; n++) target.tell(ping(n));
  await inbox.waitFor(2500, 5000);
  t.deepEqual(wireA.envelopeFrames, [1000, 1000, 500]);
  t.deepEqual(
    inbox.received.map((msg) => msg.n),
    [...Array(2500).keys()],
  );
});

test('tells from an actor handling one message share frames, and a smaller limit splits them', async (t) => {
  const { wireA, target, inbox, a } = await connectedPair(t, 64);
  const sender = a.system.spawn(
    Behaviors.receiveMessage<number>((count) => {
      for (let n = 0; n < count; n++) target.tell(ping(n));
      return Behaviors.same;
    }),
    'sender',
  );
  const framesBefore = wireA.envelopeFrames.length;
  sender.tell(200);
  await inbox.waitFor(201, 5000);
  t.deepEqual(wireA.envelopeFrames.slice(framesBefore), [64, 64, 64, 8]);
  t.deepEqual(
    inbox.received.slice(1).map((msg) => msg.n),
    [...Array(200).keys()],
  );
});

test('a control frame sent after envelopes in the same turn leaves after them', async (t) => {
  const { wireA, target, inbox, a, b } = await connectedPair(t);
  const kindsBefore = wireA.kinds.length;
  target.tell(ping(1));
  target.tell(ping(2));
  const trace = a.system.remoteTrace$(b.system.address, { types: ['Nothing'] }).subscribe();
  t.teardown(() => trace.unsubscribe());
  await inbox.waitFor(3, 2000);
  t.deepEqual(wireA.kinds.slice(kindsBefore, kindsBefore + 2), [FrameKind.Envelopes, FrameKind.TraceSubscribe]);
});
