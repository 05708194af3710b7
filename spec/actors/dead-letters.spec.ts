import test from 'ava';
import { type ActorRef, type DeadLetter, Behaviors } from '../../actors/index.ts';
import { LINES_PER_CLASS, LOG_WINDOW_MS, classifyReason } from '../../actors/dead-letters.ts';
import { TestProbe, createManualTestSystem, createTestSystem } from '../testkit/index.ts';

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
    reasonClass: 'recipient-stopped',
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
    [2, 3].map((n) => ({ type: 'Ping', recipient: 'weir://test/user/quitter', reason: 'recipient stopped', reasonClass: 'recipient-stopped', message: { type: 'Ping', n } })),
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

test('dead letters are counted by reason class, read from how the runtime words the reason', async (t) => {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const ref = await stoppedActor(system, 'gone');
  ref.tell({ type: 'Ping', n: 1 });
  system.resolve<Ping>('weir://test/user/nobody').tell({ type: 'Ping', n: 2 });
  system.deadLetter({ type: 'Ping', n: 3 }, 'weir://test/user/x', 'invalid message from weir://evil@127.0.0.1:9: Ping.n: expected a number, got "x"');
  system.deadLetter({ type: 'Nope' }, 'weir://test/user/x', 'no codec for type "Nope" from weir://evil@127.0.0.1:9');
  system.deadLetter({ type: 'Ping', n: 4 }, 'weir://test/user/x', 'link to weir://b@127.0.0.1:9 overloaded (9 bytes unsent)');
  system.deadLetter({ type: 'Ping', n: 5 }, 'weir://test/user/x', 'something the runtime says', 'unhandled');
  t.deepEqual(system.deadLetterCounts, {
    'invalid-message': 1,
    'unknown-type': 1,
    unhandled: 1,
    'no-recipient': 1,
    'recipient-stopped': 1,
    'mailbox-full': 0,
    undeliverable: 1,
  });
  t.is(system.deadLetterCount, 6);
  t.is(classifyReason('mailbox full (10)'), 'mailbox-full');
});

test(`an identical dead-letter line is logged once per ${LOG_WINDOW_MS} ms; the next one says how many were not logged`, async (t) => {
  const { system, logs, scheduler } = await createManualTestSystem(t);
  const nobody = system.resolve<Ping>('weir://test/user/nobody');
  for (let n = 0; n < 1000; n++) nobody.tell({ type: 'Ping', n });
  t.is(system.deadLetterCount, 1000);
  t.deepEqual(
    logs.matching('dead letter:').map((record) => record.msg),
    ['dead letter: Ping to weir://test/user/nobody (no actor at this path)'],
  );
  await scheduler.advance(LOG_WINDOW_MS);
  nobody.tell({ type: 'Ping', n: 1000 });
  const [, second] = logs.matching('dead letter:');
  t.like(second, {
    msg: 'dead letter: Ping to weir://test/user/nobody (no actor at this path); 999 more no-recipient dead letters were not logged',
    suppressed: 999,
    deadLetters: 1001,
  });
});

test(`at most ${LINES_PER_CLASS} lines of one reason class are logged per window, however the lines differ`, async (t) => {
  const { system, logs, scheduler } = await createManualTestSystem(t);
  for (let n = 0; n < 50; n++) system.resolve<Ping>(`weir://test/user/nobody-${n}`).tell({ type: 'Ping', n });
  system.deadLetter({ type: 'Ping', n: 0 }, 'weir://test/user/x', 'invalid message from weir://evil@127.0.0.1:9: Ping.n: expected a number, got "x"');
  const lines = logs.matching('dead letter:');
  t.is(lines.length, LINES_PER_CLASS + 1, 'another class has a budget of its own');
  t.like(lines[LINES_PER_CLASS], { level: 'warn', reasonClass: 'invalid-message' });
  await scheduler.advance(LOG_WINDOW_MS);
  system.resolve<Ping>('weir://test/user/nobody-0').tell({ type: 'Ping', n: 50 });
  t.like(logs.matching('dead letter:').at(-1), { reasonClass: 'no-recipient', suppressed: 50 - LINES_PER_CLASS });
});
