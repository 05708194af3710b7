// Two actor systems in two Node processes over real ws on loopback: request/response, death watch
// after kill -9 within the failure detector's timeout, and reconnection to a restarted peer.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { ActorSystem, Behaviors, ask, type ActorRef, type Terminated } from '../../actors/index.ts';
import './fixtures/echo-protocol.ts'; // registers the message types
import type { Echo, EchoReply } from './fixtures/echo-protocol.ts';
import { killHard, startNode, within } from './process.ts';

const ECHO_NODE = fileURLToPath(new URL('./fixtures/echo-node.ts', import.meta.url));
const HEARTBEAT_MS = 100;
const ACCEPTABLE_PAUSE_MS = 1000;

async function localSystem(): Promise<ActorSystem> {
  return ActorSystem.create({
    name: 'local',
    remote: { port: 0, heartbeatIntervalMs: HEARTBEAT_MS, acceptablePauseMs: ACCEPTABLE_PAUSE_MS, reconnectMaxMs: 200 },
    log: { level: 'off' },
  });
}

function echo(ref: ActorRef<Echo>, text: string): Promise<EchoReply> {
  return ask<Echo, EchoReply>(ref, (replyTo) => ({ type: 'Echo', text, replyTo }), 5_000);
}

/** Spawns an actor that watches `target` and resolves with the Terminated signal it receives. */
function watchFrom(system: ActorSystem, target: ActorRef<never>): Promise<Terminated> {
  return new Promise((resolve) => {
    system.spawn(
      Behaviors.setup<never>((ctx) => {
        ctx.watch(target);
        return Behaviors.receiveSignal<never>((_ctx, signal) => {
          if (signal.signal === 'Terminated') resolve(signal);
          return Behaviors.same;
        });
      }),
      `watcher-${Math.random().toString(36).slice(2)}`,
    );
  });
}

test('an actor in one process asks an actor in another over ws and gets the reply', async (t) => {
  const node = await startNode(ECHO_NODE, ['remote-a', '0']);
  t.teardown(() => node.child.kill('SIGKILL'));
  const system = await localSystem();
  t.teardown(() => system.terminate());

  const ref = system.resolve<Echo>(`${String(node.hello.address)}/user/echo`);
  const replies = await Promise.all(['one', 'two', 'three'].map((text) => echo(ref, text)));
  t.deepEqual(
    replies.map((reply) => reply.text),
    ['one', 'two', 'three'],
  );
  t.true(replies.every((reply) => reply.uid === node.hello.uid));
});

test('death watch fires within the detector timeout after kill -9, and a restarted peer is reached again', async (t) => {
  const first = await startNode(ECHO_NODE, ['remote-b', '0']);
  t.teardown(() => first.child.kill('SIGKILL'));
  const system = await localSystem();
  t.teardown(() => system.terminate());
  const address = String(first.hello.address);
  const ref = system.resolve<Echo>(`${address}/user/echo`);
  t.is((await echo(ref, 'before')).uid, String(first.hello.uid));

  const terminated = watchFrom(system, ref as ActorRef<never>);
  await new Promise((resolve) => setTimeout(resolve, 3 * HEARTBEAT_MS)); // the Watch frame reaches the peer
  const killedAt = Date.now();
  await killHard(first.child);
  const signal = await within(terminated, ACCEPTABLE_PAUSE_MS + 3_000, 'Terminated after kill -9');
  const elapsed = Date.now() - killedAt;
  t.is(signal.ref.path, ref.path);
  t.true(signal.addressTerminated, 'the node was declared unreachable');
  t.true(elapsed <= ACCEPTABLE_PAUSE_MS + 2 * HEARTBEAT_MS + 500, `Terminated came ${elapsed} ms after the kill`);

  // The same address comes back as a new incarnation: the association reconnects and serves it.
  const port = new URL(address.replace('weir://', 'http://')).port;
  const second = await startNode(ECHO_NODE, ['remote-b', port]);
  t.teardown(() => second.child.kill('SIGKILL'));
  t.is(second.hello.address, address);
  const fresh = system.resolve<Echo>(`${address}/user/echo`);
  const reply = await echo(fresh, 'after');
  t.is(reply.text, 'after');
  t.is(reply.uid, String(second.hello.uid));
  t.not(reply.uid, String(first.hello.uid));
});

test('a watcher of a peer that restarts before the detector fires gets Terminated from the quarantine', async (t) => {
  const first = await startNode(ECHO_NODE, ['remote-c', '0']);
  t.teardown(() => first.child.kill('SIGKILL'));
  const system = await ActorSystem.create({
    name: 'local',
    // A long acceptable pause: only the new incarnation's hello can end this watch in time.
    remote: { port: 0, heartbeatIntervalMs: HEARTBEAT_MS, acceptablePauseMs: 60_000, reconnectMaxMs: 200 },
    log: { level: 'off' },
  });
  t.teardown(() => system.terminate());
  const address = String(first.hello.address);
  const ref = system.resolve<Echo>(`${address}/user/echo`);
  await echo(ref, 'before');
  const terminated = watchFrom(system, ref as ActorRef<never>);
  await new Promise((resolve) => setTimeout(resolve, 3 * HEARTBEAT_MS));
  await killHard(first.child);

  const port = new URL(address.replace('weir://', 'http://')).port;
  const second = await startNode(ECHO_NODE, ['remote-c', port]);
  t.teardown(() => second.child.kill('SIGKILL'));
  const signal = await within(terminated, 10_000, 'Terminated once the restarted peer answered');
  t.true(signal.addressTerminated);
  t.is((await echo(system.resolve<Echo>(`${address}/user/echo`), 'after')).uid, String(second.hello.uid));
});
