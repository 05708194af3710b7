// The built-in generators behind WatermarkStrategy's constructors. Both are periodic: onEvent only
// keeps the maximum timestamp (a compare per record, nothing allocated), onPeriodicEmit emits.
import { MIN_WATERMARK } from './watermark.ts';
import type { WatermarkGenerator, WatermarkOutput } from './watermark-generator.ts';

/**
 * Flink's BoundedOutOfOrdernessWatermarks: records arrive at most `maxOutOfOrdernessMs` late, so the
 * watermark is the highest timestamp seen minus the bound minus 1 (a record exactly the bound late
 * is still on time). With a bound of 0 it is Flink's AscendingTimestampsWatermarks (monotonous).
 */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  /** The highest timestamp seen; -Infinity before the first, so the first watermark is -Infinity. */
  private maxTimestamp = MIN_WATERMARK;

  constructor(private readonly maxOutOfOrdernessMs: number) {}

  onEvent(_event: T, timestamp: number, _output: WatermarkOutput): void {
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    output.emitWatermark(this.maxTimestamp - this.maxOutOfOrdernessMs - 1);
  }
}

/** Flink's NoWatermarksGenerator: for processing-time jobs; only the end of input emits one (MAX). */
export class NoWatermarksGenerator<T> implements WatermarkGenerator<T> {
  onEvent(_event: T, _timestamp: number, _output: WatermarkOutput): void {}

  onPeriodicEmit(_output: WatermarkOutput): void {}
}
