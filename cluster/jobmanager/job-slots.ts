// The slots a JobManager holds, in the order granted (slot sharing: subtask i of every vertex runs in
// slot i), and its requests for them at the ResourceManager: each bounded by the ResourceManager's
// answer (SLOT_ANSWER_GRACE_MS past the request's own timeout, should that answer be lost), each
// TaskManager holding one watched (TaskManagerLost), and every one released at its TaskManager when
// the job ends. While slots are missing, SlotWaitReport says why. Runs on the JobManager's turn;
// what to do when slots come, fail to come or are lost stays the JobManager's.
import type { ActorContext, ActorRef, TimerScheduler } from '../../actors/index.ts';
import type { AllocationId, JobId, ResourceId } from '../../messages/ids.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import type { AllocatedSlot, ClusterOverview, ResourceManagerMsg } from '../../messages/resource-manager.ts';
import type { PrepareJob } from '../../messages/task-manager.ts';
import { SlotWaitReport, type SlotWaitTick } from './slot-wait.ts';

/** How much longer than its slot request's timeout the job waits for the ResourceManager's answer. */
export const SLOT_ANSWER_GRACE_MS = 5_000;

export type SlotsInternal =
  | { readonly type: 'SlotAnswerTimedOut' }
  | { readonly type: 'TaskManagerLost'; readonly resourceId: ResourceId; readonly path: string }
  // While waiting for slots: the refresh, and the ResourceManager's answer to it.
  | SlotWaitTick
  | ClusterOverview;

export class JobSlots {
  /** Granted by the ResourceManager, in the order granted. */
  private slots: AllocatedSlot[] = [];
  /** While slots are missing: what the job's details say about the wait. */
  readonly wait: SlotWaitReport;

  constructor(
    private readonly context: ActorContext<SlotsInternal>,
    private readonly jobId: JobId,
    private readonly resourceManager: ActorRef<ResourceManagerMsg>,
    private readonly slotRequestTimeoutMs: number,
    /** Where the ResourceManager sends its answers. */
    private readonly jobManager: ActorRef<JobManagerMsg>,
  ) {
    this.wait = new SlotWaitReport(context.timers as unknown as TimerScheduler<SlotWaitTick>, resourceManager, context.self as ActorRef<ClusterOverview>, slotRequestTimeoutMs);
  }

  get held(): readonly AllocatedSlot[] {
    return this.slots;
  }

  /** Asks for `count` more slots; the ResourceManager answers by its timeout, or SlotAnswerTimedOut ends the wait. */
  request(count: number): void {
    this.tellRequest(count);
    this.context.timers.startSingleTimer('slot-answer', { type: 'SlotAnswerTimedOut' }, this.slotRequestTimeoutMs + SLOT_ANSWER_GRACE_MS);
    this.wait.begin(count, this.slots.length);
  }

  /** Adds to the request in progress (its answer is awaited already). */
  requestMore(count: number): void {
    this.tellRequest(count);
  }

  /** The request is answered, or needs no answer any more. */
  answered(): void {
    this.context.timers.cancel('slot-answer');
  }

  /** Withdraws the request in progress. */
  cancelRequest(): void {
    this.resourceManager.tell({ type: 'CancelSlotRequest', jobId: this.jobId });
  }

  /** Held from now on (release() releases them); a slot already held is not added twice. */
  add(granted: readonly AllocatedSlot[]): void {
    for (const slot of granted) {
      if (this.slots.some((held) => held.allocationId === slot.allocationId)) continue;
      this.slots.push(slot);
      if (!this.slots.some((held) => held !== slot && held.resourceId === slot.resourceId)) {
        this.context.watchWith(slot.taskManager as ActorRef<never>, { type: 'TaskManagerLost', resourceId: slot.resourceId, path: slot.taskManager.path });
      }
    }
  }

  /** A TaskManager was lost: its slots are gone with it. Returns how many the job held there. */
  lost(path: string): number {
    const held = this.slots.length;
    this.slots = this.slots.filter((slot) => slot.taskManager.path !== path);
    return held - this.slots.length;
  }

  /** The slots held on that TaskManager (its heartbeat's answer). */
  allocationsOn(resourceId: ResourceId): AllocationId[] {
    return this.slots.filter((slot) => slot.resourceId === resourceId).map((slot) => slot.allocationId);
  }

  /** The job ended: each TaskManager frees the job's slots once its tasks are gone, and reports them free. */
  release(reason: string): void {
    if (this.slots.length === 0) return;
    const released = new Set<string>();
    for (const slot of this.slots) {
      if (released.has(slot.taskManager.path)) continue;
      released.add(slot.taskManager.path);
      slot.taskManager.tell({ type: 'ReleaseJob', jobId: this.jobId, reason });
    }
  }

  /** Slots granted during a restart's delay: each of their TaskManagers loads the job's code meanwhile (PrepareJob), once. */
  prepareJob(granted: readonly AllocatedSlot[], job: Omit<PrepareJob, 'type'>): void {
    const told = new Set<string>();
    for (const { taskManager } of granted) {
      if (told.has(taskManager.path)) continue;
      told.add(taskManager.path);
      taskManager.tell({ type: 'PrepareJob', ...job });
    }
  }

  private tellRequest(count: number): void {
    const { jobId, slotRequestTimeoutMs, jobManager } = this;
    this.resourceManager.tell({ type: 'RequestSlots', jobId, count, timeoutMs: slotRequestTimeoutMs, jobManager });
  }
}
