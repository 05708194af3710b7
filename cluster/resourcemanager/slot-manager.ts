// The ResourceManager's table of TaskManagers and their slots. Pure data: the actor decides when.
// Invariants: a slot is free, or allocated to exactly one (allocationId, jobId); a TaskManager is
// registered at most once per resource id (a re-registration replaces the old entry).
import type { ActorRef } from '../../messages/actor-ref.ts';
import type { AllocationId, JobId, ResourceId } from '../../messages/ids.ts';
import type { SlotStatus } from '../../messages/resource-manager.ts';
import type { TaskManagerMsg } from '../../messages/task-manager.ts';

export interface RegisteredTaskManager {
  readonly resourceId: ResourceId;
  readonly incarnation: string;
  readonly taskManager: ActorRef<TaskManagerMsg>;
  readonly dataAddress?: string;
  readonly slots: { allocationId: AllocationId | null; jobId: JobId | null }[];
}

export interface SlotChoice {
  readonly resourceId: ResourceId;
  readonly slotIndex: number;
  readonly taskManager: ActorRef<TaskManagerMsg>;
  readonly dataAddress?: string;
}

export class SlotManager {
  private readonly taskManagers = new Map<ResourceId, RegisteredTaskManager>();

  register(resourceId: ResourceId, incarnation: string, taskManager: ActorRef<TaskManagerMsg>, slots: number, dataAddress?: string): void {
    this.taskManagers.set(resourceId, {
      resourceId,
      incarnation,
      taskManager,
      ...(dataAddress !== undefined ? { dataAddress } : {}),
      slots: Array.from({ length: slots }, () => ({ allocationId: null, jobId: null })),
    });
  }

  get(resourceId: ResourceId): RegisteredTaskManager | undefined {
    return this.taskManagers.get(resourceId);
  }

  /** Removes a TaskManager if `incarnation` is still the registered one; true when removed. */
  unregister(resourceId: ResourceId, incarnation: string): boolean {
    if (this.taskManagers.get(resourceId)?.incarnation !== incarnation) return false;
    return this.taskManagers.delete(resourceId);
  }

  /** The TaskManager's own view of its slots wins (e.g. after a ResourceManager restart). */
  applyReport(resourceId: ResourceId, slots: readonly SlotStatus[]): void {
    const entry = this.taskManagers.get(resourceId);
    if (!entry) return;
    for (const slot of slots) {
      if (slot.index >= 0 && slot.index < entry.slots.length) entry.slots[slot.index] = { allocationId: slot.allocationId, jobId: slot.jobId };
    }
  }

  get taskManagerCount(): number {
    return this.taskManagers.size;
  }

  get totalSlots(): number {
    let total = 0;
    for (const entry of this.taskManagers.values()) total += entry.slots.length;
    return total;
  }

  get freeSlots(): number {
    let free = 0;
    for (const entry of this.taskManagers.values()) for (const slot of entry.slots) if (slot.allocationId === null) free++;
    return free;
  }

  /**
   * Picks `count` free slots spread over the TaskManagers (the one with most free slots first, as
   * Flink's cluster.evenly-spread-out-slots), or undefined when there are not enough.
   */
  pick(count: number): SlotChoice[] | undefined {
    if (this.freeSlots < count) return undefined;
    const free = [...this.taskManagers.values()].map((entry) => ({
      entry,
      indexes: entry.slots.flatMap((slot, index) => (slot.allocationId === null ? [index] : [])),
    }));
    const chosen: SlotChoice[] = [];
    while (chosen.length < count) {
      free.sort((a, b) => b.indexes.length - a.indexes.length || (a.entry.resourceId < b.entry.resourceId ? -1 : 1));
      const next = free[0];
      const slotIndex = next.indexes.shift() as number;
      const { resourceId, taskManager, dataAddress } = next.entry;
      chosen.push({ resourceId, slotIndex, taskManager, ...(dataAddress !== undefined ? { dataAddress } : {}) });
    }
    return chosen;
  }

  allocate(choice: SlotChoice, allocationId: AllocationId, jobId: JobId): void {
    const slot = this.taskManagers.get(choice.resourceId)?.slots[choice.slotIndex];
    if (slot) {
      slot.allocationId = allocationId;
      slot.jobId = jobId;
    }
  }

  free(allocationIds: readonly AllocationId[]): void {
    const ids = new Set(allocationIds);
    for (const entry of this.taskManagers.values()) {
      for (const slot of entry.slots) {
        if (slot.allocationId !== null && ids.has(slot.allocationId)) {
          slot.allocationId = null;
          slot.jobId = null;
        }
      }
    }
  }
}
