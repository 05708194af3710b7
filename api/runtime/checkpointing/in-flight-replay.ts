// A restore from an unaligned checkpoint, at a subtask's inputs: the snapshot's in-flight input,
// read before any gate (NetworkInput), each batch as if its channel had just delivered it.
import { WeirError } from '../../../messages/errors.ts';
import type { RecordBatch } from '../subtask.ts';
import type { GateChannels } from './barrier-channels.ts';

/** A restored channel's in-flight batches (numbered over every gate, as the barrier handler's). */
export interface ReplayedChannel {
  readonly channel: number;
  readonly batches: readonly RecordBatch[];
}

/** One restored batch waiting to be read, with its gate's channel. */
export interface ReplayedBatch {
  readonly gateIndex: number;
  readonly channel: number;
  readonly batch: RecordBatch;
}

export class InFlightReplay {
  private readonly waiting: ReplayedBatch[] = [];

  /** Throws STATE_RESTORE_FAILED for a channel `channels` does not have (a restore at another parallelism). */
  constructor(restored: readonly ReplayedChannel[], channels: GateChannels) {
    for (const { channel, batches } of restored) {
      if (!Number.isInteger(channel) || channel < 0 || channel >= channels.count) {
        throw new WeirError('STATE_RESTORE_FAILED', `the snapshot holds in-flight data of input channel ${channel}, but this subtask has ${channels.count}: an unaligned checkpoint restores at the parallelism it was taken at only`);
      }
      const { gateIndex, channel: gateChannel } = channels.locate(channel);
      for (const batch of batches) this.waiting.push({ gateIndex, channel: gateChannel, batch });
    }
  }

  get done(): boolean {
    return this.waiting.length === 0;
  }

  /** The next batch to read; call only while not done. */
  next(): ReplayedBatch {
    return this.waiting.shift() as ReplayedBatch;
  }

  /** The batches of that channel not read yet (a new unaligned barrier of it overtakes them too). */
  batchesOf(gateIndex: number, channel: number): RecordBatch[] {
    return this.waiting.filter((entry) => entry.gateIndex === gateIndex && entry.channel === channel).map((entry) => entry.batch);
  }
}
