// Evicts the records at least `threshold` away from the window's last record, by a user delta
// function (Flink's DeltaEvictor): getDelta(record, last) >= threshold goes.
import { type DeltaFunctionLike, deltaFunctionOf, requireThreshold } from '../delta-function.ts';
import type { Window } from '../windows/window.ts';
import { BeforeOrAfterEvictor, retainWhere } from './evictor.ts';
import type { TimestampedValue } from './timestamped-value.ts';

export class DeltaEvictor<T, W extends Window> extends BeforeOrAfterEvictor<T, W> {
  private constructor(
    readonly threshold: number,
    private readonly delta: (oldDataPoint: T, newDataPoint: T) => number,
    doEvictAfter: boolean,
  ) {
    super(doEvictAfter);
  }

  static of<T, W extends Window>(threshold: number, deltaFunction: DeltaFunctionLike<T>, doEvictAfter = false): DeltaEvictor<T, W> {
    const owner = 'DeltaEvictor.of';
    return new DeltaEvictor<T, W>(requireThreshold(threshold, owner), deltaFunctionOf(deltaFunction, owner), doEvictAfter);
  }

  override toString(): string {
    return `DeltaEvictor(${this.threshold})`;
  }

  protected evict(elements: TimestampedValue<T>[]): void {
    if (elements.length === 0) return;
    const last = elements[elements.length - 1].value;
    retainWhere(elements, (element) => this.delta(element.value, last) < this.threshold);
  }
}
