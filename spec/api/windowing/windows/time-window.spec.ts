import test from 'ava';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';

const w = (start: number, end: number) => new TimeWindow(start, end);

/** The merges mergeWindows reports, as [[merged...], cover] in start:end notation. */
function mergesOf(windows: TimeWindow[]): [string[], string][] {
  const merges: [string[], string][] = [];
  TimeWindow.mergeWindows(windows, (toBeMerged, result) => merges.push([toBeMerged.map(String), String(result)]));
  return merges;
}

test('a time window ends before its end: maxTimestamp is end - 1', (t) => {
  t.is(w(0, 1000).maxTimestamp(), 999);
  t.is(w(-1000, 0).maxTimestamp(), -1);
});

test('time windows are equal by start and end, never to a global window', (t) => {
  t.true(w(0, 10).equals(w(0, 10)));
  t.false(w(0, 10).equals(w(0, 11)));
  t.false(w(0, 10).equals(w(1, 10)));
  t.false(w(0, 10).equals(GlobalWindow.get()));
  t.is(String(w(-5, 5)), 'TimeWindow{start=-5, end=5}');
});

test('windows intersect when they overlap or touch, and cover spans both', (t) => {
  t.true(w(0, 10).intersects(w(5, 15)));
  t.true(w(0, 10).intersects(w(10, 20)), 'touching windows intersect (sessions merge across the boundary)');
  t.true(w(10, 20).intersects(w(0, 10)));
  t.true(w(0, 10).intersects(w(2, 3)));
  t.false(w(0, 10).intersects(w(11, 20)));
  t.false(w(11, 20).intersects(w(0, 10)));
  t.deepEqual(w(5, 15).cover(w(0, 10)), w(0, 15));
  t.deepEqual(w(0, 10).cover(w(2, 3)), w(0, 10));
});

test('getWindowStartWithOffset aligns a timestamp to its window, also before the epoch and with offsets', (t) => {
  const start = TimeWindow.getWindowStartWithOffset;
  t.is(start(0, 0, 1000), 0);
  t.is(start(999, 0, 1000), 0);
  t.is(start(1000, 0, 1000), 1000);
  t.is(start(-1, 0, 1000), -1000);
  t.is(start(-1000, 0, 1000), -1000);
  t.is(start(-1001, 0, 1000), -2000);
  t.is(start(-2500, 0, 1000), -3000, 'far below zero too (the old Flink formula broke here)');
  t.is(start(1200, 100, 1000), 1100);
  t.is(start(50, 100, 1000), -900);
  t.is(start(1200, -100, 1000), 900);
  t.is(start(-950, -100, 1000), -1100);
  // A day in UTC+8 starts at 16:00 UTC the day before: offset -8 h.
  const hour = 3_600_000;
  t.is(start(Date.UTC(2024, 0, 2, 3), -8 * hour, 24 * hour), Date.UTC(2024, 0, 1, 16));
});

test('mergeWindows merges each run of intersecting windows into its cover, in start order', (t) => {
  t.deepEqual(mergesOf([w(0, 2), w(10, 12), w(1, 3), w(3, 5), w(20, 21), w(11, 13)]), [
    [['TimeWindow{start=0, end=2}', 'TimeWindow{start=1, end=3}', 'TimeWindow{start=3, end=5}'], 'TimeWindow{start=0, end=5}'],
    [['TimeWindow{start=10, end=12}', 'TimeWindow{start=11, end=13}'], 'TimeWindow{start=10, end=13}'],
  ]);
});

test('mergeWindows reports nothing for disjoint windows, a single window, or duplicates of one window', (t) => {
  t.deepEqual(mergesOf([w(0, 2), w(3, 5)]), []);
  t.deepEqual(mergesOf([w(0, 2)]), []);
  t.deepEqual(mergesOf([]), []);
  t.deepEqual(mergesOf([w(0, 4), w(0, 4)]), [], 'Flink collects a merge into a set: equal windows count once');
});

test('mergeWindows covers a window inside another with the outer one, and leaves the input array as it was', (t) => {
  const input = [w(5, 6), w(0, 10)];
  t.deepEqual(mergesOf(input), [[['TimeWindow{start=0, end=10}', 'TimeWindow{start=5, end=6}'], 'TimeWindow{start=0, end=10}']]);
  t.deepEqual(input, [w(5, 6), w(0, 10)]);
});
