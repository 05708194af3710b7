import test from 'ava';
import { type ActorContext, ActorSystem, type ActorRef, type Behavior, Behaviors, ask } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';
import { TestProbe, createTestSystem } from '../testkit/index.ts';

interface SpawnChild {
  readonly name: string;
  readonly replyTo: ActorRef<string>;
}

/** Spawns a child per request and replies with its path, or with the error code it got. */
const parent = Behaviors.receive<SpawnChild>((ctx, msg) => {
  try {
    msg.replyTo.tell(ctx.spawn(Behaviors.ignore<string>(), msg.name).path);
  } catch (error) {
    msg.replyTo.tell(error instanceof WeirError ? error.code : String(error));
  }
  return Behaviors.same;
});

test('spawn puts top-level actors under /user and children under their parent', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  const a = system.spawn(parent, 'a');
  t.is(a.path, 'weir://test/user/a');
  a.tell({ name: 'b', replyTo: probe.ref });
  t.is(await probe.expectMessage(), 'weir://test/user/a/b');
});

test('a child is found by name and listed among its parent’s children', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  system.spawn(
    Behaviors.setup<never>((ctx) => {
      ctx.spawn(Behaviors.ignore<string>(), 'first');
      ctx.spawnAnonymous(Behaviors.ignore<string>());
      ctx.spawnAnonymous(Behaviors.ignore<string>());
      probe.ref.tell(ctx.child('first')?.path ?? 'missing');
      probe.ref.tell(ctx.children().map((child) => child.path.slice(ctx.self.path.length)).join(' '));
      return Behaviors.ignore();
    }),
    'family',
  );
  t.is(await probe.expectMessage(), 'weir://test/user/family/first');
  t.is(await probe.expectMessage(), '/first /$0 /$1');
});

for (const name of ['', 'a/b', '$reserved', 'white space', 'ü']) {
  test(`spawn rejects the name "${name}" with INVALID_ACTOR_NAME`, async (t) => {
    const { system } = await createTestSystem(t);
    const error = t.throws(() => system.spawn(Behaviors.ignore<string>(), name), { instanceOf: WeirError });
    t.is(error.code, 'INVALID_ACTOR_NAME');
    t.is(error.message, `invalid actor name "${name}" under weir://test/user: use letters, digits, '_', '-' and '.'`);
  });
}

test('spawning a second actor under a taken name throws DUPLICATE_ACTOR_NAME naming the parent', async (t) => {
  const { system } = await createTestSystem(t);
  system.spawn(Behaviors.ignore<string>(), 'twin');
  const error = t.throws(() => system.spawn(Behaviors.ignore<string>(), 'twin'), { instanceOf: WeirError });
  t.is(error.code, 'DUPLICATE_ACTOR_NAME');
  t.is(error.message, 'weir://test/user already has a child named "twin"');
});

test('a child name taken under one parent is free under another, and free again once its actor stopped', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  const a = system.spawn(parent, 'a');
  const b = system.spawn(parent, 'b');
  a.tell({ name: 'x', replyTo: probe.ref });
  b.tell({ name: 'x', replyTo: probe.ref });
  a.tell({ name: 'x', replyTo: probe.ref });
  // a handles both its requests in one turn, so only the set of replies is fixed, not their order.
  t.deepEqual((await probe.expectMessages(3)).sort(), ['DUPLICATE_ACTOR_NAME', 'weir://test/user/a/x', 'weir://test/user/b/x']);

  const watcher = new TestProbe<never>(system);
  const once = system.spawn(Behaviors.receiveMessage<string>(() => Behaviors.stopped), 'once');
  watcher.watch(once);
  once.tell('stop');
  await watcher.expectTerminated();
  t.not(system.spawn(Behaviors.ignore<string>(), 'once'), once);
});

test('ActorSystem.create rejects an invalid system name with INVALID_ACTOR_NAME', async (t) => {
  const error = await t.throwsAsync(ActorSystem.create({ name: 'no spaces', log: { level: 'off' } }), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_ACTOR_NAME');
  t.true(error.message.includes('"no spaces"'));
});

test('resolve of a local path returns the live actor’s ref', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system, 'target');
  const resolved = system.resolve<string>('weir://test/user/target');
  t.is(resolved, probe.ref);
  resolved.tell('via resolve');
  t.is(await probe.expectMessage(), 'via resolve');
});

