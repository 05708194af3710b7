import test from 'ava';
import { CountTrigger } from '../../../../api/windowing/triggers/count-trigger.ts';
import { DeltaTrigger } from '../../../../api/windowing/triggers/delta-trigger.ts';
import { PurgingTrigger } from '../../../../api/windowing/triggers/purging-trigger.ts';
import { Trigger, type OnMergeContext, type TriggerContext } from '../../../../api/windowing/triggers/trigger.ts';
import { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';
import { TIME_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';

/** Answers every call with `result` and records what it was asked. */
class Scripted extends Trigger<unknown, TimeWindow> {
  result = TriggerResult.CONTINUE;
  readonly calls: string[] = [];
  onElement(): TriggerResult {
    this.calls.push('onElement');
    return this.result;
  }
  onEventTime(): TriggerResult {
    this.calls.push('onEventTime');
    return this.result;
  }
  onProcessingTime(): TriggerResult {
    this.calls.push('onProcessingTime');
    return this.result;
  }
  override canMerge(): boolean {
    return true;
  }
  override onMerge(_window: TimeWindow, _ctx: OnMergeContext): void {
    this.calls.push('onMerge');
  }
  clear(_window: TimeWindow, _ctx: TriggerContext): void {
    this.calls.push('clear');
  }
}

const window = new TimeWindow(0, 2);

test('every FIRE of the nested trigger becomes FIRE_AND_PURGE; other results pass unchanged', (t) => {
  const nested = new Scripted();
  const harness = new TriggerTestHarness(PurgingTrigger.of(nested), TIME_WINDOW_CODEC);
  const cases: [TriggerResult, TriggerResult][] = [
    [TriggerResult.CONTINUE, TriggerResult.CONTINUE],
    [TriggerResult.FIRE, TriggerResult.FIRE_AND_PURGE],
    [TriggerResult.FIRE_AND_PURGE, TriggerResult.FIRE_AND_PURGE],
    [TriggerResult.PURGE, TriggerResult.PURGE],
  ];
  for (const [from, to] of cases) {
    nested.result = from;
    t.is(harness.processElement('a', 0, window), to, `onElement ${from.name}`);
    t.is(harness.trigger.onEventTime(1, window, undefined as unknown as TriggerContext), to, `onEventTime ${from.name}`);
    t.is(harness.trigger.onProcessingTime(1, window, undefined as unknown as TriggerContext), to, `onProcessingTime ${from.name}`);
  }
});

test('merging, clearing and canMerge are the nested trigger\'s', (t) => {
  const nested = new Scripted();
  const harness = new TriggerTestHarness(PurgingTrigger.of(nested), TIME_WINDOW_CODEC);
  t.true(harness.trigger.canMerge());
  harness.mergeWindows(new TimeWindow(0, 4), [window, new TimeWindow(2, 4)]);
  t.deepEqual(nested.calls, ['onMerge', 'clear', 'clear']);
  t.false(PurgingTrigger.of(DeltaTrigger.of(1, (a: number, b: number) => b - a)).canMerge());
});

test('a purging count trigger is what countWindow uses: fire and purge at every count', (t) => {
  const harness = new TriggerTestHarness(PurgingTrigger.of(CountTrigger.of<TimeWindow>(2)), TIME_WINDOW_CODEC);
  t.is(harness.processElement('a', 0, window), TriggerResult.CONTINUE);
  t.is(harness.processElement('a', 0, window), TriggerResult.FIRE_AND_PURGE);
  t.is(harness.processElement('a', 0, window), TriggerResult.CONTINUE);
  t.is(String(harness.trigger), 'PurgingTrigger(CountTrigger(2))');
  t.is(String(PurgingTrigger.of(new Scripted())), 'PurgingTrigger(Scripted)');
});
