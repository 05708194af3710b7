// The ResourceManager's view of the TaskManagers and their slots. Pure data: the actor decides when.
// The TaskManagers' slot tables are the truth; this view is repaired from their reports (on
// registration and every heartbeat), so a lost message can leave it wrong for one heartbeat only.
// Slot states: 'free'; 'pending' (an AllocateSlot is on its way, its answer not here yet);
// 'allocated' (the TaskManager holds it for an allocation); 'unknown' (an allocation was refused or
// not answered: not picked again until the TaskManager's next report says what it is).
// Invariants: a TaskManager is registered at most once per resource id (a re-registration replaces
// the old entry); only the ResourceManager's own picks make a slot 'pending', only a report or an
// answer of its TaskManager makes it 'free' or 'allocated'.
import type { ActorRef } from '../../messages/actor-ref.ts';
import type { AllocationId, JobId, ResourceId } from '../../messages/ids.ts';
import type { AllocatedSlot, SlotStatus } from '../../messages/resource-manager.ts';
import type { TaskManagerMsg } from '../../messages/task-manager.ts';

export type SlotState = 'free' | 'pending' | 'allocated' | 'unknown';

export interface SlotView {
  readonly state: SlotState;
  readonly allocationId: AllocationId | null;
  readonly jobId: JobId | null;
}

export interface RegisteredTaskManager {
  readonly resourceId: ResourceId;
  readonly incarnation: string;
  readonly taskManager: ActorRef<TaskManagerMsg>;
  readonly dataAddress?: string;
  readonly slots: SlotView[];
}

export interface SlotChoice {
  readonly resourceId: ResourceId;
  readonly slotIndex: number;
  readonly taskManager: ActorRef<TaskManagerMsg>;
  readonly dataAddress?: string;
}

/** What a report changed for the allocations this ResourceManager has on their way. */
export interface ReportOutcome {
  /** Pending allocations the TaskManager holds: confirmed. */
  readonly confirmed: AllocationId[];
  /** Pending allocations whose slot the TaskManager holds for another: refused. */
  readonly displaced: AllocationId[];
}

const FREE: SlotView = { state: 'free', allocationId: null, jobId: null };

export class SlotManager {
  private readonly taskManagers = new Map<ResourceId, RegisteredTaskManager>();

  /** Registers (or replaces) a TaskManager; its slots are as `report` says, free where it says nothing. */
  register(resourceId: ResourceId, incarnation: string, taskManager: ActorRef<TaskManagerMsg>, slots: number, dataAddress?: string, report: readonly SlotStatus[] = []): void {
    this.taskManagers.set(resourceId, {
      resourceId,
      incarnation,
      taskManager,
      ...(dataAddress !== undefined ? { dataAddress } : {}),
      slots: Array.from({ length: slots }, () => FREE),
    });
    this.applyReport(resourceId, report);
  }

  get(resourceId: ResourceId): RegisteredTaskManager | undefined {
    return this.taskManagers.get(resourceId);
  }

  /** The allocations on their way to a registered TaskManager. */
  pendingOn(resourceId: ResourceId): AllocationId[] {
    const entry = this.taskManagers.get(resourceId);
    return entry ? pendingOf(entry) : [];
  }

  /** Removes a TaskManager if `incarnation` is still the registered one; its pending allocations, or undefined when not removed. */
  unregister(resourceId: ResourceId, incarnation: string): AllocationId[] | undefined {
    const entry = this.taskManagers.get(resourceId);
    if (entry?.incarnation !== incarnation) return undefined;
    this.taskManagers.delete(resourceId);
    return pendingOf(entry);
  }

  /** The TaskManager's own view of its slots wins, except over an allocation still on its way to it. */
  applyReport(resourceId: ResourceId, slots: readonly SlotStatus[]): ReportOutcome {
    const outcome: ReportOutcome = { confirmed: [], displaced: [] };
    const entry = this.taskManagers.get(resourceId);
    if (!entry) return outcome;
    for (const { index, allocationId, jobId } of slots) {
      const current = entry.slots[index];
      if (current === undefined) continue;
      const awaited = current.state === 'pending' || current.state === 'unknown';
      if (awaited && allocationId !== null && allocationId === current.allocationId) {
        // Held as asked: confirm() makes it 'allocated' (once, whichever of report and answer comes first).
        outcome.confirmed.push(allocationId);
        continue;
      }
      // Reported free: the AllocateSlot has not arrived yet (its answer or timeout decides).
      if (current.state === 'pending' && allocationId === null) continue;
      if (current.state === 'pending') outcome.displaced.push(current.allocationId as AllocationId);
      entry.slots[index] = allocationId === null ? FREE : { state: 'allocated', allocationId, jobId };
    }
    return outcome;
  }

