import test from 'ava';
import { type ActorRef, type Behavior, Behaviors, escalate, restart, resume, supervise } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';
import { TestProbe, createTestSystem, fragileCounter, supervised, type FragileCounterMsg as Msg } from '../testkit/index.ts';

test('an actor without a strategy stops when its handler throws', async (t) => {
  const { system, logs } = await createTestSystem(t);
  const events = new TestProbe<string>(system);
  const watcher = new TestProbe<never>(system);
  const ref = system.spawn(fragileCounter(events.ref), 'plain');
  watcher.watch(ref);
  ref.tell({ type: 'Crash', reason: 'boom' });
  ref.tell({ type: 'Increment' });
  const terminated = await watcher.expectTerminated();
  t.is((terminated.error as Error).message, 'boom');
  t.is(await events.expectMessage(), 'PostStop');
  t.is(system.deadLetterCount, 1);
  const [failure] = logs.matching('actor failed handling Crash; supervision: stop', 'error');
  t.is(failure?.path, 'weir://test/user/plain');
  t.like(failure?.error, { name: 'Error', message: 'boom' });
});

test('resume keeps the state and drops only the message that failed', async (t) => {
  const { system } = await createTestSystem(t);
  const events = new TestProbe<string>(system);
  const replies = new TestProbe<number>(system);
  const ref = system.spawn(supervised(events.ref, resume()), 'resumer');
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Crash', reason: 'boom' });
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Get', replyTo: replies.ref });
  t.is(await replies.expectMessage(), 2);
  t.is(await events.expectMessage(), 'started');
  await events.expectNoMessage(10);
});

test('restart starts again from the initial behavior, signals PreRestart and stops the children', async (t) => {
  const { system } = await createTestSystem(t);
  const events = new TestProbe<string>(system);
  const replies = new TestProbe<number>(system);
  let setups = 0;
  const ref = system.spawn(
    supervise(
      Behaviors.setup<Msg>((ctx) => {
        setups++;
        // The same child name each time: the restart must have stopped the previous child.
        const generation = setups;
        ctx.spawn(
          Behaviors.setup<never>(() => {
            events.ref.tell(`child ${generation} started`);
            return Behaviors.receiveSignal<never>((_c, signal) => {
              events.ref.tell(`child ${generation} ${signal.signal}`);
              return Behaviors.same;
            });
          }),
          'child',
        );
        return fragileCounter(events.ref);
      }),
      restart(),
    ),
    'restarter',
  );
  t.is(await events.expectMessage(), 'child 1 started');
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Get', replyTo: replies.ref });
  ref.tell({ type: 'Crash', reason: 'boom' });
  ref.tell({ type: 'Get', replyTo: replies.ref });
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Get', replyTo: replies.ref });
  t.deepEqual(await replies.expectMessages(3), [2, 0, 1]);
  t.deepEqual(await events.expectMessages(3), ['PreRestart', 'child 1 PostStop', 'child 2 started']);
  t.is(setups, 2);
});

test('escalate stops the failing child and fails its parent with CHILD_FAILED', async (t) => {
  const { system } = await createTestSystem(t);
  const events = new TestProbe<string>(system);
  const watcher = new TestProbe<never>(system);
  const childRef = new TestProbe<ActorRef<Msg>>(system);
  const parent = system.spawn(
    Behaviors.setup<never>((ctx) => {
      childRef.ref.tell(ctx.spawn(supervise(fragileCounter(events.ref), escalate()), 'child'));
      return Behaviors.receiveSignal<never>((_c, signal) => {
        events.ref.tell(`parent ${signal.signal}`);
        return Behaviors.same;
      });
    }),
    'parent',
  );
  watcher.watch(parent);
  (await childRef.expectMessage()).tell({ type: 'Crash', reason: 'child boom' });
  const { error } = await watcher.expectTerminated();
  t.is((error as WeirError).code, 'CHILD_FAILED');
  t.is((error as WeirError).message, 'child weir://test/user/parent/child failed: child boom');
  t.is(((error as WeirError).cause as Error).message, 'child boom');
  t.deepEqual(await events.expectMessages(2), ['PostStop', 'parent PostStop']);
});

test('a parent with a restart strategy restarts when its child escalates', async (t) => {
  const { system } = await createTestSystem(t);
  const events = new TestProbe<string>(system);
  const children = new TestProbe<ActorRef<Msg>>(system);
  system.spawn(
    supervise(
      Behaviors.setup<never>((ctx) => {
        events.ref.tell('parent started');
        children.ref.tell(ctx.spawn(supervise(fragileCounter(events.ref), escalate()), 'child'));
        return Behaviors.receiveSignal<never>((_c, signal) => {
          events.ref.tell(`parent ${signal.signal}`);
          return Behaviors.same;
        });
      }),
      restart(),
    ),
    'parent',
  );
  const first = await children.expectMessage();
  first.tell({ type: 'Crash', reason: 'child boom' });
  const second = await children.expectMessage();
  t.is(second.path, 'weir://test/user/parent/child');
  t.not(second, first);
  t.deepEqual(await events.expectMessages(4), ['parent started', 'PostStop', 'parent PreRestart', 'parent started']);
  const replies = new TestProbe<number>(system);
  second.tell({ type: 'Get', replyTo: replies.ref });
  t.is(await replies.expectMessage(), 0);
});

