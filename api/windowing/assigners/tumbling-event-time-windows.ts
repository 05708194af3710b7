// Tumbling event-time windows (Flink's TumblingEventTimeWindows): fixed-size, non-overlapping
// windows aligned to the epoch plus an offset, e.g. of(86_400_000, -8 * 3_600_000) for days that
// start at midnight UTC+8. A record goes into the one window its timestamp falls in.
import { requireOffsetWithin, requirePositiveMs } from '../argument-checks.ts';
import { AlignedTimeWindows } from './aligned-windows.ts';

export class TumblingEventTimeWindows extends AlignedTimeWindows {
  private constructor(size: number, offset: number) {
    super('TumblingEventTimeWindows', size, size, offset, true);
  }

  /** Windows of `size` ms, their starts shifted by `offset` ms (|offset| < size). */
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    const owner = 'TumblingEventTimeWindows.of';
    requirePositiveMs(size, 'size', owner);
    return new TumblingEventTimeWindows(size, requireOffsetWithin(offset, size, 'size', owner));
  }
}
