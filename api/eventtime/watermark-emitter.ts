// The WatermarkOutput a generator emits to, in front of the stream (Flink's WatermarkToDataOutput
// and TimestampsAndWatermarksOperator.WatermarkEmitter). This is where a generator's watermarks are
// made monotonic: one not higher than the highest so far is dropped, so a generator may emit freely.
// It also sends a status only when it changes, and turns an idle output active before a watermark.
//
// How the runtime uses it: one per assignTimestampsAndWatermarks subtask and one per source reader
// (behind the split multiplexer), over the chain's output; at end of input, emitWatermark(MAX_WATERMARK).
//
// Threading: none; the task's turn only.
import { MIN_WATERMARK, type StatusWatermarkOutput } from './watermark.ts';
import type { WatermarkOutput } from './watermark-generator.ts';

export class WatermarkEmitter implements WatermarkOutput {
  private highest = MIN_WATERMARK;
  private idle = false;

  constructor(private readonly output: StatusWatermarkOutput) {}

  /** The highest watermark emitted so far (MIN_WATERMARK before the first). */
  get currentWatermark(): number {
    return this.highest;
  }

  get isIdle(): boolean {
    return this.idle;
  }

  /** Restore: resumes at a snapshot's watermark (not emitted again): what a generator emits at or below it is dropped. */
  restore(watermark: number): void {
    if (watermark > this.highest) this.highest = watermark;
  }

  emitWatermark(watermark: number): void {
    if (!(watermark > this.highest)) return;
    this.highest = watermark;
    this.markActive();
    this.output.emitWatermark(watermark);
  }

  markIdle(): void {
    if (this.idle) return;
    this.idle = true;
    this.output.emitWatermarkStatus('idle');
  }

  markActive(): void {
    if (!this.idle) return;
    this.idle = false;
    this.output.emitWatermarkStatus('active');
  }
}
