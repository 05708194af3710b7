// Event time in Weir: timestamps and watermarks are numbers of milliseconds (usually since the epoch).
// A watermark W says no record with a timestamp <= W follows. The extremes are infinities rather than
// Flink's Long.MIN_VALUE / MAX_VALUE, so `maxTimestamp + allowedLateness` cannot overflow.

/** Before any watermark: every timestamp is still possible. */
export const MIN_WATERMARK = Number.NEGATIVE_INFINITY;
/** End of input: every event-time timer and window fires. */
export const MAX_WATERMARK = Number.POSITIVE_INFINITY;

/** pipeline.auto-watermark-interval: how often (ms) watermark generators are asked for a watermark (Flink's default). */
export const DEFAULT_AUTO_WATERMARK_INTERVAL_MS = 200;

/** An idle input is left out of the minimum watermark until it turns active again (Flink's WatermarkStatus). */
export type WatermarkStatus = 'idle' | 'active';

/**
 * Where watermarks and watermark statuses go once they are the stream's (Flink's DataOutput side of
 * them): an operator's output, a valve's output, a source's output. Every emitter here calls it only
 * with a strictly higher watermark and only with a changed status.
 */
export interface StatusWatermarkOutput {
  emitWatermark(watermark: number): void;
  emitWatermarkStatus(status: WatermarkStatus): void;
}
