import test from 'ava';
import { type ActorRef, type DeadLetter, Behaviors } from '../../actors/index.ts';
import { LOGGED_IN_FULL, LOG_EVERY } from '../../actors/dead-letters.ts';
import { TestProbe, createTestSystem } from '../testkit/index.ts';

interface Ping {
  readonly type: 'Ping';
  readonly n: number;
}

async function stoppedActor(system: Awaited<ReturnType<typeof createTestSystem>>['system'], name: string): Promise<ActorRef<Ping>> {
  const watcher = new TestProbe<never>(system);
  const ref = system.spawn(Behaviors.receiveMessage<Ping>(() => Behaviors.stopped), name);
  watcher.watch(ref);
  ref.tell({ type: 'Ping', n: 0 });
  await watcher.expectTerminated();
  return ref;
}

test('a message to a stopped actor is a dead letter, counted and logged with its type', async (t) => {
  const { system, logs } = await createTestSystem(t);
  const ref = await stoppedActor(system, 'gone');
  ref.tell({ type: 'Ping', n: 1 });
  t.is(system.deadLetterCount, 1);
  const [record] = logs.matching('dead letter:');
  t.like(record, {
    level: 'info',
    msg: 'dead letter: Ping to weir://test/user/gone (recipient stopped)',
    type: 'Ping',
    recipient: 'weir://test/user/gone',
    reason: 'recipient stopped',
    deadLetters: 1,
  });
});

test('a message to a path with no actor is a dead letter, counted and logged with its type', async (t) => {
  const { system, logs } = await createTestSystem(t);
  system.resolve<Ping>('weir://test/user/nobody/home').tell({ type: 'Ping', n: 1 });
  system.resolve<string>('weir://test/user/nobody').tell('plain text');
  t.is(system.deadLetterCount, 2);
  t.deepEqual(
    logs.matching('dead letter:').map((record) => record.msg),
    ['dead letter: Ping to weir://test/user/nobody/home (no actor at this path)', 'dead letter: string to weir://test/user/nobody (no actor at this path)'],
  );
});

test('messages still in the mailbox when an actor stops become dead letters, published on deadLetters$', async (t) => {
  const { system } = await createTestSystem(t);
  const letters: DeadLetter[] = [];
  const subscription = system.deadLetters$.subscribe((letter) => letters.push(letter));
  t.teardown(() => subscription.unsubscribe());
  const watcher = new TestProbe<never>(system);
  const ref = system.spawn(Behaviors.receiveMessage<Ping>(() => Behaviors.stopped), 'quitter');
  watcher.watch(ref);
  for (let n = 1; n <= 3; n++) ref.tell({ type: 'Ping', n });
  await watcher.expectTerminated();
  t.deepEqual(
    letters,
    [2, 3].map((n) => ({ type: 'Ping', recipient: 'weir://test/user/quitter', reason: 'recipient stopped', message: { type: 'Ping', n } })),
  );
});

test('a message sent through the adapter of a stopped actor is a dead letter logged with its own type', async (t) => {
  const { system, logs } = await createTestSystem(t);
  const adapters = new TestProbe<ActorRef<Ping>>(system);
  const watcher = new TestProbe<never>(system);
  const owner = system.spawn(
    Behaviors.setup<string>((ctx) => {
      adapters.ref.tell(ctx.messageAdapter<Ping>((ping) => `ping ${ping.n}`));
      return Behaviors.receiveMessage(() => Behaviors.stopped);
    }),
    'owner',
  );
  watcher.watch(owner);
  const adapter = await adapters.expectMessage();
  owner.tell('stop');
  await watcher.expectTerminated();
  adapter.tell({ type: 'Ping', n: 7 });
  t.is(system.deadLetterCount, 1);
  t.deepEqual(logs.matching('dead letter:').map((record) => record.msg), ['dead letter: Ping to weir://test/user/owner (recipient stopped)']);
});

test(`the log gets the first ${LOGGED_IN_FULL} dead letters in full, then one line per ${LOG_EVERY}`, async (t) => {
  const { system, logs } = await createTestSystem(t);
  const nobody = system.resolve<Ping>('weir://test/user/nobody');
  const total = 2 * LOG_EVERY + 1;
  for (let n = 1; n <= total; n++) nobody.tell({ type: 'Ping', n });
  t.is(system.deadLetterCount, total);
  const counts = logs.matching('dead letter:').map((record) => record.deadLetters);
  t.is(counts.length, LOGGED_IN_FULL + 2);
  t.deepEqual(counts.slice(LOGGED_IN_FULL - 1), [LOGGED_IN_FULL, LOG_EVERY, 2 * LOG_EVERY]);
});
