// Helpers for the cluster specs: bounded waits that fail naming what they waited for, job graphs
// built by hand, and stand-ins for the cluster's actors built from their protocols (a
// ResourceManager, a TaskManager, a JobManager) that record what they receive.
import { type ActorRef, type Behavior, Behaviors } from '../../actors/index.ts';
import { type JobManagerOptions, jobManager } from '../../cluster/jobmanager/job-manager.ts';
import type { AcknowledgeCheckpoint } from '../../messages/checkpoint.ts';
import type { AllocationId, ExecutionAttemptId, JobId, JobMasterId, ResourceId } from '../../messages/ids.ts';
import type { InputSplit, JobGraph, JobVertex } from '../../messages/job-graph.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import type { ExecutionState } from '../../messages/job-status.ts';
import type { AllocatedSlot, RegisterTaskManager, RequestSlots, ResourceManagerMsg, SlotReport } from '../../messages/resource-manager.ts';
import type { PrepareJob, TaskDeploymentDescriptor, TaskManagerMsg } from '../../messages/task-manager.ts';
import type { SubtaskWatermarks, TaskWatermarkReading } from '../../messages/watermarks.ts';

/** How long a spec waits for a job or a condition (on the mini cluster, a bounded job takes a few ms). */
export const JOB_TIMEOUT_MS = 5_000;

