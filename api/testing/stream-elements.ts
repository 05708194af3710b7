// What an operator under test emitted, as plain objects a spec compares with deepEqual: records with
// their event timestamps (undefined when they have none), watermarks and watermark statuses, in the
// order the operator emitted them (Flink's StreamRecord / Watermark / WatermarkStatus in the
// harness's output queue). The constructors keep expected outputs short: `[record('a', 5), watermark(9)]`.
import type { WatermarkStatus } from '../eventtime/watermark.ts';
import type { Output } from '../runtime/chain.ts';

export interface StreamRecordElement<T> {
  readonly kind: 'record';
  readonly value: T;
  /** The record's event time in ms; undefined when it has none (a processing-time timer's output). */
  readonly timestamp: number | undefined;
}

export interface WatermarkElement {
  readonly kind: 'watermark';
  readonly watermark: number;
}

export interface WatermarkStatusElement {
  readonly kind: 'status';
  readonly status: WatermarkStatus;
}

export type StreamElement<T> = StreamRecordElement<T> | WatermarkElement | WatermarkStatusElement;

export function record<T>(value: T, timestamp?: number): StreamRecordElement<T> {
  return { kind: 'record', value, timestamp };
}

export function watermark(watermark: number): WatermarkElement {
  return { kind: 'watermark', watermark };
}

export function watermarkStatus(status: WatermarkStatus): WatermarkStatusElement {
  return { kind: 'status', status };
}

/** An Output that keeps everything it is given, in order. */
export class RecordingOutput<T> implements Output<T> {
  readonly elements: StreamElement<T>[] = [];

  collect(value: T, timestamp: number | undefined): void {
    this.elements.push(record(value, timestamp));
  }

  emitWatermark(watermark: number): void {
    this.elements.push({ kind: 'watermark', watermark });
  }

  emitWatermarkStatus(status: WatermarkStatus): void {
    this.elements.push(watermarkStatus(status));
  }

  records(): StreamRecordElement<T>[] {
    return this.elements.filter((element): element is StreamRecordElement<T> => element.kind === 'record');
  }
}
