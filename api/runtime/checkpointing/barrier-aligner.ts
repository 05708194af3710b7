// EXACTLY_ONCE at a subtask's inputs: aligns each checkpoint's barriers (see barrier-alignment.ts for
// the states). A channel that delivered barrier n is blocked until every open channel delivered it or
// ended; then the subtask snapshots and every channel resumes. So the snapshot holds exactly the
// records before the barrier of every channel. A newer barrier aborts the alignment in progress and
// starts its own; an older one is late and ignored. One open channel in all: no blocking at all.
//
// Threading: the task's turn only (NetworkInput's read(), or the Task's notifyCheckpointAborted).
import type { BarrierChannels } from './barrier-channels.ts';
import type { BarrierHandler, BarrierListener } from './barrier-handler.ts';
import { type AlignmentContext, type AlignmentState, WAITING_FOR_FIRST_BARRIER } from './barrier-alignment.ts';
import type { CheckpointBarrier } from './snapshot.ts';

export class BarrierAligner implements BarrierHandler, AlignmentContext {
  readonly mode = 'EXACTLY_ONCE';
  latestCheckpointId = 0;
  private state: AlignmentState = WAITING_FOR_FIRST_BARRIER;

  constructor(
    private readonly channels: BarrierChannels,
    /** Channels that have not ended; only channelEnded() lowers it. */
    public openChannels: number,
    private readonly listener: BarrierListener,
  ) {}

  get pendingCheckpointId(): number | null {
    return this.state.checkpointId;
  }

  barrierReceived(barrier: CheckpointBarrier, channel: number): void {
    this.state = this.state.barrierReceived(barrier, channel, this);
  }

  channelEnded(channel: number): void {
    this.openChannels--;
    this.state = this.state.channelEnded(channel, this);
  }

  abort(checkpointId: number): boolean {
    this.latestCheckpointId = Math.max(this.latestCheckpointId, checkpointId);
    if (this.state.checkpointId !== checkpointId) return false;
    this.state = this.state.abort(this);
    return true;
  }

  block(channel: number): void {
    this.channels.block(channel);
  }

  resume(channel: number): void {
    this.channels.resume(channel);
  }

  aligned(barrier: CheckpointBarrier): void {
    this.listener.onBarrier(barrier);
  }

  aborted(checkpointId: number, reason: string): void {
    this.listener.onAlignmentAborted(checkpointId, reason);
  }
}
