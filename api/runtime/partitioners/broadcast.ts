// broadcast: every downstream subtask gets every record. Each subtask owns what it receives (a local
// channel hands the object over), so all but the last channel get a copy unless object reuse is on.
import { copyRecord } from '../copy-record.ts';
import type { OutputWriter } from '../subtask.ts';
import { Partitioner } from './partitioner.ts';

export class BroadcastPartitioner extends Partitioner {
  constructor(
    writer: OutputWriter,
    private readonly objectReuse: boolean,
  ) {
    super(writer);
  }

  collect(record: unknown, timestamp: number | undefined): void {
    const writer = this.writer;
    if (this.objectReuse || typeof record !== 'object' || record === null) {
      writer.broadcast(record, timestamp);
      return;
    }
    const last = writer.channels - 1;
    for (let channel = 0; channel < last; channel++) writer.emit(channel, copyRecord(record), timestamp);
    writer.emit(last, record, timestamp);
  }
}
