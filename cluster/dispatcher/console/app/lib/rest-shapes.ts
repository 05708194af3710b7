// The REST API's answers as the console reads them: Flink's paths and field names (the REST server
// on the Dispatcher serves them). Fields Weir may leave out are optional; the console shows "—" then.

/** GET /overview */
export interface ClusterOverview {
  readonly taskmanagers: number;
  readonly 'slots-total': number;
  readonly 'slots-available': number;
  readonly 'jobs-running': number;
  readonly 'jobs-finished': number;
  readonly 'jobs-cancelled'?: number;
  readonly 'jobs-failed'?: number;
}

/** One job of GET /jobs/overview */
export interface JobSummary {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly 'start-time': number;
  readonly 'end-time'?: number;
  readonly duration?: number;
  /** Subtasks per execution state (Flink's `tasks`: running, finished, failed...). */
  readonly tasks?: Readonly<Record<string, number>>;
}

/** GET /jobs/overview */
export interface JobsOverview {
  readonly jobs: readonly JobSummary[];
}

/** A vertex's or a subtask's metrics: Flink's names, plus the rates and ratios Weir measures. */
export type MetricValues = Readonly<Record<string, number | null | undefined>>;

/** One vertex of GET /jobs/:jobId */
export interface JobVertex {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly status?: string;
  readonly tasks?: Readonly<Record<string, number>>;
  /** Its subtasks' counts and rates summed, the busiest subtask's times; null until measured. */
  readonly metrics?: MetricValues | null;
}

/** One input of a plan node: the upstream vertex and how records cross (HASH, FORWARD...). */
export interface PlanInput {
  readonly id: string;
  readonly num?: number;
  readonly ship_strategy?: string;
}

export interface PlanNode {
  readonly id: string;
  readonly parallelism?: number;
  readonly description?: string;
  readonly inputs?: readonly PlanInput[];
}

/** GET /jobs/:jobId */
export interface JobDetails extends JobSummary {
  readonly now?: number;
  readonly vertices: readonly JobVertex[];
  readonly plan?: { readonly nodes: readonly PlanNode[] };
  /** Weir: while the job (or its restart) waits for slots, what it needs and what the cluster has free. */
  readonly 'waiting-for-slots'?: SlotWait;
}

/** GET /jobs/:jobId's `waiting-for-slots`. */
export interface SlotWait {
  readonly needed: number;
  readonly granted: number;
  readonly 'slots-available': number;
  readonly 'slots-total': number;
  readonly taskmanagers: number;
  readonly 'waited-ms': number;
  readonly 'timeout-ms': number;
}

/** One subtask of GET /jobs/:jobId/vertices/:vertexId */
export interface VertexSubtask {
  readonly subtask: number;
  readonly status: string;
  readonly attempt?: number;
  readonly endpoint?: string;
  readonly 'taskmanager-id'?: string;
  readonly duration?: number;
  readonly metrics?: MetricValues | null;
  /** Why `metrics` is null (the subtask does not run, its TaskManager did not answer). */
  readonly 'metrics-unavailable'?: string;
  /** Its watermarks (ms; null: none yet; Number.MAX_SAFE_INTEGER: its input or output ended). */
  readonly watermarks?: { readonly input?: number | null; readonly output?: number | null };
}

/** GET /jobs/:jobId/vertices/:vertexId */
export interface VertexDetails {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly now?: number;
  readonly subtasks: readonly VertexSubtask[];
}

/** One channel of an input, as GET /jobs/:jobId/vertices/:vertexId/watermarks details it. */
export interface ChannelWatermarkShape {
  readonly upstreamVertexId: string;
  readonly upstreamSubtask: number;
  readonly watermark: number | string | null;
  readonly idle: boolean;
  readonly aligned: boolean;
}

export interface InputWatermarksShape {
  readonly input: number;
  readonly watermark: number | string | null;
  readonly idle: boolean;
  readonly channels: readonly ChannelWatermarkShape[];
}

export interface SubtaskWatermarksShape {
  readonly subtask?: number;
  readonly subtaskIndex?: number;
  readonly inputWatermark?: number | string | null;
  readonly outputWatermark?: number | string | null;
  readonly outputIdle?: boolean;
  readonly inputs?: readonly InputWatermarksShape[];
  readonly watermarks?: {
    readonly inputWatermark: number | string | null;
    readonly outputWatermark: number | string | null;
    readonly outputIdle?: boolean;
    readonly inputs: readonly InputWatermarksShape[];
  } | null;
  readonly unavailable?: string;
}

