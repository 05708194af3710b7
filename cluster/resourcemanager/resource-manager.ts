// The ResourceManager actor: registers TaskManagers, watches them, and brokers their slots to
// JobManagers. A request for n slots waits until n are free (requests are served independently: one
// that cannot be met does not hold back a later, smaller one), then has each chosen TaskManager
// allocate its slot (AllocateSlot, answered here) and grants each confirmed slot to the JobManager
// at once (SlotsAllocated), which owns it from then on. A refused or unanswered allocation is
// replaced by another free slot; the slots already granted stay granted. At the request's timeout
// the JobManager gets SlotRequestFailed and frees what it was granted. This actor never frees a slot
// itself: its view follows the TaskManagers' slot reports.
import { type ActorContext, type ActorRef, AbstractBehavior, type Behavior, Behaviors, parseActorPath, resume, supervise } from '../../actors/index.ts';
import { type AllocationId, type JobId, type ResourceId, newAllocationId } from '../../messages/ids.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import { type AllocatedSlot, MAX_SLOTS_PER_TASK_MANAGER, type RequestSlots, type ResourceManagerMsg, type TaskManagersChanged } from '../../messages/resource-manager.ts';
import type { AllocateSlotReply } from '../../messages/task-manager.ts';
import type { RequestTaskManagerDetails, RequestTaskManagers, TaskManagerInfo } from '../../messages/metrics.ts';
import { type TaskManagerTimes, gatherTaskManagerInfos } from './task-manager-infos.ts';
import { type SlotChoice, SlotManager } from './slot-manager.ts';

/** How long a TaskManager has to confirm a slot allocation before another slot is chosen. */
export const ALLOCATE_SLOT_TIMEOUT_MS = 10_000;

export interface ResourceManagerOptions {
  /** Default ALLOCATE_SLOT_TIMEOUT_MS. */
  readonly allocateSlotTimeoutMs?: number;
}

type Internal =
  | { readonly type: 'TaskManagersGathered'; readonly infos: readonly TaskManagerInfo[]; readonly request: RequestTaskManagers | RequestTaskManagerDetails }
  | { readonly type: 'TaskManagerLost'; readonly resourceId: ResourceId; readonly incarnation: string }
  | { readonly type: 'SlotRequestTimedOut'; readonly requestId: number }
  | { readonly type: 'AllocationTimedOut'; readonly allocationId: AllocationId }
  | { readonly type: 'TaskManagerWatcherGone'; readonly path: string };

type Msg = ResourceManagerMsg | Internal;

interface PendingRequest {
  readonly id: number;
  readonly jobId: JobId;
  readonly count: number;
  readonly timeoutMs: number;
  readonly jobManager: ActorRef<JobManagerMsg>;
  /** Slots confirmed and granted to the JobManager. */
  granted: number;
  /** Allocations sent to TaskManagers, not answered yet. */
  readonly inFlight: Set<AllocationId>;
}

export function resourceManager(options: ResourceManagerOptions = {}): Behavior<ResourceManagerMsg> {
  // resume: a handler that throws drops its message; the slot table is only changed after the
  // checks. A restart would forget every TaskManager, and they would not register again: they
  // watch this actor, which a restart does not stop.
  return supervise(Behaviors.setup<Msg>((ctx) => new ResourceManager(ctx, options)), resume()) as unknown as Behavior<ResourceManagerMsg>;
}

class ResourceManager extends AbstractBehavior<Msg> {
  private readonly slots = new SlotManager();
  /** In arrival order. */
  private readonly requests: PendingRequest[] = [];
  /** Each allocation on its way to a TaskManager, and the request it is for. */
  private readonly inFlight = new Map<AllocationId, number>();
  private nextRequestId = 1;
  /** Changes when this ResourceManager restarts: TaskManagers register again. */
  private readonly resourceManagerId: string;
  private readonly allocateSlotTimeoutMs: number;
  /** WatchTaskManagers' watchers by path: told of every registration and loss. */
  private readonly taskManagerWatchers = new Map<string, ActorRef<TaskManagersChanged>>();
  /** When each registered TaskManager registered and last reported (for clients). */
  private readonly times = new Map<ResourceId, TaskManagerTimes>();

