// partitionCustom(partition, keySelector): the user's function picks the channel of each key
// (Flink's CustomPartitionerWrapper). A channel outside 0..channels-1 fails the subtask.
import { WeirError } from '../../../messages/errors.ts';
import type { OperatorDescriptor } from '../../../messages/job-graph.ts';
import type { CustomPartitionFunction, KeySelector } from '../../graph/transformation.ts';
import { type ChainTracker, describeOperator } from '../chain.ts';
import type { OutputWriter } from '../subtask.ts';
import { Partitioner } from './partitioner.ts';

export class CustomPartitioner extends Partitioner {
  constructor(
    writer: OutputWriter,
    private readonly keySelector: KeySelector,
    private readonly partition: CustomPartitionFunction,
    private readonly tracker: ChainTracker,
    /** The operator downstream, named in errors. */
    private readonly target: OperatorDescriptor,
  ) {
    super(writer);
  }

  collect(record: unknown, timestamp: number | undefined): void {
    this.tracker.current = this.target;
    const channels = this.writer.channels;
    const channel = this.partition(this.keySelector(record), channels);
    if (!Number.isInteger(channel) || channel < 0 || channel >= channels) {
      throw new WeirError(
        'INVALID_PARTITIONING',
        `${describeOperator(this.target)}: the custom partitioner returned ${String(channel)}; it must return an integer from 0 to ${channels - 1}`,
      );
    }
    this.writer.emit(channel, record, timestamp);
  }
}
