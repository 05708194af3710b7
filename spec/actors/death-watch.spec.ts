import test from 'ava';
import { type ActorRef, type Behavior, Behaviors, type Signal } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';
import { TestProbe, createTestSystem, settle } from '../testkit/index.ts';

type WatcherMsg =
  | { readonly type: 'Watch'; readonly target: ActorRef<never> }
  | { readonly type: 'WatchWith'; readonly target: ActorRef<never>; readonly note: string }
  | { readonly type: 'Unwatch'; readonly target: ActorRef<never> }
  | { readonly type: 'Gone'; readonly note: string };

/** Watches on request and reports what it hears: Terminated signals and watchWith messages. */
function watcher(report: ActorRef<string>): Behavior<WatcherMsg> {
  return Behaviors.receive<WatcherMsg>(
    (ctx, msg) => {
      switch (msg.type) {
        case 'Watch':
          ctx.watch(msg.target);
          break;
        case 'WatchWith':
          ctx.watchWith(msg.target, { type: 'Gone', note: msg.note });
          break;
        case 'Unwatch':
          ctx.unwatch(msg.target);
          break;
        case 'Gone':
          report.tell(`Gone ${msg.note}`);
          break;
      }
      return Behaviors.same;
    },
    (_ctx, signal: Signal) => {
      if (signal.signal === 'Terminated') {
        const error = signal.error === undefined ? 'none' : (signal.error as Error).message;
        report.tell(`Terminated ${signal.ref.path} error=${error} address=${signal.addressTerminated}`);
      }
      return Behaviors.same;
    },
  );
}

/** Stops on 'stop', throws on 'fail'. */
const mortal = Behaviors.receiveMessage<'stop' | 'fail'>((msg) => {
  if (msg === 'fail') throw new Error('mortal failed');
  return Behaviors.stopped;
});

test('watch delivers the Terminated signal with the watched ref when it stops', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const watching = system.spawn(watcher(report.ref), 'watcher');
  const target = system.spawn(mortal, 'target');
  watching.tell({ type: 'Watch', target });
  await settle();
  target.tell('stop');
  t.is(await report.expectMessage(), 'Terminated weir://test/user/target error=none address=false');
});

test('Terminated carries the error when the watched actor failed', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const watching = system.spawn(watcher(report.ref), 'watcher');
  const target = system.spawn(mortal, 'target');
  watching.tell({ type: 'Watch', target });
  await settle();
  target.tell('fail');
  t.is(await report.expectMessage(), 'Terminated weir://test/user/target error=mortal failed address=false');
});

test('watchWith delivers the given message instead of the Terminated signal', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const watching = system.spawn(watcher(report.ref), 'watcher');
  const target = system.spawn(mortal, 'target');
  watching.tell({ type: 'WatchWith', target, note: 'target left' });
  await settle();
  target.tell('stop');
  t.is(await report.expectMessage(), 'Gone target left');
  await report.expectNoMessage(10);
});

test('watching an actor that already stopped delivers Terminated', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const early = new TestProbe<never>(system);
  const target = system.spawn(mortal, 'target');
  early.watch(target);
  target.tell('stop');
  await early.expectTerminated();
  system.spawn(watcher(report.ref), 'watcher').tell({ type: 'Watch', target });
  t.is(await report.expectMessage(), 'Terminated weir://test/user/target error=none address=false');
});

test('watching a path with no actor behind it delivers Terminated', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const ghost = system.resolve<never>('weir://test/user/ghost');
  system.spawn(watcher(report.ref), 'watcher').tell({ type: 'Watch', target: ghost });
  t.is(await report.expectMessage(), 'Terminated weir://test/user/ghost error=none address=false');
});

