// Event time inside a connector's reader, `env.fromSource(source, strategy)` (Flink's
// ProgressiveTimestampsAndWatermarks): every record gets the strategy's timestamp; each split gets
// a generator of its own (SplitWatermarks), and the reader emits the minimum over its splits that
// are not idle through a WatermarkEmitter into the chain; a split that ends emits once more, then
// stops holding it back.
// Periodic emission runs every auto-watermark interval on the task's processing-time service (its
// callbacks run as task mail, between steps). The end of event time is not emitted here: the end of
// input implies it (the subtask's drain).
//
// While the reader has no split (before the first, or waiting for the next from a slow enumerator)
// the reader itself counts as one input, which emits no watermark and, with `withIdleness(T)`,
// turns idle by the same rule as a split: a reader without splits does not hold the watermark back
// forever. A new split takes its place (and turns the reader active). (Flink's IdlenessManager does
// this with the reader's main output.)
//
// BATCH: timestamps only; no generator, no watermark, no timer (Flink's batch runtime ignores them).
//
// Lifecycle: start() at the reader's open, addSplit / removeSplit per split, stop() at the end of
// input, on cancel and on close (cancels the timer; idempotent). Threading: the task's turn only.
import { NO_TIMESTAMP, type TimestampAssigner } from '../eventtime/timestamp-assigner.ts';
import type { SplitWatermark } from '../../messages/watermarks.ts';
import { SplitWatermarks, type SplitWatermarkState } from '../eventtime/split-watermarks.ts';
import { WatermarkEmitter } from '../eventtime/watermark-emitter.ts';
import type { WatermarkGenerator, WatermarkGeneratorContext } from '../eventtime/watermark-generator.ts';
import { NoWatermarksGenerator } from '../eventtime/watermark-generators.ts';
import { WatermarksWithIdleness } from '../eventtime/watermarks-with-idleness.ts';
import type { WatermarkStrategy } from '../eventtime/watermark-strategy.ts';
import { type ChainTracker, type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { scheduleWithFixedDelay } from '../runtime/time/fixed-delay.ts';
import type { Cancellable } from '../runtime/time/timer-service.ts';
import type { OperatorDescriptor } from '../../messages/job-graph.ts';
import type { RecordOutput } from './split-cursors.ts';

/** The multiplexer id of the reader's own input while it has no split (split ids are numbers). */
const NO_SPLIT = 'no-split';

export class SourceEventTime<T> {
  private readonly assign: TimestampAssigner<T>;
  /** Null in BATCH mode: no watermarks are generated. */
  private readonly watermarks: SplitWatermarks<T> | null = null;
  private readonly emitter: WatermarkEmitter | null = null;
  private readonly context: WatermarkGeneratorContext | null = null;
  private readonly descriptor: OperatorDescriptor;
  private readonly tracker: ChainTracker;
  /** The splits being read; the NO_SPLIT input is registered exactly while there are none. */
  private readonly splits = new Map<number, SplitWatermarkState<T>>();
  private periodic: Cancellable | null = null;
  private stopped = false;

  constructor(
    private readonly strategy: WatermarkStrategy<T>,
    private readonly runtime: OperatorRuntime,
    private readonly output: Output<T>,
  ) {
    const operator = describeOperator(runtime.descriptor);
    this.descriptor = runtime.descriptor;
    this.tracker = runtime.tracker;
    this.assign = strategy.createTimestampAssigner(operator);
    if (runtime.runtimeMode === 'STREAMING') {
      const time = runtime.subtask.processingTimeService;
      this.context = { currentProcessingTime: () => time.getCurrentProcessingTime() };
      this.emitter = new WatermarkEmitter(output);
      this.watermarks = new SplitWatermarks(strategy, this.context, this.emitter, operator);
    }
  }

  /** The reader opened, with no split yet: its own input joins, and periodic emission starts. */
  start(): void {
    if (this.watermarks === null || this.stopped) return;
    this.watermarks.addSplit(NO_SPLIT, this.readerOwnGenerator());
    const intervalMs = this.runtime.autoWatermarkIntervalMs;
    if (intervalMs > 0) this.periodic = scheduleWithFixedDelay(this.runtime.subtask.processingTimeService, intervalMs, this.emitPeriodic);
  }

  /** A split starts: the output its records go through (timestamps, then its generator's onEvent). */
  addSplit(id: number): RecordOutput<T> {
    const watermarks = this.watermarks;
    if (watermarks === null || this.stopped) return new TimestampingOutput(this.output, this.assign, null, this.tracker, this.descriptor);
    this.tracker.current = this.descriptor;
    const split = watermarks.addSplit(id);
    if (this.splits.size === 0) watermarks.removeSplit(NO_SPLIT);
    this.splits.set(id, split);
    return new TimestampingOutput(this.output, this.assign, split, this.tracker, this.descriptor);
  }

  /**
   * A split ended: its generator emits once more (so a split shorter than the interval still moves
   * event time), then it no longer holds the watermark back. The last one leaves the reader's own
   * input in its place.
   */
  removeSplit(id: number): void {
    const watermarks = this.watermarks;
    const split = this.splits.get(id);
    if (watermarks === null || split === undefined || this.stopped) return;
    this.splits.delete(id);
    this.tracker.current = this.descriptor;
    split.generator.onPeriodicEmit(split.output);
    if (this.splits.size === 0) {
      const own = watermarks.addSplit(NO_SPLIT, this.readerOwnGenerator());
      // An idle reader stays idle while it waits for its next split (no active/idle flap).
      if ((this.emitter as WatermarkEmitter).isIdle) own.output.markIdle();
    }
    watermarks.removeSplit(id);
  }

  /** Each split's watermark for `weir info`, named `split <index>`; the reader's own input while it has none is `waiting for a split`. */
  splitWatermarks(): SplitWatermark[] {
    if (this.watermarks === null) return [];
    return this.watermarks.readings().map(({ id, watermark, idle }) => ({ split: id === NO_SPLIT ? 'waiting for a split' : `split ${String(id)}`, watermark, idle }));
  }

  /** The watermark the reader emitted last (MIN_WATERMARK before the first); undefined without watermarks (BATCH). */
  get watermark(): number | undefined {
    return this.emitter?.currentWatermark;
  }

  /** Restore, before start(): the reader emits nothing at or below the watermark it had emitted. */
  restoreWatermark(watermark: number): void {
    this.emitter?.restore(watermark);
  }

  /** End of input, cancel or close: no more watermarks. */
  stop(): void {
    this.stopped = true;
    this.periodic?.cancel();
    this.periodic = null;
  }

  /** The reader's own input: no watermark, idle after the strategy's idle timeout (if any). */
  private readerOwnGenerator(): WatermarkGenerator<T> {
    const none = new NoWatermarksGenerator<T>();
    const timeoutMs = this.strategy.idleTimeoutMs;
    return timeoutMs === undefined ? none : new WatermarksWithIdleness(none, timeoutMs, this.context as WatermarkGeneratorContext);
  }

  private readonly emitPeriodic = (): void => {
    if (this.stopped) return;
    this.tracker.current = this.descriptor;
    (this.watermarks as SplitWatermarks<T>).emitPeriodicWatermark();
  };
}

/**
 * One split's records on their way into the chain: the assigner's timestamp (NO_TIMESTAMP leaves as
 * undefined), then the split's generator. A record first turns an idle split active, so the status
 * precedes it; a punctuated generator's watermark follows it. Per record: two tracker writes, no allocation.
 */
class TimestampingOutput<T> implements RecordOutput<T> {
  constructor(
    private readonly output: Output<T>,
    private readonly assign: TimestampAssigner<T>,
    /** Null in BATCH mode. */
    private readonly split: SplitWatermarkState<T> | null,
    private readonly tracker: ChainTracker,
    private readonly descriptor: OperatorDescriptor,
  ) {}

  collect(value: T): void {
    const tracker = this.tracker;
    tracker.current = this.descriptor;
    const timestamp = this.assign(value, NO_TIMESTAMP);
    const split = this.split;
    if (split !== null) split.output.markActive();
    this.output.collect(value, timestamp === NO_TIMESTAMP ? undefined : timestamp);
    if (split !== null) {
      tracker.current = this.descriptor;
      split.generator.onEvent(value, timestamp, split.output);
    }
  }
}
