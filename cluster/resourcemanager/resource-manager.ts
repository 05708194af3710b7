// The ResourceManager actor: registers TaskManagers, watches them, and hands their slots to
// JobManagers. A slot request waits until enough slots are free or its timeout passes; a lost
// TaskManager's slots disappear with it (its JobManagers watch it and fail their jobs).
import { type ActorContext, type ActorRef, AbstractBehavior, type Behavior, Behaviors, resume, supervise } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import { describeError } from '../../messages/errors.ts';
import { type JobId, type ResourceId, newAllocationId } from '../../messages/ids.ts';
import { type AllocatedSlot, MAX_SLOTS_PER_TASK_MANAGER, type RequestSlots, type ResourceManagerMsg } from '../../messages/resource-manager.ts';
import type { AllocateSlotReply } from '../../messages/task-manager.ts';
import { type SlotChoice, SlotManager } from './slot-manager.ts';

/** How long a TaskManager has to confirm a slot allocation. */
export const ALLOCATE_SLOT_TIMEOUT_MS = 10_000;
/** Pause before slots are picked again after a TaskManager refused an allocation. */
export const RETRY_ALLOCATION_MS = 200;

type Internal =
  | { readonly type: 'TaskManagerLost'; readonly resourceId: ResourceId; readonly incarnation: string }
  | { readonly type: 'SlotRequestTimedOut'; readonly requestId: number }
  | { readonly type: 'RetryAllocation' }
  | { readonly type: 'AllocationConfirmed'; readonly requestId: number; readonly result: Result<readonly AllocateSlotReply[]> };

type Msg = ResourceManagerMsg | Internal;

interface PendingRequest {
  readonly id: number;
  readonly request: RequestSlots;
  /** Set while TaskManagers confirm the slots chosen for it. */
  inFlight?: readonly AllocatedSlot[];
}

export function resourceManager(): Behavior<ResourceManagerMsg> {
  // resume: a handler that throws drops its message; the slot table is only changed after the
  // checks. A restart would forget every TaskManager, and they would not register again: they
  // watch this actor, which a restart does not stop.
  return supervise(Behaviors.setup<Msg>((ctx) => new ResourceManager(ctx)), resume()) as unknown as Behavior<ResourceManagerMsg>;
}

class ResourceManager extends AbstractBehavior<Msg> {
  private readonly slots = new SlotManager();
  private readonly pending: PendingRequest[] = [];
  private nextRequestId = 1;
  /** Changes when this ResourceManager restarts: TaskManagers register again. */
  private readonly resourceManagerId: string;

  constructor(ctx: ActorContext<Msg>) {
    super(ctx);
    this.resourceManagerId = ctx.system.uid;
  }

  onMessage(msg: Msg): Behavior<Msg> {
    switch (msg.type) {
      case 'RegisterTaskManager': {
        if (!Number.isInteger(msg.slots) || msg.slots < 1 || msg.slots > MAX_SLOTS_PER_TASK_MANAGER) {
          const reason = `a TaskManager needs at least one slot and at most ${MAX_SLOTS_PER_TASK_MANAGER}, ${msg.resourceId} offers ${msg.slots}`;
          msg.replyTo.tell({ type: 'DeclineRegistration', reason });
          return this;
        }
        const previous = this.slots.get(msg.resourceId);
        if (previous && previous.incarnation !== msg.incarnation) this.context.unwatch(previous.taskManager as ActorRef<never>);
        this.slots.register(msg.resourceId, msg.incarnation, msg.taskManager, msg.slots, msg.dataAddress);
        this.context.watchWith(msg.taskManager as ActorRef<never>, { type: 'TaskManagerLost', resourceId: msg.resourceId, incarnation: msg.incarnation });
        this.context.log.info(`registered TaskManager ${msg.resourceId} with ${msg.slots} slots`, { taskManager: msg.taskManager.path });
        msg.replyTo.tell({ type: 'AcknowledgeRegistration', resourceId: msg.resourceId, resourceManagerId: this.resourceManagerId });
        this.serve();
        return this;
      }
      case 'SlotReport':
        this.slots.applyReport(msg.resourceId, msg.slots);
        this.serve();
        return this;
      case 'TaskManagerLost':
        if (this.slots.unregister(msg.resourceId, msg.incarnation)) {
          this.context.log.warn(`TaskManager ${msg.resourceId} is gone; its slots are removed`);
        }
        return this;
      case 'RequestSlots': {
        const id = this.nextRequestId++;
        this.pending.push({ id, request: msg });
        this.context.timers.startSingleTimer(`request-${id}`, { type: 'SlotRequestTimedOut', requestId: id }, msg.timeoutMs);
        this.serve();
        return this;
      }
      case 'SlotRequestTimedOut': {
        const index = this.pending.findIndex((p) => p.id === msg.requestId);
        if (index < 0 || this.pending[index].inFlight) return this;
        const [{ request }] = this.pending.splice(index, 1);
        request.replyTo.tell({ type: 'SlotRequestFailed', jobId: request.jobId, reason: this.shortage(request) });
        return this;
      }
      case 'CancelSlotRequest': {
        const index = this.pending.findIndex((p) => p.request.jobId === msg.jobId && !p.inFlight);
        if (index < 0) return this;
        const [{ id, request }] = this.pending.splice(index, 1);
        this.context.timers.cancel(`request-${id}`);
        request.replyTo.tell({ type: 'SlotRequestFailed', jobId: request.jobId, reason: 'the request was cancelled' });
        return this;
      }
      case 'AllocationConfirmed':
        this.confirmed(msg.requestId, msg.result);
        return this;
      case 'RetryAllocation':
        this.serve();
        return this;
      case 'FreeSlots':
        this.slots.free(msg.allocationIds);
        this.serve();
        return this;
      case 'RequestClusterOverview':
        msg.replyTo.tell({
          type: 'ClusterOverview',
          taskManagers: this.slots.taskManagerCount,
          slotsTotal: this.slots.totalSlots,
          slotsFree: this.slots.freeSlots,
        });
        return this;
      default:
        // Another protocol's message (the compiler proves ours are all handled): logged and dropped.
        msg satisfies never;
        return Behaviors.unhandled;
    }
  }

