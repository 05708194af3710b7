import test from 'ava';
import { EventTimeSessionWindows } from '../../../api/windowing/assigners/event-time-session-windows.ts';
import { MergingWindowSet, type WindowMerger } from '../../../api/windowing/merging-window-set.ts';
import { TIME_WINDOW_CODEC } from '../../../api/windowing/windows/namespace-codecs.ts';
import { TimeWindow } from '../../../api/windowing/windows/time-window.ts';
import { throwsWeir } from './harness/windows.ts';

const w = (start: number, end: number) => new TimeWindow(start, end);
const span = (window: TimeWindow | undefined) => (window === undefined ? undefined : [window.start, window.end]);
const spanList = (windows: readonly TimeWindow[]) => windows.map((window) => [window.start, window.end]).sort((a, b) => a[0] - b[0]);

/** Records the merge addWindow reports (at most one per add in these cases, as Flink's test asserts). */
class MergeRecorder {
  merges: { result: number[]; merged: number[][]; stateWindow: number[]; mergedStateWindows: number[][] }[] = [];
  readonly fn = (result: TimeWindow, merged: readonly TimeWindow[], stateWindow: TimeWindow, mergedStateWindows: readonly TimeWindow[]) => {
    this.merges.push({ result: span(result)!, merged: spanList(merged), stateWindow: span(stateWindow)!, mergedStateWindows: spanList(mergedStateWindows) });
  };
  take() {
    const merges = this.merges;
    this.merges = [];
    return merges;
  }
}

const sessions = () => new MergingWindowSet(EventTimeSessionWindows.withGap(3));

test('incremental merging keeps the first state window while the session grows (Flink\'s testIncrementalMerging)', (t) => {
  const set = sessions();
  const recorder = new MergeRecorder();
  t.deepEqual(span(set.addWindow(w(0, 4), recorder.fn)), [0, 4]);
  t.deepEqual(recorder.take(), []);
  t.deepEqual(span(set.getStateWindow(w(0, 4))), [0, 4]);
  t.deepEqual(span(set.addWindow(w(0, 4), recorder.fn)), [0, 4], 'the same window again: no merge');
  t.deepEqual(recorder.take(), []);

  t.deepEqual(span(set.addWindow(w(3, 5), recorder.fn)), [0, 5]);
  t.deepEqual(recorder.take(), [{ result: [0, 5], merged: [[0, 4]], stateWindow: [0, 4], mergedStateWindows: [] }]);
  t.deepEqual(span(set.addWindow(w(4, 6), recorder.fn)), [0, 6]);
  t.deepEqual(recorder.take(), [{ result: [0, 6], merged: [[0, 5]], stateWindow: [0, 4], mergedStateWindows: [] }]);
  t.deepEqual(span(set.getStateWindow(w(0, 6))), [0, 4]);

  for (const inside of [w(1, 4), w(0, 4), w(3, 5), w(4, 6)]) {
    t.deepEqual(span(set.addWindow(inside, recorder.fn)), [0, 6], `${String(inside)} falls inside the session`);
  }
  t.deepEqual(recorder.take(), []);
  t.deepEqual(span(set.getStateWindow(w(0, 6))), [0, 4]);

  t.deepEqual(span(set.addWindow(w(11, 14), recorder.fn)), [11, 14]);
  t.deepEqual(recorder.take(), []);
  t.deepEqual(span(set.addWindow(w(10, 13), recorder.fn)), [10, 14]);
  t.deepEqual(recorder.take(), [{ result: [10, 14], merged: [[11, 14]], stateWindow: [11, 14], mergedStateWindows: [] }]);
  t.deepEqual(span(set.addWindow(w(12, 15), recorder.fn)), [10, 15]);
  t.deepEqual(recorder.take(), [{ result: [10, 15], merged: [[10, 14]], stateWindow: [11, 14], mergedStateWindows: [] }]);
  t.deepEqual(span(set.addWindow(w(11, 14), recorder.fn)), [10, 15]);
  t.deepEqual(recorder.take(), []);
  t.deepEqual(span(set.getStateWindow(w(0, 6))), [0, 4]);
  t.deepEqual(span(set.getStateWindow(w(10, 15))), [11, 14]);

  set.retireWindow(w(0, 6));
  t.is(set.getStateWindow(w(0, 6)), undefined);
  t.deepEqual(span(set.getStateWindow(w(10, 15))), [11, 14]);
  t.is(set.size, 1);
});

test('a window bridging two sessions merges them; one state window is kept, the other merged into it (Flink\'s testLateMerging)', (t) => {
  const set = sessions();
  const recorder = new MergeRecorder();
  set.addWindow(w(0, 3), recorder.fn);
  set.addWindow(w(5, 8), recorder.fn);
  set.addWindow(w(10, 13), recorder.fn);
  t.deepEqual(recorder.take(), []);

  t.deepEqual(span(set.addWindow(w(8, 10), recorder.fn)), [5, 13]);
  t.deepEqual(recorder.take(), [{ result: [5, 13], merged: [[5, 8], [10, 13]], stateWindow: [5, 8], mergedStateWindows: [[10, 13]] }]);
  t.deepEqual(span(set.getStateWindow(w(0, 3))), [0, 3]);
  for (const inside of [w(5, 8), w(8, 10), w(10, 13)]) t.deepEqual(span(set.addWindow(inside, recorder.fn)), [5, 13]);
  t.deepEqual(recorder.take(), []);

  t.deepEqual(span(set.addWindow(w(3, 5), recorder.fn)), [0, 13]);
  t.deepEqual(recorder.take(), [{ result: [0, 13], merged: [[0, 3], [5, 13]], stateWindow: [0, 3], mergedStateWindows: [[5, 8]] }]);
  t.deepEqual(span(set.getStateWindow(w(0, 13))), [0, 3]);
  t.is(set.size, 1);
});

