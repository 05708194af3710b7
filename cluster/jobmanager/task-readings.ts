// What the JobManager asks its TaskManagers about running subtasks (their watermarks, their
// metrics): one ask per TaskManager, naming the RUNNING attempts there, so a slow TaskManager is
// named alone in the answer.
import type { ExecutionAttemptId } from '../../messages/ids.ts';
import type { AllocatedSlot } from '../../messages/resource-manager.ts';
import type { Execution } from './execution-graph.ts';

export interface TaskManagerGroup {
  readonly slot: AllocatedSlot;
  readonly attempts: ExecutionAttemptId[];
}

/** The RUNNING executions grouped by the TaskManager they run on. */
export function runningByTaskManager(executions: readonly Execution[]): TaskManagerGroup[] {
  const byTaskManager = new Map<string, TaskManagerGroup>();
  for (const execution of executions) {
    const slot = execution.slot;
    if (execution.state !== 'RUNNING' || !slot) continue;
    let group = byTaskManager.get(slot.taskManager.path);
    if (!group) byTaskManager.set(slot.taskManager.path, (group = { slot, attempts: [] }));
    group.attempts.push(execution.attemptId);
  }
  return [...byTaskManager.values()];
}
