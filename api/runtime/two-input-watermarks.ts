// The watermark of a two-input operator (Flink's AbstractStreamOperator.processWatermark1/2 with
// its combined watermark status): the minimum of both inputs' watermarks, leaving out an idle input;
// idle only when both inputs are. The operator's processWatermark sees each advance once, and never
// the end of event time (MAX_WATERMARK), which the subtask's drain delivers.
import { MAX_WATERMARK, MIN_WATERMARK, type WatermarkStatus } from '../eventtime/watermark.ts';
import type { TwoInputEvents } from './chain.ts';

export interface TwoInputTarget {
  processWatermark(watermark: number): void;
  processWatermarkStatus(status: WatermarkStatus): void;
}

export class TwoInputWatermarks implements TwoInputEvents {
  private readonly watermarks: [number, number] = [MIN_WATERMARK, MIN_WATERMARK];
  private readonly idle: [boolean, boolean] = [false, false];
  private emitted = MIN_WATERMARK;
  private idleEmitted = false;

  constructor(private readonly target: TwoInputTarget) {}

  inputWatermark(input: 0 | 1, watermark: number): void {
    if (watermark <= this.watermarks[input]) return;
    this.watermarks[input] = watermark;
    this.advance();
  }

  inputWatermarkStatus(input: 0 | 1, status: WatermarkStatus): void {
    const idle = status === 'idle';
    if (this.idle[input] === idle) return;
    this.idle[input] = idle;
    const bothIdle = this.idle[0] && this.idle[1];
    if (bothIdle !== this.idleEmitted) {
      this.idleEmitted = bothIdle;
      // Active again before the watermark it may bring: the order Flink's valve emits them in.
      if (!bothIdle) this.target.processWatermarkStatus('active');
      else this.target.processWatermarkStatus('idle');
    }
    this.advance();
  }

  private advance(): void {
    const [first, second] = this.watermarks;
    let combined: number;
    if (this.idle[0] && this.idle[1]) return;
    else if (this.idle[0]) combined = second;
    else if (this.idle[1]) combined = first;
    else combined = Math.min(first, second);
    if (combined <= this.emitted) return;
    this.emitted = combined;
    if (combined < MAX_WATERMARK) this.target.processWatermark(combined);
  }
}
