// Between checkpoints at a subtask's inputs (Flink's WaitingForFirstBarrier): the first barrier of a
// newer checkpoint starts collecting its barriers. How a checkpoint aligns is the barrier's to say
// (savepoints stay aligned in a job with unaligned checkpoints), so this one state starts each kind:
// aligned (CollectingBarriers), aligned until a timeout (AlternatingCollectingBarriers) or unaligned
// (CollectingBarriersUnaligned). Flink's waiting states per kind (AlternatingWaitingForFirstBarrier,
// WaitingForFirstBarrierUnaligned) differ only by the kind they start, which the barrier carries here.
import type { AlignmentContext, AlignmentState } from './barrier-alignment.ts';
import { AlternatingCollectingBarriers } from './barrier-alternating.ts';
import { CollectingBarriers } from './barrier-collecting.ts';
import { CollectingBarriersUnaligned } from './barrier-unaligned.ts';
import type { CheckpointBarrier } from './snapshot.ts';

/** No alignment in progress: nothing is blocked or recorded. */
class WaitingForFirstBarrier implements AlignmentState {
  readonly checkpointId = null;

  barrierReceived(barrier: CheckpointBarrier, channel: number, context: AlignmentContext): AlignmentState {
    if (barrier.checkpointId <= context.latestCheckpointId) return this;
    context.latestCheckpointId = barrier.checkpointId;
    let next: AlignmentState;
    if (barrier.unaligned === true) next = CollectingBarriersUnaligned.start(barrier, new Set(), context);
    else if (barrier.alignedCheckpointTimeoutMs !== undefined) next = AlternatingCollectingBarriers.start(barrier, context);
    else next = new CollectingBarriers(barrier);
    return next.barrierReceived(barrier, channel, context);
  }

  channelEnded(): AlignmentState {
    return this;
  }

  abort(): AlignmentState {
    return this;
  }

  alignmentTimedOut(): AlignmentState {
    return this;
  }
}

export const WAITING_FOR_FIRST_BARRIER: AlignmentState = new WaitingForFirstBarrier();