  /** Serves waiting requests in arrival order, as long as enough slots are free for the first. */
  private serve(): void {
    for (const pending of this.pending) {
      if (pending.inFlight) continue;
      const choices = this.slots.pick(pending.request.count);
      if (!choices) return;
      this.allocate(pending, choices);
    }
  }

  private allocate(pending: PendingRequest, choices: readonly SlotChoice[]): void {
    const { jobId } = pending.request;
    const slots = choices.map((choice): AllocatedSlot => {
      const allocationId = newAllocationId();
      this.slots.allocate(choice, allocationId, jobId);
      const { resourceId, slotIndex, taskManager, dataAddress } = choice;
      return { allocationId, resourceId, slotIndex, taskManager, ...(dataAddress !== undefined ? { dataAddress } : {}) };
    });
    pending.inFlight = slots;
    const system = this.context.system;
    const confirmations = Promise.all(
      slots.map((slot) =>
        system.ask<Parameters<typeof slot.taskManager.tell>[0], AllocateSlotReply>(
          slot.taskManager,
          (replyTo) => ({ type: 'AllocateSlot', allocationId: slot.allocationId, jobId, slotIndex: slot.slotIndex, replyTo }),
          ALLOCATE_SLOT_TIMEOUT_MS,
        ),
      ),
    );
    this.context.pipeToSelf(confirmations, (result) => ({ type: 'AllocationConfirmed', requestId: pending.id, result }));
  }

  private confirmed(requestId: number, result: Result<readonly AllocateSlotReply[]>): void {
    const index = this.pending.findIndex((p) => p.id === requestId);
    if (index < 0) return;
    const pending = this.pending[index];
    const slots = pending.inFlight ?? [];
    const refused = result.ok ? result.value.find((reply) => reply.type === 'SlotAllocationFailed') : undefined;
    if (result.ok && !refused) {
      this.pending.splice(index, 1);
      this.context.timers.cancel(`request-${requestId}`);
      pending.request.replyTo.tell({ type: 'SlotsAllocated', jobId: pending.request.jobId, slots });
      return;
    }
    // A TaskManager did not confirm: give the slots back and try again with what is left.
    const reason = result.ok ? (refused?.type === 'SlotAllocationFailed' ? refused.reason : 'refused') : describeError(result.error);
    this.context.log.warn(`slot allocation for job ${pending.request.jobId} failed: ${reason}`);
    this.slots.free(slots.map((slot) => slot.allocationId));
    pending.inFlight = undefined;
    if (!this.context.timers.isTimerActive(`request-${requestId}`)) {
      this.pending.splice(index, 1);
      pending.request.replyTo.tell({ type: 'SlotRequestFailed', jobId: pending.request.jobId, reason: `${this.shortage(pending.request)}; last error: ${reason}` });
      return;
    }
    // Not at once: the same TaskManager would be picked and refuse again, in a tight loop.
    this.context.timers.startSingleTimer('retry', { type: 'RetryAllocation' }, RETRY_ALLOCATION_MS);
  }

  private shortage(request: { jobId: JobId; count: number; timeoutMs: number }): string {
    return (
      `job ${request.jobId} needs ${request.count} slot${request.count === 1 ? '' : 's'}, but only ${this.slots.freeSlots} ` +
      `of ${this.slots.totalSlots} are free (${this.slots.taskManagerCount} TaskManagers registered) after waiting ${request.timeoutMs} ms`
    );
  }
}
