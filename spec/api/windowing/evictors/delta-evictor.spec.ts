import test from 'ava';
import { DeltaEvictor } from '../../../../api/windowing/evictors/delta-evictor.ts';
import type { TimestampedValue } from '../../../../api/windowing/evictors/timestamped-value.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { throwsWeir } from '../harness/windows.ts';

const ctx = { getCurrentProcessingTime: () => 0, getCurrentWatermark: () => 0 };
const window = GlobalWindow.get();
const records = (...values: number[]): TimestampedValue<number>[] => values.map((value, index) => ({ value, timestamp: index }));

test('evicts the records at least the threshold away from the last record', (t) => {
  const evictor = DeltaEvictor.of<number, GlobalWindow>(5, (record, last) => Math.abs(last - record));
  const elements = records(1, 20, 16, 15, 24, 20);
  evictor.evictBefore(elements, window, ctx);
  // last 20: |20-1| = 19 goes, 0 stays, 4 stays, 5 goes (>= threshold), 4 stays, 0 stays.
  t.deepEqual(elements.map((element) => element.value), [20, 16, 24, 20]);
  t.deepEqual(elements.map((element) => element.timestamp), [1, 2, 4, 5], 'the records keep their timestamps and order');
});

test('the delta function may be an object with getDelta; an empty window is left alone', (t) => {
  const evictor = DeltaEvictor.of<number, GlobalWindow>(2, { getDelta: (record, last) => last - record });
  const elements = records(1, 2, 3);
  evictor.evictBefore(elements, window, ctx);
  t.deepEqual(elements.map((element) => element.value), [2, 3]);
  const empty: TimestampedValue<number>[] = [];
  evictor.evictBefore(empty, window, ctx);
  t.deepEqual(empty, []);
});

test('with doEvictAfter it evicts after the window function', (t) => {
  const evictor = DeltaEvictor.of<number, GlobalWindow>(1, (record, last) => last - record, true);
  const elements = records(1, 5);
  evictor.evictBefore(elements, window, ctx);
  t.is(elements.length, 2);
  evictor.evictAfter(elements, window, ctx);
  t.deepEqual(elements.map((element) => element.value), [5]);
  t.is(String(evictor), 'DeltaEvictor(1)');
});

test('a threshold or a delta function of the wrong kind fails at planning', (t) => {
  throwsWeir(t, () => DeltaEvictor.of(Number.NaN, () => 0), 'INVALID_ARGUMENT', 'DeltaEvictor.of needs a numeric threshold; got NaN');
  throwsWeir(t, () => DeltaEvictor.of(1, {} as never), 'INVALID_FUNCTION', 'DeltaEvictor.of needs a delta function (old, new) => number or an object with getDelta(); got [object Object]');
});
