import test from 'ava';
import { CountEvictor } from '../../../../api/windowing/evictors/count-evictor.ts';
import type { TimestampedValue } from '../../../../api/windowing/evictors/timestamped-value.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { throwsWeir } from '../harness/windows.ts';

const ctx = { getCurrentProcessingTime: () => 0, getCurrentWatermark: () => 0 };
const window = GlobalWindow.get();
const records = (...values: number[]): TimestampedValue<number>[] => values.map((value) => ({ value, timestamp: value * 10 }));

test('keeps the last maxCount records, in order, before the window function by default', (t) => {
  const evictor = CountEvictor.of<GlobalWindow>(3);
  const elements = records(1, 2, 3, 4, 5);
  evictor.evictAfter(elements, window, ctx);
  t.is(elements.length, 5, 'nothing after the function');
  evictor.evictBefore(elements, window, ctx);
  t.deepEqual(elements, records(3, 4, 5));
});

test('a window with maxCount records or fewer keeps them all', (t) => {
  const evictor = CountEvictor.of<GlobalWindow>(3);
  const three = records(1, 2, 3);
  evictor.evictBefore(three, window, ctx);
  t.deepEqual(three, records(1, 2, 3));
  const none: TimestampedValue<number>[] = [];
  evictor.evictBefore(none, window, ctx);
  t.deepEqual(none, []);
});

test('with doEvictAfter it evicts after the window function instead', (t) => {
  const evictor = CountEvictor.of<GlobalWindow>(2, true);
  const elements = records(1, 2, 3);
  evictor.evictBefore(elements, window, ctx);
  t.deepEqual(elements, records(1, 2, 3));
  evictor.evictAfter(elements, window, ctx);
  t.deepEqual(elements, records(2, 3));
});

test('a count below 1 fails with INVALID_ARGUMENT', (t) => {
  throwsWeir(t, () => CountEvictor.of(0), 'INVALID_ARGUMENT', 'CountEvictor.of needs a count that is a whole number above 0; got 0');
  t.is(String(CountEvictor.of(4)), 'CountEvictor(4)');
});
