import test from 'ava';
import { MAX_WATERMARK } from '../../../../api/eventtime/watermark.ts';
import { EndOfStreamTrigger } from '../../../../api/windowing/triggers/end-of-stream-trigger.ts';
import { GLOBAL_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';

test('the end-of-stream trigger fires the global window once, with the final watermark', (t) => {
  const harness = new TriggerTestHarness(EndOfStreamTrigger.INSTANCE, GLOBAL_WINDOW_CODEC);
  t.is(harness.processElement('a', 5, GlobalWindow.get()).name, 'CONTINUE');
  t.is(harness.processElement('b', 6, GlobalWindow.get()).name, 'CONTINUE');
  t.deepEqual(harness.registeredTimers('event'), [MAX_WATERMARK], 'one timer at the end of time');
  t.deepEqual(harness.advanceWatermark(1e15), []);
  t.deepEqual(harness.advanceProcessingTime(Infinity), []);
  t.deepEqual(harness.advanceWatermark(MAX_WATERMARK).map(([, result]) => result.name), ['FIRE']);
  t.is(EndOfStreamTrigger.INSTANCE.onEventTime(5, GlobalWindow.get()).name, 'CONTINUE');
  t.is(String(EndOfStreamTrigger.INSTANCE), 'EndOfStreamTrigger()');
});
