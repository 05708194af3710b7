import test from 'ava';
import { NeverTrigger } from '../../../../api/windowing/triggers/never-trigger.ts';
import { GLOBAL_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';

test('the never trigger continues on everything and keeps no timers or state', (t) => {
  const harness = new TriggerTestHarness(NeverTrigger.INSTANCE, GLOBAL_WINDOW_CODEC);
  t.is(harness.processElement('a', 5, GlobalWindow.get()).name, 'CONTINUE');
  t.deepEqual(harness.advanceWatermark(Infinity), []);
  t.deepEqual(harness.advanceProcessingTime(Infinity), []);
  t.is(NeverTrigger.INSTANCE.onEventTime().name, 'CONTINUE');
  t.is(NeverTrigger.INSTANCE.onProcessingTime().name, 'CONTINUE');
  t.notThrows(() => harness.mergeWindows(GlobalWindow.get(), []));
  t.is(harness.stateEntries(), 0);
  t.is(String(NeverTrigger.INSTANCE), 'NeverTrigger()');
});
