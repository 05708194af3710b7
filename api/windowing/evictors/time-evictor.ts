// Keeps the records of the last `windowSize` ms of a window (Flink's TimeEvictor): a record stays
// when its timestamp > (largest timestamp in the window) - windowSize. Records without timestamps
// are never evicted: as in Flink, only the first record is checked for one.
import { requirePositiveMs } from '../argument-checks.ts';
import type { Window } from '../windows/window.ts';
import { BeforeOrAfterEvictor, retainWhere } from './evictor.ts';
import { type TimestampedValue, hasTimestamp } from './timestamped-value.ts';

export class TimeEvictor<W extends Window> extends BeforeOrAfterEvictor<unknown, W> {
  private constructor(
    readonly windowSize: number,
    doEvictAfter: boolean,
  ) {
    super(doEvictAfter);
  }

  static of<W extends Window>(windowSize: number, doEvictAfter = false): TimeEvictor<W> {
    return new TimeEvictor<W>(requirePositiveMs(windowSize, 'window size', 'TimeEvictor.of'), doEvictAfter);
  }

  override toString(): string {
    return `TimeEvictor(${this.windowSize})`;
  }

  protected evict(elements: TimestampedValue<unknown>[]): void {
    if (elements.length === 0 || !hasTimestamp(elements[0])) return;
    let maxTimestamp = elements[0].timestamp;
    for (const element of elements) if (element.timestamp > maxTimestamp) maxTimestamp = element.timestamp;
    const cutoff = maxTimestamp - this.windowSize;
    retainWhere(elements, (element) => element.timestamp > cutoff);
  }
}
