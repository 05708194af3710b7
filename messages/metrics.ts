// Metrics of a running cluster (Flink's task and TaskManager metrics), read on request: nothing is
// pushed. Figures are measured where they happen (the task's step loop, the gates and subpartitions,
// the process) and read on the measuring actor's own turn.
// Client -> Dispatcher: RequestJobMetrics (JobMetrics or JobNotFound: forwarded to the job's JobManager,
//   which asks the TaskManagers and answers the client itself; an ended job's are the final figures
//   its subtasks reported with their final states), RequestTaskManagers (TaskManagerList) and
//   RequestTaskManagerDetails (TaskManagerDetails or TaskManagerNotFound): forwarded to the
//   ResourceManager, which knows the TaskManagers, asks each and answers the client itself.
// JobManager -> TaskManager: RequestTaskMetrics (TaskMetrics: each named task's reading, taken on its turn).
// ResourceManager -> TaskManager: RequestTaskManagerMetrics (TaskManagerMetricsReport: its process and slots).
// Every answer names what it could not read and why (`unavailable`), within a bounded wait.
import type { ActorRef } from './actor-ref.ts';
import type { JobNotFound } from './dispatcher.ts';
import { type ExecutionAttemptId, ExecutionAttemptIdKey, type JobId, JobIdKey, type ResourceId, ResourceIdKey } from './ids.ts';
import { registerMessages } from './registry.ts';
import { type Schema, actorRef, arrayOf, count, describeValue, literal, message, nonNegativeNumber, nullable, number, object, optional, string, validators } from './schema.ts';
import { WatermarkSchema } from './watermarks.ts';

/** One metric a user function registered (getRuntimeContext().getMetricGroup()), as last read. */
export interface UserMetric {
  /** The operator's name, as in the job graph. */
  readonly operator: string;
  /** Its groups and name joined by '.': `parser.errors`. */
  readonly name: string;
  readonly kind: 'counter' | 'gauge' | 'meter' | 'histogram';
  /** Counter: its count; gauge: its value (NaN when it could not be read); meter: events per second; histogram: the mean. */
  readonly value: number;
  /** Meters: events so far; histograms: values so far. */
  readonly count?: number;
  /** Histograms, over their bounded reservoir (the latest values). */
  readonly min?: number;
  readonly max?: number;
  readonly p50?: number;
  readonly p95?: number;
  readonly p99?: number;
}

/**
 * One subtask's figures (Flink's task IO metrics). Counts are since the subtask started; rates are
 * over the last ~60 s (Flink's MeterView). busy + backPressured + idle is ~1000 ms per second.
 */
export interface SubtaskMetrics {
  /** Records its head took from its input gates (0 for a source subtask, as Flink's task). */
  readonly numRecordsIn: number;
  /** Records written to its output edges (a broadcast record counts once). */
  readonly numRecordsOut: number;
  /** Bytes of the batches that reached it over the wire; batches of local channels are not encoded and count 0. */
  readonly numBytesIn: number;
  /** Bytes of the batches it sent over the wire; local channels count 0. */
  readonly numBytesOut: number;
  readonly numRecordsInPerSecond: number;
  readonly numRecordsOutPerSecond: number;
  /** Neither idle nor backpressured: 1000 - idle - backPressured (Flink's definition). */
  readonly busyTimeMsPerSecond: number;
  /** Waiting for an output writer to have room (its consumers hold it back). */
  readonly backPressuredTimeMsPerSecond: number;
  /** Waiting for input (or a split). */
  readonly idleTimeMsPerSecond: number;
  /** Batches queued in its input channels over what their credit allows: 0..1. */
  readonly inputBufferUsage: number;
  /** Batches waiting for credit in its subpartitions over their backlog limit: 0..1. */
  readonly outputBufferUsage: number;
  /** The head operator's watermark (ms, -Infinity before the first); null for a source subtask. */
  readonly currentInputWatermark: number | null;
  /** The lowest of the last watermarks sent on each output edge; null without an output edge. */
  readonly currentOutputWatermark: number | null;
  readonly user: readonly UserMetric[];
}

/** A subtask of a job as the JobManager reports it to a client. */
export interface SubtaskMetricsReport {
  readonly vertexId: string;
  readonly subtaskIndex: number;
  readonly attemptNumber: number;
  /** The TaskManager it runs (or ran) on; null before it was deployed. */
  readonly taskManagerId: string | null;
  /** Its ExecutionState. */
  readonly status: string;
  readonly metrics: SubtaskMetrics | null;
  /** Why `metrics` is null: "DEPLOYING", "no answer from taskmanager-1 within 3000 ms". */
  readonly unavailable?: string;
}

