// MergingWindowSet (Flink's): one key's in-flight windows of a merging assigner (sessions), each
// mapped to its state window: the window whose namespace holds the contents. When windows merge,
// one of their state windows is kept for the result and the others are merged into it, so a
// growing session never moves its contents; only the mapping changes.
//
// How the window operator uses it, per record of a key with a merging assigner:
//   for each window w the assigner gives:
//     actual = set.addWindow(w, (mergeResult, mergedWindows, stateWindowResult, mergedStateWindows) => {
//       fail if mergeResult is already late (event time) or past (processing time), as Flink does;
//       trigger.onMerge(mergeResult, ctx with mergedWindows);   // merges trigger state, re-registers timers
//       for each m of mergedWindows: trigger.clear(m, ctx of m); delete m's cleanup timer;
//       contents.mergeNamespaces(ns(stateWindowResult), mergedStateWindows.map(ns));
//     });
//     if actual is late: set.retireWindow(actual); skip it;
//     add the record under ns(set.getStateWindow(actual)); trigger.onElement(..., actual, ...);
//     trigger state and timers are scoped to ns(actual), contents to ns(stateWindow);
//   then write set.persist() (when not null) to the key's state.
// A timer for window w: if set.getStateWindow(w) is undefined the window is gone; ignore it. When a
// window is purged for good (cleanup time), retireWindow(w).
//
// The set is per key and part of the checkpoint: persist()/snapshot() give plain data
// ([window namespace, state window namespace] pairs) and restore() reads it back.
//
// Unlike Flink, adding a window equal to an in-flight one keeps that window's state window (Flink
// maps it to itself, orphaning the contents; reachable with dynamic session gaps).
import { WeirError } from '../../messages/errors.ts';
import type { Namespace } from '../state/keyed-state-backend.ts';
import type { MergingWindowAssigner } from './assigners/merging-window-assigner.ts';
import type { MergeCallback } from './windows/time-window.ts';
import type { Window } from './windows/window.ts';

/**
 * Called by addWindow for each merge: `mergedWindows` (without the new window) became
 * `mergeResult`, whose contents live in `stateWindowResult`; the contents of `mergedStateWindows`
 * must be merged into it.
 */
export type MergeFunction<W> = (mergeResult: W, mergedWindows: readonly W[], stateWindowResult: W, mergedStateWindows: readonly W[]) => void;

/** A set as plain data: [window, state window] namespace pairs. */
export type WindowMappingSnapshot = readonly (readonly [Namespace, Namespace])[];

/** What the set needs of its assigner. */
export type WindowMerger<W extends Window> = Pick<MergingWindowAssigner<unknown, W>, 'mergeWindows' | 'getNamespaceCodec'>;

export class MergingWindowSet<W extends Window> {
  /** In-flight windows and, at the same index, their state windows. Few per key: scanned linearly. */
  private readonly windows: W[] = [];
  private readonly stateWindows: W[] = [];
  /** Whether the mapping changed since the set was made, restored or last persisted. */
  private changed = false;
  /** The merges the assigner reported during the current addWindow. */
  private merges: [W, W[]][] = [];
  private readonly collectMerge: MergeCallback<W> = (toBeMerged, mergeResult) => {
    this.merges.push([mergeResult, toBeMerged]);
  };

  constructor(private readonly assigner: WindowMerger<W>) {}

  static restore<W extends Window>(assigner: WindowMerger<W>, snapshot: WindowMappingSnapshot): MergingWindowSet<W> {
    const set = new MergingWindowSet(assigner);
    const codec = assigner.getNamespaceCodec();
    for (const [window, stateWindow] of snapshot) {
      set.windows.push(codec.fromNamespace(window));
      set.stateWindows.push(codec.fromNamespace(stateWindow));
    }
    return set;
  }

  get size(): number {
    return this.windows.length;
  }

  /** The window holding the contents of in-flight `window`; undefined when `window` is not in flight. */
  getStateWindow(window: W): W | undefined {
    const index = this.indexOf(window);
    return index < 0 ? undefined : this.stateWindows[index];
  }

