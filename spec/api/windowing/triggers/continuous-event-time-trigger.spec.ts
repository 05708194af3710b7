import test from 'ava';
import { ContinuousEventTimeTrigger } from '../../../../api/windowing/triggers/continuous-event-time-trigger.ts';
import { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';
import { GLOBAL_WINDOW_CODEC, TIME_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';
import { firings, throwsWeir } from '../harness/windows.ts';

const w = (start: number, end: number) => new TimeWindow(start, end);
const harnessOf = (interval: number) => new TriggerTestHarness(ContinuousEventTimeTrigger.of<TimeWindow>(interval), TIME_WINDOW_CODEC);

test('fires at every interval boundary after the first record, and at the window\'s end', (t) => {
  const harness = harnessOf(5);
  t.is(harness.processElement('a', 2, w(0, 20)), TriggerResult.CONTINUE);
  t.is(harness.processElement('a', 7, w(0, 20)), TriggerResult.CONTINUE, 'a later record does not move the fire time');
  t.deepEqual(harness.registeredTimers('event'), [5, 19], 'the first fire ends the interval of the first record; the end timer too');
  t.is(harness.stateEntries(), 1, 'the fire time');
  t.deepEqual(firings(harness.advanceWatermark(4)), []);
  t.deepEqual(firings(harness.advanceWatermark(5)), [[0, 20, 'FIRE']]);
  t.deepEqual(harness.registeredTimers('event'), [10, 19]);
  t.deepEqual(firings(harness.advanceWatermark(19)), [
    [0, 20, 'FIRE'],
    [0, 20, 'FIRE'],
    [0, 20, 'FIRE'],
  ], 'at 10, 15 and at the end, 19: the fire after 15 is capped at maxTimestamp, one timer with the end timer');
  t.deepEqual(harness.registeredTimers('event'), []);
  t.is(harness.stateEntries(), 1, 'the fire time 19 stays until clear(), as in Flink');
});

test('the first fire time is aligned to the interval as Flink computes it, also for negative timestamps', (t) => {
  const harness = harnessOf(5);
  harness.processElement('a', -3, w(-10, 0));
  t.deepEqual(harness.registeredTimers('event'), [-1], 'min(-3 - (-3 % 5) + 5, maxTimestamp -1)');
  const other = harnessOf(5);
  other.processElement('a', -8, w(-10, 10));
  t.deepEqual(other.registeredTimers('event'), [0, 9], '-8 - (-8 % 5) = -5, plus the interval');
});

test('a record for a window the watermark passed fires at once and leaves no timer or state', (t) => {
  const harness = harnessOf(5);
  harness.watermark = 19;
  t.is(harness.processElement('a', 2, w(0, 20)), TriggerResult.FIRE);
  t.deepEqual(harness.registeredTimers('event'), []);
  t.is(harness.stateEntries(), 0);
});

test('clear deletes the pending interval timer and the fire time; the end timer stays, as in Flink', (t) => {
  const harness = harnessOf(5);
  harness.processElement('a', 2, w(0, 20));
  harness.clearTriggerState(w(0, 20));
  t.deepEqual(harness.registeredTimers('event'), [19]);
  t.is(harness.stateEntries(), 0);
});

test('merging keeps the earliest fire time for the merged window; the merged windows\' timers are left and continue', (t) => {
  const harness = harnessOf(5);
  t.true(harness.trigger.canMerge());
  harness.processElement('a', 2, w(2, 12));
  harness.processElement('a', 14, w(14, 24));
  t.deepEqual(harness.registeredTimers('event', w(2, 12)), [5, 11]);
  t.deepEqual(harness.registeredTimers('event', w(14, 24)), [15, 23]);
  harness.mergeWindows(w(2, 24), [w(2, 12), w(14, 24)]);
  t.deepEqual(harness.registeredTimers('event', w(2, 24)), [5]);
  // As in Flink: clear() of a merged window finds its fire time already merged away, so its timers stay.
  t.deepEqual(harness.registeredTimers('event', w(2, 12)), [5, 11]);
  t.deepEqual(harness.registeredTimers('event', w(14, 24)), [15, 23]);
  t.is(harness.stateEntries(), 1);
  t.is(harness.stateEntries(w(2, 24)), 1);
  t.deepEqual(firings(harness.advanceWatermark(5)), [
    [2, 12, 'CONTINUE'],
    [2, 24, 'FIRE'],
  ], 'a stale timer finds no fire time of its window and continues');
  t.deepEqual(harness.registeredTimers('event', w(2, 24)), [10]);
});

test('on the global window it fires every interval, and once at the end of input instead of endlessly', (t) => {
  const harness = new TriggerTestHarness(ContinuousEventTimeTrigger.of<GlobalWindow>(1000), GLOBAL_WINDOW_CODEC);
  harness.processElement('a', 1500, GlobalWindow.get());
  t.deepEqual(harness.registeredTimers('event'), [2000, Infinity]);
  t.deepEqual(harness.advanceWatermark(3500).map(([, result]) => result.name), ['FIRE', 'FIRE'], 'at 2000 and 3000');
  t.deepEqual(harness.registeredTimers('event'), [4000, Infinity]);
  t.deepEqual(harness.advanceWatermark(Infinity).map(([, result]) => result.name), ['FIRE', 'FIRE'], 'at 4000, then once at the end');
  t.deepEqual(harness.registeredTimers('event'), []);
});

test('an interval of 0 or less fails with INVALID_ARGUMENT', (t) => {
  throwsWeir(t, () => ContinuousEventTimeTrigger.of(0), 'INVALID_ARGUMENT', 'ContinuousEventTimeTrigger.of needs an interval above 0 ms; got 0');
  t.is(String(ContinuousEventTimeTrigger.of(5)), 'ContinuousEventTimeTrigger(5)');
});
