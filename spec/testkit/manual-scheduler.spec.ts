import test from 'ava';
import { MAX_TASKS_PER_ADVANCE, ManualScheduler } from './index.ts';

test('the manual clock moves only with advance', (t) => {
  const scheduler = new ManualScheduler(1_000);
  t.is(scheduler.now(), 1_000);
  t.is(scheduler.now(), 1_000);
  scheduler.advance(250);
  t.is(scheduler.now(), 1_250);
});

test('advance runs due tasks in time order, ties in scheduling order, each at its due time', (t) => {
  const scheduler = new ManualScheduler();
  const ran: string[] = [];
  scheduler.schedule(30, () => ran.push(`c@${scheduler.now()}`));
  scheduler.schedule(10, () => ran.push(`a@${scheduler.now()}`));
  scheduler.schedule(10, () => ran.push(`b@${scheduler.now()}`));
  scheduler.schedule(31, () => ran.push('late'));
  t.is(scheduler.advance(30), 3);
  t.deepEqual(ran, ['a@10', 'b@10', 'c@30']);
  t.is(scheduler.pendingCount, 1);
  t.is(scheduler.nextDueAt, 31);
});

test('advance runs tasks that running tasks schedule when they fall due within it', (t) => {
  const scheduler = new ManualScheduler();
  const ran: number[] = [];
  const tick = (): void => {
    ran.push(scheduler.now());
    scheduler.schedule(10, tick);
  };
  scheduler.schedule(10, tick);
  scheduler.advance(35);
  t.deepEqual(ran, [10, 20, 30]);
  t.is(scheduler.now(), 35);
  t.is(scheduler.nextDueAt, 40);
});

test('a cancelled task never runs', (t) => {
  const scheduler = new ManualScheduler();
  let ran = false;
  scheduler.schedule(5, () => (ran = true)).cancel();
  t.is(scheduler.pendingCount, 0);
  scheduler.advance(100);
  t.false(ran);
});

test('advance fails loudly when a task keeps rescheduling itself at 0 ms', (t) => {
  const scheduler = new ManualScheduler();
  const spin = (): void => void scheduler.schedule(0, spin);
  scheduler.schedule(0, spin);
  const error = t.throws(() => scheduler.advance(1));
  t.true(error.message.includes(`ran ${MAX_TASKS_PER_ADVANCE} tasks`));
});