test('unwatch prevents the Terminated signal', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const watching = system.spawn(watcher(report.ref), 'watcher');
  const unwatched = system.spawn(mortal, 'unwatched');
  const watched = system.spawn(mortal, 'watched');
  watching.tell({ type: 'Watch', target: unwatched });
  watching.tell({ type: 'Watch', target: watched });
  watching.tell({ type: 'Unwatch', target: unwatched });
  await settle();
  unwatched.tell('stop');
  watched.tell('stop');
  t.is(await report.expectMessage(), 'Terminated weir://test/user/watched error=none address=false');
  await t.notThrowsAsync(report.expectNoMessage(10));
});

test('unwatch in the same turn that stopped the child drops the Terminated already on its way', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const parent = system.spawn(
    Behaviors.setup<'stop-child' | 'ping'>((ctx) => {
      const child = ctx.spawn(Behaviors.ignore<never>(), 'child');
      ctx.watch(child);
      return Behaviors.receive(
        (_ctx, msg) => {
          if (msg === 'ping') {
            report.ref.tell('pong');
          } else {
            ctx.stop(child);
            ctx.unwatch(child);
          }
          return Behaviors.same;
        },
        (_ctx, signal) => {
          report.ref.tell(signal.signal);
          return Behaviors.same;
        },
      );
    }),
    'parent',
  );
  parent.tell('stop-child');
  parent.tell('ping');
  t.is(await report.expectMessage(), 'pong');
  await report.expectNoMessage(10);
});

test('a watcher that does not handle Terminated fails with DEATH_PACT, caused by the watched actor’s error', async (t) => {
  const { system } = await createTestSystem(t);
  const outer = new TestProbe<never>(system);
  const target = system.spawn(mortal, 'target');
  const careless = system.spawn(
    Behaviors.setup<never>((ctx) => {
      ctx.watch(target);
      return Behaviors.ignore();
    }),
    'careless',
  );
  outer.watch(careless);
  await settle();
  target.tell('fail');
  const { ref, error } = await outer.expectTerminated();
  t.is(ref, careless as ActorRef<never>);
  t.true(error instanceof WeirError);
  t.is((error as WeirError).code, 'DEATH_PACT');
  t.is((error as WeirError).message, 'weir://test/user/careless watched weir://test/user/target, which stopped, and did not handle Terminated');
  t.is(((error as WeirError).cause as Error).message, 'mortal failed');
});

test('a stop runs PostStop in every actor of the subtree, children before their parents', async (t) => {
  const { system } = await createTestSystem(t);
  const order: string[] = [];
  const started = new TestProbe<string>(system);
  const node = (name: string, children: readonly string[]): Behavior<'stop'> =>
    Behaviors.setup<'stop'>((ctx) => {
      for (const child of children) ctx.spawn(node(child, []), child);
      started.ref.tell(name);
      return Behaviors.receive<'stop'>(
        () => Behaviors.stopped,
        (_ctx, signal) => {
          if (signal.signal === 'PostStop') order.push(name);
          return Behaviors.same;
        },
      );
    });
  const root = system.spawn(
    Behaviors.setup<'stop'>((ctx) => {
      ctx.spawn(node('left', ['left-a', 'left-b']), 'left');
      ctx.spawn(node('right', []), 'right');
      return node('root', []);
    }),
    'root',
  );
  await started.expectMessages(5);
  const watcher = new TestProbe<never>(system);
  watcher.watch(root);
  root.tell('stop');
  await watcher.expectTerminated();
  t.deepEqual(order, ['left-a', 'left-b', 'left', 'right', 'root']);
});

test('ctx.stop refuses an actor that is not a child with NOT_A_CHILD', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const stranger = system.spawn(Behaviors.ignore<never>(), 'stranger');
  system.spawn(
    Behaviors.setup<never>((ctx) => {
      try {
        ctx.stop(stranger);
      } catch (error) {
        report.ref.tell(`${(error as WeirError).code}: ${(error as WeirError).message}`);
      }
      return Behaviors.ignore();
    }),
    'meddler',
  );
  t.is(await report.expectMessage(), 'NOT_A_CHILD: weir://test/user/meddler can only stop its own children, not weir://test/user/stranger');
});
