// forward: each subtask sends to the downstream subtask of the same index (equal parallelism is
// checked at planning). Between chained operators forward is a direct call; this is the exchange
// for a forward edge that is not chained (disableChaining, startNewChain).
import type { Output } from '../chain.ts';
import type { OutputWriter } from '../subtask.ts';

export class ForwardPartitioner implements Output<unknown> {
  constructor(
    private readonly writer: OutputWriter,
    private readonly channel: number,
  ) {}

  collect(record: unknown): void {
    this.writer.emit(this.channel, record);
  }
}
