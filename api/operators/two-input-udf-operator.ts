// The base of operators with two inputs (connect): input 0's records arrive at collect(), input 1's
// at collect2() through `secondInput`; each input's watermarks and status are combined before the
// operator's processWatermark sees them (the minimum, leaving out an idle input).
import { MAX_WATERMARK, type WatermarkStatus } from '../eventtime/watermark.ts';
import type { RichFunction } from '../functions.ts';
import { type Output, SecondInput, type TwoInputEvents, type TwoInputOperator } from '../runtime/chain.ts';
import { TwoInputWatermarks } from '../runtime/time/two-input-watermarks.ts';
import { UdfOperator } from './udf-operator.ts';

export abstract class TwoInputUdfOperator<A, B, F extends RichFunction> extends UdfOperator<A, F> implements TwoInputOperator<B> {
  // The end of event time is the drain's to deliver (see chain.ts), even when both inputs reach it;
  // a restored operator takes nothing below the watermark it resumed at.
  readonly inputEvents: TwoInputEvents = new TwoInputWatermarks({
    emitWatermark: (watermark) => {
      if (watermark < MAX_WATERMARK && watermark > this.currentWatermark) this.processWatermark(watermark);
    },
    emitWatermarkStatus: (status) => this.processWatermarkStatus(status),
  });
  readonly secondInput: Output<B> = new SecondInput<B>(this);

  abstract collect2(value: B, timestamp: number | undefined): void;

  override emitWatermark(watermark: number): void {
    this.inputEvents.processWatermark(watermark, 0);
  }

  override emitWatermarkStatus(status: WatermarkStatus): void {
    this.inputEvents.processWatermarkStatus(status, 0);
  }
}
