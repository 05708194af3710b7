// The in-flight input of an unaligned checkpoint (Flink's ChannelStatePersister): from the snapshot
// on, the batches a channel delivers before its barrier are recorded, each encoded as it is recorded
// (the subtask goes on processing the same records). NetworkInput feeds it per batch; a subtask
// without an unaligned checkpoint in progress pays one boolean check per batch.
//
// Threading: the task's turn only.
import type { RecordBatch } from '../subtask.ts';
import { isCheckpointBarrier } from './snapshot.ts';
import type { InFlightChannel } from './snapshot.ts';
import { encodeBatch } from './snapshot-codec.ts';

export class InFlightRecorder {
  /** Some channel is being recorded: the one check a batch costs. */
  active = false;
  /** Channels not recorded (caught up, or stopped). */
  private readonly stopped = new Set<number>();
  private readonly recorded = new Map<number, Uint8Array[]>();

  /** Records every channel but `caughtUp` from now on. */
  start(caughtUp: ReadonlySet<number>): void {
    this.drop();
    this.active = true;
    for (const channel of caughtUp) this.stopped.add(channel);
  }

  isRecording(channel: number): boolean {
    return this.active && !this.stopped.has(channel);
  }

  /** `batch` of `channel`, if that channel is recorded: a barrier at its end is left out (a restore must not see it again). */
  record(channel: number, batch: RecordBatch): void {
    if (!this.isRecording(channel)) return;
    const kept = withoutBarrier(batch);
    if (kept.records.length === 0 && kept.events === null) return;
    let batches = this.recorded.get(channel);
    if (batches === undefined) this.recorded.set(channel, (batches = []));
    batches.push(encodeBatch(kept));
  }

  /** The channel's barrier arrived: `overtaken` (batches it overtook, still queued) are its last recorded ones. */
  stop(channel: number, overtaken: readonly RecordBatch[]): void {
    if (!this.isRecording(channel)) return;
    for (const batch of overtaken) this.record(channel, batch);
    this.stopped.add(channel);
  }

  /** What was recorded, by channel; the recorder is idle again. */
  take(): InFlightChannel[] {
    const channels = [...this.recorded].sort(([a], [b]) => a - b).map(([channel, batches]) => ({ channel, batches }));
    this.drop();
    return channels;
  }

  drop(): void {
    this.active = false;
    this.stopped.clear();
    this.recorded.clear();
  }
}

/** `batch` without the barrier that may end it (a barrier is always the last element of its batch). */
export function withoutBarrier(batch: RecordBatch): RecordBatch {
  const events = batch.events;
  if (events === null || events.length === 0 || !isCheckpointBarrier(events[events.length - 1])) return batch;
  return { records: batch.records, timestamps: batch.timestamps, events: events.length === 2 ? null : events.slice(0, -2) };
}

/** What of `batch` is not delivered yet: its records from `position` on, its events from `eventIndex` (into the flat pairs) on. */
export function remainderOf(batch: RecordBatch, position: number, eventIndex: number): RecordBatch {
  if (position === 0 && eventIndex === 0) return batch;
  const events = batch.events === null ? [] : batch.events.slice(eventIndex);
  for (let index = 0; index < events.length; index += 2) events[index] = (events[index] as number) - position;
  return { records: batch.records.slice(position), timestamps: batch.timestamps === null ? null : batch.timestamps.slice(position), events: events.length === 0 ? null : events };
}
