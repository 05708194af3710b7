// The public surface of Weir's DataStream API: what a job module imports.
export { StreamExecutionEnvironment, DEFAULT_MAX_PARALLELISM, DEFAULT_PARALLELISM } from './environment.ts';
export { DataStream, DataStreamSink } from './data-stream.ts';
export type { JobModule, JobModuleNamespace } from './job-module.ts';
export type {
  Collector,
  FilterFunction,
  FilterFunctionLike,
  FlatMapFunction,
  FlatMapFunctionLike,
  FunctionClass,
  MapFunction,
  MapFunctionLike,
  RichFunction,
  RuntimeContext,
  SinkFunction,
  SinkFunctionLike,
} from './functions.ts';
export type { RuntimeExecutionMode } from './graph/job-graph-builder.ts';
export { DEFAULT_OBSERVABLE_BUFFER_CAPACITY, type ObservableSourceOptions } from './sources/observable-source.ts';
export { planJob, type PlanOptions } from './runtime/plan.ts';
export type { JobPlan, RunnableSubtask, StepResult, SubtaskContext } from './runtime/subtask.ts';
