// A subtask's side of unaligned checkpoints (FLIP-76), beside the chain's snapshot: the barrier goes
// ahead of the batches queued in every output subpartition, which become the snapshot's in-flight
// output; a subtask fed by network edges acknowledges only once its in-flight input is recorded (every
// channel's barrier arrived), as Flink waits for its channel state. A restore puts both back: the
// input is replayed before the gates are read, the output leaves before anything the chain emits.
//
// Threading: the task's turn only (ChainSubtask).
import { WeirError } from '../../../messages/errors.ts';
import type { BuiltChain } from '../chain-builder.ts';
import { NetworkInput } from '../network-input.ts';
import type { OutputWriter } from '../subtask.ts';
import { withoutBarrier } from './in-flight-recorder.ts';
import { AsyncSnapshotPart } from './async-snapshot.ts';
import type { CheckpointBarrier, InFlightChannel, InFlightSnapshot, InFlightSubpartition, TakenSubtaskSnapshot } from './snapshot.ts';
import { decodeBatch, encodeBatch } from './snapshot-codec.ts';

type Acknowledge = (barrier: CheckpointBarrier, snapshot: TakenSubtaskSnapshot, syncMs: number) => void;

interface PendingSnapshot {
  readonly barrier: CheckpointBarrier;
  readonly snapshot: TakenSubtaskSnapshot;
  readonly syncMs: number;
  readonly output: readonly InFlightSubpartition[];
}

export class UnalignedSnapshots {
  /** Snapshots taken whose in-flight input is still being recorded, by checkpoint id. */
  private readonly pending = new Map<number, PendingSnapshot>();

  constructor(private readonly acknowledge: Acknowledge) {}

  /**
   * The chain's snapshot of an unaligned checkpoint is taken: the barrier goes on ahead of every
   * output's queued batches; the snapshot is acknowledged now, or once `inputRecorded` (a subtask
   * fed by network edges: its input is recorded from its first barrier to its last).
   */
  taken(barrier: CheckpointBarrier, snapshot: TakenSubtaskSnapshot, syncMs: number, outputs: readonly OutputWriter[], waitsForInput: boolean): void {
    const output = sendAhead(outputs, barrier);
    if (!waitsForInput) return this.acknowledge(barrier, withInFlight(snapshot, [], output), syncMs);
    this.pending.set(barrier.checkpointId, { barrier, snapshot, syncMs, output });
  }

  inputRecorded(checkpointId: number, input: readonly InFlightChannel[]): void {
    const pending = this.pending.get(checkpointId);
    if (pending === undefined) return;
    this.pending.delete(checkpointId);
    this.acknowledge(pending.barrier, withInFlight(pending.snapshot, input, pending.output), pending.syncMs);
  }

  /** The checkpoint was aborted or declined: nothing is acknowledged for it, and the key groups its snapshot held (copy-on-write) are let go. */
  drop(checkpointId: number): void {
    const pending = this.pending.get(checkpointId);
    this.pending.delete(checkpointId);
    if (pending !== undefined) new AsyncSnapshotPart(pending.snapshot).release();
  }
}

/** The barrier ahead of each writer's queued batches (in order where a writer has no priority path); what it overtook, encoded. */
function sendAhead(outputs: readonly OutputWriter[], barrier: CheckpointBarrier): InFlightSubpartition[] {
  const inFlight: InFlightSubpartition[] = [];
  outputs.forEach((writer, output) => {
    if (writer.broadcastPriorityEvent === undefined) return writer.broadcastEvent(barrier);
    writer.broadcastPriorityEvent(barrier).forEach((overtaken, subpartition) => {
      const batches = overtaken.map(withoutBarrier).filter((batch) => batch.records.length > 0 || batch.events !== null);
      if (batches.length > 0) inFlight.push({ output, subpartition, batches: batches.map(encodeBatch) });
    });
  });
  return inFlight;
}

/** The bytes of in-flight data a snapshot persists (its encoded batches, input and output): Flink's persisted_data. */
export function inFlightBytes(inFlight: InFlightSnapshot | undefined): number {
  if (inFlight === undefined) return 0;
  let bytes = 0;
  for (const { batches } of inFlight.input) for (const batch of batches) bytes += batch.length;
  for (const { batches } of inFlight.output) for (const batch of batches) bytes += batch.length;
  return bytes;
}

/** Nothing in flight: the snapshot is what an aligned one would be (a stateless subtask writes no file). */
function withInFlight(snapshot: TakenSubtaskSnapshot, input: readonly InFlightChannel[], output: readonly InFlightSubpartition[]): TakenSubtaskSnapshot {
  return input.length === 0 && output.length === 0 ? snapshot : { ...snapshot, inFlight: { input, output } };
}

/** Before anything runs: the input's in-flight batches are read first, the output's leave first. */
export function restoreInFlight(chain: BuiltChain, inFlight: InFlightSnapshot, label: string): void {
  const source = `${label}'s snapshot`;
  const { input } = chain;
  const replayed = inFlight.input.map(({ channel, batches }) => ({ channel, batches: batches.map((bytes) => decodeBatch(bytes, source)) }));
  if (replayed.length > 0) {
    if (!(input instanceof NetworkInput)) throw new WeirError('STATE_RESTORE_FAILED', `${label}: the snapshot holds in-flight input, but this vertex has no input edges`);
    input.replayInFlight(replayed);
  }
  for (const { output, subpartition, batches } of inFlight.output) {
    const writer = chain.outputs[output];
    if (writer?.restoreInFlight === undefined || !Number.isInteger(subpartition) || subpartition < 0 || subpartition >= writer.channels) {
      throw new WeirError(
        'STATE_RESTORE_FAILED',
        `${label}: the snapshot holds in-flight output of subpartition ${subpartition} of output ${output}, which this subtask does not have (${chain.outputs.length} outputs): an unaligned checkpoint restores at the parallelism it was taken at only`,
      );
    }
    writer.restoreInFlight(subpartition, batches.map((bytes) => decodeBatch(bytes, source)));
  }
}
