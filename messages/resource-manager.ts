// The ResourceManager's protocol.
// TaskManager -> ResourceManager: RegisterTaskManager (answered by AcknowledgeRegistration or
//   DeclineRegistration), SlotReport after each change of its slots.
// JobManager -> ResourceManager: RequestSlots (answered by SlotsAllocated or SlotRequestFailed once
//   enough slots are free, or at the request's timeout), CancelSlotRequest, FreeSlots when the job
//   no longer needs them.
// Anyone -> ResourceManager: RequestClusterOverview (answered by ClusterOverview).
// A lost TaskManager (death watch / heartbeat timeout) frees its slots.
import type { ActorRef } from './actor-ref.ts';
import { registerMessages } from './registry.ts';
import { type AllocationId, AllocationIdKey, type JobId, JobIdKey, JobIdSchema, type ResourceId, ResourceIdKey, ResourceIdSchema } from './ids.ts';
import { actorRef, arrayOf, count, integer, message, nonNegativeNumber, nullable, object, optional, positiveInteger, string, validators } from './schema.ts';
import type { TaskManagerMsg } from './task-manager.ts';

/** The most slots one TaskManager may offer (taskmanager.numberOfTaskSlots allows 1..4096). */
export const MAX_SLOTS_PER_TASK_MANAGER = 4096;

export type ResourceManagerMsg = RegisterTaskManager | SlotReport | RequestSlots | CancelSlotRequest | FreeSlots | RequestClusterOverview;

export interface RegisterTaskManager {
  readonly type: 'RegisterTaskManager';
  readonly resourceId: ResourceId;
  readonly slots: number;
  /** Changes when the TaskManager process restarts. */
  readonly incarnation: string;
  readonly taskManager: ActorRef<TaskManagerMsg>;
  /** host:port of its data server (record batches between TaskManagers); absent when embedded. */
  readonly dataAddress?: string;
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
  readonly replyTo: ActorRef<SlotRequestReply>;
}

export type SlotRequestReply = SlotsAllocated | SlotRequestFailed;

export interface AllocatedSlot {
  readonly allocationId: AllocationId;
  readonly resourceId: ResourceId;
  readonly slotIndex: number;
  readonly taskManager: ActorRef<TaskManagerMsg>;
  readonly dataAddress?: string;
}

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

export interface FreeSlots {
  readonly type: 'FreeSlots';
  readonly jobId: JobId;
  readonly allocationIds: readonly AllocationId[];
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

// --- schemas ---------------------------------------------------------------------------------------
// A registration's slot count is bounded (the ResourceManager builds a table of them) but may be 0:
// the ResourceManager declines that with its reason. A slot request's job id reaches TaskManagers.

export const RegisterTaskManagerSchema = message<RegisterTaskManager>('RegisterTaskManager', {
  resourceId: ResourceIdSchema,
  slots: integer(0, MAX_SLOTS_PER_TASK_MANAGER),
  incarnation: string,
  taskManager: actorRef(),
  dataAddress: optional(string),
  replyTo: actorRef(),
});
export const AcknowledgeRegistrationSchema = message<AcknowledgeRegistration>('AcknowledgeRegistration', { resourceId: ResourceIdKey, resourceManagerId: string });
export const DeclineRegistrationSchema = message<DeclineRegistration>('DeclineRegistration', { reason: string });
export const SlotStatusSchema = object<SlotStatus>({ index: count, allocationId: nullable(AllocationIdKey), jobId: nullable(JobIdKey) });
export const SlotReportSchema = message<SlotReport>('SlotReport', { resourceId: ResourceIdKey, slots: arrayOf(SlotStatusSchema) });
export const RequestSlotsSchema = message<RequestSlots>('RequestSlots', { jobId: JobIdSchema, count: positiveInteger, timeoutMs: nonNegativeNumber, replyTo: actorRef() });
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
export const FreeSlotsSchema = message<FreeSlots>('FreeSlots', { jobId: JobIdKey, allocationIds: arrayOf(AllocationIdKey) });
export const RequestClusterOverviewSchema = message<RequestClusterOverview>('RequestClusterOverview', { replyTo: actorRef() });
export const ClusterOverviewSchema = message<ClusterOverview>('ClusterOverview', { taskManagers: count, slotsTotal: count, slotsFree: count });

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
    FreeSlotsSchema,
    RequestClusterOverviewSchema,
    ClusterOverviewSchema,
  ]),
);