  /** Every registered TaskManager's actor path. */
  get taskManagerPaths(): string[] {
    return [...this.taskManagers.values()].map((entry) => entry.taskManager.path);
  }

  /** Every registered TaskManager, in the order they registered. */
  get registered(): readonly RegisteredTaskManager[] {
    return [...this.taskManagers.values()];
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
    for (const entry of this.taskManagers.values()) for (const slot of entry.slots) if (slot.state === 'free') free++;
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
      indexes: entry.slots.flatMap((slot, index) => (slot.state === 'free' ? [index] : [])),
    }));
    const chosen: SlotChoice[] = [];
    while (chosen.length < count) {
      free.sort((a, b) => b.indexes.length - a.indexes.length || (a.entry.resourceId < b.entry.resourceId ? -1 : 1));
      const next = free[0];
      const slotIndex = next.indexes.shift() as number;
      chosen.push(choiceOf(next.entry, slotIndex));
    }
    return chosen;
  }

  /** The slot is on its way to `allocationId`. */
  markPending(choice: SlotChoice, allocationId: AllocationId, jobId: JobId): void {
    const entry = this.taskManagers.get(choice.resourceId);
    if (entry && entry.slots[choice.slotIndex] !== undefined) entry.slots[choice.slotIndex] = { state: 'pending', allocationId, jobId };
  }

  /**
   * Its TaskManager confirmed the allocation: the slot and its job, as a JobManager is given it;
   * undefined when no slot here awaits it (unknown, or confirmed before).
   */
  confirm(allocationId: AllocationId): { readonly slot: AllocatedSlot; readonly jobId: JobId } | undefined {
    const found = this.find(allocationId);
    if (!found) return undefined;
    const { entry, index } = found;
    const { state, jobId } = entry.slots[index];
    if (state !== 'pending' && state !== 'unknown') return undefined;
    entry.slots[index] = { state: 'allocated', allocationId, jobId };
    const { resourceId, slotIndex, taskManager, dataAddress } = choiceOf(entry, index);
    return { slot: { allocationId, resourceId, slotIndex, taskManager, ...(dataAddress !== undefined ? { dataAddress } : {}) }, jobId: jobId as JobId };
  }

  /** The allocation was refused or not answered: its slot is not picked until the next report. */
  forget(allocationId: AllocationId): void {
    const found = this.find(allocationId);
    const slot = found?.entry.slots[found.index];
    // The allocation stays named: a late confirmation still finds its slot.
    if (found && slot?.state === 'pending') found.entry.slots[found.index] = { state: 'unknown', allocationId, jobId: slot.jobId };
  }

  /** The TaskManager and slot index the allocation is (or is on its way to). */
  locate(allocationId: AllocationId): { readonly resourceId: ResourceId; readonly slotIndex: number } | undefined {
    const found = this.find(allocationId);
    return found && { resourceId: found.entry.resourceId, slotIndex: found.index };
  }

  private find(allocationId: AllocationId): { readonly entry: RegisteredTaskManager; readonly index: number } | undefined {
    for (const entry of this.taskManagers.values()) {
      const index = entry.slots.findIndex((slot) => slot.allocationId === allocationId);
      if (index >= 0) return { entry, index };
    }
    return undefined;
  }
}

function choiceOf(entry: RegisteredTaskManager, slotIndex: number): SlotChoice {
  const { resourceId, taskManager, dataAddress } = entry;
  return { resourceId, slotIndex, taskManager, ...(dataAddress !== undefined ? { dataAddress } : {}) };
}

function pendingOf(entry: RegisteredTaskManager): AllocationId[] {
  return entry.slots.flatMap((slot) => (slot.state === 'pending' ? [slot.allocationId as AllocationId] : []));
}
