// For the barrier handler specs: channels, a listener and a clock that write what is done to them, in
// order, into one log ('block 0', 'resume 0', 'snapshot 1', 'abort 1: <reason>', 'record all but 0',
// 'stop 1', 'recorded 1', 'drop', 'timer 1 in 500', 'timer cancelled'). Time is set by the spec.
import type { BarrierChannels } from '../../../../api/runtime/checkpointing/barrier-channels.ts';
import type { AlignmentClock, BarrierListener } from '../../../../api/runtime/checkpointing/barrier-handler.ts';
import type { CheckpointBarrier, CheckpointingMode, InFlightChannel } from '../../../../api/runtime/checkpointing/snapshot.ts';

export function barrier(checkpointId: number, mode: CheckpointingMode = 'EXACTLY_ONCE'): CheckpointBarrier {
  return { kind: 'barrier', checkpointId, timestamp: 1_700_000_000_000 + checkpointId, mode, savepoint: false };
}

/** The barrier of an unaligned checkpoint. */
export const unalignedBarrier = (checkpointId: number): CheckpointBarrier => ({ ...barrier(checkpointId), unaligned: true });

/** The barrier of an aligned checkpoint that switches to unaligned after `timeoutMs` since its trigger. */
export const timeoutableBarrier = (checkpointId: number, timeoutMs: number): CheckpointBarrier => ({ ...barrier(checkpointId), alignedCheckpointTimeoutMs: timeoutMs });

export class BarrierRecorder implements BarrierChannels, BarrierListener, AlignmentClock {
  readonly log: string[] = [];
  /** The clock's now; specs move it. */
  time = 1_700_000_000_000;
  /** The timer scheduled and not cancelled: the spec fires it with fire(). */
  private timer: (() => void) | null = null;

  block(channel: number): void {
    this.log.push(`block ${channel}`);
  }

  resume(channel: number): void {
    this.log.push(`resume ${channel}`);
  }

  startRecording(checkpointId: number, caughtUp: ReadonlySet<number>): void {
    this.log.push(caughtUp.size === 0 ? `record ${checkpointId}` : `record ${checkpointId} but ${[...caughtUp].join(',')}`);
  }

  stopRecording(channel: number): void {
    this.log.push(`stop ${channel}`);
  }

  takeRecording(): InFlightChannel[] {
    return [];
  }

  dropRecording(): void {
    this.log.push('drop');
  }

  onBarrier(received: CheckpointBarrier): void {
    this.log.push(received.unaligned === true ? `snapshot ${received.checkpointId} unaligned` : `snapshot ${received.checkpointId}`);
  }

  onInFlightRecorded(checkpointId: number): void {
    this.log.push(`recorded ${checkpointId}`);
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, onDue: () => void): () => void {
    this.log.push(`timer in ${delayMs}`);
    const timer = (): void => onDue();
    this.timer = timer;
    return () => {
      if (this.timer !== timer) return;
      this.timer = null;
      this.log.push('timer cancelled');
    };
  }

  /** The scheduled timer goes off (as NetworkInput runs it, on the task's turn). */
  fire(): void {
    const timer = this.timer;
    this.timer = null;
    timer?.();
  }

  onAlignmentAborted(checkpointId: number, reason: string): void {
    this.log.push(`abort ${checkpointId}: ${reason}`);
  }

  /** The log since the last take(). */
  take(): string[] {
    return this.log.splice(0);
  }
}
