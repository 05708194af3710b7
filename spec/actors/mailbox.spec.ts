import test from 'ava';
import { type ActorRef, type DeadLetter, Behaviors } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';
import { TestProbe, createManualTestSystem, createTestSystem, settle } from '../testkit/index.ts';

interface Numbered {
  readonly type: 'Numbered';
  readonly sender: string;
  readonly seq: number;
}

test('messages from one sender arrive in the order they were sent', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<number>(system);
  for (let i = 0; i < 1_000; i++) probe.ref.tell(i);
  const received = await probe.expectMessages(1_000);
  t.deepEqual(received, [...Array(1_000).keys()]);
});

test('messages from several sending actors keep each sender’s order', async (t) => {
  const { system } = await createTestSystem(t);
  const COUNT = 500;
  const seen: Numbered[] = [];
  const done = new TestProbe<'done'>(system);
  const sink = system.spawn(
    Behaviors.receiveMessage<Numbered>((msg) => {
      seen.push(msg);
      if (seen.length === 3 * COUNT) done.ref.tell('done');
      return Behaviors.same;
    }),
    'sink',
  );
  // Each sender sends in slices of its own turns, so the senders' messages interleave at the sink.
  const sender = (name: string) =>
    Behaviors.receive<number>((ctx, next) => {
      sink.tell({ type: 'Numbered', sender: name, seq: next });
      if (next + 1 < COUNT) ctx.self.tell(next + 1);
      return Behaviors.same;
    });
  for (const name of ['a', 'b', 'c']) system.spawn(sender(name), name).tell(0);
  await done.expectMessage();
  for (const name of ['a', 'b', 'c']) {
    t.deepEqual(
      seen.filter((msg) => msg.sender === name).map((msg) => msg.seq),
      [...Array(COUNT).keys()],
    );
  }
  t.true(seen.slice(0, COUNT).some((msg) => msg.sender !== 'a'), 'the senders interleave');
});

test('a bounded drop-newest mailbox sends the overflow to dead letters with reason "mailbox full"', async (t) => {
  const { system, logs } = await createTestSystem(t);
  const handled: number[] = [];
  const ref = system.spawn(
    Behaviors.receiveMessage<number>((msg) => {
      handled.push(msg);
      return Behaviors.same;
    }),
    'bounded',
    { mailbox: { capacity: 2, overflow: 'drop-newest' } },
  );
  const dead: DeadLetter[] = [];
  const subscription = system.deadLetters$.subscribe((letter) => dead.push(letter));
  t.teardown(() => subscription.unsubscribe());
  // All five arrive before the actor's first turn: the first two fit, the rest overflow.
  for (let i = 1; i <= 5; i++) ref.tell(i);
  await settle();
  t.deepEqual(handled, [1, 2]);
  t.deepEqual(
    dead,
    [3, 4, 5].map((message) => ({ type: 'number', recipient: 'weir://test/user/bounded', reason: 'mailbox full (2)', reasonClass: 'mailbox-full', message })),
  );
  t.is(system.deadLetterCount, 3);
  t.is(logs.matching('dead letter: number to weir://test/user/bounded (mailbox full (2))').length, 1, 'identical lines are logged once a second');
  ref.tell(6);
  await settle();
  t.deepEqual(handled, [1, 2, 6], 'the mailbox takes messages again once drained');
});

test('a bounded mailbox is drop-newest by default', async (t) => {
  const { system } = await createTestSystem(t);
  const ref = system.spawn(Behaviors.ignore<string>(), 'default-bounded', { mailbox: { capacity: 1 } });
  ref.tell('kept');
  t.notThrows(() => ref.tell('dropped'));
  t.is(system.deadLetterCount, 1);
});

test('a full fail-sender mailbox throws MAILBOX_FULL at the teller and keeps what it holds', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  const ref: ActorRef<{ readonly type: string }> = system.spawn(
    Behaviors.receiveMessage<{ readonly type: string }>((msg) => {
      probe.ref.tell(msg.type);
      return Behaviors.same;
    }),
    'strict',
    { mailbox: { capacity: 2, overflow: 'fail-sender' } },
  );
  ref.tell({ type: 'One' });
  ref.tell({ type: 'Two' });
  const error = t.throws(() => ref.tell({ type: 'Three' }), { instanceOf: WeirError });
  t.is(error.code, 'MAILBOX_FULL');
  t.is(error.message, 'mailbox of weir://test/user/strict is full (2); "Three" refused');
  t.deepEqual(await probe.expectMessages(2), ['One', 'Two']);
  await probe.expectNoMessage(10);
  t.is(system.deadLetterCount, 0);
});

