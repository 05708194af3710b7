import test from 'ava';
import { ManualProcessingTimeService } from '../../../../api/runtime/time/manual-processing-time-service.ts';

test('advance(to) runs the callbacks due by then in timestamp order, ties in registration order', (t) => {
  const service = new ManualProcessingTimeService(100);
  const ran: string[] = [];
  service.registerTimer(300, (at) => ran.push(`c@${at} now=${service.getCurrentProcessingTime()}`));
  service.registerTimer(200, (at) => ran.push(`a@${at} now=${service.getCurrentProcessingTime()}`));
  service.registerTimer(200, (at) => ran.push(`b@${at} now=${service.getCurrentProcessingTime()}`));
  service.registerTimer(301, () => ran.push('too late'));
  t.is(service.advance(300), 3);
  t.deepEqual(ran, ['a@200 now=200', 'b@200 now=200', 'c@300 now=300']);
  t.is(service.getCurrentProcessingTime(), 300);
  t.is(service.pendingCount, 1);
  t.is(service.nextTimerAt, 301);
});

test('a callback registered by a running one runs in the same advance when due; one for the past runs at once', (t) => {
  const service = new ManualProcessingTimeService();
  const ran: string[] = [];
  service.registerTimer(10, () => {
    ran.push('first');
    service.registerTimer(5, (at) => ran.push(`past ${at} at ${service.getCurrentProcessingTime()}`));
    service.registerTimer(40, (at) => ran.push(`later ${at}`));
    service.registerTimer(60, () => ran.push('not yet'));
  });
  service.advance(50);
  t.deepEqual(ran, ['first', 'past 5 at 10', 'later 40']);
  t.is(service.getCurrentProcessingTime(), 50);
});

test('a cancelled callback never runs; shutdown drops all and ignores later registrations', (t) => {
  const service = new ManualProcessingTimeService();
  const ran: number[] = [];
  service.registerTimer(10, (at) => ran.push(at)).cancel();
  service.registerTimer(20, (at) => ran.push(at));
  service.advance(15);
  service.shutdown();
  service.registerTimer(30, (at) => ran.push(at));
  service.advance(100);
  t.deepEqual(ran, []);
  t.is(service.pendingCount, 0);
});

test('the clock does not go back, and advance may not be called from a callback', (t) => {
  const service = new ManualProcessingTimeService(50);
  t.throws(() => service.advance(49), { instanceOf: RangeError, message: 'advance(49): the clock is at 50 and does not go back' });
  service.registerTimer(60, () => service.advance(70));
  t.throws(() => service.advance(60), { message: 'ManualProcessingTimeService.advance called from inside a timer callback' });
});
