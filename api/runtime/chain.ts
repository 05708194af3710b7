// The pieces an operator chain is made of. Records move by direct calls: a source calls its head's
// collect(), each operator calls the next one's. Nothing is allocated per record by the chain itself.
//
// Stream elements: a record travels with its event timestamp as a second argument (undefined when it
// has none; an operator passes its input's timestamp on, as Flink's TimestampedCollector does).
// Watermarks and watermark status travel through the same Outputs, in order with the records.
// MAX_WATERMARK never travels as an element: end of input implies it, and the subtask's drain gives
// it to each operator in topological order (so an operator's held-back results, e.g. BATCH
// aggregates, reach the next operator before that one sees the end of event time).
//
// Errors: a subtask has one try/catch per step. To name the operator whose user code threw, every
// operator writes itself into `tracker.current` just before calling user code (one field write per
// record, no closure, no try); whatever is there when an exception reaches the step is the culprit.
import { WeirError } from '../../messages/errors.ts';
import type { OperatorDescriptor, RuntimeMode } from '../../messages/job-graph.ts';
import { MAX_WATERMARK, type WatermarkStatus } from '../eventtime/watermark.ts';
import type { OperatorSnapshot, SnapshotContext, TakenOperatorSnapshot } from './checkpointing/snapshot.ts';
import { copyRecord } from './copy-record.ts';
import type { OperatorRuntimeContext } from './operator-runtime-context.ts';
import type { SubtaskContext } from './subtask.ts';

/** Receives the stream of one operator: records (with their event timestamps), watermarks, watermark status. */
export interface Output<T> {
  /** `timestamp`: the record's event time in ms, undefined when it has none. */
  collect(value: T, timestamp: number | undefined): void;
  /** Below MAX_WATERMARK (see the header); never lower than the last one emitted. */
  emitWatermark(watermark: number): void;
  emitWatermarkStatus(status: WatermarkStatus): void;
}

/** Which operator is running user code right now; null while the chain runs its own code. */
export interface ChainTracker {
  current: OperatorDescriptor | null;
}

/** What an operator of a running subtask is given when it is built. */
export interface OperatorRuntime {
  readonly descriptor: OperatorDescriptor;
  readonly tracker: ChainTracker;
  readonly subtask: SubtaskContext;
  /** The operator's own context; a keyed operator binds its state to it (OperatorRuntimeContext.bindKeyedState). */
  readonly runtimeContext: OperatorRuntimeContext;
  /** BATCH: keyed aggregations emit final results only, once every input has ended; no watermarks but the end of event time. */
  readonly runtimeMode: RuntimeMode;
  /** How often (ms) watermark generators emit periodically; 0: never. */
  readonly autoWatermarkIntervalMs: number;
  /** env.enableObjectReuse(): skip the copies that keep a record from reaching two owners. */
  readonly objectReuse: boolean;
  /** Where the operator's side output with this OutputTag id goes (DISCARDING_OUTPUT when nowhere). */
  sideOutput(tag: string): Output<unknown>;
  /** Where the operator's watermarks and status go: every consumer of its main and side outputs. */
  readonly eventOutput: Output<unknown>;
}

/**
 * One operator of a chain after the source. Lifecycle: open() once, then collect() per record and
 * afterStep() per step; once every input has ended (operators in topological order, so an upstream
 * operator's final records reach this one first): emitFinal() until it returns true, then
 * endInput() once; close() once if open() was called (also after a failure, a cancel, or an open()
 * that threw). An async operator (one that defines emitCompleted) also gets emitCompleted() at the
 * start of every step while running or draining.
 */
export abstract class ChainOperator<T> implements Output<T> {
  readonly descriptor: OperatorDescriptor;
  protected readonly tracker: ChainTracker;
  /** Where processWatermark and processWatermarkStatus forward to (see OperatorRuntime.eventOutput). */
  protected readonly eventOutput: Output<unknown>;
  /** The last watermark this operator processed. */
  protected currentWatermark = Number.NEGATIVE_INFINITY;

  /** currentWatermark, read on request (weir info shows the head operator's as the subtask's input watermark). */
  get processedWatermark(): number {
    return this.currentWatermark;
  }

