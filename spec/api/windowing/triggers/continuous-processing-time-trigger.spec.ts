import test from 'ava';
import { ContinuousProcessingTimeTrigger } from '../../../../api/windowing/triggers/continuous-processing-time-trigger.ts';
import { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';
import { GLOBAL_WINDOW_CODEC, TIME_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';
import { firings, throwsWeir } from '../harness/windows.ts';

const w = (start: number, end: number) => new TimeWindow(start, end);
const harnessOf = (interval: number) => new TriggerTestHarness(ContinuousProcessingTimeTrigger.of<TimeWindow>(interval), TIME_WINDOW_CODEC);

test('fires every interval of processing time from the first record, the last time at the window\'s end', (t) => {
  const harness = harnessOf(5);
  harness.processingTime = 2;
  t.is(harness.processElement('a', 1000, w(0, 20)), TriggerResult.CONTINUE, 'the record\'s own timestamp does not matter');
  harness.processingTime = 8;
  t.is(harness.processElement('a', 1000, w(0, 20)), TriggerResult.CONTINUE);
  t.deepEqual(harness.registeredTimers('processing'), [5], 'no end-of-window timer: the window\'s cleanup fires at its end');
  t.deepEqual(harness.registeredTimers('event'), []);
  t.deepEqual(firings(harness.advanceProcessingTime(5)), [[0, 20, 'FIRE']]);
  t.deepEqual(firings(harness.advanceProcessingTime(19)), [
    [0, 20, 'FIRE'],
    [0, 20, 'FIRE'],
    [0, 20, 'FIRE'],
  ], 'at 10, 15 and at maxTimestamp 19');
  t.deepEqual(harness.registeredTimers('processing'), [], 'the fire at the end schedules nothing more');
  t.is(harness.stateEntries(), 1, 'its fire time stays until clear()');
  t.deepEqual(firings(harness.advanceWatermark(100)), []);
});

test('clear deletes the pending timer and the fire time', (t) => {
  const harness = harnessOf(5);
  harness.processElement('a', 0, w(0, 20));
  harness.clearTriggerState(w(0, 20));
  t.deepEqual(harness.registeredTimers('processing'), []);
  t.is(harness.stateEntries(), 0);
});

test('merging keeps the earliest pending fire time for the merged window', (t) => {
  const harness = harnessOf(5);
  t.true(harness.trigger.canMerge());
  harness.processingTime = 1;
  harness.processElement('a', 0, w(0, 20));
  harness.processingTime = 7;
  harness.processElement('a', 0, w(20, 40));
  harness.mergeWindows(w(0, 40), [w(0, 20), w(20, 40)]);
  t.deepEqual(harness.registeredTimers('processing', w(0, 40)), [5]);
  t.is(harness.stateEntries(), 1);
  t.deepEqual(firings(harness.advanceProcessingTime(5)), [
    [0, 20, 'CONTINUE'],
    [0, 40, 'FIRE'],
  ], 'the merged window\'s stale timer continues');
  t.deepEqual(harness.registeredTimers('processing', w(0, 40)), [10]);
});

test('on the global window it fires every interval, and a clock at Infinity fires it once more, at the end', (t) => {
  const harness = new TriggerTestHarness(ContinuousProcessingTimeTrigger.of<GlobalWindow>(100), GLOBAL_WINDOW_CODEC);
  harness.processingTime = 50;
  harness.processElement('a', 0, GlobalWindow.get());
  t.deepEqual(harness.advanceProcessingTime(250).map(([, result]) => result.name), ['FIRE', 'FIRE']);
  t.deepEqual(harness.registeredTimers('processing'), [300]);
  t.deepEqual(harness.advanceProcessingTime(Infinity).map(([, result]) => result.name), ['FIRE', 'FIRE'], 'the pending fire, then the end (a bounded input ends with the clock at Infinity)');
  t.deepEqual(harness.registeredTimers('processing'), []);
});

test('an interval of 0 or less fails with INVALID_ARGUMENT', (t) => {
  throwsWeir(t, () => ContinuousProcessingTimeTrigger.of(-5), 'INVALID_ARGUMENT', 'ContinuousProcessingTimeTrigger.of needs an interval above 0 ms; got -5');
  t.is(String(ContinuousProcessingTimeTrigger.of(5)), 'ContinuousProcessingTimeTrigger(5)');
});
