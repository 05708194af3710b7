// The two states of an aligned (EXACTLY_ONCE) checkpoint at a subtask's inputs, as Flink's
// SingleCheckpointBarrierHandler has them: waiting for the first barrier of a newer checkpoint, and
// collecting the barriers of one. Each call returns the next state; BarrierAligner holds the current.
import type { CheckpointBarrier } from './snapshot.ts';

/** What a state acts on (BarrierAligner). */
export interface AlignmentContext {
  /** Channels that have not ended. */
  readonly openChannels: number;
  /** The newest checkpoint seen (a barrier or an abort): a barrier up to it is late and ignored. */
  latestCheckpointId: number;
  block(channel: number): void;
  resume(channel: number): void;
  /** Every open channel delivered the barrier: the subtask snapshots (BarrierListener.onBarrier). */
  aligned(barrier: CheckpointBarrier): void;
  /** The alignment was given up (BarrierListener.onAlignmentAborted). */
  aborted(checkpointId: number, reason: string): void;
}

export interface AlignmentState {
  /** The checkpoint being aligned, or null. */
  readonly checkpointId: number | null;
  barrierReceived(barrier: CheckpointBarrier, channel: number, context: AlignmentContext): AlignmentState;
  /** After the context counted the channel as ended. */
  channelEnded(channel: number, context: AlignmentContext): AlignmentState;
  /** Ends the alignment without a snapshot (the channels resume); the listener is told only with a reason. */
  abort(context: AlignmentContext, reason?: string): AlignmentState;
}

/** No alignment in progress: nothing is blocked. */
class WaitingForFirstBarrier implements AlignmentState {
  readonly checkpointId = null;

  barrierReceived(barrier: CheckpointBarrier, channel: number, context: AlignmentContext): AlignmentState {
    if (barrier.checkpointId <= context.latestCheckpointId) return this;
    context.latestCheckpointId = barrier.checkpointId;
    return new CollectingBarriers(barrier).barrierReceived(barrier, channel, context);
  }

  channelEnded(): AlignmentState {
    return this;
  }

  abort(): AlignmentState {
    return this;
  }
}

export const WAITING_FOR_FIRST_BARRIER: AlignmentState = new WaitingForFirstBarrier();

/** Barriers of one checkpoint arrived on some channels, which are blocked; the others go on. */
class CollectingBarriers implements AlignmentState {
  /** The channels that delivered the barrier, blocked until the alignment ends. */
  private readonly blocked = new Set<number>();

  constructor(private readonly barrier: CheckpointBarrier) {}

  get checkpointId(): number {
    return this.barrier.checkpointId;
  }

  barrierReceived(barrier: CheckpointBarrier, channel: number, context: AlignmentContext): AlignmentState {
    const id = barrier.checkpointId;
    if (id < this.barrier.checkpointId) return this;
    if (id > this.barrier.checkpointId) {
      const next = this.abort(context, `the barrier of checkpoint ${id} arrived before checkpoint ${this.barrier.checkpointId} was aligned`);
      return next.barrierReceived(barrier, channel, context);
    }
    // The last barrier completes the alignment without blocking its channel (one channel: no blocking at all).
    if (this.blocked.has(channel)) return this;
    if (this.blocked.size + 1 >= context.openChannels) return this.complete(context);
    this.blocked.add(channel);
    context.block(channel);
    return this;
  }

  channelEnded(channel: number, context: AlignmentContext): AlignmentState {
    // A blocked channel cannot end before it resumes; the check keeps the count right regardless.
    this.blocked.delete(channel);
    return this.blocked.size >= context.openChannels ? this.complete(context) : this;
  }

  abort(context: AlignmentContext, reason?: string): AlignmentState {
    this.resumeAll(context);
    if (reason !== undefined) context.aborted(this.barrier.checkpointId, reason);
    return WAITING_FOR_FIRST_BARRIER;
  }

  /** Snapshot first, then resume (as Flink): records of a resumed channel come after the snapshot anyway. */
  private complete(context: AlignmentContext): AlignmentState {
    context.aligned(this.barrier);
    this.resumeAll(context);
    return WAITING_FOR_FIRST_BARRIER;
  }

  private resumeAll(context: AlignmentContext): void {
    for (const channel of this.blocked) context.resume(channel);
    this.blocked.clear();
  }
}