/** One subtask's answer to its TaskManager: its figures, or why there are none. */
export interface TaskMetricsReading {
  readonly executionAttemptId: ExecutionAttemptId;
  readonly metrics: SubtaskMetrics | null;
  readonly unavailable?: string;
}

/** A TaskManager process (Flink's Status.JVM.* of a TaskManager, in Node's terms). */
export interface TaskManagerMetrics {
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  readonly rssBytes: number;
  /** Event-loop delay (perf_hooks.monitorEventLoopDelay) since the previous reading, ms. */
  readonly eventLoopDelayP50Ms: number;
  readonly eventLoopDelayP99Ms: number;
  /** Time spent in garbage collection since the process started. */
  readonly gcTimeMsTotal: number;
  /** Over the last ~60 s. */
  readonly gcTimeMsPerSecond: number;
  readonly uptimeMs: number;
}

/** One slot of a TaskManager and the tasks in it (`Map (1/2)`). */
export interface SlotInfo {
  readonly index: number;
  readonly jobId: string | null;
  readonly tasks: readonly string[];
}

/** A TaskManager as the ResourceManager knows it, with what it said of itself. */
export interface TaskManagerInfo {
  readonly id: string;
  /** Its actor path. */
  readonly path: string;
  /** The port of its data server; 0 when it has none (embedded). */
  readonly dataPort: number;
  readonly slotsTotal: number;
  readonly slotsFree: number;
  /** When it registered (epoch ms). */
  readonly registeredAt: number;
  /** When it last reported its slots (epoch ms). */
  readonly lastHeartbeat: number;
  readonly slots: readonly SlotInfo[];
  readonly metrics: TaskManagerMetrics | null;
  /** Why `metrics` is null (it did not answer in time). */
  readonly unavailable?: string;
}

export interface RequestJobMetrics {
  readonly type: 'RequestJobMetrics';
  readonly jobId: JobId;
  readonly replyTo: ActorRef<JobMetricsReply>;
}

export type JobMetricsReply = JobMetrics | JobNotFound;

export interface JobMetrics {
  readonly type: 'JobMetrics';
  readonly jobId: JobId;
  /** Every subtask of every vertex, vertices in graph order. */
  readonly subtasks: readonly SubtaskMetricsReport[];
}

export interface RequestTaskManagers {
  readonly type: 'RequestTaskManagers';
  readonly replyTo: ActorRef<TaskManagerList>;
}

export interface TaskManagerList {
  readonly type: 'TaskManagerList';
  /** In the order they registered. */
  readonly taskManagers: readonly TaskManagerInfo[];
}

export interface RequestTaskManagerDetails {
  readonly type: 'RequestTaskManagerDetails';
  readonly taskManagerId: string;
  readonly replyTo: ActorRef<TaskManagerDetailsReply>;
}

export type TaskManagerDetailsReply = TaskManagerDetails | TaskManagerNotFound;

export interface TaskManagerDetails {
  readonly type: 'TaskManagerDetails';
  readonly taskManager: TaskManagerInfo;
}

export interface TaskManagerNotFound {
  readonly type: 'TaskManagerNotFound';
  readonly taskManagerId: string;
}

export interface RequestTaskMetrics {
  readonly type: 'RequestTaskMetrics';
  readonly jobId: JobId;
  readonly executionAttemptIds: readonly ExecutionAttemptId[];
  readonly replyTo: ActorRef<TaskMetrics>;
}

export interface TaskMetrics {
  readonly type: 'TaskMetrics';
  /** One per asked attempt, in the order asked; a task that is not running here says so. */
  readonly readings: readonly TaskMetricsReading[];
}

export interface RequestTaskManagerMetrics {
  readonly type: 'RequestTaskManagerMetrics';
  readonly replyTo: ActorRef<TaskManagerMetricsReport>;
}

export interface TaskManagerMetricsReport {
  readonly type: 'TaskManagerMetricsReport';
  readonly resourceId: ResourceId;
  readonly metrics: TaskManagerMetrics;
  readonly slots: readonly SlotInfo[];
}

// --- schemas ---------------------------------------------------------------------------------------

/** A metric's value: any number (a gauge that cannot be read is NaN; msgpack carries it). */
const metricValue: Schema<number> = {
  expected: 'a number',
  test: (value): value is number => typeof value === 'number',
  explain: (value, path) => (typeof value === 'number' ? undefined : `${path}: expected a number, got ${describeValue(value)}`),
};

