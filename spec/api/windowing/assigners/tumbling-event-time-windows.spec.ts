import test from 'ava';
import { NO_TIMESTAMP } from '../../../../api/windowing/assigners/window-assigner.ts';
import { TumblingEventTimeWindows } from '../../../../api/windowing/assigners/tumbling-event-time-windows.ts';
import { EventTimeTrigger } from '../../../../api/windowing/triggers/event-time-trigger.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { clockAt, spans, throwsWeir } from '../harness/windows.ts';

const clock = clockAt(0);

test('a record goes into the one window of its timestamp, end exclusive', (t) => {
  const assigner = TumblingEventTimeWindows.of(5000);
  t.deepEqual(spans(assigner.assignWindows('a', 0, clock)), [[0, 5000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 4999, clock)), [[0, 5000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 5000, clock)), [[5000, 10000]]);
});

test('timestamps before the epoch go into the window below them', (t) => {
  const assigner = TumblingEventTimeWindows.of(5000);
  t.deepEqual(spans(assigner.assignWindows('a', -1, clock)), [[-5000, 0]]);
  t.deepEqual(spans(assigner.assignWindows('a', -5000, clock)), [[-5000, 0]]);
  t.deepEqual(spans(assigner.assignWindows('a', -5001, clock)), [[-10000, -5000]]);
});

test('an offset shifts every window start, in both directions', (t) => {
  const plus = TumblingEventTimeWindows.of(5000, 100);
  t.deepEqual(spans(plus.assignWindows('a', 100, clock)), [[100, 5100]]);
  t.deepEqual(spans(plus.assignWindows('a', 99, clock)), [[-4900, 100]]);
  t.deepEqual(spans(plus.assignWindows('a', 5099, clock)), [[100, 5100]]);
  const minus = TumblingEventTimeWindows.of(5000, -100);
  t.deepEqual(spans(minus.assignWindows('a', 4899, clock)), [[-100, 4900]]);
  t.deepEqual(spans(minus.assignWindows('a', 4900, clock)), [[4900, 9900]]);
});

test('an offset of -8 h makes daily windows start at midnight in UTC+8', (t) => {
  const hour = 3_600_000;
  const assigner = TumblingEventTimeWindows.of(24 * hour, -8 * hour);
  const [window] = assigner.assignWindows('a', Date.UTC(2024, 5, 1, 20), clock);
  t.deepEqual(spans([window]), [[Date.UTC(2024, 5, 1, 16), Date.UTC(2024, 5, 2, 16)]]);
});

test('a record in the same window as the last one gets the same window object; out-of-order records still get their own', (t) => {
  const assigner = TumblingEventTimeWindows.of(1000);
  const first = assigner.assignWindows('a', 100, clock)[0];
  t.is(assigner.assignWindows('a', 900, clock)[0], first);
  t.deepEqual(spans(assigner.assignWindows('a', 1100, clock)), [[1000, 2000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 999, clock)), [[0, 1000]], 'an earlier record after a later one');
  t.deepEqual(spans(assigner.assignWindows('a', -1, clock)), [[-1000, 0]]);
});

test('it is an event-time assigner whose default trigger is EventTimeTrigger and namespace the window start', (t) => {
  const assigner = TumblingEventTimeWindows.of(1000);
  t.true(assigner.isEventTime());
  t.is(assigner.getDefaultTrigger(), EventTimeTrigger.create());
  t.is(assigner.getNamespaceCodec().toNamespace(new TimeWindow(3000, 4000)), 3000);
  t.deepEqual(assigner.getNamespaceCodec().fromNamespace(3000), new TimeWindow(3000, 4000));
  t.is(String(assigner), 'TumblingEventTimeWindows(1000)');
  t.is(String(TumblingEventTimeWindows.of(1000, -10)), 'TumblingEventTimeWindows(1000, offset -10)');
});

test('a record without a timestamp fails with MISSING_TIMESTAMP telling the user to assign timestamps', (t) => {
  const assigner = TumblingEventTimeWindows.of(1000);
  const advice =
    'event-time windows need records with timestamps. Assign them with assignTimestampsAndWatermarks(WatermarkStrategy) ' +
    'before the window (or read a source that sets them), or use a processing-time window.';
  throwsWeir(t, () => assigner.assignWindows('a', NO_TIMESTAMP, clock), 'MISSING_TIMESTAMP', `TumblingEventTimeWindows(1000) got a record without a timestamp: ${advice}`);
  throwsWeir(t, () => assigner.assignWindows('a', undefined as unknown as number, clock), 'MISSING_TIMESTAMP', `TumblingEventTimeWindows(1000) got a record without a timestamp: ${advice}`);
  throwsWeir(t, () => assigner.assignWindows('a', Number.NaN, clock), 'MISSING_TIMESTAMP', `TumblingEventTimeWindows(1000) got a record with timestamp NaN: ${advice}`);
  throwsWeir(t, () => assigner.assignWindows('a', Infinity, clock), 'MISSING_TIMESTAMP', `TumblingEventTimeWindows(1000) got a record with timestamp Infinity: ${advice}`);
});

test('a size of 0 or less, a fractional one, or |offset| >= size fails with INVALID_ARGUMENT naming the assigner', (t) => {
  throwsWeir(t, () => TumblingEventTimeWindows.of(0), 'INVALID_ARGUMENT', 'TumblingEventTimeWindows.of needs a size above 0 ms; got 0');
  throwsWeir(t, () => TumblingEventTimeWindows.of(-1000), 'INVALID_ARGUMENT', 'TumblingEventTimeWindows.of needs a size above 0 ms; got -1000');
  throwsWeir(t, () => TumblingEventTimeWindows.of(1.5), 'INVALID_ARGUMENT', 'TumblingEventTimeWindows.of needs a whole number of ms as its size; got 1.5');
  throwsWeir(t, () => TumblingEventTimeWindows.of(Number.NaN), 'INVALID_ARGUMENT', 'TumblingEventTimeWindows.of needs a whole number of ms as its size; got NaN');
  throwsWeir(t, () => TumblingEventTimeWindows.of('5s' as unknown as number), 'INVALID_ARGUMENT', 'TumblingEventTimeWindows.of needs a whole number of ms as its size; got "5s"');
  throwsWeir(t, () => TumblingEventTimeWindows.of(1000, 1000), 'INVALID_ARGUMENT', 'TumblingEventTimeWindows.of needs |offset| < size (1000 ms); got offset 1000');
  throwsWeir(t, () => TumblingEventTimeWindows.of(1000, -1000), 'INVALID_ARGUMENT', 'TumblingEventTimeWindows.of needs |offset| < size (1000 ms); got offset -1000');
  t.notThrows(() => TumblingEventTimeWindows.of(1000, -999));
});
