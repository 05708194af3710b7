// The chain's side of a checkpoint (Flink's SubtaskCheckpointCoordinator, synchronous part): the
// whole chain is snapshotted at once, source reader first, then every operator head first, keyed by
// operator id; and a restore hands each operator its part (and the source reader its position)
// before anything opens (and an unaligned checkpoint's in-flight data, unaligned-snapshots.ts).
// ChainSubtask decides when; this file knows what.
//
// Errors: what user code throws while snapshotting (a CheckpointedFunction's snapshotState) or in a
// checkpoint notification comes back as a WeirError naming the operator; a WeirError that already
// names it passes unchanged, one that does not keeps its code and gets the operator's name.
import { WeirError } from '../../../messages/errors.ts';
import type { BuiltChain } from '../chain-builder.ts';
import { type ChainOperator, describeOperator, userFunctionError } from '../chain.ts';
import { NetworkInput } from '../network-input.ts';
import { isHeld } from './async-snapshot.ts';
import type { CheckpointBarrier, OperatorSnapshot, SnapshotContext, SubtaskSnapshot, TakenOperatorSnapshot, TakenSubtaskSnapshot } from './snapshot.ts';
import { restoreInFlight } from './unaligned-snapshots.ts';

/**
 * The chain's state now: plain data that later processing does not change, but for keyed operators'
 * key groups, which it holds (copy-on-write) until the asynchronous part captured them (async-snapshot.ts).
 */
export function snapshotChain(chain: BuiltChain, barrier: CheckpointBarrier): TakenSubtaskSnapshot {
  const context: SnapshotContext = { checkpointId: barrier.checkpointId, timestamp: barrier.timestamp, savepoint: barrier.savepoint };
  const input = chain.input;
  let source: SubtaskSnapshot['source'];
  if (!(input instanceof NetworkInput) && input.snapshotState !== undefined) {
    chain.tracker.current = null;
    source = input.snapshotState(context);
  }
  const operators: Record<string, TakenOperatorSnapshot> = {};
  try {
    for (const operator of chain.operators) {
      const snapshot = callOperator(chain, operator, 'failed taking a snapshot', () => operator.snapshotState(context));
      if (snapshot !== null) operators[operator.descriptor.id] = snapshot;
    }
  } catch (error) {
    // The operators before the one that failed hold key groups: let go, or their writes would capture forever.
    for (const snapshot of Object.values(operators)) if (isHeld(snapshot.keyGroups)) snapshot.keyGroups.release();
    throw error;
  }
  return source === undefined ? { checkpointId: barrier.checkpointId, operators } : { checkpointId: barrier.checkpointId, operators, source };
}

/**
 * Before open(): every operator gets its part of `snapshot` (by operator id), the source reader its
 * position. State the chain has no operator for fails with STATE_NOT_RESTORED before anything is
 * restored: dropping it silently would lose it, unless `allowNonRestoredState` (weir run -s -n) says to skip it.
 */
export function restoreChain(chain: BuiltChain, snapshot: SubtaskSnapshot, label: string, allowNonRestoredState = false): void {
  if (typeof snapshot !== 'object' || snapshot === null || typeof snapshot.operators !== 'object' || snapshot.operators === null) {
    throw new WeirError('STATE_RESTORE_FAILED', `${label}: the snapshot to restore has no operators`);
  }
  const byId = new Map(chain.operators.map((operator) => [operator.descriptor.id, operator]));
  const unknown = Object.keys(snapshot.operators).filter((id) => !byId.has(id));
  if (unknown.length > 0 && !allowNonRestoredState) {
    const ids = unknown.map((id) => `"${id}"`).join(', ');
    throw new WeirError(
      'STATE_NOT_RESTORED',
      `${label}: the snapshot holds state of operator ${ids}, which this chain does not have (its operators: ${[...byId.keys()].map((id) => `"${id}"`).join(', ') || 'none'}); give operators stable ids with uid() to keep their state across changes`,
    );
  }
  const input = chain.input;
  if (snapshot.source !== undefined) {
    if (input instanceof NetworkInput || input.restoreState === undefined) {
      const why = input instanceof NetworkInput ? 'this vertex has no source' : 'its source cannot resume from a position';
      throw new WeirError('STATE_NOT_RESTORED', `${label}: the snapshot holds a source position, but ${why}`);
    }
    input.restoreState(snapshot.source);
  }
  for (const [id, part] of Object.entries(snapshot.operators)) byId.get(id)?.restoreState(part);
  if (snapshot.inFlight !== undefined) restoreInFlight(chain, snapshot.inFlight, label);
}

/** Each operator's notifyCheckpointComplete, head first; the promises of those that take a while, combined (null when none). */
export function notifyComplete(chain: BuiltChain, checkpointId: number): Promise<void> | null {
  const pending: Promise<void>[] = [];
  for (const operator of chain.operators) {
    const happened = `failed in notifyCheckpointComplete(${checkpointId})`;
    const committing = callOperator(chain, operator, happened, () => operator.notifyCheckpointComplete(checkpointId));
    if (committing) pending.push(committing.catch((error: unknown) => Promise.reject(named(operator, happened, error))));
  }
  if (pending.length === 0) return null;
  return Promise.all(pending).then(() => undefined);
}

/** Each operator's notifyCheckpointAborted, head first. */
export function notifyAborted(chain: BuiltChain, checkpointId: number): void {
  for (const operator of chain.operators) {
    callOperator(chain, operator, `failed in notifyCheckpointAborted(${checkpointId})`, () => operator.notifyCheckpointAborted(checkpointId));
  }
}

/** Runs one operator's checkpoint hook; what it throws comes back naming the operator. */
function callOperator<R>(chain: BuiltChain, operator: ChainOperator<unknown>, happened: string, call: () => R): R {
  chain.tracker.current = null;
  try {
    return call();
  } catch (error) {
    throw named(operator, happened, error);
  } finally {
    chain.tracker.current = null;
  }
}

function named(operator: ChainOperator<unknown>, happened: string, error: unknown): WeirError {
  if (error instanceof WeirError && error.message.includes(describeOperator(operator.descriptor))) return error;
  return error instanceof WeirError ? new WeirError(error.code, `${describeOperator(operator.descriptor)} ${happened}: ${error.message}`, { cause: error }) : userFunctionError(operator.descriptor, happened, error);
}
