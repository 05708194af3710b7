// A job's metrics for a client (weir info, the REST API): the JobManager asks each TaskManager
// running RUNNING subtasks of the job for their figures (one ask per TaskManager, bounded), then
// reports every subtask in graph order: a running one's reading, an ended one's final figures
// (sent with its final state, as Flink's archived IO metrics), or why it has none.
import { ask } from '../../actors/index.ts';
import type { JobId } from '../../messages/ids.ts';
import type { SubtaskMetricsReport, TaskMetrics, TaskMetricsReading } from '../../messages/metrics.ts';
import type { TaskManagerMsg } from '../../messages/task-manager.ts';
import type { Execution } from './execution-graph.ts';
import { runningByTaskManager } from './task-readings.ts';

/** How long a TaskManager may take to answer; longer than its own bound per task (TASK_METRICS_TIMEOUT_MS), so a slow task is named alone. */
export const TASK_MANAGER_METRICS_TIMEOUT_MS = 3_000;

/** The readings of the job's RUNNING subtasks; never rejects (a TaskManager that does not answer is a reason in its subtasks' readings). */
export function gatherMetrics(jobId: JobId, executions: readonly Execution[]): Promise<TaskMetricsReading[]> {
  const asks = runningByTaskManager(executions).map(({ slot, attempts }) =>
    ask<TaskManagerMsg, TaskMetrics>(slot.taskManager, (replyTo) => ({ type: 'RequestTaskMetrics', jobId, executionAttemptIds: attempts, replyTo }), TASK_MANAGER_METRICS_TIMEOUT_MS).then(
      (reply) => reply.readings,
      () => attempts.map((executionAttemptId) => ({ executionAttemptId, metrics: null, unavailable: `no answer from ${slot.resourceId} within ${TASK_MANAGER_METRICS_TIMEOUT_MS} ms` })),
    ),
  );
  return Promise.all(asks).then((groups) => groups.flat());
}

/** Every subtask in graph order: its reading, its final figures, or why it has none (its state when it was not asked). */
export function metricsReports(executions: readonly Execution[], readings: readonly TaskMetricsReading[]): SubtaskMetricsReport[] {
  const byAttempt = new Map(readings.map((reading) => [reading.executionAttemptId, reading]));
  return executions.map((execution): SubtaskMetricsReport => {
    const { vertex, subtaskIndex, attemptId, attemptNumber, state, finalMetrics } = execution;
    const reading = byAttempt.get(attemptId);
    const report = { vertexId: vertex.id, subtaskIndex, attemptNumber, taskManagerId: execution.resourceId ?? execution.slot?.resourceId ?? null, status: state };
    const metrics = reading?.metrics ?? finalMetrics;
    if (metrics) return { ...report, metrics };
    return { ...report, metrics: null, unavailable: reading?.unavailable ?? state };
  });
}
