// Sliding event-time windows (Flink's SlidingEventTimeWindows): windows of `size` ms starting every
// `slide` ms, so a record belongs to about size / slide of them. Starts are aligned to the epoch plus
// an offset (|offset| < slide, Flink's rule). Records are placed by their timestamps.
import { requireOffsetWithin, requirePositiveMs } from '../argument-checks.ts';
import { AlignedTimeWindows } from './aligned-windows.ts';

export class SlidingEventTimeWindows extends AlignedTimeWindows {
  private constructor(size: number, slide: number, offset: number) {
    super('SlidingEventTimeWindows', size, slide, offset, true);
  }

  /** Windows of `size` ms every `slide` ms, starts shifted by `offset` ms (|offset| < slide). */
  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows {
    const owner = 'SlidingEventTimeWindows.of';
    requirePositiveMs(size, 'size', owner);
    requirePositiveMs(slide, 'slide', owner);
    return new SlidingEventTimeWindows(size, slide, requireOffsetWithin(offset, slide, 'slide', owner));
  }
}
