// global: every record goes to the first downstream subtask (Flink's GlobalPartitioner).
import type { OutputWriter } from '../subtask.ts';
import { Partitioner } from './partitioner.ts';

export class GlobalPartitioner extends Partitioner {

  collect(record: unknown, timestamp: number | undefined): void {
    this.writer.emit(0, record, timestamp);
  }
}
