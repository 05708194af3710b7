// What the ResourceManager tells a client of its TaskManagers (Flink's /taskmanagers): its own view
// (registration, slots, last report) and what each TaskManager says of itself when asked (process
// metrics, the tasks in each slot), one bounded ask per TaskManager. One that does not answer is
// listed all the same, with its metrics null and why.
import { ask } from '../../actors/index.ts';
import type { ResourceId } from '../../messages/ids.ts';
import type { SlotInfo, TaskManagerInfo, TaskManagerMetricsReport } from '../../messages/metrics.ts';
import type { TaskManagerMsg } from '../../messages/task-manager.ts';
import type { RegisteredTaskManager } from './slot-manager.ts';

/** How long a TaskManager may take to report on itself. */
export const TASK_MANAGER_INFO_TIMEOUT_MS = 2_000;

/** When a TaskManager registered and last reported its slots (epoch ms). */
export interface TaskManagerTimes {
  readonly registeredAt: number;
  lastHeartbeat: number;
}

/** Each TaskManager's info; never rejects. */
export function gatherTaskManagerInfos(taskManagers: readonly RegisteredTaskManager[], times: ReadonlyMap<ResourceId, TaskManagerTimes>): Promise<TaskManagerInfo[]> {
  return Promise.all(
    taskManagers.map((entry) =>
      ask<TaskManagerMsg, TaskManagerMetricsReport>(entry.taskManager, (replyTo) => ({ type: 'RequestTaskManagerMetrics', replyTo }), TASK_MANAGER_INFO_TIMEOUT_MS).then(
        (report) => infoOf(entry, times.get(entry.resourceId), report),
        () => infoOf(entry, times.get(entry.resourceId), null),
      ),
    ),
  );
}

function infoOf(entry: RegisteredTaskManager, times: TaskManagerTimes | undefined, report: TaskManagerMetricsReport | null): TaskManagerInfo {
  const dataPort = Number(/:(\d+)$/.exec(entry.dataAddress ?? '')?.[1] ?? 0);
  // The TaskManager's slot table is the truth for the tasks; this view for what is free (a pending allocation is not).
  const slots: SlotInfo[] = entry.slots.map((slot, index) => report?.slots[index] ?? { index, jobId: slot.jobId, tasks: [] });
  return {
    id: entry.resourceId,
    path: entry.taskManager.path,
    dataPort,
    slotsTotal: entry.slots.length,
    slotsFree: entry.slots.filter((slot) => slot.state === 'free').length,
    registeredAt: times?.registeredAt ?? 0,
    lastHeartbeat: times?.lastHeartbeat ?? 0,
    slots,
    metrics: report?.metrics ?? null,
    ...(report ? {} : { unavailable: `no answer from ${entry.resourceId} within ${TASK_MANAGER_INFO_TIMEOUT_MS} ms` }),
  };
}