  constructor(ctx: ActorContext<Msg>, options: ResourceManagerOptions) {
    super(ctx);
    this.resourceManagerId = ctx.system.uid;
    this.allocateSlotTimeoutMs = options.allocateSlotTimeoutMs ?? ALLOCATE_SLOT_TIMEOUT_MS;
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
        const stranded = this.slots.pendingOn(msg.resourceId);
        if (previous && previous.incarnation !== msg.incarnation) this.context.unwatch(previous.taskManager as ActorRef<never>);
        this.slots.register(msg.resourceId, msg.incarnation, msg.taskManager, msg.slots, msg.dataAddress, msg.slotReport);
        this.times.set(msg.resourceId, { registeredAt: Date.now(), lastHeartbeat: Date.now() });
        this.context.watchWith(msg.taskManager as ActorRef<never>, { type: 'TaskManagerLost', resourceId: msg.resourceId, incarnation: msg.incarnation });
        this.context.log.info(`registered TaskManager ${msg.resourceId} with ${msg.slots} slots`, { taskManager: msg.taskManager.path });
        msg.replyTo.tell({ type: 'AcknowledgeRegistration', resourceId: msg.resourceId, resourceManagerId: this.resourceManagerId });
        for (const allocationId of stranded) this.notAllocated(allocationId);
        this.serve();
        this.tellTaskManagerWatchers();
        return this;
      }
      case 'SlotReport': {
        const { confirmed, displaced } = this.slots.applyReport(msg.resourceId, msg.slots);
        const times = this.times.get(msg.resourceId);
        if (times) times.lastHeartbeat = Date.now();
        for (const allocationId of confirmed) this.confirmed(allocationId);
        for (const allocationId of displaced) this.notAllocated(allocationId);
        this.serve();
        return this;
      }
      case 'SlotAllocated':
        this.confirmed(msg.allocationId);
        return this;
      case 'SlotAllocationFailed':
        this.context.log.warn(`slot allocation ${msg.allocationId} was refused: ${msg.reason}`);
        this.slots.forget(msg.allocationId);
        this.notAllocated(msg.allocationId);
        this.serve();
        return this;
      case 'AllocationTimedOut': {
        if (!this.inFlight.has(msg.allocationId)) return this;
        const where = this.slots.locate(msg.allocationId);
        const slot = where ? `slot ${where.slotIndex} of ${where.resourceId}` : 'a slot';
        this.context.log.warn(`${slot} was not confirmed within ${this.allocateSlotTimeoutMs} ms (allocation ${msg.allocationId}); choosing another`);
        this.slots.forget(msg.allocationId);
        this.notAllocated(msg.allocationId);
        this.serve();
        return this;
      }
      case 'TaskManagerLost': {
        const stranded = this.slots.unregister(msg.resourceId, msg.incarnation);
        if (stranded) {
          this.context.log.warn(`TaskManager ${msg.resourceId} is gone; its slots are removed`);
          this.times.delete(msg.resourceId);
          for (const allocationId of stranded) this.notAllocated(allocationId);
          this.serve();
          this.tellTaskManagerWatchers();
        }
        return this;
      }
      case 'WatchTaskManagers':
        this.taskManagerWatchers.set(msg.watcher.path, msg.watcher);
        this.context.watchWith(msg.watcher as ActorRef<never>, { type: 'TaskManagerWatcherGone', path: msg.watcher.path });
        msg.watcher.tell(this.taskManagersChanged());
        return this;
      case 'TaskManagerWatcherGone':
        this.taskManagerWatchers.delete(msg.path);
        return this;
      case 'RequestSlots':
        this.request(msg);
        return this;
      case 'SlotRequestTimedOut': {
        const request = this.requests.find((r) => r.id === msg.requestId);
        if (request) this.fail(request, this.shortage(request));
        return this;
      }
      case 'CancelSlotRequest': {
        const request = this.requests.find((r) => r.jobId === msg.jobId);
        if (request) this.fail(request, 'the request was cancelled');
        return this;
      }
      case 'RequestClusterOverview':
        msg.replyTo.tell({
          type: 'ClusterOverview',
          taskManagers: this.slots.taskManagerCount,
          slotsTotal: this.slots.totalSlots,
          slotsFree: this.slots.freeSlots,
        });
        return this;
      case 'RequestTaskManagers':
      case 'RequestTaskManagerDetails': {
        // Each TaskManager is asked on its own turn (bounded); the answer goes to the client from TaskManagersGathered.
        const wanted = msg.type === 'RequestTaskManagers' ? this.slots.registered : this.slots.registered.filter((entry) => entry.resourceId === msg.taskManagerId);
        if (msg.type === 'RequestTaskManagerDetails' && wanted.length === 0) {
          msg.replyTo.tell({ type: 'TaskManagerNotFound', taskManagerId: msg.taskManagerId });
          return this;
        }
        this.context.pipeToSelf(gatherTaskManagerInfos(wanted, this.times), (result) => ({ type: 'TaskManagersGathered', infos: result.ok ? result.value : [], request: msg }));
        return this;
      }
      case 'TaskManagersGathered': {
        const { request, infos } = msg;
        if (request.type === 'RequestTaskManagers') request.replyTo.tell({ type: 'TaskManagerList', taskManagers: infos });
        else if (infos[0]) request.replyTo.tell({ type: 'TaskManagerDetails', taskManager: infos[0] });
        else request.replyTo.tell({ type: 'TaskManagerNotFound', taskManagerId: request.taskManagerId });
        return this;
      }
      default:
        // Another protocol's message (the compiler proves ours are all handled): logged and dropped.
        msg satisfies never;
        return Behaviors.unhandled;
    }
  }

  private tellTaskManagerWatchers(): void {
    if (this.taskManagerWatchers.size === 0) return;
    const changed = this.taskManagersChanged();
    for (const watcher of this.taskManagerWatchers.values()) watcher.tell(changed);
  }

  private taskManagersChanged(): TaskManagersChanged {
    const addresses = new Set(this.slots.taskManagerPaths.map((path) => parseActorPath(path).addressText));
    return { type: 'TaskManagersChanged', addresses: [...addresses] };
  }

  private request(msg: RequestSlots): void {
    const id = this.nextRequestId++;
    const { jobId, count, timeoutMs, jobManager } = msg;
    this.requests.push({ id, jobId, count, timeoutMs, jobManager, granted: 0, inFlight: new Set() });
    this.context.timers.startSingleTimer(`request-${id}`, { type: 'SlotRequestTimedOut', requestId: id }, timeoutMs);
    this.serve();
  }

  /**
   * Serves each waiting request whose missing slots are all free now, in arrival order. A request
   * that cannot be met is passed over, not waited for: independent jobs are scheduled independently.
   */
  private serve(): void {
    for (const request of this.requests) {
      const missing = request.count - request.granted - request.inFlight.size;
      if (missing <= 0) continue;
      const choices = this.slots.pick(missing);
      if (choices) for (const choice of choices) this.allocate(request, choice);
    }
  }

  private allocate(request: PendingRequest, choice: SlotChoice): void {
    const allocationId = newAllocationId();
    const { jobId, jobManager } = request;
    this.slots.markPending(choice, allocationId, jobId);
    request.inFlight.add(allocationId);
    this.inFlight.set(allocationId, request.id);
    this.context.timers.startSingleTimer(`allocate-${allocationId}`, { type: 'AllocationTimedOut', allocationId }, this.allocateSlotTimeoutMs);
    choice.taskManager.tell({
      type: 'AllocateSlot',
      allocationId,
      jobId,
      slotIndex: choice.slotIndex,
      jobManager,
      replyTo: this.context.self as ActorRef<AllocateSlotReply>,
    });
  }

  /**
   * A TaskManager holds the allocation (its answer or its report): granted to the request it was
   * for, or, when that one is over, to a request of the same job still missing slots. Otherwise its
   * JobManager (named in the AllocateSlot) frees it at the TaskManager.
   */
  private confirmed(allocationId: AllocationId): void {
    const requestId = this.inFlight.get(allocationId);
    this.inFlight.delete(allocationId);
    this.context.timers.cancel(`allocate-${allocationId}`);
    const confirmed = this.slots.confirm(allocationId);
    let request = this.requests.find((r) => r.id === requestId);
    request?.inFlight.delete(allocationId);
    if (!confirmed) return; // confirmed before, or its TaskManager is gone
    request ??= this.requests.find((r) => r.jobId === confirmed.jobId && r.granted + r.inFlight.size < r.count);
    if (request) this.grant(request, confirmed.slot);
  }

  private grant(request: PendingRequest, slot: AllocatedSlot): void {
    request.granted++;
    request.jobManager.tell({ type: 'SlotsAllocated', jobId: request.jobId, slots: [slot] });
    if (request.granted < request.count) return;
    this.requests.splice(this.requests.indexOf(request), 1);
    this.context.timers.cancel(`request-${request.id}`);
  }

  /** The allocation will not be confirmed (refused, unanswered, its TaskManager gone): its request misses a slot again. */
  private notAllocated(allocationId: AllocationId): void {
    const requestId = this.inFlight.get(allocationId);
    this.inFlight.delete(allocationId);
    this.context.timers.cancel(`allocate-${allocationId}`);
    this.requests.find((r) => r.id === requestId)?.inFlight.delete(allocationId);
  }

  private fail(request: PendingRequest, reason: string): void {
    this.requests.splice(this.requests.indexOf(request), 1);
    this.context.timers.cancel(`request-${request.id}`);
    request.jobManager.tell({ type: 'SlotRequestFailed', jobId: request.jobId, reason });
    // What it was waiting for may serve another request now.
    this.serve();
  }

  private shortage(request: PendingRequest): string {
    const { jobId, count, timeoutMs, granted } = request;
    return (
      `job ${jobId} needs ${count} slot${count === 1 ? '' : 's'}, but only ${this.slots.freeSlots} ` +
      `of ${this.slots.totalSlots} are free (${this.slots.taskManagerCount} TaskManagers registered) after waiting ${timeoutMs} ms` +
      (granted > 0 ? `; ${granted} were granted` : '')
    );
  }
}