test('an actor whose tell throws MAILBOX_FULL fails like any handler that throws', async (t) => {
  const { system } = await createTestSystem(t);
  const strict = system.spawn(Behaviors.ignore<number>(), 'strict', { mailbox: { capacity: 1, overflow: 'fail-sender' } });
  const watcher = new TestProbe<never>(system);
  const flooder = system.spawn(
    Behaviors.receiveMessage<'go'>(() => {
      strict.tell(1);
      strict.tell(2);
      return Behaviors.same;
    }),
    'flooder',
  );
  watcher.watch(flooder);
  flooder.tell('go');
  const { error } = await watcher.expectTerminated();
  t.is((error as WeirError).code, 'MAILBOX_FULL');
});

test('a message through an adapter that overflows a bounded mailbox is a dead letter of its own type', async (t) => {
  const { system } = await createTestSystem(t);
  const adapters = new TestProbe<ActorRef<Numbered>>(system);
  system.spawn(
    Behaviors.setup<string>((ctx) => {
      adapters.ref.tell(ctx.messageAdapter<Numbered>((msg) => `${msg.sender}${msg.seq}`));
      return Behaviors.ignore();
    }),
    'adapted',
    { mailbox: { capacity: 1 } },
  );
  const adapter = await adapters.expectMessage();
  const dead: DeadLetter[] = [];
  const subscription = system.deadLetters$.subscribe((letter) => dead.push(letter));
  t.teardown(() => subscription.unsubscribe());
  adapter.tell({ type: 'Numbered', sender: 'x', seq: 1 });
  adapter.tell({ type: 'Numbered', sender: 'x', seq: 2 });
  t.deepEqual(dead, [
    { type: 'Numbered', recipient: 'weir://test/user/adapted', reason: 'mailbox full (1)', reasonClass: 'mailbox-full', message: { type: 'Numbered', sender: 'x', seq: 2 } },
  ]);
});

test('results piped to self into a full fail-sender mailbox become dead letters, not a crash', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  const ref = system.spawn(
    Behaviors.receive<string>((ctx, msg) => {
      probe.ref.tell(msg);
      if (msg === 'go') {
        // Both resolve after this turn; the first fills the one-message mailbox before the actor runs.
        ctx.pipeToSelf(Promise.resolve('first'), () => 'piped first');
        ctx.pipeToSelf(Promise.resolve('second'), () => 'piped second');
      }
      return Behaviors.same;
    }),
    'piper',
    { mailbox: { capacity: 1, overflow: 'fail-sender' } },
  );
  ref.tell('go');
  t.deepEqual(await probe.expectMessages(2), ['go', 'piped first']);
  await probe.expectNoMessage(10);
  t.is(system.deadLetterCount, 1);
});

test('timer ticks and scheduled messages that find a full fail-sender mailbox become dead letters, not a crash', async (t) => {
  const { system, scheduler, logs } = await createManualTestSystem(t);
  const probe = new TestProbe<string>(system);
  const ref = system.spawn(
    Behaviors.setup<string>((ctx) => {
      ctx.timers.startTimerAtFixedRate('tick', 'tick', 10);
      ctx.scheduleOnce(25, ctx.self, 'scheduled');
      return Behaviors.receiveMessage((msg) => {
        probe.ref.tell(msg);
        return Behaviors.same;
      });
    }),
    'ticking',
    { mailbox: { capacity: 1, overflow: 'fail-sender' } },
  );
  await settle();
  // 30 ms in one step: three ticks and the scheduled message fall due before the actor runs.
  t.notThrows(() => scheduler.advance(30));
  t.is(await probe.expectMessage(), 'tick');
  await settle();
  t.is(probe.receivedCount, 1);
  t.is(system.deadLetterCount, 3);
  t.is(system.deadLetterCounts['mailbox-full'], 3);
  t.deepEqual(
    logs.matching('dead letter:').map((record) => record.reason),
    // Ticks at 10 (kept), 20 and 30; the scheduled message at 25. The tick at 30 is the same line as
    // the one at 20, within a second: not logged again.
    ['mailbox full (1)', 'mailbox of weir://test/user/ticking is full (1); "string" refused'],
  );
  ref.tell('still alive');
  t.is(await probe.expectMessage(), 'still alive');
});
