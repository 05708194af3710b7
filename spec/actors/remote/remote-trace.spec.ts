// Remote trace: a system subscribes to another's trace with a filter applied at the traced system;
// only matching events cross, and unsubscribing stops them.
import test, { type ExecutionContext } from 'ava';
import type { Observable } from 'rxjs';
import { MemoryNetwork, type TraceEvent, type TraceItem, WsTransport } from '../../../actors/index.ts';
import { MAX_BUFFERED_TRACE_EVENTS } from '../../../actors/trace-tap.ts';
import { FrameKind } from '../../../messages/remoting.ts';
import { CountingTransport, type Ping, type Pong, Recorder, eventually, linkUp, ping, spawnPonger, spawnProbe, startSystem } from './helpers.ts';

async function tracedPair(t: ExecutionContext) {
  const network = new MemoryNetwork();
  const wireB = new CountingTransport(network.transport());
  const a = await startSystem(t, 'a', { transport: network.transport() });
  const b = await startSystem(t, 'b', { transport: wireB });
  const x = spawnProbe<Ping | Pong>(b.system, 'x');
  const y = spawnProbe<Ping | Pong>(b.system, 'y');
  return { a, b, wireB, x, y };
}

function subscribe(t: ExecutionContext, items$: Observable<TraceItem>) {
  const recorder = new Recorder<TraceEvent>();
  const subscription = items$.subscribe((item) => {
    if (item.kind === 'event') recorder.push(item.event);
  });
  t.teardown(() => subscription.unsubscribe());
  return { recorder, subscription };
}

const pong = (n: number): Pong => ({ type: 'Pong', n, from: 'spec' });

test('a remote trace filtered by type brings only events of that type from the traced system', async (t) => {
  const { a, b, x, y } = await tracedPair(t);
  const { recorder } = subscribe(t, a.system.remoteTrace$(b.system.address, { types: ['Pong'] }));
  await eventually(() => b.system.traceHub.active, 2000, 'b to start tracing for a');
  x.ref.tell(ping(1));
  y.ref.tell(ping(2));
  x.ref.tell(pong(3));
  y.ref.tell(pong(4));
  const events = await recorder.waitFor(2, 2000, 'two Pong events');
  await x.waitFor(2, 1000);
  y.ref.tell(pong(5)); // a marker: once it is in, everything before it has been relayed
  await recorder.waitFor(3, 2000, 'the marker');
  t.deepEqual(
    events.map((event) => [event.type, event.to, event.system, event.direction]),
    [
      ['Pong', `${b.system.address}/user/x`, 'b', 'local'],
      ['Pong', `${b.system.address}/user/y`, 'b', 'local'],
      ['Pong', `${b.system.address}/user/y`, 'b', 'local'],
    ],
  );
});

test('a remote trace filtered by path brings only events to or from that path', async (t) => {
  const { a, b, x, y } = await tracedPair(t);
  const { recorder } = subscribe(t, a.system.remoteTrace$(b.system.address, { path: '/user/y' }));
  await eventually(() => b.system.traceHub.active, 2000, 'b to start tracing for a');
  x.ref.tell(ping(1));
  y.ref.tell(ping(2));
  x.ref.tell(pong(3));
  y.ref.tell(pong(4));
  await recorder.waitFor(2, 2000, 'two events for y');
  y.ref.tell(ping(5));
  const events = await recorder.waitFor(3, 2000, 'the marker');
  t.deepEqual(
    events.map((event) => [event.type, event.to]),
    [
      ['Ping', `${b.system.address}/user/y`],
      ['Pong', `${b.system.address}/user/y`],
      ['Ping', `${b.system.address}/user/y`],
    ],
  );
});

test('a remote trace sees messages that arrive at the traced system from the wire', async (t) => {
  const { a, b, x } = await tracedPair(t);
  const { recorder } = subscribe(t, a.system.remoteTrace$(b.system.address, { types: ['Ping'], path: '/user/x' }));
  await eventually(() => b.system.traceHub.active, 2000, 'b to start tracing for a');
  a.system.resolve<Ping>(`${b.system.address}/user/x`).tell(ping(1));
  const event = await recorder.next(2000, 'the inbound Ping event');
  t.like(event, { type: 'Ping', to: `${b.system.address}/user/x`, direction: 'in', remote: true, system: 'b' });
  t.true((event.bytes ?? 0) > 0);
});

