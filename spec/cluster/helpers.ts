// Helpers for the cluster specs: a MiniCluster closed with the test, bounded waits that fail naming
// what they waited for, job graphs built by hand, and stand-ins for the cluster's actors built from
// the protocols (a ResourceManager, a TaskManager, a JobManager) that record what they receive.
import type { ExecutionContext } from 'ava';
import { type Observable, lastValueFrom, toArray } from 'rxjs';
import { type ActorRef, type Behavior, Behaviors } from '../../actors/index.ts';
import { MiniCluster, type MiniClusterOptions } from '../../cluster/minicluster.ts';
import type { JobId, ResourceId } from '../../messages/ids.ts';
import type { JobGraph, JobVertex } from '../../messages/job-graph.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import type { JobStatusChanged } from '../../messages/job-status.ts';
import type { AllocatedSlot, RegisterTaskManager, ResourceManagerMsg, SlotReport } from '../../messages/resource-manager.ts';
import type { TaskDeploymentDescriptor, TaskManagerMsg } from '../../messages/task-manager.ts';

/** How long a spec waits for a job (on the mini cluster, a bounded job takes a few ms). */
export const JOB_TIMEOUT_MS = 5_000;

/** A MiniCluster with quiet logs, closed when the test ends. */
export async function startMiniCluster(t: ExecutionContext, options: MiniClusterOptions = {}): Promise<MiniCluster> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, ...options });
  t.teardown(() => cluster.close());
  return cluster;
}

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

/** Every status a job goes through, once status$ completes. */
export function statusesOf(status$: Observable<JobStatusChanged>): Promise<string[]> {
  return within(
    lastValueFrom(status$.pipe(toArray())).then((changes) => changes.map((change) => change.status)),
    'the end of the status stream',
  );
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

/** What a fake ResourceManager saw: registrations, slot reports. */
export interface ResourceManagerLog {
  readonly registrations: RegisterTaskManager[];
  readonly reports: SlotReport[];
}

/**
 * A ResourceManager that acknowledges registrations (ignoring the attempts numbered in `ignore`,
 * 1-based), records slot reports, and answers RequestSlots with `slots` when given.
 */
export function fakeResourceManager(
  seen: ResourceManagerLog,
  options: { readonly ignore?: readonly number[]; readonly slots?: () => readonly AllocatedSlot[] } = {},
): Behavior<ResourceManagerMsg | Stop> {
  return Behaviors.receiveMessage<ResourceManagerMsg | Stop>((msg) => {
    switch (msg.type) {
      case 'RegisterTaskManager':
        seen.registrations.push(msg);
        if (!options.ignore?.includes(seen.registrations.length)) {
          msg.replyTo.tell({ type: 'AcknowledgeRegistration', resourceId: msg.resourceId, resourceManagerId: 'fake-rm' });
        }
        return Behaviors.same;
      case 'SlotReport':
        seen.reports.push(msg);
        return Behaviors.same;
      case 'RequestSlots':
        if (options.slots) msg.replyTo.tell({ type: 'SlotsAllocated', jobId: msg.jobId, slots: options.slots() });
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
  readonly cancelled: string[];
  readonly released: JobId[];
}

/**
 * A TaskManager that accepts every slot and task, reports each task RUNNING to its JobManager, and
 * confirms a CancelTask with CANCELED, as a real one would.
 */
export function fakeTaskManager(seen: TaskManagerLog): Behavior<TaskManagerMsg | Stop> {
  const report = (descriptor: TaskDeploymentDescriptor, state: 'RUNNING' | 'CANCELED'): void =>
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
      case 'SubmitTask':
        seen.submitted.push(msg.descriptor);
        msg.replyTo.tell({ type: 'TaskSubmitted', executionAttemptId: msg.descriptor.executionAttemptId });
        report(msg.descriptor, 'RUNNING');
        return Behaviors.same;
      case 'CancelTask': {
        seen.cancelled.push(msg.executionAttemptId);
        const descriptor = seen.submitted.find((d) => d.executionAttemptId === msg.executionAttemptId);
        if (descriptor) report(descriptor, 'CANCELED');
        return Behaviors.same;
      }
      case 'ReleaseJob':
        seen.released.push(msg.jobId);
        return Behaviors.same;
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

/** A JobManager that records the task states reported to it, answers split requests with none, and stops on Stop. */
export function fakeJobManager(updates: JobManagerMsg[]): Behavior<JobManagerMsg | Stop> {
  return Behaviors.receiveMessage<JobManagerMsg | Stop>((msg) => {
    switch (msg.type) {
      case 'Stop':
        return Behaviors.stopped;
      case 'RequestNextInputSplit':
        msg.replyTo.tell({ type: 'NextInputSplit', split: null });
        return Behaviors.same;
      default:
        updates.push(msg);
        return Behaviors.same;
    }
  });
}
