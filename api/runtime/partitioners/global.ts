// global: every record goes to the first downstream subtask (Flink's GlobalPartitioner).
import type { Output } from '../chain.ts';
import type { OutputWriter } from '../subtask.ts';

export class GlobalPartitioner implements Output<unknown> {
  constructor(private readonly writer: OutputWriter) {}

  collect(record: unknown): void {
    this.writer.emit(0, record);
  }
}
