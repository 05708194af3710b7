// Checks WindowedStream runs when the pipeline is built (Flink's WindowedStream / WindowOperatorBuilder
// preconditions), so a window that cannot work fails before the job starts.
import { WeirError } from '../../messages/errors.ts';
import { show } from './argument-checks.ts';
import { isMergingWindowAssigner } from './assigners/merging-window-assigner.ts';
import type { WindowAssigner } from './assigners/window-assigner.ts';
import { type Trigger, describeTrigger } from './triggers/trigger.ts';
import type { Window } from './windows/window.ts';

/** A merging assigner (sessions) needs a trigger whose canMerge() is true. */
export function checkTriggerFitsAssigner<T, W extends Window>(assigner: WindowAssigner<T, W>, trigger: Trigger<T, W>): void {
  if (isMergingWindowAssigner(assigner) && !trigger.canMerge()) {
    throw new WeirError('INVALID_PIPELINE', `${String(assigner)} merges windows, and trigger ${describeTrigger(trigger)} cannot merge (canMerge() is false): a merging window assigner needs a trigger that supports merging`);
  }
}

/** allowedLateness(ms): a whole number of ms >= 0. */
export function checkAllowedLateness(lateness: number): number {
  if (!Number.isSafeInteger(lateness) || lateness < 0) throw new WeirError('INVALID_ARGUMENT', `allowedLateness needs a whole number of ms >= 0; got ${show(lateness)}`);
  return lateness;
}
