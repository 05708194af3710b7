// Sliding processing-time windows (Flink's SlidingProcessingTimeWindows): windows of `size` ms starting every
// `slide` ms, so a record belongs to about size / slide of them. Starts are aligned to the epoch plus
// an offset (|offset| < slide, Flink's rule). Records are placed by the operator's clock at
// their arrival; their own timestamps are ignored.
import { requireOffsetWithin, requirePositiveMs } from '../argument-checks.ts';
import { AlignedTimeWindows } from './aligned-windows.ts';

export class SlidingProcessingTimeWindows extends AlignedTimeWindows {
  private constructor(size: number, slide: number, offset: number) {
    super('SlidingProcessingTimeWindows', size, slide, offset, false);
  }

  /** Windows of `size` ms every `slide` ms, starts shifted by `offset` ms (|offset| < slide). */
  static of(size: number, slide: number, offset = 0): SlidingProcessingTimeWindows {
    const owner = 'SlidingProcessingTimeWindows.of';
    requirePositiveMs(size, 'size', owner);
    requirePositiveMs(slide, 'slide', owner);
    return new SlidingProcessingTimeWindows(size, slide, requireOffsetWithin(offset, slide, 'slide', owner));
  }
}
