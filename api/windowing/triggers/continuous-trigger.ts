// What ContinuousEventTimeTrigger and ContinuousProcessingTimeTrigger share (Flink keeps two copies):
// the next fire time is trigger state ("fire-time", a reducing min, so merged windows keep the
// earliest), a timer in the trigger's time domain waits for it, and each fire schedules the next,
// interval-aligned and never later than the window's maxTimestamp (so the last one fires at the end).
// Two guards Flink lacks keep a fire at an endless or finished window from looping (see scheduleNext).
import { MAX_WATERMARK } from '../../eventtime/watermark.ts';
import type { TimeDomain } from '../../functions.ts';
import { ReducingStateDescriptor } from '../../state/descriptors.ts';
import type { ReducingState } from '../../state/state.ts';
import type { Window } from '../windows/window.ts';
import { Trigger, type OnMergeContext, type TriggerContext } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

export abstract class ContinuousTrigger<W extends Window> extends Trigger<unknown, W> {
  private readonly fireTimeDescriptor = new ReducingStateDescriptor<number>('fire-time', Math.min);

  protected constructor(
    readonly interval: number,
    private readonly domain: TimeDomain,
  ) {
    super();
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(_window: W, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.fireTimeDescriptor);
    const next = ctx.getPartitionedState(this.fireTimeDescriptor).get();
    if (next !== undefined) this.registerTimer(ctx, next);
  }

  /** Deletes the pending interval timer and forgets the fire time. */
  clear(_window: W, ctx: TriggerContext): void {
    const fireTime = ctx.getPartitionedState(this.fireTimeDescriptor);
    const next = fireTime.get();
    if (next !== undefined) {
      if (this.domain === 'EVENT_TIME') ctx.deleteEventTimeTimer(next);
      else ctx.deleteProcessingTimeTimer(next);
      fireTime.clear();
    }
  }

  /** Starts the interval clock of a window on its first record: the first fire ends `time`'s interval. */
  protected startIfIdle(time: number, window: W, ctx: TriggerContext): void {
    const fireTime = ctx.getPartitionedState(this.fireTimeDescriptor);
    if (fireTime.get() === undefined) this.scheduleNext(time - (time % this.interval), window, ctx, fireTime);
  }

  /** A timer of the trigger's domain fired: FIRE, and schedule the next, when it is the pending fire time. */
  protected onTimer(time: number, window: W, ctx: TriggerContext): TriggerResult {
    const fireTime = ctx.getPartitionedState(this.fireTimeDescriptor);
    if (fireTime.get() !== time) return TriggerResult.CONTINUE;
    fireTime.clear();
    this.scheduleNext(time, window, ctx, fireTime);
    return TriggerResult.FIRE;
  }

  private scheduleNext(time: number, window: W, ctx: TriggerContext, fireTime: ReducingState<number>): void {
    const end = window.maxTimestamp();
    // At the end of input (the clock at Infinity) an endless window (the global one) would chain
    // fires one interval at a time forever, as Flink's does; it fires once more, at its end, instead.
    const next = end === MAX_WATERMARK && this.now(ctx) === MAX_WATERMARK ? end : Math.min(time + this.interval, end);
    fireTime.add(next);
    // A fire at the window's end needs no timer for the same time again (Flink registers one, which
    // the window's cleanup then deletes; without a cleanup timer, as in a global window, it would loop).
    if (next !== time) this.registerTimer(ctx, next);
  }

  private now(ctx: TriggerContext): number {
    return this.domain === 'EVENT_TIME' ? ctx.getCurrentWatermark() : ctx.getCurrentProcessingTime();
  }

  private registerTimer(ctx: TriggerContext, time: number): void {
    if (this.domain === 'EVENT_TIME') ctx.registerEventTimeTimer(time);
    else ctx.registerProcessingTimeTimer(time);
  }
}