  constructor(runtime: OperatorRuntime) {
    this.descriptor = runtime.descriptor;
    this.tracker = runtime.tracker;
    this.eventOutput = runtime.eventOutput;
  }

  abstract collect(value: T, timestamp: number | undefined): void;

  /**
   * Upstream's watermark: processed unless it is the end of event time, which the drain delivers, or
   * not above this operator's (inputs only rise, but a restored operator starts at its snapshot's).
   */
  emitWatermark(watermark: number): void {
    if (watermark < MAX_WATERMARK && watermark > this.currentWatermark) this.processWatermark(watermark);
  }

  emitWatermarkStatus(status: WatermarkStatus): void {
    this.processWatermarkStatus(status);
  }

  /**
   * The operator's input watermark advanced (a two-input operator's: the minimum of both). Operators
   * with event-time timers fire them first; the default forwards it. The drain calls this with
   * MAX_WATERMARK once every input has ended.
   */
  processWatermark(watermark: number): void {
    this.currentWatermark = watermark;
    this.eventOutput.emitWatermark(watermark);
  }

  processWatermarkStatus(status: WatermarkStatus): void {
    this.eventOutput.emitWatermarkStatus(status);
  }

  async open(): Promise<void> {}

  /** After each step: a promise to wait for before the next step (a sink's backlog), or null. */
  afterStep(): Promise<void> | null {
    return null;
  }

  /**
   * Once every input has ended: emits what the operator held back (BATCH results), at most about
   * `maxRecords` per call; true when done, false to be called again (after the outputs have room).
   */
  emitFinal(_maxRecords: number): boolean {
    return true;
  }

  /**
   * Async operators only (api/operators/async-wait.ts, an async sink). Their calls complete between
   * steps, when neither downstream operators nor the tracker may be used; so a completion is only
   * recorded, and this, called on the task's turn before the step takes input, emits what completed
   * (in the operator's order) and starts calls that waited for room. Returns a promise to wait for
   * before taking input while the operator still holds records it could not start, else null.
   */
  emitCompleted?(): Promise<void> | null;

  /** Async operators only: settles at the next completion or failure of a call (never rejects); null when none is in flight. */
  whenCompleted?(): Promise<void> | null;

  /** After emitFinal: a promise that settles when everything buffered is written (sinks). */
  endInput(): Promise<void> | null {
    return null;
  }

  /**
   * A transactional sink: with periodic checkpoints, instead of endInput() it keeps its transaction
   * open for the final checkpoint, whose completion commits it (ChainSubtask waits for that).
   */
  readonly commitsAtFinalCheckpoint?: boolean;

  /** commitsAtFinalCheckpoint: the end of input when a final checkpoint will commit; a promise of a flush, or null. */
  endInputBeforeFinalCheckpoint(): Promise<void> | null {
    return this.endInput();
  }

  /**
   * Checkpoints: the operator's state now, as plain data that later processing does not change
   * (copy what will change), but for a keyed operator's key groups, which it may hold copy-on-write
   * (holdKeyGroups) for the Task to capture after this. Synchronous, on the task's turn, between
   * two records; null when the operator keeps nothing. A transactional sink pre-commits here.
   */
  snapshotState(_context: SnapshotContext): TakenOperatorSnapshot | null {
    return { watermark: this.currentWatermark };
  }

  /**
   * Before open(): the operator's part of the snapshot the subtask restarts from. It resumes at the
   * snapshot's watermark, so the records that are late after a restore are those that were late
   * before it (an operator with more state restores it and calls this too).
   */
  restoreState(snapshot: OperatorSnapshot): void {
    const watermark = snapshot.watermark;
    if (watermark === undefined) return;
    if (typeof watermark !== 'number' || Number.isNaN(watermark)) {
      throw new WeirError('STATE_RESTORE_FAILED', `${describeOperator(this.descriptor)}: the snapshot's watermark is ${String(watermark)}, not a number of ms`);
    }
    this.currentWatermark = watermark;
  }

  /** A checkpoint completed (every task acknowledged it): commit what was prepared for it; a promise when that takes a while. */
  notifyCheckpointComplete(_checkpointId: number): Promise<void> | null {
    return null;
  }

