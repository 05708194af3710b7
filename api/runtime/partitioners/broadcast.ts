// broadcast: every downstream subtask gets every record (the writer sends one batch to each).
import type { Output } from '../chain.ts';
import type { OutputWriter } from '../subtask.ts';

export class BroadcastPartitioner implements Output<unknown> {
  constructor(private readonly writer: OutputWriter) {}

  collect(record: unknown): void {
    this.writer.broadcast(record);
  }
}