export const UserMetricSchema = object<UserMetric>({
  operator: string,
  name: string,
  kind: literal('counter', 'gauge', 'meter', 'histogram'),
  value: metricValue,
  count: optional(count),
  min: optional(metricValue),
  max: optional(metricValue),
  p50: optional(metricValue),
  p95: optional(metricValue),
  p99: optional(metricValue),
});
export const SubtaskMetricsSchema = object<SubtaskMetrics>({
  numRecordsIn: count,
  numRecordsOut: count,
  numBytesIn: count,
  numBytesOut: count,
  numRecordsInPerSecond: nonNegativeNumber,
  numRecordsOutPerSecond: nonNegativeNumber,
  busyTimeMsPerSecond: nonNegativeNumber,
  backPressuredTimeMsPerSecond: nonNegativeNumber,
  idleTimeMsPerSecond: nonNegativeNumber,
  inputBufferUsage: nonNegativeNumber,
  outputBufferUsage: nonNegativeNumber,
  currentInputWatermark: nullable(WatermarkSchema),
  currentOutputWatermark: nullable(WatermarkSchema),
  user: arrayOf(UserMetricSchema),
});
export const SubtaskMetricsReportSchema = object<SubtaskMetricsReport>({
  vertexId: string,
  subtaskIndex: count,
  attemptNumber: count,
  taskManagerId: nullable(string),
  status: string,
  metrics: nullable(SubtaskMetricsSchema),
  unavailable: optional(string),
});
export const TaskMetricsReadingSchema = object<TaskMetricsReading>({ executionAttemptId: ExecutionAttemptIdKey, metrics: nullable(SubtaskMetricsSchema), unavailable: optional(string) });
export const TaskManagerMetricsSchema = object<TaskManagerMetrics>({
  heapUsedBytes: nonNegativeNumber,
  heapTotalBytes: nonNegativeNumber,
  rssBytes: nonNegativeNumber,
  eventLoopDelayP50Ms: nonNegativeNumber,
  eventLoopDelayP99Ms: nonNegativeNumber,
  gcTimeMsTotal: nonNegativeNumber,
  gcTimeMsPerSecond: nonNegativeNumber,
  uptimeMs: nonNegativeNumber,
});
export const SlotInfoSchema = object<SlotInfo>({ index: count, jobId: nullable(string), tasks: arrayOf(string) });
export const TaskManagerInfoSchema = object<TaskManagerInfo>({
  id: string,
  path: string,
  dataPort: count,
  slotsTotal: count,
  slotsFree: count,
  registeredAt: number,
  lastHeartbeat: number,
  slots: arrayOf(SlotInfoSchema),
  metrics: nullable(TaskManagerMetricsSchema),
  unavailable: optional(string),
});

export const RequestJobMetricsSchema = message<RequestJobMetrics>('RequestJobMetrics', { jobId: JobIdKey, replyTo: actorRef() });
export const JobMetricsSchema = message<JobMetrics>('JobMetrics', { jobId: JobIdKey, subtasks: arrayOf(SubtaskMetricsReportSchema) });
export const RequestTaskManagersSchema = message<RequestTaskManagers>('RequestTaskManagers', { replyTo: actorRef() });
export const TaskManagerListSchema = message<TaskManagerList>('TaskManagerList', { taskManagers: arrayOf(TaskManagerInfoSchema) });
export const RequestTaskManagerDetailsSchema = message<RequestTaskManagerDetails>('RequestTaskManagerDetails', { taskManagerId: string, replyTo: actorRef() });
export const TaskManagerDetailsSchema = message<TaskManagerDetails>('TaskManagerDetails', { taskManager: TaskManagerInfoSchema });
export const TaskManagerNotFoundSchema = message<TaskManagerNotFound>('TaskManagerNotFound', { taskManagerId: string });
export const RequestTaskMetricsSchema = message<RequestTaskMetrics>('RequestTaskMetrics', { jobId: JobIdKey, executionAttemptIds: arrayOf(ExecutionAttemptIdKey), replyTo: actorRef() });
export const TaskMetricsSchema = message<TaskMetrics>('TaskMetrics', { readings: arrayOf(TaskMetricsReadingSchema) });
export const RequestTaskManagerMetricsSchema = message<RequestTaskManagerMetrics>('RequestTaskManagerMetrics', { replyTo: actorRef() });
export const TaskManagerMetricsReportSchema = message<TaskManagerMetricsReport>('TaskManagerMetricsReport', {
  resourceId: ResourceIdKey,
  metrics: TaskManagerMetricsSchema,
  slots: arrayOf(SlotInfoSchema),
});

registerMessages(
  validators([
    RequestJobMetricsSchema,
    JobMetricsSchema,
    RequestTaskManagersSchema,
    TaskManagerListSchema,
    RequestTaskManagerDetailsSchema,
    TaskManagerDetailsSchema,
    TaskManagerNotFoundSchema,
    RequestTaskMetricsSchema,
    TaskMetricsSchema,
    RequestTaskManagerMetricsSchema,
    TaskManagerMetricsReportSchema,
  ]),
);
