// A WindowAssigner whose windows can merge (Flink's MergingWindowAssigner): session windows. The
// window operator never calls mergeWindows itself: a MergingWindowSet per key does, when a record's
// window is added, and reports each merge to the operator through its merge function.
import type { MergeCallback } from '../windows/time-window.ts';
import type { Window } from '../windows/window.ts';
import { WindowAssigner } from './window-assigner.ts';

export abstract class MergingWindowAssigner<T, W extends Window> extends WindowAssigner<T, W> {
  /** Calls `callback` once per group of `windows` that merge, with the window covering them. */
  abstract mergeWindows(windows: readonly W[], callback: MergeCallback<W>): void;
}

/** By shape rather than instanceof, so an assigner from another copy of the API still counts. */
export function isMergingWindowAssigner<T, W extends Window>(assigner: WindowAssigner<T, W>): assigner is MergingWindowAssigner<T, W> {
  return typeof (assigner as Partial<MergingWindowAssigner<T, W>>).mergeWindows === 'function';
}
