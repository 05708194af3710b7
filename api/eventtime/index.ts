// Event time as users see it: watermark strategies, generators, timestamp assigners and the
// watermark extremes. The runtime's pieces (emitter, multiplexer, split watermarks) are imported by
// path from the runtime, not re-exported here.
export { MAX_WATERMARK, MIN_WATERMARK, type WatermarkStatus } from './watermark.ts';
export type { WatermarkGenerator, WatermarkGeneratorContext, WatermarkGeneratorSupplier, WatermarkOutput } from './watermark-generator.ts';
export { BoundedOutOfOrdernessWatermarks, NoWatermarksGenerator } from './watermark-generators.ts';
export { WatermarksWithIdleness } from './watermarks-with-idleness.ts';
export { NO_TIMESTAMP, type TimestampAssigner, type TimestampAssignerLike, type TimestampAssignerObject } from './timestamp-assigner.ts';
export { WatermarkStrategy } from './watermark-strategy.ts';
