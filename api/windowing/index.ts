// The windowing building blocks (Flink's org.apache.flink.streaming.api.windowing and the pure parts
// of its window operator): windows, assigners, triggers, evictors, window functions, the merging
// window set and the lateness arithmetic. WindowedStream and the window operator wire them.
export type { Window, WindowNamespaceCodec } from './windows/window.ts';
export { TimeWindow, type MergeCallback } from './windows/time-window.ts';
export { GlobalWindow } from './windows/global-window.ts';
export { GLOBAL_WINDOW_CODEC, TIME_WINDOW_CODEC, fixedSizeTimeWindowCodec } from './windows/namespace-codecs.ts';

export { NO_TIMESTAMP, WindowAssigner, isValidTimestamp, missingTimestampError, type WindowAssignerContext } from './assigners/window-assigner.ts';
export { MergingWindowAssigner, isMergingWindowAssigner } from './assigners/merging-window-assigner.ts';
export { TumblingEventTimeWindows } from './assigners/tumbling-event-time-windows.ts';
export { TumblingProcessingTimeWindows } from './assigners/tumbling-processing-time-windows.ts';
export { SlidingEventTimeWindows } from './assigners/sliding-event-time-windows.ts';
export { SlidingProcessingTimeWindows } from './assigners/sliding-processing-time-windows.ts';
export { EventTimeSessionWindows } from './assigners/event-time-session-windows.ts';
export { DynamicEventTimeSessionWindows } from './assigners/dynamic-event-time-session-windows.ts';
export { ProcessingTimeSessionWindows } from './assigners/processing-time-session-windows.ts';
export { DynamicProcessingTimeSessionWindows } from './assigners/dynamic-processing-time-session-windows.ts';
export type { SessionWindowTimeGapExtractor, SessionWindowTimeGapExtractorLike } from './assigners/session-window-time-gap-extractor.ts';
export { GlobalWindows } from './assigners/global-windows.ts';

export { TriggerResult } from './triggers/trigger-result.ts';
export { Trigger, describeTrigger, type OnMergeContext, type TriggerContext } from './triggers/trigger.ts';
export { EventTimeTrigger } from './triggers/event-time-trigger.ts';
export { ProcessingTimeTrigger } from './triggers/processing-time-trigger.ts';
export { CountTrigger } from './triggers/count-trigger.ts';
export { PurgingTrigger } from './triggers/purging-trigger.ts';
export { ContinuousEventTimeTrigger } from './triggers/continuous-event-time-trigger.ts';
export { ContinuousProcessingTimeTrigger } from './triggers/continuous-processing-time-trigger.ts';
export { DeltaTrigger } from './triggers/delta-trigger.ts';
export { NeverTrigger } from './triggers/never-trigger.ts';
export { EndOfStreamTrigger } from './triggers/end-of-stream-trigger.ts';
export type { DeltaFunction, DeltaFunctionLike } from './delta-function.ts';

export type { Evictor, EvictorContext } from './evictors/evictor.ts';
export { hasTimestamp, type TimestampedValue } from './evictors/timestamped-value.ts';
export { CountEvictor } from './evictors/count-evictor.ts';
export { TimeEvictor } from './evictors/time-evictor.ts';
export { DeltaEvictor } from './evictors/delta-evictor.ts';

export type {
  AllWindowFunction,
  AllWindowFunctionLike,
  ProcessAllWindowFunction,
  ProcessAllWindowFunctionLike,
  ProcessWindowContext,
  ProcessWindowFunction,
  ProcessWindowFunctionLike,
  WindowFunction,
  WindowFunctionLike,
} from './functions/process-window-function.ts';
export {
  asProcessWindowFunction,
  asProcessWindowFunctionOfAll,
  asProcessWindowFunctionOfAllApply,
  iterableWindowFunction,
  passThroughWindowFunction,
  singleValueWindowFunction,
  type InternalWindowContext,
  type InternalWindowFunction,
} from './functions/internal-window-function.ts';
export { aggregateApply, passThroughProcessWindowFunction, reduceApply } from './functions/apply-functions.ts';

export { MergingWindowSet, type MergeFunction, type WindowMappingSnapshot, type WindowMerger } from './merging-window-set.ts';
export { cleanupTime, isElementLate, isWindowLate, needsCleanupTimer } from './window-lateness.ts';
export { checkAllowedLateness, checkTriggerFitsAssigner } from './windowing-checks.ts';
