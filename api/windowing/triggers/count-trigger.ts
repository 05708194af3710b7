// Fires once a window holds `maxCount` records since it last fired (Flink's CountTrigger). The
// count is trigger state (a reducing sum, "count"), so it survives failures and merges by adding.
// Does not purge: wrap it in PurgingTrigger to start each count from empty contents (countWindow).
import { requirePositiveCount } from '../argument-checks.ts';
import { ReducingStateDescriptor } from '../../state/descriptors.ts';
import type { Window } from '../windows/window.ts';
import { Trigger, type OnMergeContext, type TriggerContext } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

export class CountTrigger<W extends Window> extends Trigger<unknown, W> {
  private readonly countDescriptor = new ReducingStateDescriptor<number>('count', (a, b) => a + b);

  private constructor(readonly maxCount: number) {
    super();
  }

  static of<W extends Window>(maxCount: number): CountTrigger<W> {
    return new CountTrigger<W>(requirePositiveCount(maxCount, 'count', 'CountTrigger.of'));
  }

  onElement(_element: unknown, _timestamp: number, _window: W, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedState(this.countDescriptor);
    count.add(1);
    if ((count.get() ?? 0) >= this.maxCount) {
      count.clear();
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  override canMerge(): boolean {
    return true;
  }

  /** The merged count may reach maxCount; as in Flink it fires with the next record, not now. */
  override onMerge(_window: W, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.countDescriptor);
  }

  clear(_window: W, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.countDescriptor).clear();
  }

  override toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}
