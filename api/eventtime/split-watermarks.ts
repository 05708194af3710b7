// A source reader's per-split generators (Flink's ProgressiveTimestampsAndWatermarks.SplitLocalOutputs):
// each split gets a generator of its own from the strategy, fed through an immediate output, while
// periodic emission goes through deferred outputs and is combined once per round.
//
// How the runtime uses it, in a source reader with a WatermarkStrategy:
//   const watermarks = new SplitWatermarks(strategy, context, new WatermarkEmitter(chainOutput), operator)
//   on a new split:      const split = watermarks.addSplit(id)
//   per record of it:    ts = split.assignTimestamp(record, NO_TIMESTAMP); emit record with ts;
//                        split.generator.onEvent(record, ts, split.output)
//   when the split ends: watermarks.removeSplit(id)
//   every auto-watermark interval: watermarks.emitPeriodicWatermark()
//   end of input: nothing; the subtask's drain delivers the end of event time (api/runtime/chain.ts)
import type { TimestampAssigner } from './timestamp-assigner.ts';
import type { WatermarkGenerator, WatermarkGeneratorContext, WatermarkOutput } from './watermark-generator.ts';
import { type SplitId, WatermarkOutputMultiplexer } from './watermark-output-multiplexer.ts';
import type { WatermarkStrategy } from './watermark-strategy.ts';

export interface SplitWatermarkState<T> {
  readonly generator: WatermarkGenerator<T>;
  /** The immediate output to pass to generator.onEvent. */
  readonly output: WatermarkOutput;
  readonly assignTimestamp: TimestampAssigner<T>;
}

interface SplitEntry<T> extends SplitWatermarkState<T> {
  readonly deferred: WatermarkOutput;
}

export class SplitWatermarks<T> {
  private readonly multiplexer: WatermarkOutputMultiplexer;
  private readonly splits = new Map<SplitId, SplitEntry<T>>();
  private readonly assignTimestamp: TimestampAssigner<T>;

  constructor(
    private readonly strategy: WatermarkStrategy<T>,
    private readonly context: WatermarkGeneratorContext,
    readerOutput: WatermarkOutput,
    /** How errors name the source operator. */
    private readonly operator: string,
  ) {
    this.multiplexer = new WatermarkOutputMultiplexer(readerOutput);
    this.assignTimestamp = strategy.createTimestampAssigner(operator);
  }

  /** `generator`: one of the caller's instead of the strategy's (a source reader's own input while it has no split). */
  /** Each split's watermark and idleness now (see WatermarkOutputMultiplexer.readings). */
  readings(): ReturnType<WatermarkOutputMultiplexer['readings']> {
    return this.multiplexer.readings();
  }

  addSplit(id: SplitId, generator?: WatermarkGenerator<T>): SplitWatermarkState<T> {
    this.multiplexer.registerNewOutput(id);
    const entry: SplitEntry<T> = {
      generator: generator ?? this.strategy.createWatermarkGenerator(this.context, this.operator),
      output: this.multiplexer.getImmediateOutput(id),
      deferred: this.multiplexer.getDeferredOutput(id),
      assignTimestamp: this.assignTimestamp,
    };
    this.splits.set(id, entry);
    return entry;
  }

  /** The split ended: it no longer holds the reader's watermark back. */
  removeSplit(id: SplitId): void {
    if (this.splits.delete(id)) this.multiplexer.unregisterOutput(id);
  }

  /** Every split's onPeriodicEmit, then one combined update. */
  emitPeriodicWatermark(): void {
    for (const split of this.splits.values()) split.generator.onPeriodicEmit(split.deferred);
    this.multiplexer.onPeriodicEmit();
  }
}
