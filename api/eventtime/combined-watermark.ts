// The minimum watermark over several partial ones (Flink's CombinedWatermarkStatus): the splits of a
// source reader (WatermarkOutputMultiplexer) and the inputs of a two-input operator
// (TwoInputWatermarks). An idle partial is left out; when all are idle the combination is idle and
// its watermark stays. The combined watermark only rises.
//
// Cost: an update scans the partials (a handful: splits of one reader, or two inputs); callers update
// only when a partial's watermark rose past the combined one or a status changed.
import { MIN_WATERMARK } from './watermark.ts';

/** One input of the combination; a new watermark clears its idleness, as in Flink. */
export class PartialWatermark {
  watermark = MIN_WATERMARK;
  idle = false;

  /** Takes a higher watermark (and turns active); true when the watermark rose. */
  setWatermark(watermark: number): boolean {
    this.idle = false;
    if (!(watermark > this.watermark)) return false;
    this.watermark = watermark;
    return true;
  }
}

export class CombinedWatermarkStatus {
  private readonly partials: PartialWatermark[] = [];
  private combined = MIN_WATERMARK;
  private idle = false;

  get combinedWatermark(): number {
    return this.combined;
  }

  get isIdle(): boolean {
    return this.idle;
  }

  get size(): number {
    return this.partials.length;
  }

  add(partial: PartialWatermark): void {
    this.partials.push(partial);
  }

  remove(partial: PartialWatermark): boolean {
    const index = this.partials.indexOf(partial);
    if (index < 0) return false;
    this.partials.splice(index, 1);
    return true;
  }

  /**
   * Recomputes idleness and the minimum over active partials; true when the combined watermark rose.
   * With no partials at all nothing changes (there is no minimum to take).
   */
  update(): boolean {
    const partials = this.partials;
    if (partials.length === 0) return false;
    let minimum = Number.POSITIVE_INFINITY;
    let allIdle = true;
    for (let i = 0; i < partials.length; i++) {
      const partial = partials[i];
      if (partial.idle) continue;
      allIdle = false;
      if (partial.watermark < minimum) minimum = partial.watermark;
    }
    this.idle = allIdle;
    if (allIdle || !(minimum > this.combined)) return false;
    this.combined = minimum;
    return true;
  }
}
