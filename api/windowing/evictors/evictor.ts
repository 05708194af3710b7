// Evictor: removes records from a window's contents around its evaluation (Flink's Evictor). With an
// evictor the window operator keeps every record (a list of TimestampedValue, no incremental
// aggregation) and, when the trigger fires: reads the list, calls evictBefore, runs the window
// function on the values left, calls evictAfter, then writes back what is left (replacing the
// list). Evictors remove in place from the array they are given; order is kept.
import type { Window } from '../windows/window.ts';
import type { TimestampedValue } from './timestamped-value.ts';

export interface EvictorContext {
  getCurrentProcessingTime(): number;
  getCurrentWatermark(): number;
}

export interface Evictor<T, W extends Window> {
  /** Before the window function runs; `elements` is the window's contents, in arrival order. */
  evictBefore(elements: TimestampedValue<T>[], window: W, ctx: EvictorContext): void;
  /** After the window function ran. */
  evictAfter(elements: TimestampedValue<T>[], window: W, ctx: EvictorContext): void;
}

/** Keeps the elements `keep` accepts, in order, and drops the rest: one pass, no new array (runs per fire, not per record). */
export function retainWhere<T>(elements: TimestampedValue<T>[], keep: (element: TimestampedValue<T>) => boolean): void {
  let kept = 0;
  for (let index = 0; index < elements.length; index++) {
    const element = elements[index];
    if (keep(element)) elements[kept++] = element;
  }
  elements.length = kept;
}

/** The built-in evictors: one eviction, run before the window function or (doEvictAfter) after it. */
export abstract class BeforeOrAfterEvictor<T, W extends Window> implements Evictor<T, W> {
  protected constructor(readonly doEvictAfter: boolean) {}

  evictBefore(elements: TimestampedValue<T>[], window: W, ctx: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements, window, ctx);
  }

  evictAfter(elements: TimestampedValue<T>[], window: W, ctx: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements, window, ctx);
  }

  protected abstract evict(elements: TimestampedValue<T>[], window: W, ctx: EvictorContext): void;
}
