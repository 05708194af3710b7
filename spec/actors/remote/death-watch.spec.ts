// Death watch across systems: a stopped remote actor, a missing remote path, unwatch, and a peer lost
// behind a network partition.
import test from 'ava';
import { Behaviors, MemoryNetwork } from '../../../actors/index.ts';
import { FrameKind } from '../../../messages/remoting.ts';
import { CountingTransport, ManualClock, type Ping, eventually, hostPortOf, linkUp, memoryRemote, ping, sleep, spawnStoppable, spawnWatcher, startSystem } from './helpers.ts';

test('watching a remote actor that stops delivers Terminated with that ref', async (t) => {
  const network = new MemoryNetwork();
  const a = await startSystem(t, 'a', memoryRemote(network));
  const b = await startSystem(t, 'b', memoryRemote(network));
  spawnStoppable(b.system, 'worker');
  const worker = a.system.resolve<Ping>(`${b.system.address}/user/worker`);
  await linkUp(a.system, b.system);
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(worker);
  // Let the watch reach b first, so the Terminated comes from the stop and not from a missing path.
  await sleep(20);
  worker.tell(ping(-1));
  const terminated = await watcher.terminated.next(2000, 'Terminated for the remote worker');
  t.is(terminated.ref.path, `${b.system.address}/user/worker`);
  t.false(terminated.addressTerminated);
  t.is(terminated.error, undefined);
});

test('a remote actor that fails reports its error in the Terminated it sends', async (t) => {
  const network = new MemoryNetwork();
  const a = await startSystem(t, 'a', memoryRemote(network));
  const b = await startSystem(t, 'b', memoryRemote(network));
  b.system.spawn(
    Behaviors.receiveMessage<Ping>((msg) => {
      throw new Error(`cannot handle ${msg.n}`);
    }),
    'fragile',
  );
  const fragile = a.system.resolve<Ping>(`${b.system.address}/user/fragile`);
  await linkUp(a.system, b.system);
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(fragile);
  await sleep(20);
  fragile.tell(ping(13));
  const terminated = await watcher.terminated.next(2000, 'Terminated for the failed actor');
  t.false(terminated.addressTerminated);
  t.true(terminated.error instanceof Error);
  t.is((terminated.error as Error).message, 'cannot handle 13');
});

test('watching a remote path with no actor behind it delivers Terminated at once', async (t) => {
  const network = new MemoryNetwork();
  const a = await startSystem(t, 'a', memoryRemote(network));
  const b = await startSystem(t, 'b', memoryRemote(network));
  const missing = a.system.resolve<Ping>(`${b.system.address}/user/nobody`);
  await linkUp(a.system, b.system);
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(missing);
  const terminated = await watcher.terminated.next(2000, 'Terminated for the missing path');
  t.is(terminated.ref.path, `${b.system.address}/user/nobody`);
  t.false(terminated.addressTerminated);
});

test('after unwatch, the remote system no longer reports the actor stopping', async (t) => {
  const network = new MemoryNetwork();
  const wireB = new CountingTransport(network.transport());
  const a = await startSystem(t, 'a', memoryRemote(network));
  const b = await startSystem(t, 'b', { transport: wireB });
  spawnStoppable(b.system, 'unwatched');
  spawnStoppable(b.system, 'watched');
  const unwatched = a.system.resolve<Ping>(`${b.system.address}/user/unwatched`);
  const watched = a.system.resolve<Ping>(`${b.system.address}/user/watched`);
  await linkUp(a.system, b.system);
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(unwatched);
  watcher.watch(watched);
  await sleep(20);
  await watcher.unwatch(unwatched);
  // Stop both, the unwatched one first: its Terminated frame, if b still sent one, would come first.
  unwatched.tell(ping(-1));
  watched.tell(ping(-1));
  const terminated = await watcher.terminated.next(2000, 'Terminated for the still-watched actor');
  t.is(terminated.ref.path, `${b.system.address}/user/watched`);
  t.is(wireB.sent(FrameKind.Terminated), 1, 'b sent a Terminated frame for the watched actor only');
  t.is(watcher.terminated.items.length, 1);
});

test('one of two local watchers unwatching keeps the remote watch for the other', async (t) => {
  const network = new MemoryNetwork();
  const a = await startSystem(t, 'a', memoryRemote(network));
  const b = await startSystem(t, 'b', memoryRemote(network));
  spawnStoppable(b.system, 'worker');
  const worker = a.system.resolve<Ping>(`${b.system.address}/user/worker`);
  await linkUp(a.system, b.system);
  const leaving = spawnWatcher(a.system, 'leaving');
  const staying = spawnWatcher(a.system, 'staying');
  leaving.watch(worker);
  staying.watch(worker);
  await sleep(20);
  await leaving.unwatch(worker);
  worker.tell(ping(-1));
  const terminated = await staying.terminated.next(2000, 'Terminated at the watcher that stayed');
  t.is(terminated.ref.path, worker.path);
  t.is(leaving.terminated.items.length, 0);
});