test('resolve of a local path with no actor gives a ref whose messages are dead letters', async (t) => {
  const { system } = await createTestSystem(t);
  const ghost = system.resolve<string>('weir://test/user/ghost');
  t.is(ghost.path, 'weir://test/user/ghost');
  ghost.tell('boo');
  t.is(system.deadLetterCount, 1);
});

for (const path of ['weir://other@127.0.0.1:2552/user/a', 'weir://test@127.0.0.1:2552/user/a', 'weir://other/user/a']) {
  test(`resolve of ${path} on a system that does not listen throws NOT_REMOTE`, async (t) => {
    const { system } = await createTestSystem(t);
    const error = t.throws(() => system.resolve(path), { instanceOf: WeirError });
    t.is(error.code, 'NOT_REMOTE');
    t.is(error.message, `system "test" does not listen, so it cannot reach ${path}; give ActorSystem.create a remote address`);
  });
}

test('resolve of text that is not an actor path throws INVALID_ADDRESS', async (t) => {
  const { system } = await createTestSystem(t);
  const error = t.throws(() => system.resolve('http://test/user/a'), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_ADDRESS');
});

test('terminate stops every actor, children before their parents, and completes whenTerminated', async (t) => {
  const { system } = await createTestSystem(t);
  const stopped: string[] = [];
  const recordPostStop = <M>(name: string, inner: (ctx: ActorContext<M>) => void): Behavior<M> =>
    Behaviors.setup<M>((ctx) => {
      inner(ctx);
      return Behaviors.receiveSignal<M>((_ctx, signal) => {
        if (signal.signal === 'PostStop') stopped.push(name);
        return Behaviors.same;
      });
    });
  const probe = new TestProbe<string>(system);
  system.spawn(
    recordPostStop<never>('parent', (ctx) => {
      ctx.spawn(
        recordPostStop<never>('child', (childCtx) => {
          childCtx.spawn(recordPostStop<never>('grandchild', () => probe.ref.tell('started')), 'grandchild');
        }),
        'child',
      );
    }),
    'parent',
  );
  system.spawn(recordPostStop<never>('sibling', () => {}), 'sibling');
  await probe.expectMessage();
  let terminatedSeen = false;
  void system.whenTerminated.then(() => (terminatedSeen = true));
  await system.terminate();
  t.true(system.isTerminated);
  t.true(terminatedSeen);
  t.deepEqual(stopped, ['grandchild', 'child', 'parent', 'sibling']);
});

test('terminate fails pending asks with SYSTEM_TERMINATED at once', async (t) => {
  const { system } = await createTestSystem(t);
  const silent = system.spawn(Behaviors.ignore<{ readonly type: 'Query'; readonly replyTo: ActorRef<string> }>(), 'silent');
  // Were it left pending, the ask would fail with ASK_TIMEOUT after 2 s instead.
  const pending = ask(silent, (replyTo: ActorRef<string>) => ({ type: 'Query', replyTo }), 2_000);
  await system.terminate();
  const error = await t.throwsAsync(pending, { instanceOf: WeirError });
  t.is(error.code, 'SYSTEM_TERMINATED');
  t.is(error.message, 'system "test" terminated before the reply came');
});

test('after terminate, asks fail, spawn throws ACTOR_STOPPED and tells become dead letters', async (t) => {
  const { system } = await createTestSystem(t);
  const ref = system.spawn(Behaviors.ignore<string>(), 'late');
  await system.terminate();
  const askError = await t.throwsAsync(ask(ref, () => 'x', 1_000), { instanceOf: WeirError });
  t.is(askError.code, 'SYSTEM_TERMINATED');
  const spawnError = t.throws(() => system.spawn(Behaviors.ignore<string>(), 'too-late'), { instanceOf: WeirError });
  t.is(spawnError.code, 'ACTOR_STOPPED');
  ref.tell('anyone?');
  t.is(system.deadLetterCount, 1);
  await t.notThrowsAsync(system.terminate());
});
