// Keeps the last `maxCount` records of a window (Flink's CountEvictor), before the window function
// runs (default) or after it (doEvictAfter).
import { requirePositiveCount } from '../argument-checks.ts';
import type { Window } from '../windows/window.ts';
import { BeforeOrAfterEvictor } from './evictor.ts';
import type { TimestampedValue } from './timestamped-value.ts';

export class CountEvictor<W extends Window> extends BeforeOrAfterEvictor<unknown, W> {
  private constructor(
    readonly maxCount: number,
    doEvictAfter: boolean,
  ) {
    super(doEvictAfter);
  }

  static of<W extends Window>(maxCount: number, doEvictAfter = false): CountEvictor<W> {
    return new CountEvictor<W>(requirePositiveCount(maxCount, 'count', 'CountEvictor.of'), doEvictAfter);
  }

  override toString(): string {
    return `CountEvictor(${this.maxCount})`;
  }

  protected evict(elements: TimestampedValue<unknown>[]): void {
    if (elements.length > this.maxCount) elements.splice(0, elements.length - this.maxCount);
  }
}
