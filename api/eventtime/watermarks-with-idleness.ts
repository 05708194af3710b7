// Idleness detection around another generator (Flink's WatermarksWithIdleness), what
// `WatermarkStrategy.withIdleness(T)` adds. An idle output is left out of the minimum watermark
// downstream, so a source split or partition without data does not hold event time back.
//
// The exact rule. Idleness is checked only at periodic emission, on processing time, so no record
// reads a clock (onEvent sets a flag). Let the periodic emissions run every I ms:
//   - an emission that sees events since the previous one notes its own time as `activeAt`;
//   - the first emission of all, if it saw none, notes its time too;
//   - an emission with no events since the previous one, at least T ms after `activeAt`, marks the
//     output idle (once) and skips the wrapped generator's onPeriodicEmit.
// So an input is marked idle ceil(T/I)·I after the first emission that followed its last event:
// never less than T after that event and at most ceil(T/I)·I + I after it (in [T, T + I] when I
// divides T). Flink's is later and fuzzier, up to T + 3I (its countdown starts one emission later
// and compares strictly; FLINK-40503). An input that never sees an event is marked idle ceil(T/I)·I
// after the first emission.
//
// Unlike Flink, where an idle output turns active only with its next higher watermark, an event
// marks it active at once (downstream the valve still rejoins it only once its watermark catches up).
import type { WatermarkGenerator, WatermarkGeneratorContext, WatermarkOutput } from './watermark-generator.ts';

export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  /** Set by every event, cleared by every periodic emission. */
  private sawEvent = false;
  /** The time of the last emission that saw events (or of the first emission); NaN before any. */
  private activeAt = Number.NaN;
  private idle = false;

  constructor(
    private readonly watermarks: WatermarkGenerator<T>,
    private readonly idleTimeoutMs: number,
    private readonly clock: WatermarkGeneratorContext,
  ) {}

  onEvent(event: T, timestamp: number, output: WatermarkOutput): void {
    this.sawEvent = true;
    if (this.idle) {
      this.idle = false;
      output.markActive();
    }
    this.watermarks.onEvent(event, timestamp, output);
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    const now = this.clock.currentProcessingTime();
    if (this.sawEvent) {
      this.sawEvent = false;
      this.activeAt = now;
    } else if (Number.isNaN(this.activeAt)) {
      this.activeAt = now;
    } else if (now - this.activeAt >= this.idleTimeoutMs) {
      if (!this.idle) {
        this.idle = true;
        output.markIdle();
      }
      return;
    }
    this.watermarks.onPeriodicEmit(output);
  }
}
