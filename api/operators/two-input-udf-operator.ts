// The base of operators with two inputs (connect): input 0's records arrive at collect(), input 1's
// at collect2() through `secondInput`; each input's watermarks and status are combined before the
// operator's processWatermark sees them (the minimum, leaving out an idle input).
import type { WatermarkStatus } from '../eventtime/watermark.ts';
import type { RichFunction } from '../functions.ts';
import { type Output, SecondInput, type TwoInputEvents, type TwoInputOperator } from '../runtime/chain.ts';
import { TwoInputWatermarks } from '../runtime/two-input-watermarks.ts';
import { UdfOperator } from './udf-operator.ts';

export abstract class TwoInputUdfOperator<A, B, F extends RichFunction> extends UdfOperator<A, F> implements TwoInputOperator<B> {
  readonly inputEvents: TwoInputEvents = new TwoInputWatermarks(this);
  readonly secondInput: Output<B> = new SecondInput<B>(this);

  abstract collect2(value: B, timestamp: number | undefined): void;

  override emitWatermark(watermark: number): void {
    this.inputEvents.inputWatermark(0, watermark);
  }

  override emitWatermarkStatus(status: WatermarkStatus): void {
    this.inputEvents.inputWatermarkStatus(0, status);
  }
}
