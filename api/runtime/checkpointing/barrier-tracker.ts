// AT_LEAST_ONCE at a subtask's inputs (Flink's CheckpointBarrierTracker): barriers are only counted,
// no channel is blocked, so a fast channel's records after its barrier may be in the snapshot (and are
// replayed after a restore: at least once). The subtask snapshots when the last open channel delivered
// the barrier or ended.
//
// Unblocked channels may carry the barriers of several checkpoints at once, so several are tracked
// (oldest first). When one completes, the older ones can no longer be snapshotted in order: they are
// given up and declined. A barrier of a checkpoint older than the newest seen that is not tracked (it
// completed, was given up or aborted) is ignored.
//
// Threading: the task's turn only (NetworkInput's read(), or the Task's notifyCheckpointAborted).
import type { BarrierHandler, BarrierListener } from './barrier-handler.ts';
import type { CheckpointBarrier } from './snapshot.ts';

/** Checkpoints tracked at once; beyond it the oldest is given up (as Flink's MAX_CHECKPOINTS_TO_TRACK). */
export const MAX_TRACKED_CHECKPOINTS = 50;

interface TrackedCheckpoint {
  readonly barrier: CheckpointBarrier;
  /** Channels that delivered its barrier or ended since it was first seen. */
  readonly channels: Set<number>;
  /** The open channels when its first barrier arrived: the later ones cannot have ended before. */
  readonly target: number;
}

export class BarrierTracker implements BarrierHandler {
  readonly mode = 'AT_LEAST_ONCE';
  private latestCheckpointId = 0;
  private readonly tracked: TrackedCheckpoint[] = [];

  constructor(
    /** Channels that have not ended; only channelEnded() lowers it. */
    private openChannels: number,
    private readonly listener: BarrierListener,
  ) {}

  get pendingCheckpointId(): number | null {
    return this.tracked.length === 0 ? null : this.tracked[this.tracked.length - 1].barrier.checkpointId;
  }

  barrierReceived(barrier: CheckpointBarrier, channel: number): void {
    const id = barrier.checkpointId;
    const index = this.tracked.findIndex((checkpoint) => checkpoint.barrier.checkpointId === id);
    if (index >= 0) {
      const checkpoint = this.tracked[index];
      checkpoint.channels.add(channel);
      if (checkpoint.channels.size >= checkpoint.target) this.complete(index);
      return;
    }
    if (id <= this.latestCheckpointId) return;
    this.latestCheckpointId = id;
    this.tracked.push({ barrier, channels: new Set([channel]), target: this.openChannels });
    if (this.openChannels <= 1) return this.complete(this.tracked.length - 1);
    if (this.tracked.length > MAX_TRACKED_CHECKPOINTS) {
      const oldest = this.tracked.shift() as TrackedCheckpoint;
      this.listener.onAlignmentAborted(oldest.barrier.checkpointId, `over ${MAX_TRACKED_CHECKPOINTS} checkpoints were in progress at once`);
    }
  }

  channelEnded(channel: number): void {
    this.openChannels--;
    // The newest checkpoint this end completes wins; the older ones are given up with it.
    for (let index = this.tracked.length - 1; index >= 0; index--) {
      const checkpoint = this.tracked[index];
      checkpoint.channels.add(channel);
      if (checkpoint.channels.size >= checkpoint.target) return this.complete(index);
    }
  }

  abort(checkpointId: number): boolean {
    this.latestCheckpointId = Math.max(this.latestCheckpointId, checkpointId);
    const index = this.tracked.findIndex((checkpoint) => checkpoint.barrier.checkpointId === checkpointId);
    if (index < 0) return false;
    this.tracked.splice(index, 1);
    return true;
  }

  /** Snapshots tracked[index] and gives up every older one. */
  private complete(index: number): void {
    const done = this.tracked.splice(0, index + 1);
    const barrier = done[index].barrier;
    for (let older = 0; older < index; older++) {
      this.listener.onAlignmentAborted(done[older].barrier.checkpointId, `checkpoint ${barrier.checkpointId} was complete at this subtask's inputs first`);
    }
    this.listener.onBarrier(barrier);
  }
}