/** Settles with `promise`, or rejects naming `what` once `ms` have passed. */
export async function within<T>(promise: Promise<T>, what: string, ms = JOB_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` every 5 ms; rejects naming `what` after `ms`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, ms = JOB_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A vertex of a hand-built graph: one map operator, `parallelism` subtasks. */
export function vertex(id: string, parallelism: number, extra: Partial<JobVertex> = {}): JobVertex {
  return { id, name: `Vertex ${id}`, parallelism, operators: [{ id: `${id}-op`, kind: 'map', name: 'Map', config: {} }], inputs: [], bounded: true, ...extra };
}

export function graph(vertices: readonly JobVertex[], maxParallelism = 128): JobGraph {
  return { name: 'spec job', maxParallelism, runtimeMode: 'STREAMING', vertices };
}

// --- stand-ins --------------------------------------------------------------------------------------

/** Stops a stand-in from outside: every fake below stops on it. */
export interface Stop {
  readonly type: 'Stop';
}
export const STOP: Stop = { type: 'Stop' };

/** What a fake ResourceManager saw. */
export interface ResourceManagerLog {
  readonly registrations: RegisterTaskManager[];
  readonly reports: SlotReport[];
  readonly requests: RequestSlots[];
}

export const emptyResourceManagerLog = (): ResourceManagerLog => ({ registrations: [], reports: [], requests: [] });

export interface FakeResourceManagerOptions {
  /** Registration attempts (1-based) left unanswered. */
  readonly ignore?: readonly number[];
  /** Registration attempts (1-based) declined. */
  readonly decline?: readonly number[];
  /** The slots RequestSlots for `count` slots is answered with, one SlotsAllocated each; unanswered when absent or null. */
  readonly slots?: (count: number) => readonly AllocatedSlot[] | null;
  /** Grant each slot in a SlotsAllocated of its own, as the real ResourceManager does. */
  readonly oneByOne?: boolean;
}

/**
 * A ResourceManager that acknowledges registrations, records slot reports and slot requests, hands
 * out `slots`, and reports an empty cluster.
 */
export function fakeResourceManager(seen: ResourceManagerLog, options: FakeResourceManagerOptions = {}): Behavior<ResourceManagerMsg | Stop> {
  return Behaviors.receiveMessage<ResourceManagerMsg | Stop>((msg) => {
    switch (msg.type) {
      case 'RegisterTaskManager': {
        seen.registrations.push(msg);
        const attempt = seen.registrations.length;
        if (options.decline?.includes(attempt)) msg.replyTo.tell({ type: 'DeclineRegistration', reason: `attempt ${attempt} declined by the spec` });
        else if (!options.ignore?.includes(attempt)) msg.replyTo.tell({ type: 'AcknowledgeRegistration', resourceId: msg.resourceId, resourceManagerId: 'fake-rm' });
        return Behaviors.same;
      }
      case 'SlotReport':
        seen.reports.push(msg);
        return Behaviors.same;
      case 'RequestSlots': {
        seen.requests.push(msg);
        const granted = options.slots?.(msg.count) ?? null;
        if (granted && options.oneByOne) for (const slot of granted) msg.jobManager.tell({ type: 'SlotsAllocated', jobId: msg.jobId, slots: [slot] });
        else if (granted) msg.jobManager.tell({ type: 'SlotsAllocated', jobId: msg.jobId, slots: granted });
        return Behaviors.same;
      }
      case 'CancelSlotRequest': {
        // As the real one: a withdrawn request is answered as failed.
        const request = [...seen.requests].reverse().find((candidate) => candidate.jobId === msg.jobId);
        request?.jobManager.tell({ type: 'SlotRequestFailed', jobId: msg.jobId, reason: 'the request was cancelled' });
        return Behaviors.same;
      }
      case 'RequestClusterOverview':
        msg.replyTo.tell({ type: 'ClusterOverview', taskManagers: 0, slotsTotal: 0, slotsFree: 0 });
        return Behaviors.same;
      case 'Stop':
        return Behaviors.stopped;
      default:
        return Behaviors.same;
    }
  });
}

/** What a fake TaskManager saw. */
export interface TaskManagerLog {
  readonly submitted: TaskDeploymentDescriptor[];
  readonly cancelled: ExecutionAttemptId[];
  readonly released: JobId[];
  /** Each PrepareJob, with how many tasks had been submitted here when it came. */
  readonly prepared: (PrepareJob & { readonly submittedBefore: number })[];
}

export const emptyTaskManagerLog = (): TaskManagerLog => ({ submitted: [], cancelled: [], released: [], prepared: [] });

export interface FakeTaskManagerOptions {
  /** Report each task FINISHED right after RUNNING. */
  readonly finish?: boolean;
  /** Refuse every task with this reason. */
  readonly refuse?: string;
  /** Confirm a CancelTask (CANCELED) this long after it came, as a task busy in user code would; at once when absent. */
  readonly cancelAfterMs?: number;
  /** Answers RequestTaskWatermarks with each task's watermarks; stays silent when one of them is 'silent'. Unanswered when absent. */
  readonly watermarks?: (descriptor: TaskDeploymentDescriptor) => SubtaskWatermarks | 'silent';
}

/**
 * A TaskManager that accepts every slot and task, reports each task RUNNING to its JobManager, and
 * confirms a CancelTask with CANCELED, as a real one would.
 */
export function fakeTaskManager(seen: TaskManagerLog, options: FakeTaskManagerOptions = {}): Behavior<TaskManagerMsg | Stop> {
  const report = (descriptor: TaskDeploymentDescriptor, state: ExecutionState): void =>
    descriptor.jobManager.tell({
      type: 'UpdateTaskExecutionState',
      jobId: descriptor.jobId,
      jobMasterId: descriptor.jobMasterId,
      executionAttemptId: descriptor.executionAttemptId,
      state,
    });
  return Behaviors.receiveMessage<TaskManagerMsg | Stop>((msg) => {
    switch (msg.type) {
      case 'AllocateSlot':
        msg.replyTo.tell({ type: 'SlotAllocated', allocationId: msg.allocationId });
        return Behaviors.same;
      case 'SubmitTask': {
        const { descriptor } = msg;
        seen.submitted.push(descriptor);
        if (options.refuse !== undefined) {
          msg.replyTo.tell({ type: 'TaskSubmissionFailed', executionAttemptId: descriptor.executionAttemptId, reason: options.refuse });
          return Behaviors.same;
        }
        msg.replyTo.tell({ type: 'TaskSubmitted', executionAttemptId: descriptor.executionAttemptId });
        report(descriptor, 'RUNNING');
        if (options.finish) report(descriptor, 'FINISHED');
        return Behaviors.same;
      }
      case 'CancelTask': {
        seen.cancelled.push(msg.executionAttemptId);
        const descriptor = seen.submitted.find((d) => d.executionAttemptId === msg.executionAttemptId);
        if (descriptor && options.cancelAfterMs !== undefined) setTimeout(() => report(descriptor, 'CANCELED'), options.cancelAfterMs);
        else if (descriptor) report(descriptor, 'CANCELED');
        return Behaviors.same;
      }
      case 'ReleaseJob':
        seen.released.push(msg.jobId);
        return Behaviors.same;
      case 'PrepareJob':
        seen.prepared.push({ ...msg, submittedBefore: seen.submitted.length });
        return Behaviors.same;
      case 'RequestTaskWatermarks': {
        const readings = msg.executionAttemptIds.map((executionAttemptId) => {
          const descriptor = seen.submitted.find((d) => d.executionAttemptId === executionAttemptId);
          return { executionAttemptId, watermarks: descriptor && options.watermarks ? options.watermarks(descriptor) : 'silent' };
        });
        if (readings.every((reading) => reading.watermarks !== 'silent')) msg.replyTo.tell({ type: 'TaskWatermarks', readings: readings as TaskWatermarkReading[] });
        return Behaviors.same;
      }
      case 'Stop':
        return Behaviors.stopped;
      default:
        return Behaviors.same;
    }
  });
}

/** A slot of a fake TaskManager, as the ResourceManager would hand it out. */
export function slotOn(taskManager: ActorRef<TaskManagerMsg | Stop>, resourceId: ResourceId, slotIndex: number, allocationId: string): AllocatedSlot {
  return { allocationId: allocationId as AllocatedSlot['allocationId'], resourceId, slotIndex, taskManager: taskManager as ActorRef<TaskManagerMsg> };
}

/**
 * A JobManager that records what it is told (task states, bundle requests), hands out `splits` one
 * per request (then null), and stops on Stop.
 */
export function fakeJobManager(updates: JobManagerMsg[], splits: readonly InputSplit[] = []): Behavior<JobManagerMsg | Stop> {
  const remaining = [...splits];
  return Behaviors.receiveMessage<JobManagerMsg | Stop>((msg) => {
    switch (msg.type) {
      case 'Stop':
        return Behaviors.stopped;
      case 'RequestNextInputSplit':
        msg.replyTo.tell({ type: 'NextInputSplit', split: remaining.shift() ?? null });
        return Behaviors.same;
      default:
        updates.push(msg);
        return Behaviors.same;
    }
  });
}

/** What a Task sends once its snapshot of `checkpointId` is written to `path` (a scripted TaskManager's acknowledgement). */
export function acknowledgementOf(descriptor: TaskDeploymentDescriptor, checkpointId: number, path: string): AcknowledgeCheckpoint {
  const { jobId, jobMasterId, executionAttemptId } = descriptor;
  return { type: 'AcknowledgeCheckpoint', jobId, jobMasterId, executionAttemptId, checkpointId, handle: { path, bytes: 1 }, splitsReceived: null, syncMs: 0, asyncMs: 0 };
}

/** A descriptor for subtask 0 (unless told) of `vertex`, deployed by `jobManager`, without network edges. */
export function descriptorFor(
  job: JobId,
  vertex: JobVertex,
  jobManager: ActorRef<JobManagerMsg | Stop>,
  extra: Partial<TaskDeploymentDescriptor> = {},
): TaskDeploymentDescriptor {
  return {
    jobId: job,
    jobName: 'spec job',
    jobMasterId: `leader-of-${job}` as JobMasterId,
    executionAttemptId: `attempt-of-${job}` as ExecutionAttemptId,
    allocationId: `allocation-of-${job}` as AllocationId,
    vertex,
    subtaskIndex: 0,
    attemptNumber: 0,
    maxParallelism: 128,
    bundleHash: `bundle-of-${job}`,
    jobArgs: [],
    jobManager: jobManager as ActorRef<JobManagerMsg>,
    inputs: [],
    outputs: [],
    bufferTimeoutMs: 0,
    ...extra,
  };
}

/** A JobManager for a graph without code (scripted TaskManagers run nothing): no bundle, a 5 s slot request timeout. */
export function codelessJobManager(options: Omit<JobManagerOptions, 'bundle' | 'bundleHash' | 'args' | 'slotRequestTimeoutMs'> & Partial<JobManagerOptions>): ReturnType<typeof jobManager> {
  return jobManager({ bundle: '', bundleHash: 'h', args: [], slotRequestTimeoutMs: 5_000, ...options });
}
