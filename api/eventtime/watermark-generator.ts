// Watermark generators (Flink's WatermarkGenerator): the user-facing half of a WatermarkStrategy. A
// generator sees every record's timestamp (onEvent, per record: it must not allocate) and is asked
// for a watermark every `pipeline.auto-watermark-interval` (onPeriodicEmit, on the task's
// processing-time service). It may emit from either: a punctuated generator emits from onEvent.
//
// What it emits needs not be monotonic: whoever consumes a generator's output (WatermarkEmitter for
// an operator or a source, the multiplexer for a split) ignores a watermark that is not higher.

/** What a generator emits to. */
export interface WatermarkOutput {
  /** A watermark of `watermark` ms; also marks the output active again. */
  emitWatermark(watermark: number): void;
  /** No records are expected for a while: leave this output out of the minimum downstream. */
  markIdle(): void;
  /** Records flow again (an idle output turns active). */
  markActive(): void;
}

export interface WatermarkGenerator<T> {
  /** Called for every record, after its timestamp is assigned. */
  onEvent(event: T, timestamp: number, output: WatermarkOutput): void;
  /** Called every auto-watermark interval of processing time. */
  onPeriodicEmit(output: WatermarkOutput): void;
}

/** What a generator is made with (Flink's WatermarkGeneratorSupplier.Context). */
export interface WatermarkGeneratorContext {
  /** The task's processing-time clock, in ms (a manual clock in tests). */
  currentProcessingTime(): number;
}

/** Makes one generator per operator subtask, or per split in a source reader. */
export type WatermarkGeneratorSupplier<T> = (context: WatermarkGeneratorContext) => WatermarkGenerator<T>;
