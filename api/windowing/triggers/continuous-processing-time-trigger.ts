// Fires a window every `interval` ms of processing time (Flink's ContinuousProcessingTimeTrigger):
// first at the end of the interval the first record arrived in, then every interval, the last time
// at the window's maxTimestamp; see ContinuousTrigger. Does not purge.
import { requirePositiveMs } from '../argument-checks.ts';
import type { Window } from '../windows/window.ts';
import { ContinuousTrigger } from './continuous-trigger.ts';
import type { TriggerContext } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

export class ContinuousProcessingTimeTrigger<W extends Window> extends ContinuousTrigger<W> {
  private constructor(interval: number) {
    super(interval, 'PROCESSING_TIME');
  }

  static of<W extends Window>(interval: number): ContinuousProcessingTimeTrigger<W> {
    return new ContinuousProcessingTimeTrigger<W>(requirePositiveMs(interval, 'interval', 'ContinuousProcessingTimeTrigger.of'));
  }

  onElement(_element: unknown, _timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    this.startIfIdle(ctx.getCurrentProcessingTime(), window, ctx);
    return TriggerResult.CONTINUE;
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return this.onTimer(time, window, ctx);
  }

  override toString(): string {
    return `ContinuousProcessingTimeTrigger(${this.interval})`;
  }
}
