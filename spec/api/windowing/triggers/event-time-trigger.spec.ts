import test from 'ava';
import { EventTimeTrigger } from '../../../../api/windowing/triggers/event-time-trigger.ts';
import { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';
import { TIME_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';
import { firings } from '../harness/windows.ts';

const harnessOf = () => new TriggerTestHarness(EventTimeTrigger.create(), TIME_WINDOW_CODEC);
const w = (start: number, end: number) => new TimeWindow(start, end);

test('each window gets one timer at its maxTimestamp and fires when the watermark reaches it', (t) => {
  const harness = harnessOf();
  for (let index = 0; index < 3; index++) t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.CONTINUE);
  for (let index = 0; index < 2; index++) t.is(harness.processElement('a', 2, w(2, 4)), TriggerResult.CONTINUE);
  t.deepEqual(harness.registeredTimers('event', w(0, 2)), [1]);
  t.deepEqual(harness.registeredTimers('event', w(2, 4)), [3]);
  t.deepEqual(harness.registeredTimers('processing'), []);
  t.is(harness.stateEntries(), 0, 'no trigger state');

  t.deepEqual(firings(harness.advanceWatermark(0)), []);
  t.deepEqual(firings(harness.advanceWatermark(2)), [[0, 2, 'FIRE']]);
  t.deepEqual(harness.registeredTimers('event'), [3]);
  t.deepEqual(firings(harness.advanceWatermark(4)), [[2, 4, 'FIRE']]);
  t.deepEqual(harness.registeredTimers('event'), []);
});

test('a record for a window the watermark already reached fires at once, without a timer', (t) => {
  const harness = harnessOf();
  harness.watermark = 1;
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.FIRE, 'maxTimestamp 1 <= watermark 1');
  harness.watermark = 5;
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.FIRE);
  t.deepEqual(harness.registeredTimers('event'), []);
  t.is(harness.processElement('a', 5, w(4, 8)), TriggerResult.CONTINUE, 'maxTimestamp 7 > watermark 5');
  t.deepEqual(harness.registeredTimers('event'), [7]);
});

test('only the timer at maxTimestamp fires: other event times (a cleanup timer) and processing time continue', (t) => {
  const trigger = EventTimeTrigger.create();
  t.is(trigger.onEventTime(11, w(0, 2)), TriggerResult.CONTINUE);
  t.is(trigger.onProcessingTime(), TriggerResult.CONTINUE);
});

test('clear deletes the window\'s timer', (t) => {
  const harness = harnessOf();
  harness.processElement('a', 0, w(0, 2));
  harness.processElement('a', 2, w(2, 4));
  harness.clearTriggerState(w(2, 4));
  t.deepEqual(harness.registeredTimers('event', w(2, 4)), []);
  harness.clearTriggerState(w(0, 2));
  t.deepEqual(harness.registeredTimers('event'), []);
});

test('merged windows get one timer at the merged window\'s maxTimestamp; the old ones are cleared', (t) => {
  const harness = harnessOf();
  t.true(harness.trigger.canMerge());
  harness.processElement('a', 0, w(0, 2));
  harness.processElement('a', 2, w(2, 4));
  harness.mergeWindows(w(0, 4), [w(0, 2), w(2, 4)]);
  t.deepEqual(harness.registeredTimers('event'), [3]);
  t.deepEqual(harness.registeredTimers('event', w(0, 4)), [3]);
  t.deepEqual(firings(harness.advanceWatermark(4)), [[0, 4, 'FIRE']]);
});

test('a merged window the watermark already passed gets no timer', (t) => {
  const harness = harnessOf();
  harness.processElement('a', 0, w(0, 2));
  harness.processElement('a', 2, w(2, 4));
  harness.watermark = 10;
  harness.mergeWindows(w(0, 4), [w(0, 2), w(2, 4)]);
  t.deepEqual(harness.registeredTimers('event'), []);
  t.is(String(harness.trigger), 'EventTimeTrigger()');
});
