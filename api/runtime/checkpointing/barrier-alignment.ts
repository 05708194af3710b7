// The states of an EXACTLY_ONCE checkpoint at a subtask's inputs, as Flink's
// SingleCheckpointBarrierHandler has them, one per file: WaitingForFirstBarrier (barrier-waiting.ts),
// CollectingBarriers (aligned, barrier-collecting.ts), AlternatingCollectingBarriers (aligned until a
// timeout, barrier-alternating.ts) and CollectingBarriersUnaligned (barrier-unaligned.ts). Each call
// returns the next state; BarrierAligner holds the current and is the context they act on. A state
// goes back to waiting through the context, so that the files do not import each other in a circle.
import type { CheckpointBarrier } from './snapshot.ts';

/** What a state acts on (BarrierAligner). */
export interface AlignmentContext {
  /** Channels that have not ended. */
  readonly openChannels: number;
  /** The state between checkpoints (barrier-waiting.ts). */
  readonly waitingForFirstBarrier: AlignmentState;
  /** The newest checkpoint seen (a barrier or an abort): a barrier up to it is late and ignored. */
  latestCheckpointId: number;
  block(channel: number): void;
  resume(channel: number): void;
  /** Every open channel delivered the barrier: the subtask snapshots (BarrierListener.onBarrier). */
  aligned(barrier: CheckpointBarrier): void;
  /** The alignment was given up (BarrierListener.onAlignmentAborted). */
  aborted(checkpointId: number, reason: string): void;
  /**
   * Unaligned: the subtask snapshots now (`barrier.unaligned`), before the barriers of the channels
   * not in `caughtUp` arrived; their data up to those barriers is recorded from now on.
   */
  snapshotUnaligned(barrier: CheckpointBarrier, caughtUp: ReadonlySet<number>): void;
  /** A channel being recorded delivered its barrier (or ended): its recording ends. */
  caughtUp(channel: number): void;
  /** Every open channel caught up: the recorded data is complete (BarrierListener.onInFlightRecorded). */
  recorded(checkpointId: number): void;
  /** The unaligned checkpoint was given up: its recording is dropped. */
  dropRecording(): void;
  /** Now (ms since the epoch, as barrier timestamps). */
  now(): number;
  /** The state's alignmentTimedOut(checkpointId) runs on the task's turn after `delayMs`; replaces an earlier timer. */
  startAlignmentTimer(checkpointId: number, delayMs: number): void;
  cancelAlignmentTimer(): void;
}

export interface AlignmentState {
  /** The checkpoint being aligned, or null. */
  readonly checkpointId: number | null;
  barrierReceived(barrier: CheckpointBarrier, channel: number, context: AlignmentContext): AlignmentState;
  /** After the context counted the channel as ended. */
  channelEnded(channel: number, context: AlignmentContext): AlignmentState;
  /** Ends the alignment without a snapshot (the channels resume); the listener is told only with a reason. */
  abort(context: AlignmentContext, reason?: string): AlignmentState;
  /** The timer of startAlignmentTimer(checkpointId) went off. */
  alignmentTimedOut(checkpointId: number, context: AlignmentContext): AlignmentState;
}

/**
 * A collecting state's answer to a barrier of another checkpoint than its own: an older one is late
 * and ignored (`state` stays), a newer one gives `state`'s checkpoint up (declined, `gaveUp` says
 * why) and starts its own. Undefined: the barrier is `state`'s checkpoint's.
 */
export function barrierOfOtherCheckpoint(state: AlignmentState, barrier: CheckpointBarrier, channel: number, context: AlignmentContext, gaveUp: string): AlignmentState | undefined {
  const id = barrier.checkpointId;
  const own = state.checkpointId as number;
  if (id === own) return undefined;
  if (id < own) return state;
  return state.abort(context, `the barrier of checkpoint ${id} arrived before ${gaveUp}`).barrierReceived(barrier, channel, context);
}
