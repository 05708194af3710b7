// The public surface of Weir's DataStream API: what a job module imports. The runtime's side of
// the API (planning, executors, the subtask interfaces a Task drives) is api/internal.ts, which
// cluster/ and the package entry import and job modules have no business with.
export { StreamExecutionEnvironment, DEFAULT_BUFFER_TIMEOUT_MS, DEFAULT_MAX_PARALLELISM, DEFAULT_PARALLELISM } from './environment.ts';
export { DataStream, DataStreamSink } from './data-stream.ts';
export { KeyedStream, type ComparableField, type NumericField } from './keyed-stream.ts';
export { ConnectedStreams } from './connected-streams.ts';
export { WindowedStream } from './windowed-stream.ts';
export { AllWindowedStream } from './all-windowed-stream.ts';
export { OutputTag } from './output-tag.ts';
export type { JobModule, JobModuleNamespace } from './job-module.ts';
export type {
  AsyncFilterFunction,
  AsyncFilterFunctionLike,
  AsyncFlatMapFunction,
  AsyncFlatMapFunctionLike,
  AsyncMapFunction,
  AsyncMapFunctionLike,
  AsyncOptions,
  CoFlatMapFunction,
  CoFlatMapFunctionLike,
  CoMapFunction,
  CoMapFunctionLike,
  CoProcessFunction,
  CoProcessFunctionLike,
  Collector,
  FilterFunction,
  FilterFunctionLike,
  FlatMapFunction,
  FlatMapFunctionLike,
  FunctionClass,
  KeyedAsyncOptions,
  KeyedProcessContext,
  OnTimerContext,
  KeyedProcessFunction,
  KeyedProcessFunctionLike,
  MapFunction,
  MapFunctionLike,
  NotPromise,
  ProcessContext,
  ProcessFunction,
  ProcessFunctionLike,
  ReduceFunction,
  ReduceFunctionLike,
  RichFunction,
  RuntimeContext,
  SideOutputTag,
  SinkFunction,
  SinkFunctionLike,
  TimeDomain,
  TimerService,
  AggregateFunction,
} from './functions.ts';
export type { Key } from './runtime/key-groups.ts';
// User metrics: getRuntimeContext().getMetricGroup() (Flink's MetricGroup).
export type { MetricGroup } from './runtime/metrics/metric-group.ts';
export { HISTOGRAM_RESERVOIR_SIZE, type Counter, type Gauge, type Histogram, type HistogramStatistics, type Meter } from './runtime/metrics/user-metrics.ts';
export * from './eventtime/index.ts';
export {
  type Window,
  TimeWindow,
  GlobalWindow,
  WindowAssigner,
  MergingWindowAssigner,
  type WindowAssignerContext,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  SlidingEventTimeWindows,
  SlidingProcessingTimeWindows,
  EventTimeSessionWindows,
  DynamicEventTimeSessionWindows,
  ProcessingTimeSessionWindows,
  DynamicProcessingTimeSessionWindows,
  type SessionWindowTimeGapExtractor,
  type SessionWindowTimeGapExtractorLike,
  GlobalWindows,
  TriggerResult,
  Trigger,
  type TriggerContext,
  type OnMergeContext,
  EventTimeTrigger,
  ProcessingTimeTrigger,
  CountTrigger,
  PurgingTrigger,
  ContinuousEventTimeTrigger,
  ContinuousProcessingTimeTrigger,
  DeltaTrigger,
  NeverTrigger,
  EndOfStreamTrigger,
  type DeltaFunction,
  type DeltaFunctionLike,
  type Evictor,
  type EvictorContext,
  type TimestampedValue,
  CountEvictor,
  TimeEvictor,
  DeltaEvictor,
  type AllWindowFunction,
  type AllWindowFunctionLike,
  type ProcessAllWindowFunction,
  type ProcessAllWindowFunctionLike,
  type ProcessWindowContext,
  type ProcessWindowFunction,
  type ProcessWindowFunctionLike,
  type WindowFunction,
  type WindowFunctionLike,
} from './windowing/index.ts';
export { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, StateDescriptor, ValueStateDescriptor } from './state/descriptors.ts';
export type {
  AggregatingState,
  AppendingState,
  BroadcastState,
  KeyedStateStore,
  ListState,
  MapState,
  OperatorStateStore,
  ReadOnlyBroadcastState,
  ReducingState,
  State,
  ValueState,
} from './state/state.ts';
export { StateTtlConfig, StateTtlConfigBuilder, type TtlStateVisibility, type TtlUpdateType } from './state/ttl-config.ts';
export { DEFAULT_AUTO_WATERMARK_INTERVAL_MS } from './environment.ts';
export * from './fault-tolerance/index.ts';
export type { RuntimeExecutionMode } from './graph/job-graph-builder.ts';
export { DEFAULT_OBSERVABLE_BUFFER_CAPACITY, type ObservableSourceOptions } from './sources/observable-source.ts';
export { DEFAULT_WATCH_INTERVAL_MS, type TextFileSourceOptions } from './sources/text-file-source.ts';
export type { ExecutionEnvironmentOptions, JobExecutionResult } from './execution.ts';
export type { JobHandle } from './executor.ts';
export { isMainModule } from './main-module.ts';
export type { Boundedness, Source, SourceSplitReader, SplitEnumerator, SplitEnumeratorContext } from './sources/source.ts';
// Keyed connected streams and interval joins.
export { KeyedConnectedStreams } from './connected-streams.ts';
export { IntervalJoin, IntervalJoined } from './interval-join.ts';
export type { KeyedCoProcessFunction, KeyedCoProcessFunctionLike, ProcessJoinContext, ProcessJoinFunction, ProcessJoinFunctionLike } from './functions.ts';
// Window joins and coGroups.
export {
  CoGroupedStreams,
  type CoGroupWithWindow,
  type EqualTo,
  JoinedStreams,
  type JoinWithWindow,
  type TaggedUnion,
  type TwoInputOperation,
  type TwoStreams,
  type Where,
  type WithWindow,
  type WithWindowOf,
} from './join/index.ts';
export type { CoGroupFunction, CoGroupFunctionLike, FlatJoinFunction, FlatJoinFunctionLike, JoinFunction, JoinFunctionLike } from './functions.ts';
// The broadcast state pattern, and operator state for non-keyed functions.
export { BroadcastStream, type AnyMapStateDescriptor } from './broadcast-stream.ts';
export { BroadcastConnectedStream, KeyedBroadcastConnectedStream } from './broadcast-connected-stream.ts';
export type {
  BaseBroadcastContext,
  BroadcastContext,
  BroadcastProcessFunction,
  BroadcastProcessFunctionLike,
  CheckpointedFunction,
  FunctionInitializationContext,
  FunctionSnapshotContext,
  KeyedBroadcastContext,
  KeyedBroadcastOnTimerContext,
  KeyedBroadcastProcessFunction,
  KeyedBroadcastProcessFunctionLike,
  KeyedReadOnlyBroadcastContext,
  ReadOnlyBroadcastContext,
} from './functions.ts';
// Exactly-once sinks: the file sink and the two-phase-commit sink API.
export { FileSink, RowFormatBuilder, type OutputFileConfig } from './sinks/file-sink.ts';
export type { Encoder, FileSinkSettings, PartFile, PartFileTransaction } from './sinks/part-file-writer.ts';
export {
  DEFAULT_MAX_PART_SIZE_BYTES,
  DEFAULT_ROLLOVER_INTERVAL_MS,
  DefaultRollingPolicy,
  DefaultRollingPolicyBuilder,
  OnCheckpointRollingPolicy,
  type PartFileInfo,
  type RollingPolicy,
} from './sinks/rolling-policy.ts';
export { TwoPhaseCommitSink, type SinkContext } from './sinks/two-phase-commit-sink.ts';
