import test from 'ava';
import { MAX_SCHEDULE_DELAY_MS, ScheduledProcessingTimeService } from '../../../../api/runtime/time/scheduled-processing-time-service.ts';
import { ManualScheduler } from '../../../testkit/manual-scheduler.ts';

/** A service over a manual scheduler whose mail waits in a queue until the spec runs it. */
function service(startAt = 1000) {
  const scheduler = new ManualScheduler(startAt);
  const mail: (() => void)[] = [];
  const runMail = (): number => {
    const count = mail.length;
    for (const task of mail.splice(0)) task();
    return count;
  };
  return { scheduler, mail, runMail, service: new ScheduledProcessingTimeService(scheduler, (task) => mail.push(task)) };
}

test('a due timer becomes mail, and its callback runs only when the task runs that mail', (t) => {
  const { scheduler, mail, runMail, service: timers } = service();
  const ran: string[] = [];
  timers.registerTimer(1100, (at) => ran.push(`${at} at ${timers.getCurrentProcessingTime()}`));
  scheduler.advance(99);
  t.is(mail.length, 0);
  scheduler.advance(1);
  t.is(mail.length, 1);
  t.deepEqual(ran, [], 'not on the scheduler stack');
  scheduler.advance(5);
  t.is(runMail(), 1);
  t.deepEqual(ran, ['1100 at 1105'], 'the callback gets its timestamp; the clock may have moved on');
  t.is(timers.pendingCount, 0);
});

test('a timer for a time already past is mail at once', (t) => {
  const { scheduler, runMail, service: timers } = service();
  const ran: number[] = [];
  timers.registerTimer(500, (at) => ran.push(at));
  scheduler.advance(0);
  runMail();
  t.deepEqual(ran, [500]);
});

test('a timer cancelled after it became mail does not run; nor does any after shutdown', (t) => {
  const { scheduler, runMail, service: timers } = service();
  const ran: number[] = [];
  const cancelled = timers.registerTimer(1010, (at) => ran.push(at));
  timers.registerTimer(1020, (at) => ran.push(at));
  timers.registerTimer(5000, (at) => ran.push(at));
  scheduler.advance(20);
  cancelled.cancel();
  t.is(runMail(), 2);
  t.deepEqual(ran, [1020]);
  scheduler.advance(4000);
  timers.shutdown();
  t.is(runMail(), 1, 'the mail of the timer at 5000 was queued before shutdown');
  t.deepEqual(ran, [1020], 'but it does not run after it');
  timers.registerTimer(6000, (at) => ran.push(at));
  scheduler.advance(2000);
  t.is(runMail(), 0);
  t.is(timers.pendingCount, 0);
  t.is(scheduler.pendingCount, 0);
});

test('a scheduler that fires early is asked again for the rest; a timer at Infinity is never scheduled', (t) => {
  const mail: (() => void)[] = [];
  let now = 0;
  const scheduled: number[] = [];
  let pendingTask: (() => void) | undefined;
  const early = {
    now: () => now,
    schedule: (delayMs: number, task: () => void) => {
      scheduled.push(delayMs);
      pendingTask = task;
      return { cancel: () => {} };
    },
  };
  const timers = new ScheduledProcessingTimeService(early, (task) => mail.push(task));
  timers.registerTimer(Number.POSITIVE_INFINITY, () => t.fail());
  t.deepEqual(scheduled, []);
  timers.registerTimer(100, () => {});
  now = 99;
  pendingTask?.();
  t.deepEqual(scheduled, [100, 1]);
  t.is(mail.length, 0);
  now = 100;
  pendingTask?.();
  t.is(mail.length, 1);
  timers.registerTimer(now + 2 * MAX_SCHEDULE_DELAY_MS, () => {});
  t.is(scheduled.at(-1), MAX_SCHEDULE_DELAY_MS, "no delay beyond setTimeout's limit");
});
