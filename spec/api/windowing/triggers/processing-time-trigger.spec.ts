import test from 'ava';
import { ProcessingTimeTrigger } from '../../../../api/windowing/triggers/processing-time-trigger.ts';
import { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';
import { TIME_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';
import { firings } from '../harness/windows.ts';

const harnessOf = () => new TriggerTestHarness(ProcessingTimeTrigger.create(), TIME_WINDOW_CODEC);
const w = (start: number, end: number) => new TimeWindow(start, end);

test('each window gets a processing-time timer at its maxTimestamp and fires when the clock reaches it', (t) => {
  const harness = harnessOf();
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.CONTINUE);
  t.is(harness.processElement('a', 0, w(0, 2)), TriggerResult.CONTINUE);
  t.is(harness.processElement('a', 0, w(2, 4)), TriggerResult.CONTINUE);
  t.deepEqual(harness.registeredTimers('processing', w(0, 2)), [1]);
  t.deepEqual(harness.registeredTimers('processing', w(2, 4)), [3]);
  t.deepEqual(harness.registeredTimers('event'), []);
  t.is(harness.stateEntries(), 0);
  t.deepEqual(firings(harness.advanceProcessingTime(2)), [[0, 2, 'FIRE']]);
  t.deepEqual(firings(harness.advanceProcessingTime(4)), [[2, 4, 'FIRE']]);
  t.deepEqual(firings(harness.advanceWatermark(100)), [], 'the watermark means nothing to it');
});

test('clear deletes the timer', (t) => {
  const harness = harnessOf();
  harness.processElement('a', 0, w(0, 2));
  harness.clearTriggerState(w(0, 2));
  t.deepEqual(harness.registeredTimers('processing'), []);
});

test('merged windows get one timer at the merged end, unless the clock already passed it', (t) => {
  const harness = harnessOf();
  t.true(harness.trigger.canMerge());
  harness.processElement('a', 0, w(0, 2));
  harness.processElement('a', 0, w(2, 4));
  harness.mergeWindows(w(0, 4), [w(0, 2), w(2, 4)]);
  t.deepEqual(harness.registeredTimers('processing'), [3]);
  t.deepEqual(firings(harness.advanceProcessingTime(3)), [[0, 4, 'FIRE']]);

  const late = harnessOf();
  late.processElement('a', 0, w(0, 2));
  late.processElement('a', 0, w(2, 4));
  late.processingTime = 3;
  late.mergeWindows(w(0, 4), [w(0, 2), w(2, 4)]);
  t.deepEqual(late.registeredTimers('processing'), []);
  t.is(String(late.trigger), 'ProcessingTimeTrigger()');
});
