// TEMPORARY until the status watermark valve lands from the event-time branch: the minimum over
// active channels, no alignment rules. Replaced before this branch is done.
import type { WatermarkStatus } from '../eventtime/watermark.ts';

export interface ValveOutput {
  emitWatermark(watermark: number): void;
  emitWatermarkStatus(status: WatermarkStatus): void;
}

export class StubValve {
  private readonly watermarks: number[];
  private readonly idle: boolean[];
  private last = Number.NEGATIVE_INFINITY;
  private allIdle = false;

  constructor(channels: number, private readonly output: ValveOutput) {
    this.watermarks = new Array<number>(channels).fill(Number.NEGATIVE_INFINITY);
    this.idle = new Array<boolean>(channels).fill(false);
  }

  inputWatermark(watermark: number, channel: number): void {
    if (this.idle[channel] || watermark <= this.watermarks[channel]) return;
    this.watermarks[channel] = watermark;
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.watermarks.length; i++) if (!this.idle[i]) min = Math.min(min, this.watermarks[i]);
    if (min > this.last) {
      this.last = min;
      this.output.emitWatermark(min);
    }
  }

  inputWatermarkStatus(status: WatermarkStatus, channel: number): void {
    this.idle[channel] = status === 'idle';
    const allIdle = this.idle.every((idle) => idle);
    if (allIdle !== this.allIdle) {
      this.allIdle = allIdle;
      this.output.emitWatermarkStatus(allIdle ? 'idle' : 'active');
    }
  }
}
