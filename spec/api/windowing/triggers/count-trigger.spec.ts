import test from 'ava';
import { CountTrigger } from '../../../../api/windowing/triggers/count-trigger.ts';
import { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';
import { GLOBAL_WINDOW_CODEC, TIME_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';
import { throwsWeir } from '../harness/windows.ts';

const w = (start: number, end: number) => new TimeWindow(start, end);

test('each window counts its own records and fires at the count, then counts again from zero', (t) => {
  const harness = new TriggerTestHarness(CountTrigger.of<TimeWindow>(3), TIME_WINDOW_CODEC);
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.CONTINUE);
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.CONTINUE);
  t.is(harness.processElement('a', 0, w(2, 4)), TriggerResult.CONTINUE);
  t.is(harness.processElement('a', 0, w(2, 4)), TriggerResult.CONTINUE);
  t.is(harness.stateEntries(), 2, 'one count per window');
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.FIRE);
  t.is(harness.stateEntries(w(0, 2)), 0, 'the count is cleared when it fires');
  t.is(harness.processElement('a', 0, w(2, 4)), TriggerResult.FIRE);
  t.is(harness.stateEntries(), 0);
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.CONTINUE);
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.CONTINUE);
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.FIRE);
  t.deepEqual(harness.registeredTimers('event'), []);
  t.deepEqual(harness.registeredTimers('processing'), []);
});

test('a count of one fires on every record, in the global window too', (t) => {
  const harness = new TriggerTestHarness(CountTrigger.of<GlobalWindow>(1), GLOBAL_WINDOW_CODEC);
  t.is(harness.processElement('a', 0, GlobalWindow.get()), TriggerResult.FIRE);
  t.is(harness.processElement('b', 0, GlobalWindow.get()), TriggerResult.FIRE);
});

test('time never fires a count trigger', (t) => {
  const harness = new TriggerTestHarness(CountTrigger.of<TimeWindow>(2), TIME_WINDOW_CODEC);
  harness.processElement('a', 0, w(0, 2));
  t.deepEqual(harness.advanceWatermark(100), []);
  t.is(CountTrigger.of(2).onEventTime(), TriggerResult.CONTINUE);
  t.is(CountTrigger.of(2).onProcessingTime(), TriggerResult.CONTINUE);
});

test('clear drops the count', (t) => {
  const harness = new TriggerTestHarness(CountTrigger.of<TimeWindow>(3), TIME_WINDOW_CODEC);
  harness.processElement('a', 0, w(0, 2));
  harness.processElement('a', 0, w(2, 4));
  harness.clearTriggerState(w(0, 2));
  t.is(harness.stateEntries(), 1);
  harness.clearTriggerState(w(2, 4));
  t.is(harness.stateEntries(), 0);
});

test('merged windows add their counts; the merged count fires with the next record, not on the merge', (t) => {
  const harness = new TriggerTestHarness(CountTrigger.of<TimeWindow>(3), TIME_WINDOW_CODEC);
  t.true(harness.trigger.canMerge());
  harness.processElement('a', 0, w(0, 2));
  harness.processElement('a', 0, w(0, 2));
  harness.processElement('a', 0, w(2, 4));
  harness.mergeWindows(w(0, 4), [w(0, 2), w(2, 4)]);
  t.is(harness.stateEntries(), 1);
  t.is(harness.stateEntries(w(0, 4)), 1);
  t.is(harness.processElement('a', 0, w(0, 4)), TriggerResult.FIRE, '3 merged + 1');
  t.is(harness.stateEntries(), 0);
});

test('a count below 1 or fractional fails with INVALID_ARGUMENT', (t) => {
  throwsWeir(t, () => CountTrigger.of(0), 'INVALID_ARGUMENT', 'CountTrigger.of needs a count that is a whole number above 0; got 0');
  throwsWeir(t, () => CountTrigger.of(2.5), 'INVALID_ARGUMENT', 'CountTrigger.of needs a count that is a whole number above 0; got 2.5');
  t.is(String(CountTrigger.of(7)), 'CountTrigger(7)');
});
