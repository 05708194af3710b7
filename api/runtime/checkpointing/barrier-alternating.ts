// An aligned checkpoint with a timeout (Flink's AlternatingCollectingBarriers, for
// execution.checkpointing.aligned-checkpoint-timeout): it aligns like CollectingBarriers until
// `alignedCheckpointTimeoutMs` has passed since the checkpoint was triggered, or until a barrier of it
// arrives unaligned (an upstream subtask switched already); then it switches: the subtask snapshots
// at once, the blocked channels (caught up) resume, and the others are recorded until their barriers
// arrive (CollectingBarriersUnaligned). A barrier that arrives after the timeout switches at once.
import type { AlignmentContext, AlignmentState } from './barrier-alignment.ts';
import { CollectingBarriers } from './barrier-collecting.ts';
import { CollectingBarriersUnaligned } from './barrier-unaligned.ts';
import type { CheckpointBarrier } from './snapshot.ts';

export class AlternatingCollectingBarriers extends CollectingBarriers {
  /** Collects `barrier`'s checkpoint aligned while its timeout allows, else unaligned from the start. */
  static start(barrier: CheckpointBarrier, context: AlignmentContext): AlignmentState {
    const state = new AlternatingCollectingBarriers(barrier);
    const remainingMs = barrier.timestamp + (barrier.alignedCheckpointTimeoutMs ?? 0) - context.now();
    if (remainingMs <= 0) return state.switchToUnaligned(context);
    context.startAlignmentTimer(barrier.checkpointId, remainingMs);
    return state;
  }

  override barrierReceived(barrier: CheckpointBarrier, channel: number, context: AlignmentContext): AlignmentState {
    if (barrier.checkpointId === this.checkpointId && barrier.unaligned === true && !this.blocked.has(channel)) {
      return this.switchToUnaligned(context).barrierReceived(barrier, channel, context);
    }
    return super.barrierReceived(barrier, channel, context);
  }

  override abort(context: AlignmentContext, reason?: string): AlignmentState {
    context.cancelAlignmentTimer();
    return super.abort(context, reason);
  }

  override alignmentTimedOut(checkpointId: number, context: AlignmentContext): AlignmentState {
    return checkpointId === this.checkpointId ? this.switchToUnaligned(context) : this;
  }

  protected override complete(context: AlignmentContext): AlignmentState {
    context.cancelAlignmentTimer();
    return super.complete(context);
  }

  /** Snapshot first, then resume (as on completion): a blocked channel's batches come after its barrier. */
  private switchToUnaligned(context: AlignmentContext): AlignmentState {
    context.cancelAlignmentTimer();
    const next = CollectingBarriersUnaligned.start(this.barrier, this.blocked, context);
    this.resumeAll(context);
    return next;
  }
}
