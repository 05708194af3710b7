// The base of every operator that runs a user function: it makes the subtask's instance and calls
// the rich function's initializeState(), open() and close(), turning what they throw into errors
// naming the operator. It owns the subtask's operator state (Flink's OperatorStateBackend: list,
// union list and broadcast states), which initializeState() reaches. A checkpoint writes it (after
// the function's snapshotState()), the operator's watermark and, for a keyed operator (keyedParts()),
// its keyed state and timers per key group; a restore gives them back before open().
import { WeirError } from '../../messages/errors.ts';
import type { FunctionInitializationContext, FunctionSnapshotContext, RichFunction, RuntimeContext } from '../functions.ts';
import type { OperatorSnapshot, SnapshotContext, TakenOperatorSnapshot } from '../runtime/checkpointing/snapshot.ts';
import { ChainOperator, type OperatorRuntime, describeOperator, userFunctionError } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { HeapOperatorStateBackend, type OperatorStateSnapshot } from '../state/operator-state.ts';
import type { KeyedStateStore, OperatorStateStore } from '../state/state.ts';
import { type KeyedParts, restoreKeyGroups, holdKeyGroups } from './keyed-snapshots.ts';

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

  /** A keyed operator's backend and timers, which checkpoints write per key group; null for a non-keyed one. */
  protected keyedParts(): KeyedParts | null {
    return null;
  }

  /** The operator state (omitted when empty), the watermark and, keyed, every key group holding state or timers. */
  override snapshotState(context: SnapshotContext): TakenOperatorSnapshot {
    const operatorState = this.snapshotOperatorState(context.checkpointId, context.timestamp);
    const empty = Object.keys(operatorState.lists).length === 0 && Object.keys(operatorState.broadcast).length === 0;
    const keyed = this.keyedParts();
    return {
      watermark: this.currentWatermark,
      ...(empty ? {} : { operatorState }),
      ...(keyed === null ? {} : { keyGroups: holdKeyGroups(keyed) }),
    };
  }

  override restoreState(snapshot: OperatorSnapshot): void {
    super.restoreState(snapshot);
    // Flink's isRestored(): the job restarts from a snapshot, whether or not this operator wrote state.
    this.restored = true;
    if (snapshot.operatorState !== undefined) this.restoreOperatorState(snapshot.operatorState);
    const keyed = this.keyedParts();
    if (keyed === null) {
      if (snapshot.keyGroups !== undefined && snapshot.keyGroups.length > 0) {
        throw new WeirError('STATE_RESTORE_FAILED', `${describeOperator(this.descriptor)}: the snapshot holds keyed state, but the operator is not keyed (was keyBy() removed?)`);
      }
      return;
    }
    restoreKeyGroups(keyed, snapshot.keyGroups, describeOperator(this.descriptor));
    keyed.timers?.restoreWatermark(this.currentWatermark);
  }

  /** Before open(): this subtask's share of a checkpoint's operator state (see redistributeOperatorState). */
  restoreOperatorState(snapshot: OperatorStateSnapshot): void {
    this.operatorState.restore(snapshot);
    this.restored = true;
  }

  /**
   * What a checkpoint writes of this operator's operator state: the function's snapshotState() runs
   * first (it may move what it holds into its states), then the states are copied. On the task's
   * turn, from snapshotState().
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
