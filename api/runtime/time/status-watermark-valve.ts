// The watermark of one operator input over its channels (Flink's StatusWatermarkValve). One valve
// per target input, not per gate: a union feeds several gates into one input, so the lead numbers
// the channels of all those gates 0..N-1 for one valve. A two-input operator has a valve per input
// and combines their outputs with TwoInputWatermarks.
//
// Rules (Flink's):
//   - A channel's watermark only rises; a lower one is ignored.
//   - A channel is aligned when it is active and its watermark has caught up with the last one the
//     valve emitted. The valve emits the minimum over aligned channels whenever that rises.
//   - A channel turning idle leaves the minimum (which may then rise). When all channels are idle
//     the valve emits 'idle', after first flushing the maximum watermark over all channels if the
//     channel that went idle last was the one holding the minimum.
//   - A channel turning active emits 'active' if the valve was idle; the channel rejoins the minimum
//     only once its watermark is >= the last emitted one, so the output never goes back.
//   - A watermark from an idle channel is ignored (so is any while the whole valve is idle): a
//     sender turns its channel active before it sends watermarks again.
//   - End of input: the sender sends MAX_WATERMARK last, so an ended channel never holds others back.
//
// Cost: per watermark, a scan of the channels (watermarks are rare: one per channel per interval).
//
// Threading: none; the task's turn only.
import { MIN_WATERMARK, type StatusWatermarkOutput, type WatermarkStatus } from '../../eventtime/watermark.ts';

export class StatusWatermarkValve {
  private readonly watermarks: Float64Array;
  /** 1 when the channel is idle. */
  private readonly idle: Uint8Array;
  /** 1 when the channel is active and has caught up with lastOutputWatermark. */
  private readonly aligned: Uint8Array;
  private lastOutputWatermark = MIN_WATERMARK;
  private lastOutputIdle = false;

  constructor(
    readonly channelCount: number,
    private readonly output: StatusWatermarkOutput,
  ) {
    this.watermarks = new Float64Array(channelCount).fill(MIN_WATERMARK);
    this.idle = new Uint8Array(channelCount);
    this.aligned = new Uint8Array(channelCount).fill(1);
  }

  /** The last watermark emitted (MIN_WATERMARK before the first). */
  get currentWatermark(): number {
    return this.lastOutputWatermark;
  }

  get status(): WatermarkStatus {
    return this.lastOutputIdle ? 'idle' : 'active';
  }

  // Read-only views of one channel, for introspection on request (weir info); never on the record path.

  /** The last watermark the channel sent (MIN_WATERMARK before its first). */
  channelWatermark(channel: number): number {
    return this.watermarks[channel];
  }

  isChannelIdle(channel: number): boolean {
    return this.idle[channel] === 1;
  }

  /** Whether the channel counts in the minimum: active and caught up with the last emitted watermark. */
  isChannelAligned(channel: number): boolean {
    return this.aligned[channel] === 1;
  }

  inputWatermark(watermark: number, channel: number): void {
    if (this.idle[channel] === 1) return;
    if (!(watermark > this.watermarks[channel])) return;
    this.watermarks[channel] = watermark;
    if (this.aligned[channel] === 0 && watermark >= this.lastOutputWatermark) this.aligned[channel] = 1;
    this.emitNewMinimumOfAligned();
  }

  inputWatermarkStatus(status: WatermarkStatus, channel: number): void {
    if (status === 'idle' && this.idle[channel] === 0) {
      this.idle[channel] = 1;
      this.aligned[channel] = 0;
      if (!this.hasActiveChannel()) {
        // Nothing will advance the watermark any more: flush what the channels have reached.
        if (this.watermarks[channel] === this.lastOutputWatermark) this.emitMaximumOfAll();
        this.lastOutputIdle = true;
        this.output.emitWatermarkStatus('idle');
      } else if (this.watermarks[channel] === this.lastOutputWatermark) {
        this.emitNewMinimumOfAligned();
      }
    } else if (status === 'active' && this.idle[channel] === 1) {
      this.idle[channel] = 0;
      if (this.watermarks[channel] >= this.lastOutputWatermark) this.aligned[channel] = 1;
      if (this.lastOutputIdle) {
        this.lastOutputIdle = false;
        this.output.emitWatermarkStatus('active');
      }
    }
  }

  private emitNewMinimumOfAligned(): void {
    let minimum = Number.POSITIVE_INFINITY;
    let anyAligned = false;
    for (let channel = 0; channel < this.channelCount; channel++) {
      if (this.aligned[channel] === 0) continue;
      anyAligned = true;
      if (this.watermarks[channel] < minimum) minimum = this.watermarks[channel];
    }
    if (anyAligned && minimum > this.lastOutputWatermark) {
      this.lastOutputWatermark = minimum;
      this.output.emitWatermark(minimum);
    }
  }

  private emitMaximumOfAll(): void {
    let maximum = MIN_WATERMARK;
    for (let channel = 0; channel < this.channelCount; channel++) if (this.watermarks[channel] > maximum) maximum = this.watermarks[channel];
    if (maximum > this.lastOutputWatermark) {
      this.lastOutputWatermark = maximum;
      this.output.emitWatermark(maximum);
    }
  }

  private hasActiveChannel(): boolean {
    for (let channel = 0; channel < this.channelCount; channel++) if (this.idle[channel] === 0) return true;
    return false;
  }
}
