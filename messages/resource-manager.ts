// The ResourceManager's protocol.
// TaskManager -> ResourceManager: RegisterTaskManager (answered by AcknowledgeRegistration or
//   DeclineRegistration), SlotReport after each change of its slots and every heartbeat interval
//   (the TaskManager's slot table is the truth: the ResourceManager's view is repaired from it), and
//   the answers to AllocateSlot (SlotAllocated, SlotAllocationFailed; messages/task-manager.ts).
// JobManager -> ResourceManager: RequestSlots (answered, to the JobManager itself, by SlotsAllocated
//   as each TaskManager confirms a slot, or SlotRequestFailed at the request's timeout),
//   CancelSlotRequest. A JobManager owns the slots it was granted and frees them at their
//   TaskManagers (messages/task-manager.ts: ReleaseJob, and the heartbeats' allocation reports).
// Anyone -> ResourceManager: RequestClusterOverview (answered by ClusterOverview); WatchTaskManagers
//   (also through the Dispatcher: the watcher gets TaskManagersChanged at once and after every
//   registration or loss, until it stops; the cluster trace follows the TaskManagers with it).
//   RequestTaskManagers and RequestTaskManagerDetails, a client's, forwarded by the Dispatcher (messages/metrics.ts).
// A lost TaskManager (death watch / heartbeat timeout) takes its slots with it.
import type { ActorRef } from './actor-ref.ts';
import { registerMessages } from './registry.ts';
import { type AllocationId, AllocationIdKey, type JobId, JobIdKey, JobIdSchema, type ResourceId, ResourceIdKey, ResourceIdSchema } from './ids.ts';
import { actorRef, arrayOf, count, integer, message, nonNegativeNumber, nullable, object, optional, positiveInteger, string, validators } from './schema.ts';
import type { JobManagerMsg } from './job-manager.ts';
import type { RequestTaskManagerDetails, RequestTaskManagers } from './metrics.ts';
import type { AllocateSlotReply, TaskManagerMsg } from './task-manager.ts';

/** The most slots one TaskManager may offer (taskmanager.numberOfTaskSlots allows 1..4096). */
export const MAX_SLOTS_PER_TASK_MANAGER = 4096;

export type ResourceManagerMsg = RegisterTaskManager | SlotReport | AllocateSlotReply | RequestSlots | CancelSlotRequest | RequestClusterOverview | WatchTaskManagers | RequestTaskManagers | RequestTaskManagerDetails;

export interface RegisterTaskManager {
  readonly type: 'RegisterTaskManager';
  readonly resourceId: ResourceId;
  readonly slots: number;
  /** Changes when the TaskManager process restarts. */
  readonly incarnation: string;
  readonly taskManager: ActorRef<TaskManagerMsg>;
  /** host:port of its data server (record batches between TaskManagers); absent when embedded. */
  readonly dataAddress?: string;
  /** What it holds now (after a ResourceManager restart, slots may be taken); absent: all free. */
  readonly slotReport?: readonly SlotStatus[];
  readonly replyTo: ActorRef<RegistrationReply>;
}

export type RegistrationReply = AcknowledgeRegistration | DeclineRegistration;

export interface AcknowledgeRegistration {
  readonly type: 'AcknowledgeRegistration';
  readonly resourceId: ResourceId;
  /** The ResourceManager's own incarnation: a new one means register again. */
  readonly resourceManagerId: string;
}

export interface DeclineRegistration {
  readonly type: 'DeclineRegistration';
  readonly reason: string;
}

export interface SlotStatus {
  readonly index: number;
  readonly allocationId: AllocationId | null;
  readonly jobId: JobId | null;
}

export interface SlotReport {
  readonly type: 'SlotReport';
  readonly resourceId: ResourceId;
  readonly slots: readonly SlotStatus[];
}

export interface RequestSlots {
  readonly type: 'RequestSlots';
  readonly jobId: JobId;
  readonly count: number;
  /** Flink's slot.request.timeout: 5 minutes by default. */
  readonly timeoutMs: number;
  /** Gets the SlotsAllocated and SlotRequestFailed; TaskManagers free the job's slots when it is lost. */
  readonly jobManager: ActorRef<JobManagerMsg>;
}

export type SlotRequestReply = SlotsAllocated | SlotRequestFailed;

export interface AllocatedSlot {
  readonly allocationId: AllocationId;
  readonly resourceId: ResourceId;
  readonly slotIndex: number;
  readonly taskManager: ActorRef<TaskManagerMsg>;
  readonly dataAddress?: string;
}

