// What every partitioner shares: records go to the channels it picks, events to every channel (as
// Flink's RecordWriterOutput broadcasts watermarks), so that each downstream subtask sees every
// upstream watermark in order with the records before it. The end of event time is not sent: the
// end of each channel implies it (see chain.ts).
import { MAX_WATERMARK, type WatermarkStatus } from '../../eventtime/watermark.ts';
import type { Output } from '../chain.ts';
import type { OutputWriter } from '../subtask.ts';

export abstract class Partitioner implements Output<unknown> {
  constructor(protected readonly writer: OutputWriter) {}

  abstract collect(record: unknown, timestamp: number | undefined): void;

  emitWatermark(watermark: number): void {
    if (watermark < MAX_WATERMARK) this.writer.broadcastEvent(watermark);
  }

  emitWatermarkStatus(status: WatermarkStatus): void {
    this.writer.broadcastEvent(status);
  }
}
