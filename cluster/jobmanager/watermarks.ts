// A job's watermarks for a client (weir info): the JobManager asks each TaskManager running RUNNING
// subtasks of the job for their readings (one ask per TaskManager, bounded), then reports every
// subtask of the job in graph order, with its reading or why it has none. Nothing is tracked
// between requests: the subtasks read their watermarks when asked.
import { ask } from '../../actors/index.ts';
import type { JobId } from '../../messages/ids.ts';
import type { TaskManagerMsg, TaskWatermarks } from '../../messages/task-manager.ts';
import type { SubtaskWatermarkReport, TaskWatermarkReading } from '../../messages/watermarks.ts';
import type { Execution } from './execution-graph.ts';
import { runningByTaskManager } from './task-readings.ts';

/** How long a TaskManager may take to answer; longer than its own bound per task (TASK_WATERMARKS_TIMEOUT_MS), so a slow task is named alone. */
export const TASK_MANAGER_WATERMARKS_TIMEOUT_MS = 3_000;

/** The readings of the job's RUNNING subtasks; never rejects (a TaskManager that does not answer is a reason in its subtasks' readings). */
export function gatherWatermarks(jobId: JobId, executions: readonly Execution[]): Promise<TaskWatermarkReading[]> {
  const asks = runningByTaskManager(executions).map(({ slot, attempts }) =>
    ask<TaskManagerMsg, TaskWatermarks>(
      slot.taskManager,
      (replyTo) => ({ type: 'RequestTaskWatermarks', jobId, executionAttemptIds: attempts, replyTo }),
      TASK_MANAGER_WATERMARKS_TIMEOUT_MS,
    ).then(
      (reply) => reply.readings,
      () => attempts.map((executionAttemptId) => ({ executionAttemptId, watermarks: null, unavailable: `no answer from ${slot.resourceId} within ${TASK_MANAGER_WATERMARKS_TIMEOUT_MS} ms` })),
    ),
  );
  return Promise.all(asks).then((groups) => groups.flat());
}

/** Every subtask in graph order: its reading, or why it has none (its state when it was not asked). */
export function watermarkReports(executions: readonly Execution[], readings: readonly TaskWatermarkReading[]): SubtaskWatermarkReport[] {
  const byAttempt = new Map(readings.map((reading) => [reading.executionAttemptId, reading]));
  return executions.map(({ vertex, subtaskIndex, attemptId, state }): SubtaskWatermarkReport => {
    const reading = byAttempt.get(attemptId);
    if (reading?.watermarks) return { vertexId: vertex.id, subtaskIndex, watermarks: reading.watermarks };
    return { vertexId: vertex.id, subtaskIndex, watermarks: null, unavailable: reading?.unavailable ?? state };
  });
}
