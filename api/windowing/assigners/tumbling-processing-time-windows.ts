// Tumbling processing-time windows (Flink's TumblingProcessingTimeWindows): fixed-size, non-overlapping
// windows aligned to the epoch plus an offset, e.g. of(86_400_000, -8 * 3_600_000) for days that
// start at midnight UTC+8. A record goes into the one window the operator's clock is in when it arrives;
// its own timestamp is ignored (it may have none).
import { requireOffsetWithin, requirePositiveMs } from '../argument-checks.ts';
import { AlignedTimeWindows } from './aligned-windows.ts';

export class TumblingProcessingTimeWindows extends AlignedTimeWindows {
  private constructor(size: number, offset: number) {
    super('TumblingProcessingTimeWindows', size, size, offset, false);
  }

  /** Windows of `size` ms, their starts shifted by `offset` ms (|offset| < size). */
  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    const owner = 'TumblingProcessingTimeWindows.of';
    requirePositiveMs(size, 'size', owner);
    return new TumblingProcessingTimeWindows(size, requireOffsetWithin(offset, size, 'size', owner));
  }
}
