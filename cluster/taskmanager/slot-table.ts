// A TaskManager's slots: which allocation (and job) holds each one. This table is the truth about
// what the TaskManager holds; the ResourceManager's view is repaired from its reports.
// Invariants: a slot is free, or held by exactly one allocation; a released allocation ('releasing')
// keeps its slot until the TaskManager frees it, which it does only once the slot's tasks are gone.
import type { AllocationId, JobId } from '../../messages/ids.ts';
import type { SlotStatus } from '../../messages/resource-manager.ts';

export interface SlotAllocation {
  readonly allocationId: AllocationId;
  readonly jobId: JobId;
  /** The owner's last heartbeat did not list it: the next one that does not either frees it. */
  missed: boolean;
  /** Released by its owner; freed once its tasks are gone. */
  releasing: boolean;
  /** When it was allocated here (ms): its grant may still be on its way to the owner for a while. */
  readonly allocatedAt: number;
}

export class SlotTable {
  private readonly slots: (SlotAllocation | null)[];

  constructor(count: number) {
    this.slots = Array.from({ length: count }, () => null);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Allocates slot `index` to the allocation; returns a reason when it cannot. Idempotent. */
  allocate(index: number, allocationId: AllocationId, jobId: JobId, now = 0): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.slots.length) return `slot ${index} does not exist (this TaskManager has ${this.slots.length})`;
    const slot = this.slots[index];
    if (slot?.allocationId === allocationId && !slot.releasing) return undefined;
    if (slot?.releasing) return `slot ${index} is being released by job ${slot.jobId}: its tasks have not stopped yet`;
    if (slot) return `slot ${index} is already allocated to job ${slot.jobId}`;
    this.slots[index] = { allocationId, jobId, missed: false, releasing: false, allocatedAt: now };
    return undefined;
  }

  get(allocationId: AllocationId): SlotAllocation | undefined {
    return this.slots.find((slot) => slot?.allocationId === allocationId) ?? undefined;
  }

  /** The job an allocation serves, unless it is unknown here or being released. */
  jobOf(allocationId: AllocationId): JobId | undefined {
    const slot = this.get(allocationId);
    return slot && !slot.releasing ? slot.jobId : undefined;
  }

  allocationsOf(jobId: JobId): SlotAllocation[] {
    return this.slots.filter((slot): slot is SlotAllocation => slot !== null && slot.jobId === jobId);
  }

  /**
   * The job's allocations its owner's heartbeat did not list (`held`) for the second time in a row:
   * the first miss may be a grant still on its way to the owner. An allocation younger than
   * `graceMs` counts no miss at all: on a loaded machine the grant (TaskManager -> ResourceManager ->
   * JobManager) can take longer than two heartbeats.
   */
  missedTwice(jobId: JobId, held: ReadonlySet<AllocationId>, now = 0, graceMs = 0): AllocationId[] {
    const gone: AllocationId[] = [];
    for (const slot of this.allocationsOf(jobId)) {
      if (held.has(slot.allocationId) || slot.releasing || now - slot.allocatedAt < graceMs) slot.missed = false;
      else if (slot.missed) gone.push(slot.allocationId);
      else slot.missed = true;
    }
    return gone;
  }

  /** Frees the allocation's slot; false when it holds none. Only once the slot's tasks are gone. */
  free(allocationId: AllocationId): boolean {
    const index = this.slots.findIndex((slot) => slot?.allocationId === allocationId);
    if (index < 0) return false;
    this.slots[index] = null;
    return true;
  }

  /** What the ResourceManager is told: a slot being released still counts as held. */
  report(): SlotStatus[] {
    return this.slots.map((slot, index) => ({ index, allocationId: slot?.allocationId ?? null, jobId: slot?.jobId ?? null }));
  }
}