  /** Removes an in-flight window (its contents were dropped); INVALID_ARGUMENT when it is not in flight. */
  retireWindow(window: W): void {
    const index = this.indexOf(window);
    if (index < 0) throw new WeirError('INVALID_ARGUMENT', `window ${String(window)} is not in the in-flight window set`);
    this.removeAt(index);
    this.changed = true;
  }

  /**
   * Adds a record's window; windows it merges with are merged (mergeFunction is called once per
   * merge that involves existing windows). Returns the window the new one ended up in: itself, the
   * merge result, or the in-flight window that already covers it. Work with that window only.
   */
  addWindow(newWindow: W, mergeFunction: MergeFunction<W>): W {
    const candidates = this.windows.slice();
    candidates.push(newWindow);
    this.assigner.mergeWindows(candidates, this.collectMerge);
    const merges = this.merges;
    if (merges.length > 0) this.merges = [];

    let resultWindow = newWindow;
    let mergedNewWindow = false;
    for (const [mergeResult, mergedWindows] of merges) {
      const newIndex = indexOfWindow(mergedWindows, newWindow);
      if (newIndex >= 0) {
        mergedWindows.splice(newIndex, 1);
        mergedNewWindow = true;
        resultWindow = mergeResult;
      }
      if (mergedWindows.length === 0) {
        // Only the new window grew (an assigner that merges a window alone): a fresh window.
        this.put(mergeResult, mergeResult);
        continue;
      }
      // Keep the state window of any merged window (the first), so its contents stay where they are.
      const stateWindow = this.getStateWindow(mergedWindows[0]);
      if (stateWindow === undefined) throw new WeirError('INVALID_ARGUMENT', `${String(this.assigner)} merged window ${String(mergedWindows[0])}, which is not in flight`);
      const mergedStateWindows: W[] = [];
      for (const merged of mergedWindows) {
        const index = this.indexOf(merged);
        if (index < 0) continue;
        const removed = this.stateWindows[index];
        this.removeAt(index);
        if (!removed.equals(stateWindow)) mergedStateWindows.push(removed);
      }
      this.put(mergeResult, stateWindow);
      // A new window inside an existing one changes nothing: no merge to report.
      if (mergedWindows.length === 1 && mergedWindows[0].equals(mergeResult)) continue;
      this.changed = true;
      mergeFunction(mergeResult, mergedWindows, stateWindow, mergedStateWindows);
    }

    if (!mergedNewWindow && this.indexOf(newWindow) < 0) {
      this.put(newWindow, newWindow);
      this.changed = true;
    }
    return resultWindow;
  }

  /** The mapping as plain data. */
  snapshot(): WindowMappingSnapshot {
    const codec = this.assigner.getNamespaceCodec();
    const entries: [Namespace, Namespace][] = [];
    for (let index = 0; index < this.windows.length; index++) entries.push([codec.toNamespace(this.windows[index]), codec.toNamespace(this.stateWindows[index])]);
    return entries;
  }

  /** The snapshot when the mapping changed since the set was made, restored or last persisted; else null (nothing to write). */
  persist(): WindowMappingSnapshot | null {
    if (!this.changed) return null;
    this.changed = false;
    return this.snapshot();
  }

  private indexOf(window: W): number {
    return indexOfWindow(this.windows, window);
  }

  private put(window: W, stateWindow: W): void {
    const index = this.indexOf(window);
    if (index >= 0) {
      this.stateWindows[index] = stateWindow;
    } else {
      this.windows.push(window);
      this.stateWindows.push(stateWindow);
    }
  }

  private removeAt(index: number): void {
    this.windows.splice(index, 1);
    this.stateWindows.splice(index, 1);
  }
}

function indexOfWindow<W extends Window>(windows: readonly W[], window: W): number {
  for (let index = 0; index < windows.length; index++) if (windows[index].equals(window)) return index;
  return -1;
}
