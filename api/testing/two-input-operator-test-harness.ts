// Drives a two-input operator (Flink's TwoInputStreamOperatorTestHarness and its keyed form): connected
// streams' process functions, interval joins. The operator sees the smaller of both inputs'
// watermarks, leaving out an idle input, as in a job. See operator-test-harness.ts for the rest.
import { WeirError } from '../../messages/errors.ts';
import type { WatermarkStatus } from '../eventtime/watermark.ts';
import { type Output, secondInputOf } from '../runtime/chain.ts';
import { InputEvents, OperatorTestHarness } from './operator-test-harness.ts';
import type { PipelineOperator } from './pipeline-operator.ts';

export class TwoInputOperatorTestHarness<IN1, IN2, OUT> extends OperatorTestHarness<OUT> {
  private readonly first = new InputEvents();
  private readonly second = new InputEvents();
  private readonly secondInput: Output<unknown>;

  /** Made by ProcessFunctionTestHarnesses; not for user code. */
  constructor(declared: PipelineOperator) {
    super(declared);
    const secondInput = secondInputOf(this.operator);
    if (secondInput === undefined) throw new WeirError('INVALID_PIPELINE', `${this.operatorName} has one input; test it with forPipeline()`);
    this.secondInput = secondInput;
  }

  /** A record arrives on the first input, with its event time in ms (none when omitted). */
  processElement1(value: IN1, timestamp?: number): void {
    this.deliverRecord('processElement1()', () => this.operator.collect(value, timestamp));
  }

  /** A record arrives on the second input. */
  processElement2(value: IN2, timestamp?: number): void {
    this.deliverRecord('processElement2()', () => this.secondInput.collect(value, timestamp));
  }

  /** The first input's watermark rises: the operator's rises when the smaller of both inputs' does. */
  processWatermark1(watermark: number): void {
    this.deliverWatermark('processWatermark1()', this.first, watermark, () => this.operator.emitWatermark(watermark));
  }

  processWatermark2(watermark: number): void {
    this.deliverWatermark('processWatermark2()', this.second, watermark, () => this.secondInput.emitWatermark(watermark));
  }

  /** Both inputs' watermarks rise to `watermark`. */
  processBothWatermarks(watermark: number): void {
    this.processWatermark1(watermark);
    this.processWatermark2(watermark);
  }

  processWatermarkStatus1(status: WatermarkStatus): void {
    this.deliverStatus('processWatermarkStatus1()', this.first, status, () => this.operator.emitWatermarkStatus(status));
  }

  processWatermarkStatus2(status: WatermarkStatus): void {
    this.deliverStatus('processWatermarkStatus2()', this.second, status, () => this.secondInput.emitWatermarkStatus(status));
  }
}
