// Flink's shapes of a job (its REST API's field names, kebab-case as Flink writes them) from what
// the Dispatcher knows: JobOverview, JobDetails. Pure functions of their input and `now`.
import type { JobDetails, JobOverview, PlanVertex, SlotWait, VertexDetails } from '../../../messages/dispatcher.ts';
import { type ExecutionState, type JobStatus, isTerminalJobStatus } from '../../../messages/job-status.ts';

/** Every ExecutionState, in Flink's order of its `tasks` counts. */
const EXECUTION_STATES: readonly ExecutionState[] = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED'];
const JOB_STATUSES: readonly JobStatus[] = ['INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED', 'RESTARTING'];

/** Flink writes -1 for a time that has not come. */
const NOT_YET = -1;

/** `start-time`, `end-time` and `duration` (until now while it runs), as Flink's JobDetails has them. */
export function jobTimes(job: JobOverview, now: number): { 'start-time': number; 'end-time': number; duration: number } {
  const end = job.endTime ?? NOT_YET;
  return { 'start-time': job.startTime, 'end-time': end, duration: (job.endTime ?? now) - job.startTime };
}

/** GET /jobs: every job's id and status. */
export function jobIdsWithStatus(jobs: readonly JobOverview[]): { jobs: { id: string; status: JobStatus }[] } {
  return { jobs: jobs.map((job) => ({ id: job.jobId, status: job.status })) };
}

/** Subtasks per state, every state present (Flink's `tasks` of a job or a vertex), plus `total`. */
export function taskCounts(vertices: readonly VertexDetails[]): Record<string, number> {
  const counts: Record<string, number> = { total: 0 };
  for (const state of EXECUTION_STATES) counts[state.toLowerCase()] = 0;
  for (const vertex of vertices) {
    for (const state of vertex.subtasks) {
      const key = state.toLowerCase();
      counts[key] = (counts[key] ?? 0) + 1;
      counts.total = (counts.total ?? 0) + 1;
    }
  }
  return counts;
}

/** GET /jobs/overview: one entry (Flink's JobDetails). */
export function jobOverviewEntry(details: JobDetails, now: number): Record<string, unknown> {
  const { job } = details;
  const timestamps = Object.values(details.timestamps ?? {});
  return {
    jid: job.jobId,
    name: job.name,
    state: job.status,
    ...jobTimes(job, now),
    'last-modification': Math.max(job.startTime, ...timestamps),
    tasks: taskCounts(details.vertices),
  };
}

/**
 * A vertex's state from its subtasks' (Flink's ExecutionJobVertex.getAggregateJobVertexState): the
 * state all share, else the first of FAILED, CANCELING, CANCELED, INITIALIZING, RUNNING that any has
 * (a vertex with finished subtasks and others not is RUNNING), else CREATED.
 */
export function vertexState(subtasks: readonly string[]): ExecutionState {
  const first = subtasks[0] as ExecutionState | undefined;
  if (first !== undefined && subtasks.every((state) => state === first)) return first;
  for (const state of ['FAILED', 'CANCELING', 'CANCELED', 'INITIALIZING', 'RUNNING'] as const) {
    if (subtasks.includes(state)) return state;
  }
  return subtasks.includes('FINISHED') ? 'RUNNING' : 'CREATED';
}

/** A vertex of GET /jobs/:jobId; `metrics` is its subtasks' sums (Flink's IOMetricsInfo) when known. */
export function jobVertexEntry(vertex: VertexDetails, metrics: Record<string, number | boolean> | null): Record<string, unknown> {
  return {
    id: vertex.id,
    name: vertex.name,
    parallelism: vertex.parallelism,
    status: vertexState(vertex.subtasks),
    // Weir does not track when a vertex started or ended.
    'start-time': NOT_YET,
    'end-time': NOT_YET,
    duration: NOT_YET,
    tasks: taskCounts([vertex]),
    metrics,
  };
}

/** `timestamps` of GET /jobs/:jobId: every status, 0 for one the job has not entered (as Flink). */
export function statusTimestamps(details: JobDetails): Record<JobStatus, number> {
  const result = {} as Record<JobStatus, number>;
  for (const status of JOB_STATUSES) result[status] = details.timestamps?.[status] ?? 0;
  return result;
}

/** Flink's plan: nodes with their inputs, what a graph view lays out. */
export function planOf(details: JobDetails): Record<string, unknown> {
  const nodes = (details.plan ?? []).map((vertex: PlanVertex) => ({
    id: vertex.id,
    parallelism: vertex.parallelism,
    operator: '',
    operator_strategy: '',
    description: vertex.name,
    ...(vertex.inputs.length > 0
      ? { inputs: vertex.inputs.map((input, num) => ({ num, id: input.sourceVertexId, ship_strategy: input.partitioning.toUpperCase(), exchange: 'pipelined_bounded' })) }
      : {}),
  }));
  return { jid: details.job.jobId, name: details.job.name, nodes };
}

/** GET /jobs/:jobId (Flink's JobDetailsInfo); `vertexMetrics` by vertex id when the metrics are known. */
export function jobDetailsInfo(details: JobDetails, now: number, vertexMetrics: ReadonlyMap<string, Record<string, number | boolean>> = new Map()): Record<string, unknown> {
  const { job } = details;
  const vertices = details.vertices.map((vertex) => jobVertexEntry(vertex, vertexMetrics.get(vertex.id) ?? null));
  const statusCounts: Record<string, number> = {};
  for (const state of EXECUTION_STATES) statusCounts[state] = 0;
  for (const vertex of vertices) statusCounts[vertex.status as string] = (statusCounts[vertex.status as string] ?? 0) + 1;
  return {
    jid: job.jobId,
    name: job.name,
    isStoppable: false,
    state: job.status,
    ...jobTimes(job, now),
    now,
    timestamps: statusTimestamps(details),
    vertices,
    'status-counts': statusCounts,
    plan: planOf(details),
    // Weir's own: while the job (or its restart) waits for slots, what it needs and what is free.
    ...(details.waitingForSlots ? { 'waiting-for-slots': slotWaitEntry(details.waitingForSlots, now) } : {}),
  };
}

function slotWaitEntry(wait: SlotWait, now: number): Record<string, number> {
  return {
    needed: wait.needed,
    granted: wait.granted,
    'slots-available': wait.slotsFree,
    'slots-total': wait.slotsTotal,
    taskmanagers: wait.taskManagers,
    'waiting-since': wait.since,
    'waited-ms': Math.max(0, now - wait.since),
    'timeout-ms': wait.timeoutMs,
  };
}

/** Flink's /overview job counts: running is every job not ended yet. */
export function jobCounts(jobs: readonly JobOverview[]): { 'jobs-running': number; 'jobs-finished': number; 'jobs-cancelled': number; 'jobs-failed': number } {
  const count = (status: JobStatus): number => jobs.filter((job) => job.status === status).length;
  return {
    'jobs-running': jobs.filter((job) => !isTerminalJobStatus(job.status)).length,
    'jobs-finished': count('FINISHED'),
    'jobs-cancelled': count('CANCELED'),
    'jobs-failed': count('FAILED'),
  };
}
