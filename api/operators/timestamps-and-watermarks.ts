// assignTimestampsAndWatermarks(strategy) (Flink's TimestampsAndWatermarksOperator): gives each
// record the timestamp the strategy's assigner returns, then shows it to the strategy's watermark
// generator, which emits from onEvent (punctuated) or from onPeriodicEmit, called every
// auto-watermark interval on the task's processing-time service. Watermarks and status from upstream
// are dropped: this operator defines event time from here on. The end of event time still passes
// (the drain delivers it), after one last periodic emission.
//
// BATCH: timestamps are assigned, but no watermark is generated (Flink's batch runtime ignores
// watermark strategies): windows and timers fire at the end of input.
//
// Order per record (Flink's): the record, then what onEvent emitted. The generator sees the record
// before it goes downstream (a chained function may change it), so onEvent writes into a small
// deferred output that is replayed after the record; an idle output turns active before the record.
//
// Lifecycle: open() makes the assigner, the generator and the periodic timer; close() cancels it.
import { NO_TIMESTAMP, type TimestampAssigner } from '../eventtime/timestamp-assigner.ts';
import { MAX_WATERMARK, type WatermarkStatus } from '../eventtime/watermark.ts';
import { WatermarkEmitter } from '../eventtime/watermark-emitter.ts';
import type { WatermarkGenerator, WatermarkOutput } from '../eventtime/watermark-generator.ts';
import type { WatermarkStrategy } from '../eventtime/watermark-strategy.ts';
import type { OperatorSnapshot } from '../runtime/checkpointing/snapshot.ts';
import { ChainOperator, type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { scheduleWithFixedDelay } from '../runtime/time/fixed-delay.ts';
import type { Cancellable, ProcessingTimeService } from '../runtime/time/timer-service.ts';

export const TIMESTAMPS_KIND = 'timestamps';

export class TimestampsAndWatermarksOperator<T> extends ChainOperator<T> {
  private assigner: TimestampAssigner<T> | null = null;
  /** Null in BATCH mode: no watermarks are generated. */
  private generator: WatermarkGenerator<T> | null = null;
  private readonly emitter: WatermarkEmitter;
  private periodic: Cancellable | null = null;
  /** What onEvent emitted for the record being processed; replayed after the record. */
  private readonly deferred = new DeferredWatermarkOutput();
  private readonly time: ProcessingTimeService;
  private readonly generateWatermarks: boolean;
  private readonly intervalMs: number;

  constructor(
    runtime: OperatorRuntime,
    private readonly strategy: WatermarkStrategy<T>,
    private readonly output: Output<T>,
  ) {
    super(runtime);
    this.time = runtime.subtask.processingTimeService;
    this.emitter = new WatermarkEmitter(this.eventOutput);
    this.generateWatermarks = runtime.runtimeMode === 'STREAMING';
    this.intervalMs = runtime.autoWatermarkIntervalMs;
  }

  override async open(): Promise<void> {
    const operator = describeOperator(this.descriptor);
    this.tracker.current = this.descriptor;
    this.assigner = this.strategy.createTimestampAssigner(operator);
    if (!this.generateWatermarks) return;
    const time = this.time;
    this.generator = this.strategy.createWatermarkGenerator({ currentProcessingTime: () => time.getCurrentProcessingTime() }, operator);
    if (this.intervalMs > 0) this.periodic = scheduleWithFixedDelay(time, this.intervalMs, () => this.emitPeriodic());
  }

  collect(value: T, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    const assigned = (this.assigner as TimestampAssigner<T>)(value, timestamp ?? NO_TIMESTAMP);
    const generator = this.generator;
    if (generator === null) {
      this.output.collect(value, assigned === NO_TIMESTAMP ? undefined : assigned);
      return;
    }
    const deferred = this.deferred;
    generator.onEvent(value, assigned, deferred);
    if (this.emitter.isIdle) this.emitter.markActive();
    this.output.collect(value, assigned === NO_TIMESTAMP ? undefined : assigned);
    if (deferred.pending) deferred.replay(this.emitter);
  }

  /** Upstream event time ends here; only its end (from the drain) passes, after a last periodic emission. */
  override processWatermark(watermark: number): void {
    if (watermark < MAX_WATERMARK) return;
    this.emitPeriodic();
    this.currentWatermark = watermark;
    this.emitter.emitWatermark(watermark);
  }

  override processWatermarkStatus(_status: WatermarkStatus): void {}

  /** This operator's watermark is the one it emitted: a restored generator emits nothing at or below it. */
  override snapshotState(): OperatorSnapshot {
    return { watermark: this.emitter.currentWatermark };
  }

  override restoreState(snapshot: OperatorSnapshot): void {
    super.restoreState(snapshot);
    if (typeof snapshot.watermark === 'number') this.emitter.restore(snapshot.watermark);
  }

  override async close(): Promise<void> {
    this.periodic?.cancel();
    this.periodic = null;
  }

  private emitPeriodic(): void {
    if (this.generator === null) return;
    this.tracker.current = this.descriptor;
    this.generator.onPeriodicEmit(this.emitter);
  }
}

/**
 * Records what a generator's onEvent emits (the highest watermark, and whether it ended idle) so the
 * operator can send it after the record. One per operator; nothing is allocated per record.
 */
class DeferredWatermarkOutput implements WatermarkOutput {
  private watermark = Number.NEGATIVE_INFINITY;
  private idle: boolean | null = null;
  pending = false;

  emitWatermark(watermark: number): void {
    if (watermark > this.watermark) this.watermark = watermark;
    this.idle = false;
    this.pending = true;
  }

  markIdle(): void {
    this.idle = true;
    this.pending = true;
  }

  markActive(): void {
    this.idle = false;
    this.pending = true;
  }

  replay(output: WatermarkOutput): void {
    if (this.watermark > Number.NEGATIVE_INFINITY) output.emitWatermark(this.watermark);
    if (this.idle === true) output.markIdle();
    else if (this.idle === false) output.markActive();
    this.watermark = Number.NEGATIVE_INFINITY;
    this.idle = null;
    this.pending = false;
  }
}
