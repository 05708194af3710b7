// An unaligned checkpoint at a subtask's inputs (Flink's CollectingBarriersUnaligned): the subtask
// snapshotted at its first barrier, without blocking anything; each channel's data before its
// barrier that the snapshot had not processed is recorded until that barrier arrives (or the channel
// ends). The last one completes the recording, which joins the snapshot as its in-flight input.
// A newer checkpoint's barrier before then gives this one up (declined) and starts its own.
import { type AlignmentContext, type AlignmentState, barrierOfOtherCheckpoint } from './barrier-alignment.ts';
import { type CheckpointBarrier, asUnaligned } from './snapshot.ts';

export class CollectingBarriersUnaligned implements AlignmentState {
  private constructor(
    private readonly barrier: CheckpointBarrier,
    /** Channels whose barrier arrived: nothing of theirs is recorded. */
    private readonly caughtUp: Set<number>,
  ) {}

  /**
   * Snapshots now (an aligned barrier switching goes on as unaligned); `caughtUp`: the channels
   * whose barrier arrived already (an alignment that timed out: the blocked ones).
   */
  static start(barrier: CheckpointBarrier, caughtUp: ReadonlySet<number>, context: AlignmentContext): AlignmentState {
    const unaligned = barrier.unaligned === true ? barrier : asUnaligned(barrier);
    context.snapshotUnaligned(unaligned, caughtUp);
    return new CollectingBarriersUnaligned(unaligned, new Set(caughtUp)).completeIfCaughtUp(context);
  }

  get checkpointId(): number {
    return this.barrier.checkpointId;
  }

  barrierReceived(barrier: CheckpointBarrier, channel: number, context: AlignmentContext): AlignmentState {
    const other = barrierOfOtherCheckpoint(this, barrier, channel, context, `every barrier of unaligned checkpoint ${this.barrier.checkpointId}`);
    if (other !== undefined) return other;
    if (this.caughtUp.has(channel)) return this;
    this.caughtUp.add(channel);
    context.caughtUp(channel);
    return this.completeIfCaughtUp(context);
  }

  channelEnded(channel: number, context: AlignmentContext): AlignmentState {
    // Caught up before it ended: it leaves the count with the open channels. Else its data up to the end is all it owes.
    if (!this.caughtUp.delete(channel)) context.caughtUp(channel);
    return this.completeIfCaughtUp(context);
  }

  abort(context: AlignmentContext, reason?: string): AlignmentState {
    context.dropRecording();
    if (reason !== undefined) context.aborted(this.barrier.checkpointId, reason);
    return context.waitingForFirstBarrier;
  }

  alignmentTimedOut(): AlignmentState {
    return this;
  }

  private completeIfCaughtUp(context: AlignmentContext): AlignmentState {
    if (this.caughtUp.size < context.openChannels) return this;
    context.recorded(this.barrier.checkpointId);
    return context.waitingForFirstBarrier;
  }
}
