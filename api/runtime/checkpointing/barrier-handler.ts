// What a subtask fed by network edges does with the checkpoint barriers and channel ends of its inputs
// (Flink's CheckpointBarrierHandler): it counts them over every channel of every gate of the subtask
// (both inputs of a two-input operator), holds channels back where the mode asks for it, and tells
// the subtask when to snapshot. NetworkInput feeds it, per event, never per record.
//
// EXACTLY_ONCE aligns (BarrierAligner): a channel that delivered barrier n is blocked until every open
// channel did, or, for an unaligned checkpoint, the subtask snapshots at once and the data in flight
// is recorded. AT_LEAST_ONCE only counts (BarrierTracker): nothing is blocked, so records after the
// barrier of one channel may reach the snapshot of the state, and replay counts them again.
import { BarrierAligner, SYSTEM_CLOCK } from './barrier-aligner.ts';
import type { BarrierChannels } from './barrier-channels.ts';
import { BarrierTracker } from './barrier-tracker.ts';
import type { CheckpointBarrier, CheckpointingMode, InFlightChannel } from './snapshot.ts';

/** Time for aligned checkpoint timeouts: `schedule` runs `onDue` on the task's turn and returns its cancel. */
export interface AlignmentClock {
  now(): number;
  schedule(delayMs: number, onDue: () => void): () => void;
}

/**
 * Told by the subtask's NetworkInput, synchronously on the task's turn inside read(): the subtask
 * (ChainSubtask) sets one; without one barriers are ignored.
 */
export interface BarrierListener {
  /**
   * The subtask must snapshot checkpoint `barrier.checkpointId` now: every record delivered so far
   * is before it, every record delivered after this call after it. Called once per checkpoint.
   * `barrier.unaligned`: records before it are still to come too; onInFlightRecorded() brings them.
   */
  onBarrier(barrier: CheckpointBarrier): void;
  /** An unaligned checkpoint's in-flight input is complete (every channel's barrier arrived): the snapshot may be acknowledged. */
  onInFlightRecorded(checkpointId: number, input: InFlightChannel[]): void;
  /** The subtask gave the checkpoint up (a newer one overtook it): decline it. */
  onAlignmentAborted(checkpointId: number, reason: string): void;
}

/** One of the two handlers; which one is chosen by the mode of the first barrier (a job has one mode). */
export interface BarrierHandler {
  readonly mode: CheckpointingMode;
  /** The checkpoint whose barriers are being collected (the newest, AT_LEAST_ONCE), or null. */
  readonly pendingCheckpointId: number | null;
  /** `channel` (numbered over every gate) delivered `barrier` as the last element of a batch. */
  barrierReceived(barrier: CheckpointBarrier, channel: number): void;
  /** `channel` delivered its end: it counts as delivered for the pending checkpoint and every later one. */
  channelEnded(channel: number): void;
  /**
   * The checkpoint was aborted outside (RunnableSubtask.notifyCheckpointAborted): its alignment ends,
   * its blocked channels resume, and its later barriers are ignored. The listener is not told (the
   * caller knows). Returns whether its barriers were being collected.
   */
  abort(checkpointId: number): boolean;
}

/**
 * The handler for `mode`, over `channels`, of which `openChannels` have not ended yet (channel ends
 * that came before the first barrier).
 */
export function createBarrierHandler(mode: CheckpointingMode, channels: BarrierChannels, openChannels: number, listener: BarrierListener, clock: AlignmentClock = SYSTEM_CLOCK): BarrierHandler {
  return mode === 'EXACTLY_ONCE' ? new BarrierAligner(channels, openChannels, listener, clock) : new BarrierTracker(openChannels, listener);
}
