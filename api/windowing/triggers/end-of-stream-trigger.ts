// Fires the global window once, at the end of input (Flink's GlobalWindows.EndOfStreamTrigger):
// the timer at the window's maxTimestamp (MAX_WATERMARK) fires only with the final watermark. What
// a window over a bounded input (BATCH) wants: one evaluation with the final contents.
import type { GlobalWindow } from '../windows/global-window.ts';
import { Trigger, type TriggerContext } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

export class EndOfStreamTrigger extends Trigger<unknown, GlobalWindow> {
  static readonly INSTANCE = new EndOfStreamTrigger();

  onElement(_element: unknown, _timestamp: number, window: GlobalWindow, ctx: TriggerContext): TriggerResult {
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }

  onEventTime(time: number, window: GlobalWindow): TriggerResult {
    return time === window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  clear(): void {}

  override onMerge(): void {}

  override toString(): string {
    return 'EndOfStreamTrigger()';
  }
}
