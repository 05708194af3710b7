// forward: each subtask sends to the downstream subtask of the same index (equal parallelism is
// checked at planning). Between chained operators forward is a direct call; this is the exchange
// for a forward edge that is not chained (disableChaining, startNewChain).
import type { OutputWriter } from '../subtask.ts';
import { Partitioner } from './partitioner.ts';

export class ForwardPartitioner extends Partitioner {
  constructor(
    writer: OutputWriter,
    private readonly channel: number,
  ) {
    super(writer);
  }

  collect(record: unknown, timestamp: number | undefined): void {
    this.writer.emit(this.channel, record, timestamp);
  }
}
