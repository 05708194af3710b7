import test from 'ava';
import { type ActorRef, type Behavior, Behaviors, type StashBuffer } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';
import { TestProbe, createTestSystem } from '../testkit/index.ts';

type Msg = { readonly type: 'Work'; readonly n: number } | { readonly type: 'Ready' };

/** Stashes Work until Ready, then handles it (and everything after) by reporting "n". */
function waitingActor(report: ActorRef<string>, capacity: number): Behavior<Msg> {
  const active: Behavior<Msg> = Behaviors.receiveMessage<Msg>((msg) => {
    report.tell(msg.type === 'Work' ? `work ${msg.n}` : 'ready again');
    return Behaviors.same;
  });
  return Behaviors.withStash<Msg>(capacity, (stash) =>
    Behaviors.receiveMessage<Msg>((msg) => {
      if (msg.type === 'Ready') {
        report.tell(`unstashing ${stash.size}`);
        return stash.unstashAll(active);
      }
      stash.stash(msg);
      return Behaviors.same;
    }),
  );
}

test('unstashAll delivers the stashed messages in their original order, before newer ones', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const ref = system.spawn(waitingActor(report.ref, 10), 'waiter');
  ref.tell({ type: 'Work', n: 1 });
  ref.tell({ type: 'Work', n: 2 });
  ref.tell({ type: 'Work', n: 3 });
  ref.tell({ type: 'Ready' });
  // Already in the mailbox when Ready is handled: must still come after the stashed messages.
  ref.tell({ type: 'Work', n: 4 });
  t.deepEqual(await report.expectMessages(5), ['unstashing 3', 'work 1', 'work 2', 'work 3', 'work 4']);
  ref.tell({ type: 'Work', n: 5 });
  t.is(await report.expectMessage(), 'work 5');
});

test('stashing into a full stash throws STASH_FULL naming the actor and the message type, failing the actor', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const watcher = new TestProbe<never>(system);
  const ref = system.spawn(waitingActor(report.ref, 2), 'small');
  watcher.watch(ref);
  for (let n = 1; n <= 3; n++) ref.tell({ type: 'Work', n });
  const { error } = await watcher.expectTerminated();
  t.true(error instanceof WeirError);
  t.is((error as WeirError).code, 'STASH_FULL');
  t.is((error as WeirError).message, 'stash of weir://test/user/small is full (2) and cannot take a "Work"');
});

test('a stash reports its size and fullness, and takes messages again after unstashAll', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const describe = (stash: StashBuffer<Msg>): string => `size=${stash.size} empty=${stash.isEmpty} full=${stash.isFull}`;
  const ref = system.spawn(
    Behaviors.withStash<Msg>(2, (stash) => {
      report.ref.tell(describe(stash));
      const collecting: Behavior<Msg> = Behaviors.receiveMessage<Msg>((msg) => {
        if (msg.type === 'Ready') {
          report.ref.tell(`ready ${describe(stash)}`);
          return stash.unstashAll(draining(stash.size));
        }
        stash.stash(msg);
        report.ref.tell(describe(stash));
        return Behaviors.same;
      });
      /** Handles the `left` unstashed messages, then collects again. */
      const draining = (left: number): Behavior<Msg> =>
        Behaviors.receiveMessage<Msg>((msg) => {
          report.ref.tell(`drained ${msg.type === 'Work' ? msg.n : 'Ready'}`);
          return left > 1 ? draining(left - 1) : collecting;
        });
      return collecting;
    }),
    'counter',
  );
  ref.tell({ type: 'Work', n: 1 });
  ref.tell({ type: 'Work', n: 2 });
  ref.tell({ type: 'Ready' });
  ref.tell({ type: 'Work', n: 3 });
  ref.tell({ type: 'Ready' });
  t.deepEqual(await report.expectMessages(9), [
    'size=0 empty=true full=false',
    'size=1 empty=false full=false',
    'size=2 empty=false full=true',
    'ready size=2 empty=false full=true',
    'drained 1',
    'drained 2',
    'size=1 empty=false full=false',
    'ready size=1 empty=false full=false',
    'drained 3',
  ]);
});

test('createStash refuses a capacity that is not positive with a RangeError', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  system.spawn(
    Behaviors.setup<never>((ctx) => {
      try {
        ctx.createStash(0);
      } catch (error) {
        report.ref.tell(`${(error as Error).name}: ${(error as Error).message}`);
      }
      return Behaviors.ignore();
    }),
    'zero',
  );
  t.is(await report.expectMessage(), 'RangeError: stash capacity must be > 0, got 0');
});