test('a new window covering existing ones merges them all and keeps one of their state windows (Flink\'s large-window cases)', (t) => {
  const single = sessions();
  const recorder = new MergeRecorder();
  single.addWindow(w(1, 2), recorder.fn);
  t.deepEqual(span(single.addWindow(w(0, 3), recorder.fn)), [0, 3]);
  t.deepEqual(recorder.take(), [{ result: [0, 3], merged: [[1, 2]], stateWindow: [1, 2], mergedStateWindows: [] }]);
  t.deepEqual(span(single.getStateWindow(w(0, 3))), [1, 2]);

  const multiple = sessions();
  multiple.addWindow(w(1, 3), recorder.fn);
  multiple.addWindow(w(5, 8), recorder.fn);
  multiple.addWindow(w(10, 13), recorder.fn);
  t.deepEqual(span(multiple.addWindow(w(0, 13), recorder.fn)), [0, 13]);
  t.deepEqual(recorder.take(), [{ result: [0, 13], merged: [[1, 3], [5, 8], [10, 13]], stateWindow: [1, 3], mergedStateWindows: [[5, 8], [10, 13]] }]);
  t.deepEqual(span(multiple.getStateWindow(w(0, 13))), [1, 3]);
});

test('adding a window equal to a merged one keeps the merged state window (where Flink would orphan the contents)', (t) => {
  const set = new MergingWindowSet(EventTimeSessionWindows.withDynamicGap<number>((gap) => gap));
  const recorder = new MergeRecorder();
  set.addWindow(w(1, 4), recorder.fn);
  t.deepEqual(span(set.addWindow(w(0, 3), recorder.fn)), [0, 4]);
  t.deepEqual(span(set.getStateWindow(w(0, 4))), [1, 4]);
  recorder.take();
  t.deepEqual(span(set.addWindow(w(0, 4), recorder.fn)), [0, 4], 'a record at 0 with a gap of 4');
  t.deepEqual(recorder.take(), []);
  t.deepEqual(span(set.getStateWindow(w(0, 4))), [1, 4], 'still the window the contents are in');
});

test('an assigner that merges windows lazily still leaves every added window in flight (Flink\'s testNonEagerMerging)', (t) => {
  // Merges the earliest window with the windows starting inside it, into one 1 ms longer, whatever was added.
  const lazy: WindowMerger<TimeWindow> = {
    getNamespaceCodec: () => TIME_WINDOW_CODEC,
    mergeWindows(windows, callback) {
      const earliest = windows.reduce((a, b) => (b.start < a.start ? b : a));
      const associated = windows.filter((window) => window.start < earliest.end && window.start >= earliest.start);
      if (associated.length > 1) callback(associated, new TimeWindow(earliest.start, earliest.end + 1));
    },
  };
  const set = new MergingWindowSet(lazy);
  const recorder = new MergeRecorder();
  for (const window of [w(0, 2), w(2, 5), w(1, 2), w(10, 12)]) {
    const result = set.addWindow(window, recorder.fn);
    t.not(set.getStateWindow(result), undefined, `${String(window)} ended up in ${String(result)}`);
  }
});

test('persist gives the mapping as plain namespace pairs only when it changed; restore reads it back (Flink\'s persist cases)', (t) => {
  const set = sessions();
  t.is(set.persist(), null, 'a new, empty set has nothing to write');
  set.addWindow(w(1, 2), () => {});
  set.addWindow(w(17, 42), () => {});
  t.deepEqual(set.persist(), [
    ['1:2', '1:2'],
    ['17:42', '17:42'],
  ]);
  t.is(set.persist(), null, 'nothing changed since');
  set.addWindow(w(1, 2), () => {});
  t.is(set.persist(), null, 'adding a window already in flight changes nothing');

  const restored = MergingWindowSet.restore(EventTimeSessionWindows.withGap(3), [
    ['17:42', '42:17'],
    ['1:2', '3:4'],
  ]);
  t.deepEqual(span(restored.getStateWindow(w(17, 42))), [42, 17]);
  t.deepEqual(span(restored.getStateWindow(w(1, 2))), [3, 4]);
  t.is(restored.persist(), null, 'a restored set is written only after a change');
  t.deepEqual(restored.snapshot(), [
    ['17:42', '42:17'],
    ['1:2', '3:4'],
  ]);
  restored.retireWindow(w(1, 2));
  t.deepEqual(restored.persist(), [['17:42', '42:17']]);
});

test('retiring a window that is not in flight fails with INVALID_ARGUMENT naming it', (t) => {
  const set = sessions();
  set.addWindow(w(0, 3), () => {});
  throwsWeir(t, () => set.retireWindow(w(0, 4)), 'INVALID_ARGUMENT', 'window TimeWindow{start=0, end=4} is not in the in-flight window set');
});
