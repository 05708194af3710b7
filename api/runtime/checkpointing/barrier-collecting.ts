// An aligned checkpoint at a subtask's inputs (Flink's CollectingBarriers): barriers of one checkpoint
// arrived on some channels, which are blocked (their batches stay queued, their credit stops) until
// every open channel delivered it; then the subtask snapshots and they resume. A newer checkpoint's
// barrier gives this one up (declined) and starts its own; an older one is late and ignored.
import { type AlignmentContext, type AlignmentState, barrierOfOtherCheckpoint } from './barrier-alignment.ts';
import type { CheckpointBarrier } from './snapshot.ts';

/** Barriers of one checkpoint arrived on some channels, which are blocked; the others go on. */
export class CollectingBarriers implements AlignmentState {
  /** The channels that delivered the barrier, blocked until the alignment ends. */
  protected readonly blocked = new Set<number>();

  constructor(protected readonly barrier: CheckpointBarrier) {}

  get checkpointId(): number {
    return this.barrier.checkpointId;
  }

  barrierReceived(barrier: CheckpointBarrier, channel: number, context: AlignmentContext): AlignmentState {
    const other = barrierOfOtherCheckpoint(this, barrier, channel, context, `checkpoint ${this.barrier.checkpointId} was aligned`);
    if (other !== undefined) return other;
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
    return context.waitingForFirstBarrier;
  }

  /** Aligned without a timeout: no timer of its own runs (AlternatingCollectingBarriers has one). */
  alignmentTimedOut(_checkpointId: number, _context: AlignmentContext): AlignmentState {
    return this;
  }

  /** Snapshot first, then resume (as Flink): records of a resumed channel come after the snapshot anyway. */
  protected complete(context: AlignmentContext): AlignmentState {
    context.aligned(this.barrier);
    this.resumeAll(context);
    return context.waitingForFirstBarrier;
  }

  protected resumeAll(context: AlignmentContext): void {
    for (const channel of this.blocked) context.resume(channel);
    this.blocked.clear();
  }
}
