import test from 'ava';
import { DeltaTrigger } from '../../../../api/windowing/triggers/delta-trigger.ts';
import { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';
import { GLOBAL_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';
import { throwsWeir } from '../harness/windows.ts';

const window = GlobalWindow.get();

test('fires when a record is more than the threshold from the record of the last fire, which it then replaces', (t) => {
  const harness = new TriggerTestHarness(DeltaTrigger.of<number, GlobalWindow>(4, (last, next) => next - last), GLOBAL_WINDOW_CODEC);
  const results = [1, 2, 6, 10, 11, 3].map((value) => harness.processElement(value, 0, window).name);
  // 1 is the first reference; 6 - 1 = 5 > 4 fires (reference 6); 10 - 6 = 4 is not more than 4; 11 - 6 = 5 fires.
  t.deepEqual(results, ['CONTINUE', 'CONTINUE', 'FIRE', 'CONTINUE', 'FIRE', 'CONTINUE']);
  t.is(harness.stateEntries(), 1, 'the reference record');
  t.deepEqual(harness.registeredTimers('event'), []);
  t.deepEqual(harness.advanceWatermark(Infinity), []);
});

test('the delta function may be an object with getDelta, over any record type', (t) => {
  const harness = new TriggerTestHarness(
    DeltaTrigger.of<{ x: number; y: number }, GlobalWindow>(5, { getDelta: (a, b) => Math.hypot(b.x - a.x, b.y - a.y) }),
    GLOBAL_WINDOW_CODEC,
  );
  t.is(harness.processElement({ x: 0, y: 0 }, 0, window), TriggerResult.CONTINUE);
  t.is(harness.processElement({ x: 3, y: 4 }, 0, window), TriggerResult.CONTINUE, 'distance 5 is not more than 5');
  t.is(harness.processElement({ x: 4, y: 4 }, 0, window), TriggerResult.FIRE);
});

test('clear forgets the reference record, so the next record starts over', (t) => {
  const harness = new TriggerTestHarness(DeltaTrigger.of<number, GlobalWindow>(1, (last, next) => next - last), GLOBAL_WINDOW_CODEC);
  harness.processElement(1, 0, window);
  harness.clearTriggerState(window);
  t.is(harness.stateEntries(), 0);
  t.is(harness.processElement(10, 0, window), TriggerResult.CONTINUE);
});

test('a delta trigger cannot merge: onMerge fails with INVALID_PIPELINE naming it', (t) => {
  const harness = new TriggerTestHarness(DeltaTrigger.of<number, GlobalWindow>(1, (last, next) => next - last), GLOBAL_WINDOW_CODEC);
  t.false(harness.trigger.canMerge());
  throwsWeir(t, () => harness.mergeWindows(window, [window]), 'INVALID_PIPELINE', 'trigger DeltaTrigger(1) does not support merging windows (canMerge() is false)');
});

test('a threshold that is not a number or a delta function that is not one fails at planning', (t) => {
  throwsWeir(t, () => DeltaTrigger.of(Number.NaN, () => 0), 'INVALID_ARGUMENT', 'DeltaTrigger.of needs a numeric threshold; got NaN');
  throwsWeir(t, () => DeltaTrigger.of('1' as unknown as number, () => 0), 'INVALID_ARGUMENT', 'DeltaTrigger.of needs a numeric threshold; got "1"');
  throwsWeir(t, () => DeltaTrigger.of(1, null as never), 'INVALID_FUNCTION', 'DeltaTrigger.of needs a delta function (old, new) => number or an object with getDelta(); got null');
});
