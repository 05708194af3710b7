import test from 'ava';
import { ValueStateDescriptor } from '../../../../api/state/descriptors.ts';
import { Trigger, describeTrigger, type OnMergeContext, type TriggerContext } from '../../../../api/windowing/triggers/trigger.ts';
import { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';
import { TIME_WINDOW_CODEC } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { TriggerTestHarness } from '../harness/trigger-harness.ts';
import { firings, throwsWeir } from '../harness/windows.ts';

/**
 * A user trigger: fires every second record early, fires and purges at a processing-time deadline
 * 10 ms after the window's first record, keeps its count in trigger state.
 */
class EverySecondOrDeadline extends Trigger<string, TimeWindow> {
  private readonly seen = new ValueStateDescriptor<number>('seen');
  private readonly deadline = new ValueStateDescriptor<number>('deadline');

  onElement(_element: string, _timestamp: number, _window: TimeWindow, ctx: TriggerContext): TriggerResult {
    const seen = ctx.getPartitionedState(this.seen);
    const count = (seen.value() ?? 0) + 1;
    seen.update(count);
    const deadline = ctx.getPartitionedState(this.deadline);
    if (deadline.value() === undefined) {
      deadline.update(ctx.getCurrentProcessingTime() + 10);
      ctx.registerProcessingTimeTimer(ctx.getCurrentProcessingTime() + 10);
    }
    return count % 2 === 0 ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  onProcessingTime(time: number, _window: TimeWindow, ctx: TriggerContext): TriggerResult {
    return time === ctx.getPartitionedState(this.deadline).value() ? TriggerResult.FIRE_AND_PURGE : TriggerResult.CONTINUE;
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(_window: TimeWindow, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.seen);
  }

  clear(_window: TimeWindow, ctx: TriggerContext): void {
    const deadline = ctx.getPartitionedState(this.deadline);
    const time = deadline.value();
    if (time !== undefined) ctx.deleteProcessingTimeTimer(time);
    deadline.clear();
    ctx.getPartitionedState(this.seen).clear();
  }
}

const window = new TimeWindow(0, 100);

test('a user trigger keeps its own state per window, registers timers and returns any result', (t) => {
  const harness = new TriggerTestHarness(new EverySecondOrDeadline(), TIME_WINDOW_CODEC);
  harness.processingTime = 3;
  t.deepEqual(['a', 'b', 'c'].map((element) => harness.processElement(element, 0, window).name), ['CONTINUE', 'FIRE', 'CONTINUE']);
  t.is(harness.processElement('x', 0, new TimeWindow(100, 200)).name, 'CONTINUE', 'another window counts on its own');
  t.deepEqual(harness.registeredTimers('processing', window), [13]);
  t.deepEqual(firings(harness.advanceProcessingTime(13)), [
    [0, 100, 'FIRE_AND_PURGE'],
    [100, 200, 'FIRE_AND_PURGE'],
  ]);
  harness.clearTriggerState(window);
  t.is(harness.stateEntries(window), 0);
});

test('mergePartitionedState of a state that cannot merge fails with INVALID_ARGUMENT naming it', (t) => {
  const harness = new TriggerTestHarness(new EverySecondOrDeadline(), TIME_WINDOW_CODEC);
  harness.processElement('a', 0, new TimeWindow(0, 10));
  harness.processElement('a', 0, new TimeWindow(10, 20));
  throwsWeir(t, () => harness.mergeWindows(new TimeWindow(0, 20), [new TimeWindow(0, 10), new TimeWindow(10, 20)]), 'INVALID_ARGUMENT', 'state "seen" is a value state, which cannot merge');
});

test('by default a trigger cannot merge, and onMerge fails with INVALID_PIPELINE naming its class', (t) => {
  class Plain extends Trigger<unknown, TimeWindow> {
    onElement(): TriggerResult {
      return TriggerResult.CONTINUE;
    }
    onEventTime(): TriggerResult {
      return TriggerResult.CONTINUE;
    }
    onProcessingTime(): TriggerResult {
      return TriggerResult.CONTINUE;
    }
    clear(): void {}
  }
  const plain = new Plain();
  t.false(plain.canMerge());
  throwsWeir(t, () => plain.onMerge(window, undefined as never), 'INVALID_PIPELINE', 'trigger Plain does not support merging windows (canMerge() is false)');
  t.is(describeTrigger(plain), 'Plain');
  t.is(describeTrigger({ toString: () => 'Custom(3)' }), 'Custom(3)');
});
