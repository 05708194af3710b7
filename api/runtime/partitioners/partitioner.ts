// What every partitioner shares: records go to the channels it picks, events to every channel (as
// Flink's RecordWriterOutput broadcasts watermarks), so that each downstream subtask sees every
// upstream watermark in order with the records before it. The end of event time is not sent: the
// end of each channel implies it (see chain.ts).
import { MAX_WATERMARK, MIN_WATERMARK, type WatermarkStatus } from '../../eventtime/watermark.ts';
import type { Output } from '../chain.ts';
import type { OutputWriter } from '../subtask.ts';

export abstract class Partitioner implements Output<unknown> {
  /** The last watermark sent downstream (the subtask's output watermark on this edge); read by weir info. */
  lastWatermark = MIN_WATERMARK;
  /** The last status sent downstream. */
  lastStatus: WatermarkStatus = 'active';

  constructor(protected readonly writer: OutputWriter) {}

  abstract collect(record: unknown, timestamp: number | undefined): void;

  emitWatermark(watermark: number): void {
    if (watermark < MAX_WATERMARK) {
      this.lastWatermark = watermark;
      this.writer.broadcastEvent(watermark);
    }
  }

  emitWatermarkStatus(status: WatermarkStatus): void {
    this.lastStatus = status;
    this.writer.broadcastEvent(status);
  }
}
