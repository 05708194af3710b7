// rescale: round robin over the downstream subtasks "near" this one (Flink's pointwise pattern).
// With more downstream than upstream subtasks, upstream i feeds the contiguous block
// floor(i*down/up) .. floor((i+1)*down/up)-1; with fewer, it feeds the single subtask floor(i*down/up).
// Channels stay all-to-all: the other channels of this writer simply carry nothing.
import type { OutputWriter } from '../subtask.ts';
import { Partitioner } from './partitioner.ts';

/** The downstream channels upstream subtask `index` of `upstream` feeds: first..last inclusive. */
export function rescaleChannels(index: number, upstream: number, downstream: number): { readonly first: number; readonly last: number } {
  const first = Math.floor((index * downstream) / upstream);
  const end = Math.floor(((index + 1) * downstream) / upstream);
  return { first, last: Math.max(first, end - 1) };
}

export class RescalePartitioner extends Partitioner {
  private readonly first: number;
  private readonly last: number;
  private next: number;

  constructor(
    writer: OutputWriter,
    subtaskIndex: number,
    parallelism: number,
  ) {
    super(writer);
    const { first, last } = rescaleChannels(subtaskIndex, parallelism, writer.channels);
    this.first = first;
    this.last = last;
    this.next = first;
  }

  collect(record: unknown, timestamp: number | undefined): void {
    const channel = this.next;
    this.next = channel === this.last ? this.first : channel + 1;
    this.writer.emit(channel, record, timestamp);
  }
}