  /** A checkpoint was aborted: drop what was prepared for it. */
  notifyCheckpointAborted(_checkpointId: number): void {}

  async close(): Promise<void> {}
}

/** An operator whose calls complete between steps (see ChainOperator.emitCompleted). */
export type AsyncChainOperator = ChainOperator<unknown> & Required<Pick<ChainOperator<unknown>, 'emitCompleted' | 'whenCompleted'>>;

export function isAsyncOperator(operator: ChainOperator<unknown>): operator is AsyncChainOperator {
  return operator.emitCompleted !== undefined && operator.whenCompleted !== undefined;
}

/**
 * An operator with a second input (connect): collect() takes input 0's records, collect2() input
 * 1's; each input's watermarks and status go to its `inputEvents` (a TwoInputWatermarks), whose
 * combined minimum reaches the operator's processWatermark.
 */
export interface TwoInputOperator<B> {
  collect2(value: B, timestamp: number | undefined): void;
  /** The second input as an Output, for whoever delivers its records. */
  readonly secondInput: Output<B>;
}

/** What a two-input operator does with each input's watermarks and status (see time/two-input-watermarks.ts). */
export interface TwoInputEvents {
  processWatermark(watermark: number, input: 0 | 1): void;
  processWatermarkStatus(status: WatermarkStatus, input: 0 | 1): void;
}

/** The Output a two-input operator exposes as its `secondInput`. */
export class SecondInput<B> implements Output<B> {
  constructor(private readonly operator: { collect2(value: B, timestamp: number | undefined): void; readonly inputEvents: TwoInputEvents }) {}

  collect(value: B, timestamp: number | undefined): void {
    this.operator.collect2(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.operator.inputEvents.processWatermark(watermark, 1);
  }

  emitWatermarkStatus(status: WatermarkStatus): void {
    this.operator.inputEvents.processWatermarkStatus(status, 1);
  }
}

/** The second input of a two-input operator; undefined for a one-input operator. */
export function secondInputOf(operator: ChainOperator<unknown>): Output<unknown> | undefined {
  return (operator as Partial<TwoInputOperator<unknown>>).secondInput;
}

/**
 * Sends each record and event to several operators (a stream consumed by more than one operator).
 * Each consumer owns what it receives and may change it, so all but the last get a copy, made before
 * any of them runs (unless object reuse is on).
 */
export class FanOutOutput<T> implements Output<T> {
  constructor(
    private readonly outputs: readonly Output<T>[],
    private readonly objectReuse = false,
  ) {}

  collect(value: T, timestamp: number | undefined): void {
    const outputs = this.outputs;
    const last = outputs.length - 1;
    if (this.objectReuse || typeof value !== 'object' || value === null) {
      for (let i = 0; i <= last; i++) outputs[i].collect(value, timestamp);
      return;
    }
    const copies = new Array<T>(last);
    for (let i = 0; i < last; i++) copies[i] = copyRecord(value);
    for (let i = 0; i < last; i++) outputs[i].collect(copies[i], timestamp);
    outputs[last].collect(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const output of this.outputs) output.emitWatermark(watermark);
  }

  emitWatermarkStatus(status: WatermarkStatus): void {
    for (const output of this.outputs) output.emitWatermarkStatus(status);
  }
}

/** The output of an operator nobody consumes. */
export const DISCARDING_OUTPUT: Output<unknown> = { collect: () => {}, emitWatermark: () => {}, emitWatermarkStatus: () => {} };

/** `operator "Name" (id "map-1")`: how every error names an operator. */
export function describeOperator(descriptor: Pick<OperatorDescriptor, 'id' | 'name'>): string {
  return `operator "${descriptor.name}" (id "${descriptor.id}")`;
}

/**
 * Wraps what user code threw (a record function, open(), close(), a constructor) into an error naming
 * its operator: `operator "Double" (id "map-1") failed on a record: boom`.
 */
export function userFunctionError(descriptor: OperatorDescriptor, happened: string, error: unknown): WeirError {
  const message = error instanceof Error ? error.message : String(error);
  return new WeirError('USER_FUNCTION_FAILED', `${describeOperator(descriptor)} ${happened}: ${message}`, { cause: error });
}
