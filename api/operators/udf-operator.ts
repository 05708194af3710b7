// The base of every operator that runs a user function: it makes the subtask's instance and calls
// the rich function's initializeState(), open() and close(), turning what they throw into errors
// naming the operator. It owns the subtask's operator state (Flink's OperatorStateBackend: list,
// union list and broadcast states), which initializeState() reaches and checkpoints will snapshot
// through snapshotOperatorState() and restore through restoreOperatorState() before open().
import type { FunctionInitializationContext, FunctionSnapshotContext, RichFunction, RuntimeContext } from '../functions.ts';
import { ChainOperator, type OperatorRuntime, describeOperator, userFunctionError } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { HeapOperatorStateBackend, type OperatorStateSnapshot } from '../state/operator-state.ts';
import type { KeyedStateStore, OperatorStateStore } from '../state/state.ts';

export abstract class UdfOperator<T, F extends RichFunction> extends ChainOperator<T> {
  /** The subtask's instance of the user function; only this operator calls it. */
  protected readonly udf: F;
  /** The subtask's operator state; only this operator and its function touch it, on the task's turn. */
  protected readonly operatorState: HeapOperatorStateBackend;
  private readonly runtimeContext: RuntimeContext;
  /** Set by restoreOperatorState(), before open(): initializeState() then sees isRestored(). */
  private restored = false;

  constructor(runtime: OperatorRuntime, factory: UserFunctionFactory<F>) {
    super(runtime);
    this.runtimeContext = runtime.runtimeContext;
    this.operatorState = new HeapOperatorStateBackend(describeOperator(runtime.descriptor));
    try {
      this.udf = factory();
    } catch (error) {
      throw userFunctionError(runtime.descriptor, 'failed in its constructor', error);
    }
  }

  /** initializeState() first (Flink's CheckpointedFunction), so that open() finds the states made. */
  override async open(): Promise<void> {
    if (this.udf.initializeState) {
      try {
        await this.udf.initializeState(initializationContext(this.restored, this.operatorState, this.runtimeContext));
      } catch (error) {
        throw userFunctionError(this.descriptor, 'failed in initializeState()', error);
      }
    }
    if (!this.udf.open) return;
    try {
      await this.udf.open(this.runtimeContext);
    } catch (error) {
      throw userFunctionError(this.descriptor, 'failed in open()', error);
    }
  }

  /** Before open(): this subtask's share of a checkpoint's operator state (see redistributeOperatorState). */
  restoreOperatorState(snapshot: OperatorStateSnapshot): void {
    this.operatorState.restore(snapshot);
    this.restored = true;
  }

  /**
   * What a checkpoint writes of this operator's operator state: the function's snapshotState() runs
   * first (it may move what it holds into its states), then the states are copied. Checkpoints will
   * call this on the task's turn; nothing does yet.
   */
  snapshotOperatorState(checkpointId: number, checkpointTimestamp: number): OperatorStateSnapshot {
    if (this.udf.snapshotState) {
      const context: FunctionSnapshotContext = { getCheckpointId: () => checkpointId, getCheckpointTimestamp: () => checkpointTimestamp };
      try {
        this.udf.snapshotState(context);
      } catch (error) {
        throw userFunctionError(this.descriptor, 'failed in snapshotState()', error);
      }
    }
    return this.operatorState.snapshot();
  }

  override async close(): Promise<void> {
    if (!this.udf.close) return;
    try {
      await this.udf.close();
    } catch (error) {
      throw userFunctionError(this.descriptor, 'failed in close()', error);
    }
  }
}

function initializationContext(restored: boolean, operatorState: OperatorStateStore, keyedState: KeyedStateStore): FunctionInitializationContext {
  return { isRestored: () => restored, getOperatorStateStore: () => operatorState, getKeyedStateStore: () => keyedState };
}
