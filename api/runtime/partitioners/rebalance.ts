// rebalance: round robin over every downstream subtask. Flink starts at a random channel so that
// upstream subtasks do not all hit channel 0 first; starting at the subtask's own index spreads them
// the same way and keeps runs reproducible.
import type { Output } from '../chain.ts';
import type { OutputWriter } from '../subtask.ts';

export class RebalancePartitioner implements Output<unknown> {
  private next: number;

  constructor(
    private readonly writer: OutputWriter,
    subtaskIndex: number,
  ) {
    this.next = subtaskIndex % writer.channels;
  }

  collect(record: unknown): void {
    const channel = this.next;
    this.next = channel + 1 === this.writer.channels ? 0 : channel + 1;
    this.writer.emit(channel, record);
  }
}