/** Slots confirmed by their TaskManagers, owned by the JobManager from now on; more may follow up to the count asked. */
export interface SlotsAllocated {
  readonly type: 'SlotsAllocated';
  readonly jobId: JobId;
  readonly slots: readonly AllocatedSlot[];
}

export interface SlotRequestFailed {
  readonly type: 'SlotRequestFailed';
  readonly jobId: JobId;
  readonly reason: string;
}

/** The job no longer waits: its pending request is answered with SlotRequestFailed. */
export interface CancelSlotRequest {
  readonly type: 'CancelSlotRequest';
  readonly jobId: JobId;
}

export interface RequestClusterOverview {
  readonly type: 'RequestClusterOverview';
  readonly replyTo: ActorRef<ClusterOverview>;
}

export interface ClusterOverview {
  readonly type: 'ClusterOverview';
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly slotsFree: number;
}

export interface WatchTaskManagers {
  readonly type: 'WatchTaskManagers';
  readonly watcher: ActorRef<TaskManagersChanged>;
}

export interface TaskManagersChanged {
  readonly type: 'TaskManagersChanged';
  /** The actor system address (weir://name@host:port) of every registered TaskManager. */
  readonly addresses: readonly string[];
}

// --- schemas ---------------------------------------------------------------------------------------
// A registration's slot count is bounded (the ResourceManager builds a table of them) but may be 0:
// the ResourceManager declines that with its reason. A slot request's job id reaches TaskManagers.

export const SlotStatusSchema = object<SlotStatus>({ index: count, allocationId: nullable(AllocationIdKey), jobId: nullable(JobIdKey) });
export const RegisterTaskManagerSchema = message<RegisterTaskManager>('RegisterTaskManager', {
  resourceId: ResourceIdSchema,
  slots: integer(0, MAX_SLOTS_PER_TASK_MANAGER),
  incarnation: string,
  taskManager: actorRef(),
  dataAddress: optional(string),
  slotReport: optional(arrayOf(SlotStatusSchema)),
  replyTo: actorRef(),
});
export const AcknowledgeRegistrationSchema = message<AcknowledgeRegistration>('AcknowledgeRegistration', { resourceId: ResourceIdKey, resourceManagerId: string });
export const DeclineRegistrationSchema = message<DeclineRegistration>('DeclineRegistration', { reason: string });
export const SlotReportSchema = message<SlotReport>('SlotReport', { resourceId: ResourceIdKey, slots: arrayOf(SlotStatusSchema) });
export const RequestSlotsSchema = message<RequestSlots>('RequestSlots', { jobId: JobIdSchema, count: positiveInteger, timeoutMs: nonNegativeNumber, jobManager: actorRef() });
export const AllocatedSlotSchema = object<AllocatedSlot>({
  allocationId: AllocationIdKey,
  resourceId: ResourceIdKey,
  slotIndex: count,
  taskManager: actorRef(),
  dataAddress: optional(string),
});
export const SlotsAllocatedSchema = message<SlotsAllocated>('SlotsAllocated', { jobId: JobIdKey, slots: arrayOf(AllocatedSlotSchema) });
export const SlotRequestFailedSchema = message<SlotRequestFailed>('SlotRequestFailed', { jobId: JobIdKey, reason: string });
export const CancelSlotRequestSchema = message<CancelSlotRequest>('CancelSlotRequest', { jobId: JobIdKey });
export const RequestClusterOverviewSchema = message<RequestClusterOverview>('RequestClusterOverview', { replyTo: actorRef() });
export const ClusterOverviewSchema = message<ClusterOverview>('ClusterOverview', { taskManagers: count, slotsTotal: count, slotsFree: count });
export const WatchTaskManagersSchema = message<WatchTaskManagers>('WatchTaskManagers', { watcher: actorRef() });
export const TaskManagersChangedSchema = message<TaskManagersChanged>('TaskManagersChanged', { addresses: arrayOf(string) });

registerMessages(
  validators([
    RegisterTaskManagerSchema,
    AcknowledgeRegistrationSchema,
    DeclineRegistrationSchema,
    SlotReportSchema,
    RequestSlotsSchema,
    SlotsAllocatedSchema,
    SlotRequestFailedSchema,
    CancelSlotRequestSchema,
    RequestClusterOverviewSchema,
    ClusterOverviewSchema,
    WatchTaskManagersSchema,
    TaskManagersChangedSchema,
  ]),
);
