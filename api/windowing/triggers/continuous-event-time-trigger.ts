// Fires a window every `interval` ms of event time, and once more at its end (Flink's
// ContinuousEventTimeTrigger): early results for long windows. Fire times are aligned to the
// interval (from the first record's timestamp); see ContinuousTrigger. Does not purge: each fire
// sees everything so far. The end-of-window timer stays after clear(), as in Flink: on a cleared
// window it fires nothing.
import { requirePositiveMs } from '../argument-checks.ts';
import type { Window } from '../windows/window.ts';
import { ContinuousTrigger } from './continuous-trigger.ts';
import type { TriggerContext } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

export class ContinuousEventTimeTrigger<W extends Window> extends ContinuousTrigger<W> {
  private constructor(interval: number) {
    super(interval, 'EVENT_TIME');
  }

  static of<W extends Window>(interval: number): ContinuousEventTimeTrigger<W> {
    return new ContinuousEventTimeTrigger<W>(requirePositiveMs(interval, 'interval', 'ContinuousEventTimeTrigger.of'));
  }

  onElement(_element: unknown, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    const maxTimestamp = window.maxTimestamp();
    // The watermark already passed the window: fire at once (a late record), as EventTimeTrigger.
    if (maxTimestamp <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(maxTimestamp);
    this.startIfIdle(timestamp, window, ctx);
    return TriggerResult.CONTINUE;
  }

  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    if (time === window.maxTimestamp()) return TriggerResult.FIRE;
    return this.onTimer(time, window, ctx);
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  override toString(): string {
    return `ContinuousEventTimeTrigger(${this.interval})`;
  }
}
