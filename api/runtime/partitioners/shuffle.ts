// shuffle: a uniformly random downstream subtask per record. The generator is xorshift32 seeded by
// the subtask index: as good as Math.random for spreading records, and a run can be replayed.
import type { OutputWriter } from '../subtask.ts';
import { Partitioner } from './partitioner.ts';

/** Mixed into the seed so that subtask 0 does not start from a tiny state. */
const SEED_MIX = 0x9e3779b9;

export class ShufflePartitioner extends Partitioner {
  private state: number;

  constructor(
    writer: OutputWriter,
    subtaskIndex: number,
  ) {
    super(writer);
    this.state = (Math.imul(subtaskIndex + 1, SEED_MIX) | 0) || 1;
  }

  collect(record: unknown, timestamp: number | undefined): void {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    this.writer.emit((x >>> 0) % this.writer.channels, record, timestamp);
  }
}
