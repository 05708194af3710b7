// The deployment of a job's executions: each current attempt is placed in its slot (slot sharing:
// subtask i of every vertex in slot i), marked DEPLOYING, and sent to its TaskManager as a SubmitTask
// with its descriptor: where its inputs and outputs are (deployment.ts) and, when the job
// checkpoints, where its snapshots go and what it restores. The TaskManager's answer (or the ask's
// timeout) comes back to the JobManager as Deployed, which fails the job on a refusal.
import type { ActorContext, ActorRef } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import type { JobMasterId } from '../../messages/ids.ts';
import type { JobManagerMsg } from '../../messages/job-manager.ts';
import type { AllocatedSlot } from '../../messages/resource-manager.ts';
import type { SubmitTaskReply, TaskCheckpointing, TaskManagerMsg } from '../../messages/task-manager.ts';
import type { CompletedCheckpoint } from '../checkpoint/storage.ts';
import { DEFAULT_BUFFER_TIMEOUT_MS, subtaskIo } from './deployment.ts';
import type { Execution, ExecutionGraph } from './execution-graph.ts';
import type { JobManagerOptions } from './job-manager.ts';
import { restoreOf } from './savepoint-restore.ts';

/** How long a TaskManager has to accept a deployed task. */
export const SUBMIT_TASK_TIMEOUT_MS = 30_000;

export interface DeployedInternal {
  readonly type: 'Deployed';
  readonly execution: Execution;
  readonly result: Result<SubmitTaskReply>;
}

/** What every task of the job is deployed with. */
export type SubmittedJob = Pick<JobManagerOptions, 'jobId' | 'graph' | 'bundleHash' | 'args' | 'planParallelism'> & {
  readonly jobMasterId: JobMasterId;
  /** Where the tasks send their state updates, split requests and checkpoint messages. */
  readonly jobManager: ActorRef<JobManagerMsg>;
  /** The job's checkpoint directory (state.checkpoints.dir and the job id); absent: no checkpointing. */
  readonly checkpointDirectory: string | undefined;
  /** `weir run -s --allowNonRestoredState`: a restoring task may skip state of operators it lacks. */
  readonly allowNonRestoredState: boolean;
  /** Periodic checkpoints (an interval): an ending transactional sink waits for a final one. */
  readonly finalCheckpoint: boolean;
};

export class TaskSubmission {
  constructor(
    private readonly context: ActorContext<DeployedInternal>,
    private readonly job: SubmittedJob,
    private readonly executions: ExecutionGraph,
  ) {}

  /** Deploys every current execution into `slots`, each from its part of `restore` when given. */
  submitAll(slots: readonly AllocatedSlot[], restore: CompletedCheckpoint | null): void {
    const { jobId, graph, bundleHash, args, planParallelism, jobMasterId, jobManager } = this.job;
    const restoreOfSubtask = restore ? restoreOf(restore, graph) : null;
    for (const execution of this.executions.executions) {
      const slot = slots[execution.subtaskIndex];
      execution.resourceId = slot.resourceId;
      execution.slot = slot;
      execution.state = 'DEPLOYING';
      const checkpoint = this.taskCheckpointing(restoreOfSubtask?.(execution.vertex, execution.subtaskIndex));
      this.context.ask<TaskManagerMsg, SubmitTaskReply>(
        slot.taskManager,
        (replyTo) => ({
          type: 'SubmitTask',
          descriptor: {
            jobId,
            jobName: graph.name,
            jobMasterId,
            executionAttemptId: execution.attemptId,
            allocationId: slot.allocationId,
            vertex: execution.vertex,
            subtaskIndex: execution.subtaskIndex,
            attemptNumber: execution.attemptNumber,
            maxParallelism: graph.maxParallelism,
            bundleHash,
            jobArgs: args,
            ...(planParallelism !== undefined ? { planParallelism } : {}),
            jobManager,
            ...subtaskIo(jobId, graph, execution.vertex, execution.subtaskIndex, slots, (vertexId, subtask) => this.executions.attemptOf(vertexId, subtask)),
            bufferTimeoutMs: graph.bufferTimeoutMs ?? DEFAULT_BUFFER_TIMEOUT_MS,
            ...(checkpoint ? { checkpoint } : {}),
          },
          replyTo,
        }),
        SUBMIT_TASK_TIMEOUT_MS,
        (result) => ({ type: 'Deployed', execution, result }),
      );
    }
  }

  private taskCheckpointing(restore: Pick<TaskCheckpointing, 'restore' | 'rescaledRestore'> | undefined): TaskCheckpointing | undefined {
    const directory = this.job.checkpointDirectory;
    if (directory === undefined) return undefined;
    const allowNonRestoredState = this.job.allowNonRestoredState ? { allowNonRestoredState: true } : {};
    const finalCheckpoint = this.job.finalCheckpoint ? { finalCheckpoint: true } : {};
    return restore ? { directory, ...restore, ...allowNonRestoredState, ...finalCheckpoint } : { directory, ...finalCheckpoint };
  }
}
