// The pieces an operator chain is made of. Records move by direct calls: a source calls its head's
// collect(), each operator calls the next one's. Nothing is allocated per record by the chain itself.
//
// Errors: a subtask has one try/catch per step. To name the operator whose user code threw, every
// operator writes itself into `tracker.current` just before calling user code (one field write per
// record, no closure, no try); whatever is there when an exception reaches the step is the culprit.
import { WeirError } from '../../messages/errors.ts';
import type { OperatorDescriptor, RuntimeMode } from '../../messages/job-graph.ts';
import type { RuntimeContext } from '../functions.ts';
import type { SubtaskContext } from './subtask.ts';

/** Receives the records of one operator. */
export interface Output<T> {
  collect(value: T): void;
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
  readonly runtimeContext: RuntimeContext;
  /** BATCH: keyed aggregations emit final results only, once every input has ended. */
  readonly runtimeMode: RuntimeMode;
  /** Where the operator's side output with this OutputTag id goes (DISCARDING_OUTPUT when nowhere). */
  sideOutput(tag: string): Output<unknown>;
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

  constructor(runtime: OperatorRuntime) {
    this.descriptor = runtime.descriptor;
    this.tracker = runtime.tracker;
  }

  abstract collect(value: T): void;

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

  async close(): Promise<void> {}
}

/** An operator whose calls complete between steps (see ChainOperator.emitCompleted). */
export type AsyncChainOperator = ChainOperator<unknown> & Required<Pick<ChainOperator<unknown>, 'emitCompleted' | 'whenCompleted'>>;

export function isAsyncOperator(operator: ChainOperator<unknown>): operator is AsyncChainOperator {
  return operator.emitCompleted !== undefined && operator.whenCompleted !== undefined;
}

/** An operator with a second input (connect): collect() takes input 0's records, collect2() input 1's. */
export interface TwoInputOperator<B> {
  collect2(value: B): void;
  /** The second input as an Output, for whoever delivers its records. */
  readonly secondInput: Output<B>;
}

/** The Output a two-input operator exposes as its `secondInput`. */
export class SecondInput<B> implements Output<B> {
  constructor(private readonly operator: { collect2(value: B): void }) {}

  collect(value: B): void {
    this.operator.collect2(value);
  }
}

/** The second input of a two-input operator; undefined for a one-input operator. */
export function secondInputOf(operator: ChainOperator<unknown>): Output<unknown> | undefined {
  return (operator as Partial<TwoInputOperator<unknown>>).secondInput;
}

/** Sends each record to several operators (a stream consumed by more than one operator). */
export class FanOutOutput<T> implements Output<T> {
  constructor(private readonly outputs: readonly Output<T>[]) {}

  collect(value: T): void {
    const outputs = this.outputs;
    for (let i = 0; i < outputs.length; i++) outputs[i].collect(value);
  }
}

/** The output of an operator nobody consumes. */
export const DISCARDING_OUTPUT: Output<unknown> = { collect: () => {} };

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
