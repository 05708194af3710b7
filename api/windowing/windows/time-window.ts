// A window of time [start, end) (Flink's TimeWindow). Immutable, compared by value. Also home of
// the two calculations every time-based assigner shares: the aligned start of the window a
// timestamp falls in, and the merge of overlapping windows (session windows).
import type { Window } from './window.ts';

/** Called by mergeWindows once per group of windows that merge: the group (yours to keep) and the window covering it. */
export type MergeCallback<W> = (toBeMerged: W[], mergeResult: W) => void;

export class TimeWindow implements Window {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  /** end - 1: the end is exclusive. */
  maxTimestamp(): number {
    return this.end - 1;
  }

  equals(other: Window): boolean {
    return other instanceof TimeWindow && other.start === this.start && other.end === this.end;
  }

  /** True when the windows overlap or touch (end == other.start): touching sessions merge, as in Flink. */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window covering both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }

  /**
   * The start of the window of `size` (shifted by `offset`) that `timestamp` falls in. Correct for
   * negative timestamps too: `%` keeps the dividend's sign, so a negative remainder is moved up.
   */
  static getWindowStartWithOffset(timestamp: number, offset: number, size: number): number {
    const remainder = (timestamp - offset) % size;
    return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
  }

  /**
   * Flink's TimeWindow.mergeWindows: sorts the windows by start, collects each run of intersecting
   * windows and calls `callback` for every run of more than one distinct window with the window
   * covering it. Windows equal to one already in a run count once. `windows` is not changed.
   */
  static mergeWindows(windows: readonly TimeWindow[], callback: MergeCallback<TimeWindow>): void {
    if (windows.length < 2) return;
    const sorted = windows.slice().sort(byStartThenEnd);
    let group: TimeWindow[] = [sorted[0]];
    let cover = sorted[0];
    for (let index = 1; index < sorted.length; index++) {
      const candidate = sorted[index];
      if (cover.intersects(candidate)) {
        // Sorted by start then end, a duplicate sits right after its twin.
        if (!candidate.equals(group[group.length - 1])) group.push(candidate);
        if (candidate.end > cover.end) cover = new TimeWindow(cover.start, candidate.end);
      } else {
        if (group.length > 1) callback(group, cover);
        group = [candidate];
        cover = candidate;
      }
    }
    if (group.length > 1) callback(group, cover);
  }
}

function byStartThenEnd(a: TimeWindow, b: TimeWindow): number {
  return a.start - b.start || a.end - b.end;
}
