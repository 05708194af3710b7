// EXACTLY_ONCE at a subtask's inputs: aligns each checkpoint's barriers (see barrier-alignment.ts for
// the states). Aligned: a channel that delivered barrier n is blocked until every open channel
// delivered it or ended; then the subtask snapshots and every channel resumes, so the snapshot holds
// exactly the records before the barrier of every channel. Unaligned (the barrier says so, or an
// aligned checkpoint's timeout passed): the subtask snapshots at the first barrier and the channels'
// data before their barriers is recorded instead. A newer barrier aborts the checkpoint in progress
// and starts its own; an older one is late and ignored. One open channel in all: no blocking at all.
//
// Threading: the task's turn only (NetworkInput's read(), the alignment timer it runs there, or the
// Task's notifyCheckpointAborted).
import type { AlignmentContext, AlignmentState } from './barrier-alignment.ts';
import type { BarrierChannels } from './barrier-channels.ts';
import type { AlignmentClock, BarrierHandler, BarrierListener } from './barrier-handler.ts';
import { WAITING_FOR_FIRST_BARRIER } from './barrier-waiting.ts';
import type { CheckpointBarrier } from './snapshot.ts';

/** Date.now, and timers whose due callbacks go to `due`, which runs them on the task's turn (NetworkInput). */
export function taskTurnClock(due: (onDue: () => void) => void): AlignmentClock {
  return {
    now: () => Date.now(),
    schedule: (delayMs, onDue) => {
      const timer = setTimeout(() => due(onDue), delayMs);
      timer.unref();
      return () => clearTimeout(timer);
    },
  };
}

/** Timers that run their callback as they go off: for handlers not driven by a task (specs pass their own clock). */
export const SYSTEM_CLOCK: AlignmentClock = taskTurnClock((onDue) => onDue());

export class BarrierAligner implements BarrierHandler, AlignmentContext {
  readonly mode = 'EXACTLY_ONCE';
  readonly waitingForFirstBarrier = WAITING_FOR_FIRST_BARRIER;
  latestCheckpointId = 0;
  private state: AlignmentState = WAITING_FOR_FIRST_BARRIER;
  private cancelTimer: (() => void) | null = null;

  constructor(
    private readonly channels: BarrierChannels,
    /** Channels that have not ended; only channelEnded() lowers it. */
    public openChannels: number,
    private readonly listener: BarrierListener,
    private readonly clock: AlignmentClock = SYSTEM_CLOCK,
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

  /** Recording first: the snapshot may take the batch being read as processed otherwise. */
  snapshotUnaligned(barrier: CheckpointBarrier, caughtUp: ReadonlySet<number>): void {
    this.channels.startRecording(barrier.checkpointId, caughtUp);
    this.listener.onBarrier(barrier);
  }

  caughtUp(channel: number): void {
    this.channels.stopRecording(channel);
  }

  recorded(checkpointId: number): void {
    this.listener.onInFlightRecorded(checkpointId, this.channels.takeRecording());
  }

  dropRecording(): void {
    this.channels.dropRecording();
  }

  now(): number {
    return this.clock.now();
  }

  startAlignmentTimer(checkpointId: number, delayMs: number): void {
    this.cancelAlignmentTimer();
    this.cancelTimer = this.clock.schedule(delayMs, () => {
      this.cancelTimer = null;
      this.state = this.state.alignmentTimedOut(checkpointId, this);
    });
  }

  cancelAlignmentTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}
