// Trigger: decides when a window is evaluated and when its contents are purged (Flink's Trigger).
// The window operator calls it, for the current key and one window at a time:
// - onElement after adding a record to a window (the merged window, for sessions);
// - onEventTime / onProcessingTime when a timer the trigger registered for that window fires (the
//   operator checks its own cleanup timer separately);
// - onMerge, for merging assigners, with the merged window current and mergePartitionedState able to
//   fold the merged windows' trigger state into it; then clear() for each merged window;
// - clear when the window is dropped (its cleanup time passed): delete timers and state.
// Acting on a result is the operator's job: fire emits the contents through the window function,
// purge clears them. Trigger state lives in keyed state scoped to the key and window, through
// getPartitionedState; a trigger object is shared by every key and window, so it keeps no per-window
// fields itself.
import { WeirError } from '../../../messages/errors.ts';
import type { StateDescriptor } from '../../state/descriptors.ts';
import type { PartitionedStateStore, State } from '../../state/state.ts';
import type { Window } from '../windows/window.ts';
import type { TriggerResult } from './trigger-result.ts';

/** What a trigger may do for the current key and window. */
export interface TriggerContext extends PartitionedStateStore {
  getCurrentProcessingTime(): number;
  /** The operator's watermark; MIN_WATERMARK (-Infinity) before the first. */
  getCurrentWatermark(): number;
  /** A timer for the current key and window; registering one twice is once. */
  registerProcessingTimeTimer(time: number): void;
  registerEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  /** The state of `descriptor`, scoped to the current key and window. */
  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S;
}

/** The context of onMerge: the window is the merge result. */
export interface OnMergeContext extends TriggerContext {
  /**
   * Merges the merged windows' entries of `descriptor` into the merge result's (a list, reducing or
   * aggregating state; any other kind fails with INVALID_ARGUMENT).
   */
  mergePartitionedState<S extends State>(descriptor: StateDescriptor<S>): void;
}

export abstract class Trigger<T, W extends Window> {
  /** `timestamp`: the record's, or NO_TIMESTAMP (-Infinity) when it has none. */
  abstract onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  abstract onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  abstract onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;

  /** Whether onMerge is implemented: a merging assigner (sessions) needs a trigger that can merge. */
  canMerge(): boolean {
    return false;
  }

  /** Called when windows merged into `window`: re-register timers, merge state. */
  onMerge(_window: W, _ctx: OnMergeContext): void {
    throw new WeirError('INVALID_PIPELINE', `trigger ${describeTrigger(this)} does not support merging windows (canMerge() is false)`);
  }

  /** The window is dropped: delete its timers and trigger state. */
  abstract clear(window: W, ctx: TriggerContext): void;
}

/** A trigger as errors name it: its toString() when it has one, else its class name. */
export function describeTrigger(trigger: object): string {
  return trigger.toString !== Object.prototype.toString ? String(trigger) : trigger.constructor?.name || 'Trigger';
}
