// A TaskManager's slots: which allocation (and job) holds each one.
import type { AllocationId, JobId } from '../../messages/ids.ts';
import type { SlotStatus } from '../../messages/resource-manager.ts';

export class SlotTable {
  private readonly slots: { allocationId: AllocationId | null; jobId: JobId | null }[];

  constructor(count: number) {
    this.slots = Array.from({ length: count }, () => ({ allocationId: null, jobId: null }));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Allocates slot `index` to the allocation; returns a reason when it cannot. Idempotent. */
  allocate(index: number, allocationId: AllocationId, jobId: JobId): string | undefined {
    const slot = this.slots[index];
    if (!slot) return `slot ${index} does not exist (this TaskManager has ${this.slots.length})`;
    if (slot.allocationId === allocationId) return undefined;
    if (slot.allocationId !== null) return `slot ${index} is already allocated to job ${slot.jobId}`;
    slot.allocationId = allocationId;
    slot.jobId = jobId;
    return undefined;
  }

  jobOf(allocationId: AllocationId): JobId | undefined {
    return this.slots.find((slot) => slot.allocationId === allocationId)?.jobId ?? undefined;
  }

  /** Frees every slot of `jobId`; returns how many. */
  freeJob(jobId: JobId): number {
    let freed = 0;
    for (const slot of this.slots) {
      if (slot.jobId === jobId) {
        slot.allocationId = null;
        slot.jobId = null;
        freed++;
      }
    }
    return freed;
  }

  report(): SlotStatus[] {
    return this.slots.map((slot, index) => ({ index, allocationId: slot.allocationId, jobId: slot.jobId }));
  }
}