/**
 * GET /jobs/:jobId/vertices/:vertexId/watermarks: Flink's list of `{id: "<subtask>.currentInputWatermark",
 * value}` metrics, or Weir's detail per subtask (inputs and their channels).
 */
export type VertexWatermarks =
  | readonly { readonly id: string; readonly value: string | number | null }[]
  | { readonly subtasks: readonly SubtaskWatermarksShape[] };

export interface ExceptionEntry {
  readonly exceptionName?: string;
  readonly stacktrace?: string;
  readonly timestamp?: number;
  readonly taskName?: string | null;
  readonly endpoint?: string | null;
  readonly taskManagerId?: string | null;
}

/** GET /jobs/:jobId/exceptions */
export interface JobExceptions {
  readonly 'root-exception'?: string | null;
  readonly timestamp?: number | null;
  readonly exceptionHistory?: { readonly entries: readonly ExceptionEntry[]; readonly truncated?: boolean };
}

export interface CheckpointSummary {
  readonly id: number;
  readonly status?: string;
  readonly is_savepoint?: boolean;
  readonly trigger_timestamp?: number;
  readonly latest_ack_timestamp?: number;
  readonly end_to_end_duration?: number;
  readonly state_size?: number;
  readonly checkpointed_size?: number;
  readonly external_path?: string;
}

/** GET /jobs/:jobId/checkpoints */
export interface JobCheckpoints {
  readonly counts: { readonly restored?: number; readonly total?: number; readonly in_progress?: number; readonly completed: number; readonly failed: number };
  readonly latest?: { readonly completed?: CheckpointSummary | null; readonly savepoint?: CheckpointSummary | null; readonly failed?: CheckpointSummary | null };
  readonly history?: readonly CheckpointSummary[];
}

export interface TaskManagerSlot {
  readonly index: number;
  readonly jobId: string | null;
  readonly tasks: readonly string[];
}

/** One TaskManager of GET /taskmanagers (and GET /taskmanagers/:id, which may add detail). */
export interface TaskManagerShape {
  readonly id: string;
  readonly path: string;
  readonly dataPort?: number;
  readonly slotsNumber: number;
  readonly freeSlots: number;
  readonly timeSinceLastHeartbeat?: number;
  readonly metrics?: MetricValues | null;
  readonly slots?: readonly TaskManagerSlot[];
  readonly allocatedSlots?: readonly { readonly jobId?: string; readonly index?: number; readonly tasks?: readonly string[] }[];
  /** Why `metrics` is null. */
  readonly 'metrics-unavailable'?: string;
}

export interface TaskManagers {
  readonly taskmanagers: readonly TaskManagerShape[];
}

/** Flink's error body: `{"errors": ["..."]}`. */
export interface RestErrors {
  readonly errors: readonly string[];
}

/** The first of `names` that `metrics` carries as a number (the REST API may spell a figure Flink's or Weir's way). */
export function metricOf(metrics: MetricValues | null | undefined, ...names: readonly string[]): number | null {
  if (!metrics) return null;
  for (const name of names) {
    const value = metrics[name];
    if (typeof value === 'number' && !Number.isNaN(value)) return value;
  }
  return null;
}

// Flink reports "no watermark yet" as Long.MIN_VALUE and an ended input as Long.MAX_VALUE (as text in
// its metrics); JSON cannot carry the infinities, so Weir's own fields send null and
// Number.MAX_SAFE_INTEGER (cluster/dispatcher/rest/vertex-mappers.ts).
const LONG_MIN = -9_223_372_036_854_775_000;
const END_OF_TIME = Number.MAX_SAFE_INTEGER;

/** A watermark from JSON as the runtime means it: -Infinity before the first, +Infinity at the end. */
export function watermarkFrom(value: number | string | null | undefined): number | null {
  if (value === undefined) return null;
  if (value === null) return -Infinity;
  const number = typeof value === 'string' ? Number(value) : value;
  if (Number.isNaN(number)) return null;
  if (number <= LONG_MIN) return -Infinity;
  if (number >= END_OF_TIME) return Infinity;
  return number;
}

/** Flink's `timeSinceLastHeartbeat` is in fact the last heartbeat's epoch time; a small value is an age. */
export function heartbeatAge(value: number | undefined, now: number): number | null {
  if (value === undefined) return null;
  return value > 1e12 ? Math.max(0, now - value) : value;
}
