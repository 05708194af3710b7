// hash (keyBy): a record goes to the subtask owning its key's group (Flink's
// KeyGroupStreamPartitioner): keyGroup = hash(key) % maxParallelism, then
// subtask = floor(keyGroup * parallelism / maxParallelism). The key selector is the keyed
// operator's user code, so errors name that operator.
import type { OperatorDescriptor } from '../../../messages/job-graph.ts';
import type { KeySelector } from '../../graph/transformation.ts';
import { type ChainTracker, describeOperator } from '../chain.ts';
import { invalidKeyError, keyGroupOf, operatorIndexForKeyGroup } from '../key-groups.ts';
import type { OutputWriter } from '../subtask.ts';
import { Partitioner } from './partitioner.ts';

export class HashPartitioner extends Partitioner {
  constructor(
    writer: OutputWriter,
    private readonly keySelector: KeySelector,
    private readonly maxParallelism: number,
    private readonly tracker: ChainTracker,
    /** The keyed operator downstream, whose key selector this is. */
    private readonly keyedOperator: OperatorDescriptor,
  ) {
    super(writer);
  }

  collect(record: unknown, timestamp: number | undefined): void {
    this.tracker.current = this.keyedOperator;
    const key = this.keySelector(record);
    const keyGroup = keyGroupOf(key, this.maxParallelism);
    if (keyGroup < 0) throw invalidKeyError(describeOperator(this.keyedOperator), key);
    this.writer.emit(operatorIndexForKeyGroup(keyGroup, this.maxParallelism, this.writer.channels), record, timestamp);
  }
}