test('unsubscribing stops the traced system from sending events', async (t) => {
  const { a, b, wireB, x } = await tracedPair(t);
  const pings = subscribe(t, a.system.remoteTrace$(b.system.address, { types: ['Ping'] }));
  const pongs = subscribe(t, a.system.remoteTrace$(b.system.address, { types: ['Pong'] }));
  await eventually(() => b.system.traceHub.active, 2000, 'b to start tracing for a');
  x.ref.tell(ping(1));
  x.ref.tell(pong(2));
  await pings.recorder.waitFor(1, 2000, 'the Ping event');
  await pongs.recorder.waitFor(1, 2000, 'the Pong event');
  pings.subscription.unsubscribe();
  const framesBefore = wireB.sent(FrameKind.TraceEvents);
  // Sent by a after its TraceUnsubscribe frame, over the same connection: b has handled the
  // unsubscribe by the time these arrive and are traced there.
  const toX = a.system.resolve<Ping | Pong>(`${b.system.address}/user/x`);
  toX.tell(ping(3));
  toX.tell(pong(4));
  await pongs.recorder.waitFor(2, 2000, 'the second Pong event');
  t.is(wireB.sent(FrameKind.TraceEvents) - framesBefore, 1, 'b sent events for the remaining subscription only');
  t.is(pings.recorder.items.length, 1);
  pongs.subscription.unsubscribe();
  await eventually(() => !b.system.traceHub.active, 2000, 'b to stop tracing once nobody subscribes');
});

test('a remote trace keeps flowing after the connection dropped and came back', async (t) => {
  const network = new MemoryNetwork();
  const wireA = new CountingTransport(network.transport());
  const a = await startSystem(t, 'a', { transport: wireA, reconnectMinMs: 20 });
  const b = await startSystem(t, 'b', { transport: network.transport() });
  const x = spawnProbe<Ping>(b.system, 'x');
  const { recorder } = subscribe(t, a.system.remoteTrace$(b.system.address, { types: ['Ping'] }));
  await eventually(() => b.system.traceHub.active, 2000, 'b to start tracing for a');
  x.ref.tell(ping(1));
  await recorder.next(2000, 'the event before the drop');
  wireA.dropAll();
  await eventually(() => wireA.dialled === 2 && b.system.traceHub.active, 2000, 'a to reconnect and subscribe again');
  x.ref.tell(ping(2));
  t.is((await recorder.next(2000, 'the event after the reconnect')).to, `${b.system.address}/user/x`);
});

test('a flood too fast to relay: every cluster message arrives, the traced side drops trace events and the subscriber hears exactly how many', async (t) => {
  const a = await startSystem(t, 'a', { transport: new WsTransport() });
  const b = await startSystem(t, 'b', { transport: new WsTransport() });
  const pongs = spawnProbe<Pong>(a.system, 'pongs');
  const ponger = spawnPonger(b.system, 'ponger');
  await linkUp(a.system, b.system);
  let events = 0;
  let dropped = 0;
  const subscription = a.system.remoteTrace$(b.system.address, { actor: '/user/ponger' }).subscribe((item) => {
    if (item.kind === 'event') events++;
    else dropped += item.count;
  });
  t.teardown(() => subscription.unsubscribe());
  await eventually(() => b.system.traceHub.active, 2000, 'b to start tracing for a');
  const toPonger = a.system.resolve<Ping>(ponger.path);
  const COUNT = 20_000;
  for (let n = 0; n < COUNT; n++) toPonger.tell(ping(n, pongs.ref));
  await pongs.waitFor(COUNT, 20_000, 'every Pong');
  t.deepEqual(b.deadLetters, []);
  t.deepEqual(a.deadLetters, []);
  // b traced each Ping as it came in and each Pong as it went out: all of them, as events or as a count.
  await eventually(() => events + dropped === 2 * COUNT, 5000, `${2 * COUNT} traced (got ${events} events and ${dropped} dropped)`);
  t.true(dropped > 0, 'the flood outran the relay');
  t.true(events >= MAX_BUFFERED_TRACE_EVENTS);
});
