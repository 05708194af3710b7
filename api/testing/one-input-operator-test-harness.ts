// Drives a one-input operator (Flink's OneInputStreamOperatorTestHarness, and its keyed form: a
// keyed operator keys each record with the selector its keyBy() declared). See
// operator-test-harness.ts for the lifecycle, the outputs and the errors.
import type { WatermarkStatus } from '../eventtime/watermark.ts';
import { InputEvents, OperatorTestHarness } from './operator-test-harness.ts';
import type { PipelineOperator } from './pipeline-operator.ts';

export class OneInputOperatorTestHarness<IN, OUT> extends OperatorTestHarness<OUT> {
  private readonly input = new InputEvents();

  /** Made by ProcessFunctionTestHarnesses; not for user code. */
  constructor(declared: PipelineOperator) {
    super(declared);
  }

  /** A record arrives, with its event time in ms (none when omitted). */
  processElement(value: IN, timestamp?: number): void {
    this.deliverRecord('processElement()', () => this.operator.collect(value, timestamp));
  }

  /** The input's watermark rises to `watermark` (ms): due event-time timers fire, then it goes on to the output. */
  processWatermark(watermark: number): void {
    this.deliverWatermark('processWatermark()', this.input, watermark, () => this.operator.emitWatermark(watermark));
  }

  /** The input turns idle or active again. */
  processWatermarkStatus(status: WatermarkStatus): void {
    this.deliverStatus('processWatermarkStatus()', this.input, status, () => this.operator.emitWatermarkStatus(status));
  }
}
