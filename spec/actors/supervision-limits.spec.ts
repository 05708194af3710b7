import test from 'ava';
import { restart, restartWithBackoff } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';
import { TestProbe, createManualTestSystem, settle, supervised } from '../testkit/index.ts';

// Restart limits and backoff are about time: these specs step a ManualScheduler instead of waiting.

test('a restart limit stops the actor with RESTART_LIMIT_EXCEEDED, which its watchers see', async (t) => {
  const { system } = await createManualTestSystem(t);
  const events = new TestProbe<string>(system);
  const watcher = new TestProbe<never>(system);
  const ref = system.spawn(supervised(events.ref, restart({ maxRestarts: 2, withinMs: 1_000 })), 'limited');
  watcher.watch(ref);
  for (let i = 1; i <= 3; i++) ref.tell({ type: 'Crash', reason: `boom ${i}` });
  const { error } = await watcher.expectTerminated();
  t.true(error instanceof WeirError);
  t.is((error as WeirError).code, 'RESTART_LIMIT_EXCEEDED');
  t.is((error as WeirError).message, 'weir://test/user/limited failed more than 2 restarts within 1000 ms: boom 3');
  t.is(((error as WeirError).cause as Error).message, 'boom 3');
  t.deepEqual(await events.expectMessages(6), ['started', 'PreRestart', 'started', 'PreRestart', 'started', 'PostStop']);
});

test('failures older than withinMs do not count toward the restart limit', async (t) => {
  const { system, scheduler } = await createManualTestSystem(t);
  const events = new TestProbe<string>(system);
  const replies = new TestProbe<number>(system);
  const ref = system.spawn(supervised(events.ref, restart({ maxRestarts: 2, withinMs: 1_000 })), 'windowed');
  ref.tell({ type: 'Crash', reason: 'one' });
  ref.tell({ type: 'Crash', reason: 'two' });
  await settle();
  scheduler.advance(1_000);
  ref.tell({ type: 'Crash', reason: 'three' });
  ref.tell({ type: 'Crash', reason: 'four' });
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Get', replyTo: replies.ref });
  t.is(await replies.expectMessage(), 1, 'still alive after four restarts spread over two windows');
});

test('restartWithBackoff processes nothing before minMs and resumes with a fresh behavior after it', async (t) => {
  const { system, scheduler } = await createManualTestSystem(t);
  const events = new TestProbe<string>(system);
  const replies = new TestProbe<number>(system);
  const ref = system.spawn(supervised(events.ref, restartWithBackoff({ minMs: 100, maxMs: 1_000 })), 'backoff');
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Crash', reason: 'boom' });
  ref.tell({ type: 'Get', replyTo: replies.ref });
  t.deepEqual(await events.expectMessages(2), ['started', 'PreRestart']);
  scheduler.advance(99);
  await settle();
  t.is(replies.receivedCount, 0);
  t.is(events.receivedCount, 2);
  scheduler.advance(1);
  t.is(await replies.expectMessage(), 0);
  t.is(await events.expectMessage(), 'started');
});

test('restartWithBackoff doubles the delay after each failure, up to maxMs', async (t) => {
  const { system, scheduler, logs } = await createManualTestSystem(t);
  const events = new TestProbe<string>(system);
  const replies = new TestProbe<number>(system);
  const ref = system.spawn(supervised(events.ref, restartWithBackoff({ minMs: 100, maxMs: 300 })), 'growing');
  await events.expectMessage();
  const delays: number[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    ref.tell({ type: 'Crash', reason: `boom ${attempt}` });
    ref.tell({ type: 'Get', replyTo: replies.ref });
    t.is(await events.expectMessage(), 'PreRestart');
    const startedAt = scheduler.now();
    while (replies.receivedCount === attempt) {
      const next = scheduler.nextDueAt;
      if (next === undefined) return t.fail(`no restart is scheduled after failure ${attempt}`);
      scheduler.advance(next - scheduler.now());
      await settle();
    }
    delays.push(scheduler.now() - startedAt);
    t.is(await events.expectMessage(), 'started');
  }
  t.deepEqual(delays, [100, 200, 300, 300]);
  t.deepEqual(
    logs.matching('restarting in').map((record) => record.msg),
    ['restarting in 100 ms', 'restarting in 200 ms', 'restarting in 300 ms', 'restarting in 300 ms'],
  );
});
