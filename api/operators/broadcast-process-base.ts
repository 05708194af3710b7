// The base of the broadcast connect operators (Flink's CoBroadcastWithNonKeyedOperator and
// CoBroadcastWithKeyedOperator): input 0 is the non-broadcast stream, input 1 the broadcast stream,
// whose every record reaches every subtask. The broadcast states named in broadcast(...descriptors)
// are operator state of kind broadcast, made with the operator; the broadcast side gets them
// read-write, the other side read-only, so that every subtask applying the same broadcast records
// holds the same states. The operator's watermark is the minimum of both inputs' (TwoInputUdfOperator).
//
// STREAMING: the two inputs interleave in arrival order; no record of one side waits for the other.
// BATCH: as in Flink, the whole broadcast side is processed first. Flink reads the broadcast input
// alone until it ends (input selection over blocking exchanges); Weir's exchanges are pipelined, where
// reading one input alone could stall a producer that feeds both, so this operator holds what the
// non-broadcast side sends before the broadcast side ended, and processes it, in arrival order, then.
import { MAX_WATERMARK } from '../eventtime/watermark.ts';
import type { RichFunction } from '../functions.ts';
import { type OperatorRuntime, type Output, SecondInput, describeOperator } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import type { AnyMapStateDescriptor } from '../broadcast-stream.ts';
import { BroadcastStates } from './broadcast-contexts.ts';
import { TwoInputUdfOperator } from './two-input-udf-operator.ts';

/** The broadcast input: its end (all its channels ended: MAX_WATERMARK out of its valve) is also reported. */
class BroadcastSideInput<B> extends SecondInput<B> {
  constructor(
    operator: ConstructorParameters<typeof SecondInput<B>>[0],
    private readonly onEnd: () => void,
  ) {
    super(operator);
  }

  override emitWatermark(watermark: number): void {
    if (watermark === MAX_WATERMARK) this.onEnd();
    super.emitWatermark(watermark);
  }
}

/** BATCH: non-broadcast records that arrived before the broadcast side ended, with their timestamps. */
interface HeldRecords<T> {
  readonly values: T[];
  readonly timestamps: (number | undefined)[];
}

export abstract class BroadcastProcessBase<IN1, IN2, F extends RichFunction> extends TwoInputUdfOperator<IN1, IN2, F> {
  override readonly secondInput: Output<IN2> = new BroadcastSideInput<IN2>(this, () => this.releaseHeld());
  protected readonly broadcastStates: BroadcastStates;
  /** Non-null in BATCH until the broadcast side ended; only collect() and releaseHeld() touch it. */
  private held: HeldRecords<IN1> | null;

  constructor(runtime: OperatorRuntime, factory: UserFunctionFactory<F>, descriptors: readonly AnyMapStateDescriptor[]) {
    super(runtime, factory);
    this.broadcastStates = new BroadcastStates(this.operatorState, descriptors, describeOperator(runtime.descriptor));
    this.held = runtime.runtimeMode === 'BATCH' ? { values: [], timestamps: [] } : null;
  }

  /** A record of the non-broadcast stream. */
  protected abstract processElement(value: IN1, timestamp: number | undefined): void;

  /** A record of the broadcast stream. */
  protected abstract processBroadcastElement(value: IN2, timestamp: number | undefined): void;

  collect(value: IN1, timestamp: number | undefined): void {
    const held = this.held;
    if (held === null) return this.processElement(value, timestamp);
    held.values.push(value);
    held.timestamps.push(timestamp);
  }

  collect2(value: IN2, timestamp: number | undefined): void {
    this.processBroadcastElement(value, timestamp);
  }

  /** Both inputs ended, so the broadcast side did: nothing is held any more (see releaseHeld). */
  override emitFinal(_maxRecords: number): boolean {
    this.releaseHeld();
    return true;
  }

  /** The broadcast side ended: what the other side sent meanwhile is processed now, in arrival order. */
  private releaseHeld(): void {
    const held = this.held;
    if (held === null) return;
    this.held = null;
    const { values, timestamps } = held;
    for (let index = 0; index < values.length; index++) this.processElement(values[index], timestamps[index]);
  }
}
