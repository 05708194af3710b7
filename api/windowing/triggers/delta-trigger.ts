// Fires when a record is more than `threshold` away from the record the window last fired on (the
// first record, before any fire), by a user delta function (Flink's DeltaTrigger). The reference
// record is trigger state ("last-element"). Cannot merge.
import { copyRecord } from '../../runtime/copy-record.ts';
import { type DeltaFunctionLike, deltaFunctionOf, requireThreshold } from '../delta-function.ts';
import { ValueStateDescriptor } from '../../state/descriptors.ts';
import type { Window } from '../windows/window.ts';
import { Trigger, type TriggerContext } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

export class DeltaTrigger<T, W extends Window> extends Trigger<T, W> {
  private readonly lastElementDescriptor = new ValueStateDescriptor<T>('last-element');

  private constructor(
    readonly threshold: number,
    private readonly delta: (oldDataPoint: T, newDataPoint: T) => number,
  ) {
    super();
  }

  static of<T, W extends Window>(threshold: number, deltaFunction: DeltaFunctionLike<T>): DeltaTrigger<T, W> {
    const owner = 'DeltaTrigger.of';
    return new DeltaTrigger<T, W>(requireThreshold(threshold, owner), deltaFunctionOf(deltaFunction, owner));
  }

  onElement(element: T, _timestamp: number, _window: W, ctx: TriggerContext): TriggerResult {
    const lastElement = ctx.getPartitionedState(this.lastElementDescriptor);
    const last = lastElement.value();
    // The reference point is a copy: the window function gets (and may change) the records themselves.
    if (last === undefined) {
      lastElement.update(copyRecord(element));
      return TriggerResult.CONTINUE;
    }
    if (this.delta(last, element) > this.threshold) {
      lastElement.update(copyRecord(element));
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

  clear(_window: W, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.lastElementDescriptor).clear();
  }

  override toString(): string {
    return `DeltaTrigger(${this.threshold})`;
  }
}
