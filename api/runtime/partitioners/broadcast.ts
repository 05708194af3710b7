// broadcast: every downstream subtask gets every record (the writer sends one batch to each).
import type { OutputWriter } from '../subtask.ts';
import { Partitioner } from './partitioner.ts';

export class BroadcastPartitioner extends Partitioner {

  collect(record: unknown, timestamp: number | undefined): void {
    this.writer.broadcast(record, timestamp);
  }
}
