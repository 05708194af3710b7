// The watermark of a two-input operator (connect, joins, co-process): the minimum of its inputs'
// watermarks, an idle input left out, idle when both are (Flink's AbstractStreamOperator with
// IndexedCombinedWatermarkStatus). Each input arrives already combined over its channels by its own
// StatusWatermarkValve; the lead feeds that valve's output here as input 0 or 1.
//
// The output receives the combined watermark when it rises (the operator advances its timers and
// forwards it) and the combined status when it changes; 'active' goes out before the watermark it
// allows (Flink sends the watermark first, which an idle output would drop). Unlike Flink, a
// watermark that turns an idle input active also reports 'active' (Flink reports only from a
// status): unreachable behind a valve, which sends 'active' first.
//
// Threading: none; the task's turn only.
import { CombinedWatermarkStatus, PartialWatermark } from '../../eventtime/combined-watermark.ts';
import type { StatusWatermarkOutput, WatermarkStatus } from '../../eventtime/watermark.ts';

export class TwoInputWatermarks {
  private readonly inputs = [new PartialWatermark(), new PartialWatermark()] as const;
  private readonly combined = new CombinedWatermarkStatus();

  constructor(private readonly output: StatusWatermarkOutput) {
    for (const input of this.inputs) this.combined.add(input);
  }

  get currentWatermark(): number {
    return this.combined.combinedWatermark;
  }

  /** `input` is 0 for the first input, 1 for the second. */
  processWatermark(watermark: number, input: 0 | 1): void {
    const wasIdle = this.combined.isIdle;
    this.inputs[input].setWatermark(watermark);
    this.update(wasIdle);
  }

  processWatermarkStatus(status: WatermarkStatus, input: 0 | 1): void {
    const wasIdle = this.combined.isIdle;
    this.inputs[input].idle = status === 'idle';
    this.update(wasIdle);
  }

  private update(wasIdle: boolean): void {
    const rose = this.combined.update();
    const idle = this.combined.isIdle;
    if (wasIdle && !idle) this.output.emitWatermarkStatus('active');
    if (rose) this.output.emitWatermark(this.combined.combinedWatermark);
    if (!wasIdle && idle) this.output.emitWatermarkStatus('idle');
  }
}
