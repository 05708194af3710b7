import test from 'ava';
import { NO_TIMESTAMP } from '../../../../api/windowing/assigners/window-assigner.ts';
import { TimeEvictor } from '../../../../api/windowing/evictors/time-evictor.ts';
import type { TimestampedValue } from '../../../../api/windowing/evictors/timestamped-value.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { throwsWeir } from '../harness/windows.ts';

const ctx = { getCurrentProcessingTime: () => 0, getCurrentWatermark: () => 0 };
const window = new TimeWindow(0, 10_000);
const at = (...timestamps: number[]): TimestampedValue<string>[] => timestamps.map((timestamp) => ({ value: `r${timestamp}`, timestamp }));

test('keeps records newer than the largest timestamp minus the window size (strictly), whatever their order', (t) => {
  const evictor = TimeEvictor.of<TimeWindow>(3000);
  const elements = at(1000, 6000, 2999, 3000, 3001, 4000);
  evictor.evictBefore(elements, window, ctx);
  // max 6000, cutoff 3000: 3000 itself goes.
  t.deepEqual(elements, at(6000, 3001, 4000));
});

test('negative timestamps work the same', (t) => {
  const evictor = TimeEvictor.of<TimeWindow>(100);
  const elements = at(-500, -150, -100, -99);
  evictor.evictBefore(elements, window, ctx);
  t.deepEqual(elements, at(-150, -100, -99), 'max -99, cutoff -199');
});

test('records without timestamps are left alone: only the first record is checked, as in Flink', (t) => {
  const evictor = TimeEvictor.of<TimeWindow>(10);
  const untimed = at(NO_TIMESTAMP, 5000, 1);
  evictor.evictBefore(untimed, window, ctx);
  t.deepEqual(untimed, at(NO_TIMESTAMP, 5000, 1));
  const empty: TimestampedValue<string>[] = [];
  evictor.evictBefore(empty, window, ctx);
  t.deepEqual(empty, []);
});

test('with doEvictAfter it evicts after the window function', (t) => {
  const evictor = TimeEvictor.of<TimeWindow>(1000, true);
  const elements = at(0, 5000);
  evictor.evictBefore(elements, window, ctx);
  t.deepEqual(elements, at(0, 5000));
  evictor.evictAfter(elements, window, ctx);
  t.deepEqual(elements, at(5000));
});

test('a window size of 0 or less fails with INVALID_ARGUMENT', (t) => {
  throwsWeir(t, () => TimeEvictor.of(0), 'INVALID_ARGUMENT', 'TimeEvictor.of needs a window size above 0 ms; got 0');
  t.is(String(TimeEvictor.of(5)), 'TimeEvictor(5)');
});