test('a watch survives a dropped connection: the actor stopping after the reconnect is still reported', async (t) => {
  const network = new MemoryNetwork();
  const wireA = new CountingTransport(network.transport());
  const a = await startSystem(t, 'a', { transport: wireA, reconnectMinMs: 20 });
  const b = await startSystem(t, 'b', memoryRemote(network));
  spawnStoppable(b.system, 'worker');
  const worker = a.system.resolve<Ping>(`${b.system.address}/user/worker`);
  await linkUp(a.system, b.system);
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(worker);
  await sleep(20);
  wireA.dropAll();
  await eventually(() => wireA.dialled === 2 && wireA.open === 1, 2000, 'a to reconnect, as its watch needs b');
  worker.tell(ping(-1));
  const terminated = await watcher.terminated.next(2000, 'Terminated after the reconnect');
  t.is(terminated.ref.path, worker.path);
  t.false(terminated.addressTerminated, 'the actor stopped; b was never lost');
});

test('a partition makes the failure detector terminate the watch with addressTerminated', async (t) => {
  const network = new MemoryNetwork();
  const options = { heartbeatIntervalMs: 50, acceptablePauseMs: 300 };
  const a = await startSystem(t, 'a', memoryRemote(network, options));
  const b = await startSystem(t, 'b', memoryRemote(network, options));
  spawnStoppable(b.system, 'worker');
  const worker = a.system.resolve<Ping>(`${b.system.address}/user/worker`);
  await linkUp(a.system, b.system);
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(worker);
  await sleep(20);
  const cutAt = Date.now();
  network.partition(hostPortOf(a.system), hostPortOf(b.system));
  const terminated = await watcher.terminated.next(2000, 'Terminated after the partition');
  const after = Date.now() - cutAt;
  t.is(terminated.ref.path, worker.path);
  t.true(terminated.addressTerminated);
  t.true(after >= 250, `declared unreachable after ${after} ms, not before the acceptable pause`);
  t.true(
    a.log.records.some((record) => record.level === 'warn' && String(record.msg).includes(`${b.system.address} is unreachable`)),
    'a logs which peer became unreachable',
  );
});

test('on a virtual clock, heartbeats keep a watch alive and a partition ends it one acceptable pause later', async (t) => {
  const network = new MemoryNetwork();
  const clock = new ManualClock();
  const options = { heartbeatIntervalMs: 50, acceptablePauseMs: 300 };
  const a = await startSystem(t, 'a', memoryRemote(network, options), clock);
  const b = await startSystem(t, 'b', memoryRemote(network, options), clock);
  spawnStoppable(b.system, 'worker');
  const worker = a.system.resolve<Ping>(`${b.system.address}/user/worker`);
  await linkUp(a.system, b.system);
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(worker);
  await clock.advance(1000);
  t.is(watcher.terminated.items.length, 0, 'no Terminated while heartbeats flow, for three times the acceptable pause');
  const cutAt = clock.now();
  network.partition(hostPortOf(a.system), hostPortOf(b.system));
  await clock.advance(240);
  t.is(watcher.terminated.items.length, 0, 'nothing before the acceptable pause has passed');
  await clock.advance(200);
  const terminated = await watcher.terminated.next(1000, 'Terminated after the partition');
  t.true(terminated.addressTerminated);
  t.is(terminated.ref.path, worker.path);
  const unreachable = a.log.records.find((record) => String(record.msg).includes(`${b.system.address} is unreachable`));
  t.truthy(unreachable, 'a logs which peer became unreachable');
  t.true(clock.now() - cutAt <= 440);
});

test('a peer whose process is gone (its connection lost, a reconnect refused) ends the watch at once, long before an acceptable pause', async (t) => {
  const network = new MemoryNetwork();
  const a = await startSystem(t, 'a', memoryRemote(network, { reconnectMinMs: 20, reconnectMaxMs: 100, acceptablePauseMs: 60_000 }));
  const bWire = new CountingTransport(network.transport());
  const b = await startSystem(t, 'b', { transport: bWire });
  spawnStoppable(b.system, 'worker');
  const worker = a.system.resolve<Ping>(`${b.system.address}/user/worker`);
  await linkUp(a.system, b.system);
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(worker);
  await sleep(20);
  // b dies without a word: its connections drop and nothing listens on its port any more.
  bWire.muted = true;
  const started = Date.now();
  await b.system.terminate();
  const terminated = await watcher.terminated.next(5_000, 'Terminated for the worker of the dead peer');
  t.true(terminated.addressTerminated);
  t.is(terminated.ref.path, `${b.system.address}/user/worker`);
  t.true(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
});

test('a peer that never accepted a connection is not declared gone by a refusal: the sender keeps retrying', async (t) => {
  const network = new MemoryNetwork();
  const a = await startSystem(t, 'a', memoryRemote(network, { reconnectMinMs: 10, reconnectMaxMs: 20 }));
  const b = await startSystem(t, 'b', memoryRemote(network));
  const address = b.system.address;
  await b.system.terminate();
  // Nobody at b's address yet (a peer still starting): messages wait while a keeps dialling.
  const watcher = spawnWatcher(a.system, 'watcher');
  watcher.watch(a.system.resolve<Ping>(`${address}/user/worker`));
  await sleep(200);
  t.is(watcher.terminated.items.length, 0);
});
