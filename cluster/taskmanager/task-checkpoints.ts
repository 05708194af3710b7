// A Task's side of checkpoints: what the subtask snapshotted is written to the job's checkpoint
// directory (off the task's turn: the task goes on processing meanwhile), then acknowledged to the
// JobManager with the file's path; a snapshot that cannot be written declines the checkpoint.
import type { CheckpointBarrier, CheckpointResponder, SubtaskSnapshot } from '../../api/runtime/checkpointing/snapshot.ts';
import { describeError } from '../../messages/errors.ts';
import type { TaskDeploymentDescriptor } from '../../messages/task-manager.ts';
import { writeSubtaskState } from '../checkpoint/storage.ts';

export class TaskCheckpointResponder implements CheckpointResponder {
  /** Snapshot files being written: the task reports its final state only once they are done. */
  private readonly writing = new Set<Promise<unknown>>();

  constructor(
    private readonly descriptor: TaskDeploymentDescriptor,
    /** The job's checkpoint directory. */
    private readonly directory: string,
    /** Logs a write that failed (the checkpoint is declined as well). */
    private readonly warn: (message: string) => void,
  ) {}

  acknowledge(barrier: CheckpointBarrier, snapshot: SubtaskSnapshot, syncMs: number): void {
    const started = performance.now();
    const { descriptor } = this;
    const splitsReceived = snapshot.source?.splitsReceived ?? null;
    const empty = snapshot.source === undefined && snapshot.inFlight === undefined && Object.keys(snapshot.operators).length === 0;
    const written = empty ? Promise.resolve(null) : writeSubtaskState(this.directory, descriptor.vertex.id, descriptor.subtaskIndex, descriptor.attemptNumber, snapshot);
    const done = written.then(
      (handle) => {
        descriptor.jobManager.tell({
          type: 'AcknowledgeCheckpoint',
          jobId: descriptor.jobId,
          jobMasterId: descriptor.jobMasterId,
          executionAttemptId: descriptor.executionAttemptId,
          checkpointId: barrier.checkpointId,
          handle,
          splitsReceived,
          syncMs,
          asyncMs: performance.now() - started,
        });
      },
      (error: unknown) => {
        const reason = `${this.name()}: writing its snapshot failed: ${describeError(error)}`;
        this.warn(`checkpoint ${barrier.checkpointId}: ${reason}`);
        this.sendDecline(barrier.checkpointId, reason, true);
      },
    );
    this.writing.add(done);
    void done.finally(() => this.writing.delete(done));
  }

  /** Settles once every snapshot file started so far is written (or failed): nothing of the task writes after it. */
  async settled(): Promise<void> {
    await Promise.all([...this.writing]);
  }

  decline(checkpointId: number, reason: string): void {
    this.sendDecline(checkpointId, reason, false);
  }

  private sendDecline(checkpointId: number, reason: string, failure: boolean): void {
    const { descriptor } = this;
    descriptor.jobManager.tell({
      type: 'DeclineCheckpoint',
      jobId: descriptor.jobId,
      jobMasterId: descriptor.jobMasterId,
      executionAttemptId: descriptor.executionAttemptId,
      checkpointId,
      reason,
      failure,
    });
  }

  private name(): string {
    const { vertex, subtaskIndex } = this.descriptor;
    return `${vertex.name} (${subtaskIndex + 1}/${vertex.parallelism})`;
  }
}
