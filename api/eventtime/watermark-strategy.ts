// WatermarkStrategy (Flink's): how a stream gets event time, given to
// `assignTimestampsAndWatermarks(strategy)` or `env.fromSource(source, strategy)`. Immutable: every
// `with…` returns a new strategy, so one strategy can be shared by several streams.
//
// How the runtime uses it, per operator subtask (or per split of a source reader):
//   assigner  = strategy.createTimestampAssigner(operatorName)         once, at open
//   generator = strategy.createWatermarkGenerator(context, operatorName) once, at open
//   output    = new WatermarkEmitter(downstream)                        monotonic, status deduped
//   per record:  ts = assigner(record, record's timestamp ?? NO_TIMESTAMP); emit record with ts;
//                generator.onEvent(record, ts, output)
//   every pipeline.auto-watermark-interval on the processing-time service (scheduleWithFixedDelay):
//                generator.onPeriodicEmit(output)
//   a watermark from upstream: ignored, except MAX_WATERMARK, which goes to output.emitWatermark
//   end of input / close: generator.onPeriodicEmit(output) once more, then output.emitWatermark(MAX_WATERMARK)
// (Flink's TimestampsAndWatermarksOperator). A source does the same per split through SplitWatermarks.
import { WeirError } from '../../messages/errors.ts';
import { describeValue } from './describe-value.ts';
import { type TimestampAssigner, type TimestampAssignerLike, checkedTimestampAssigner, isTimestampAssignerLike, recordTimestampAssigner } from './timestamp-assigner.ts';
import type { WatermarkGenerator, WatermarkGeneratorContext, WatermarkGeneratorSupplier } from './watermark-generator.ts';
import { BoundedOutOfOrdernessWatermarks, NoWatermarksGenerator } from './watermark-generators.ts';
import { WatermarksWithIdleness } from './watermarks-with-idleness.ts';

export class WatermarkStrategy<T> {
  private constructor(
    private readonly generatorSupplier: WatermarkGeneratorSupplier<T>,
    /** The user's assigner; undefined keeps the timestamp each record already carries. */
    readonly timestampAssigner: TimestampAssignerLike<T> | undefined,
    /** withIdleness's timeout in ms; undefined: never idle. */
    readonly idleTimeoutMs: number | undefined,
  ) {}

  /** Timestamps never decrease: watermark = highest timestamp - 1 (Flink's AscendingTimestampsWatermarks). */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(0), undefined, undefined);
  }

  /** Records are at most `maxOutOfOrdernessMs` late: watermark = highest timestamp - bound - 1. */
  static forBoundedOutOfOrderness<T>(maxOutOfOrdernessMs: number): WatermarkStrategy<T> {
    if (typeof maxOutOfOrdernessMs !== 'number' || !Number.isFinite(maxOutOfOrdernessMs) || maxOutOfOrdernessMs < 0) {
      throw invalidArgument('forBoundedOutOfOrderness', `needs a bound of 0 ms or more, got ${describeValue(maxOutOfOrdernessMs)}`);
    }
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(maxOutOfOrdernessMs), undefined, undefined);
  }

  /** No watermarks but the one at the end of a bounded input (processing-time jobs). */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new NoWatermarksGenerator<T>(), undefined, undefined);
  }

  /** A generator of your own, made once per subtask (or split) with the processing-time clock. */
  static forGenerator<T>(supplier: WatermarkGeneratorSupplier<T>): WatermarkStrategy<T> {
    if (typeof supplier !== 'function') {
      throw invalidArgument('forGenerator', `needs a function (context) => ({ onEvent, onPeriodicEmit }), got ${describeValue(supplier)}`);
    }
    return new WatermarkStrategy<T>(supplier, undefined, undefined);
  }

  /** The same strategy with the record's timestamp taken from `(record, previousTimestamp) => ms`. */
  withTimestampAssigner(assigner: TimestampAssignerLike<T>): WatermarkStrategy<T> {
    if (!isTimestampAssignerLike(assigner)) {
      throw invalidArgument('withTimestampAssigner', `needs a function (record, previousTimestamp) => timestamp or an object with extractTimestamp(), got ${describeValue(assigner)}`);
    }
    return new WatermarkStrategy<T>(this.generatorSupplier, assigner, this.idleTimeoutMs);
  }

  /** The same strategy, marking an input idle after `idleTimeoutMs` without records (see WatermarksWithIdleness). */
  withIdleness(idleTimeoutMs: number): WatermarkStrategy<T> {
    if (typeof idleTimeoutMs !== 'number' || !Number.isFinite(idleTimeoutMs) || idleTimeoutMs <= 0) {
      throw invalidArgument('withIdleness', `needs a timeout of more than 0 ms, got ${describeValue(idleTimeoutMs)}`);
    }
    return new WatermarkStrategy<T>(this.generatorSupplier, this.timestampAssigner, idleTimeoutMs);
  }

  /** A new generator (idleness included); `operator` names the operator if the supplier misbehaves. */
  createWatermarkGenerator(context: WatermarkGeneratorContext, operator: string): WatermarkGenerator<T> {
    const generator = this.generatorSupplier(context) as Partial<WatermarkGenerator<T>> | null | undefined;
    if (typeof generator?.onEvent !== 'function' || typeof generator.onPeriodicEmit !== 'function') {
      throw new WeirError('INVALID_FUNCTION', `${operator}: the watermark generator supplier must return an object with onEvent() and onPeriodicEmit(); it returned ${describeValue(generator)}`);
    }
    const checked = generator as WatermarkGenerator<T>;
    return this.idleTimeoutMs === undefined ? checked : new WatermarksWithIdleness(checked, this.idleTimeoutMs, context);
  }

  /** The assigner to call per record; a user's is checked to return finite numbers, naming `operator`. */
  createTimestampAssigner(operator: string): TimestampAssigner<T> {
    return this.timestampAssigner === undefined ? recordTimestampAssigner : checkedTimestampAssigner(this.timestampAssigner, operator);
  }
}

function invalidArgument(method: string, problem: string): WeirError {
  return new WeirError('INVALID_ARGUMENT', `WatermarkStrategy.${method}() ${problem}`);
}

/**
 * By shape rather than instanceof: a job bundle carries its own copy of the API, and the environment
 * a TaskManager (or the client) plans it with is the runtime's, so a strategy the module builds is not
 * an instance of the class the runtime's DataStream sees.
 */
export function isWatermarkStrategy<T>(strategy: unknown): strategy is WatermarkStrategy<T> {
  const candidate = strategy as Partial<WatermarkStrategy<T>> | null;
  return typeof candidate?.createTimestampAssigner === 'function' && typeof candidate.createWatermarkGenerator === 'function';
}
