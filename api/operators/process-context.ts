// What process functions emit through: a collector for main records and a context for side
// outputs. One of each per operator instance (nothing allocated per record); after each emission
// they point the chain's tracker back at their operator, since downstream operators overwrite it.
import type { OperatorDescriptor } from '../../messages/job-graph.ts';
import type { Collector, ProcessContext, SideOutputTag } from '../functions.ts';
import type { ChainTracker, OperatorRuntime, Output } from '../runtime/chain.ts';

export class OperatorCollector<T> implements Collector<T> {
  /** The timestamp what is collected now carries: the input record's, or a timer's. */
  timestamp: number | undefined = undefined;

  constructor(
    private readonly output: Output<T>,
    private readonly tracker: ChainTracker,
    private readonly descriptor: OperatorDescriptor,
  ) {}

  collect(value: T): void {
    this.output.collect(value, this.timestamp);
    this.tracker.current = this.descriptor;
  }
}

export class SideOutputContext implements ProcessContext {
  /** The event timestamp of the record being processed (or of the timer firing); side outputs carry it. */
  timestampOfRecord: number | undefined = undefined;
  private readonly tracker: ChainTracker;
  private readonly descriptor: OperatorDescriptor;

  constructor(private readonly runtime: OperatorRuntime) {
    this.tracker = runtime.tracker;
    this.descriptor = runtime.descriptor;
  }

  timestamp(): number | undefined {
    return this.timestampOfRecord;
  }

  output<X>(tag: SideOutputTag<X>, value: X): void {
    this.runtime.sideOutput(tag.id).collect(value, this.timestampOfRecord);
    this.tracker.current = this.descriptor;
  }
}
