// A Task's side of checkpoints: the asynchronous part of each snapshot the subtask took (capturing
// the key groups it holds, encoding, writing the file to the job's checkpoint directory) runs in
// slices on later turns, each at most SLICE_MS, so the task goes on processing meanwhile; then the
// checkpoint is acknowledged to the JobManager with the file's path. A snapshot that cannot be
// captured or written declines the checkpoint. An aborted checkpoint (or one a newer completed
// checkpoint subsumed) stops its part and lets go of what it held; so does a cancelled or failed task.
//
// Threading: the Task's thread; slices run from setImmediate, between the Task's turns (they read
// operator state, which nothing else touches in between).
import { AsyncSnapshotPart } from '../../api/runtime/checkpointing/async-snapshot.ts';
import { inFlightBytes } from '../../api/runtime/checkpointing/unaligned-snapshots.ts';
import type { CheckpointBarrier, CheckpointResponder, TakenSubtaskSnapshot } from '../../api/runtime/checkpointing/snapshot.ts';
import { describeError } from '../../messages/errors.ts';
import type { TaskDeploymentDescriptor } from '../../messages/task-manager.ts';
import { writeSubtaskFile } from '../checkpoint/storage.ts';

/** How long one slice of an asynchronous part may run before the task gets its turn again (ms). */
export const SLICE_MS = 2;

/** One snapshot's asynchronous part, from the synchronous part's end to its acknowledgement. */
interface Running {
  readonly barrier: CheckpointBarrier;
  readonly part: AsyncSnapshotPart;
  readonly syncMs: number;
  /** When the synchronous part ended (performance.now()). */
  readonly started: number;
}

export class TaskCheckpointResponder implements CheckpointResponder {
  /** Asynchronous parts in checkpoint order; the first runs, one slice per turn. */
  private readonly running: Running[] = [];
  /** A slice is scheduled (setImmediate). */
  private scheduled = false;
  /** Waiters of settled(), resolved once nothing runs. */
  private idle: (() => void)[] = [];

  constructor(
    private readonly descriptor: TaskDeploymentDescriptor,
    /** The job's checkpoint directory. */
    private readonly directory: string,
    /** Logs a write that failed (the checkpoint is declined as well). */
    private readonly warn: (message: string) => void,
    /** How long a slice may run (ms); 0 captures one key group per slice (specs). */
    private readonly sliceMs = SLICE_MS,
  ) {}

  acknowledge(barrier: CheckpointBarrier, snapshot: TakenSubtaskSnapshot, syncMs: number): void {
    this.running.push({ barrier, part: new AsyncSnapshotPart(snapshot), syncMs, started: performance.now() });
    this.schedule();
  }

  decline(checkpointId: number, reason: string): void {
    this.sendDecline(checkpointId, reason, false);
  }

  /** NotifyCheckpointAborted: its asynchronous part stops; nothing of it is written or acknowledged. */
  abort(checkpointId: number): void {
    this.stopWhere((run) => run.barrier.checkpointId === checkpointId);
  }

  /** NotifyCheckpointComplete: an older checkpoint still running can no longer complete (subsumed). */
  completed(checkpointId: number): void {
    this.stopWhere((run) => run.barrier.checkpointId < checkpointId);
  }

  /** A cancelled or failed task: every asynchronous part stops at once; nothing is left running. */
  abortAll(): void {
    this.stopWhere(() => true);
  }

  /** Checkpoints whose asynchronous part has not ended (specs). */
  get inProgress(): number[] {
    return this.running.map((run) => run.barrier.checkpointId);
  }

  /** Settles once every asynchronous part started so far ended (written, failed or stopped): nothing of the task writes after it. */
  settled(): Promise<void> {
    if (this.running.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private stopWhere(stops: (run: Running) => boolean): void {
    for (let index = this.running.length - 1; index >= 0; index--) {
      const run = this.running[index];
      if (!stops(run)) continue;
      this.running.splice(index, 1);
      run.part.release();
    }
    this.settleIfIdle();
  }

  private schedule(): void {
    if (this.scheduled || this.running.length === 0) return;
    this.scheduled = true;
    setImmediate(this.slice);
  }

  /** One slice of the oldest asynchronous part; the last one writes the file and acknowledges. */
  private readonly slice = (): void => {
    this.scheduled = false;
    const run = this.running[0];
    if (run === undefined) return;
    try {
      const done = run.part.runUntil(performance.now() + this.sliceMs);
      if (done) {
        this.running.shift();
        this.write(run);
      }
    } catch (error) {
      if (this.running[0] === run) this.running.shift();
      run.part.release();
      this.failed(run, error);
    }
    this.schedule();
    this.settleIfIdle();
  };

  private write(run: Running): void {
    const { barrier, part } = run;
    const { descriptor } = this;
    const { snapshot } = part;
    const splitsReceived = snapshot.source?.splitsReceived ?? null;
    // A snapshot with in-flight data is never empty, whatever its operators hold.
    const empty = snapshot.source === undefined && snapshot.inFlight === undefined && Object.keys(snapshot.operators).length === 0;
    let handle = null;
    if (empty) part.release();
    else handle = writeSubtaskFile(this.directory, descriptor.vertex.id, descriptor.subtaskIndex, descriptor.attemptNumber, barrier.checkpointId, part.encode());
    descriptor.jobManager.tell({
      type: 'AcknowledgeCheckpoint',
      jobId: descriptor.jobId,
      jobMasterId: descriptor.jobMasterId,
      executionAttemptId: descriptor.executionAttemptId,
      checkpointId: barrier.checkpointId,
      handle,
      splitsReceived,
      syncMs: run.syncMs,
      asyncMs: performance.now() - run.started,
      // The subtask took it unaligned (its barrier says so, also after an aligned checkpoint timed out).
      ...(barrier.unaligned === true ? { inFlightBytes: inFlightBytes(snapshot.inFlight) } : {}),
    });
  }

  private failed(run: Running, error: unknown): void {
    const reason = `${this.name()}: writing its snapshot failed: ${describeError(error)}`;
    this.warn(`checkpoint ${run.barrier.checkpointId}: ${reason}`);
    this.sendDecline(run.barrier.checkpointId, reason, true);
  }

  private settleIfIdle(): void {
    if (this.running.length > 0 || this.idle.length === 0) return;
    const waiters = this.idle;
    this.idle = [];
    for (const resolve of waiters) resolve();
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
