// The default trigger of GlobalWindows (Flink's GlobalWindows.NeverTrigger): never fires, so a
// global window needs a trigger of its own (countWindow sets a CountTrigger).
import type { GlobalWindow } from '../windows/global-window.ts';
import { Trigger } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

export class NeverTrigger extends Trigger<unknown, GlobalWindow> {
  static readonly INSTANCE = new NeverTrigger();

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

  override onMerge(): void {}

  override toString(): string {
    return 'NeverTrigger()';
  }
}
