// For the barrier handler specs: channels and a listener that write what is done to them, in order,
// into one log ('block 0', 'resume 0', 'snapshot 1', 'abort 1: <reason>').
import type { BarrierChannels } from '../../../../api/runtime/checkpointing/barrier-channels.ts';
import type { BarrierListener } from '../../../../api/runtime/checkpointing/barrier-handler.ts';
import type { CheckpointBarrier, CheckpointingMode } from '../../../../api/runtime/checkpointing/snapshot.ts';

export function barrier(checkpointId: number, mode: CheckpointingMode = 'EXACTLY_ONCE'): CheckpointBarrier {
  return { kind: 'barrier', checkpointId, timestamp: 1_700_000_000_000 + checkpointId, mode, savepoint: false };
}

export class BarrierRecorder implements BarrierChannels, BarrierListener {
  readonly log: string[] = [];

  block(channel: number): void {
    this.log.push(`block ${channel}`);
  }

  resume(channel: number): void {
    this.log.push(`resume ${channel}`);
  }

  onBarrier(received: CheckpointBarrier): void {
    this.log.push(`snapshot ${received.checkpointId}`);
  }

  onAlignmentAborted(checkpointId: number, reason: string): void {
    this.log.push(`abort ${checkpointId}: ${reason}`);
  }

  /** The log since the last take(). */
  take(): string[] {
    return this.log.splice(0);
  }
}