test('a restart whose setup throws stops the actor instead of failing in a loop', async (t) => {
  const { system } = await createTestSystem(t);
  const watcher = new TestProbe<never>(system);
  let setups = 0;
  const ref = system.spawn(
    supervise(
      Behaviors.setup<Msg>(() => {
        if (++setups > 1) throw new Error(`setup ${setups} failed`);
        return fragileCounter(system.resolve<string>('weir://test/user/nobody'));
      }),
      restart(),
    ),
    'doomed',
  );
  watcher.watch(ref);
  ref.tell({ type: 'Crash', reason: 'first' });
  const { error } = await watcher.expectTerminated();
  t.is((error as Error).message, 'setup 2 failed');
  t.is(setups, 2);
});

test('a setup that throws stops the actor even under resume, as there is nothing to resume', async (t) => {
  const { system } = await createTestSystem(t);
  const watcher = new TestProbe<never>(system);
  const ref = system.spawn(
    supervise(
      Behaviors.setup<string>(() => {
        throw new Error('no start');
      }),
      resume(),
    ),
    'stillborn',
  );
  watcher.watch(ref);
  const { error } = await watcher.expectTerminated();
  t.is((error as Error).message, 'no start');
});

test('exceptions from handlers, setups and signal handlers never take the process down', async (t) => {
  // Every failure is logged as a JSON line, so the thrown values must survive serialization too.
  const { system, logs } = await createTestSystem(t);
  const watcher = new TestProbe<never>(system);
  const throwers: Behavior<string>[] = [
    Behaviors.receiveMessage<string>(() => {
      throw 'a string';
    }),
    Behaviors.receiveMessage<string>(() => {
      throw undefined;
    }),
    Behaviors.receiveMessage<string>(() => {
      throw { code: 42 };
    }),
    Behaviors.receiveMessage<string>(() => {
      const circular: { self?: unknown } = {};
      circular.self = circular;
      throw circular;
    }),
    Behaviors.receiveMessage<string>(() => {
      throw 10n;
    }),
    Behaviors.receiveMessage<string>(() => {
      const looping = new Error('looping cause');
      looping.cause = looping;
      throw looping;
    }),
    Behaviors.setup<string>(() => {
      throw new Error('setup');
    }),
    Behaviors.receive<string>(
      () => Behaviors.stopped,
      () => {
        throw new Error('PostStop handler');
      },
    ),
    supervise(
      Behaviors.receive<string>(
        () => {
          throw new Error('handler');
        },
        (_ctx, signal) => {
          throw new Error(`${signal.signal} handler`);
        },
      ),
      restart({ maxRestarts: 1 }),
    ),
  ];
  for (const [i, behavior] of throwers.entries()) {
    const ref = system.spawn(behavior, `thrower-${i}`);
    watcher.watch(ref);
    ref.tell('go');
    ref.tell('again');
  }
  for (let i = 0; i < throwers.length; i++) await watcher.expectTerminated();
  const probe = new TestProbe<string>(system);
  const healthy = system.spawn(
    Behaviors.receiveMessage<string>((msg) => {
      probe.ref.tell(msg);
      return Behaviors.same;
    }),
    'healthy',
  );
  healthy.tell('still running');
  t.is(await probe.expectMessage(), 'still running');
  t.deepEqual(
    logs.matching('actor failed').map((record) => record.path),
    ['0', '1', '2', '3', '4', '5', '6', '8', '8'].map((i) => `weir://test/user/thrower-${i}`),
  );
  t.is(logs.matching('PostStop handler failed').length, 2);
  t.is(logs.matching('PreRestart handler failed').length, 1);
});

test('a top-level actor that escalates stops, and the user guardian only logs the failure', async (t) => {
  const { system, logs } = await createTestSystem(t);
  const events = new TestProbe<string>(system);
  const ref = system.spawn(supervised(events.ref, escalate()), 'top');
  ref.tell({ type: 'Crash', reason: 'top boom' });
  t.deepEqual(await events.expectMessages(2), ['started', 'PostStop']);
  const [guardianFailure] = logs.matching('supervision: resume', 'error');
  t.is(guardianFailure?.path, 'weir://test/user');
  t.like(guardianFailure?.error, { code: 'CHILD_FAILED', message: 'child weir://test/user/top failed: top boom' });
  const probe = new TestProbe<number>(system);
  const sibling = system.spawn(supervised(events.ref, escalate()), 'sibling');
  sibling.tell({ type: 'Get', replyTo: probe.ref });
  t.is(await probe.expectMessage(), 0, 'the guardian still spawns and runs actors');
});
