// rebalance: round robin over every downstream subtask. Flink starts at a random channel so that
// upstream subtasks do not all hit channel 0 first; starting at the subtask's own index spreads them
// the same way and keeps runs reproducible.
import type { OutputWriter } from '../subtask.ts';
import { Partitioner } from './partitioner.ts';

export class RebalancePartitioner extends Partitioner {
  private next: number;

  constructor(
    writer: OutputWriter,
    subtaskIndex: number,
  ) {
    super(writer);
    this.next = subtaskIndex % writer.channels;
  }

  collect(record: unknown, timestamp: number | undefined): void {
    const channel = this.next;
    this.next = channel + 1 === this.writer.channels ? 0 : channel + 1;
    this.writer.emit(channel, record, timestamp);
  }
}
