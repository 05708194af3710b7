// An independent model of keyed event-time windows with Flink's default trigger, for the expected
// output of examples/windowed-totals.ts and examples/session-windowing.ts: a plain loop over the
// records in file order, from these rules (Flink's WindowOperator with EventTimeTrigger):
//  1. One ordered source: after each record the watermark is the largest ts so far - bound - 1,
//     delivered only when it rises (a record is processed before the watermark that follows it).
//  2. Windows by arithmetic: tumbling [ts - ts % size, + size); sliding every start s (a multiple of
//     slide) with s <= ts < s + size; a session [ts, ts + gap) merges with every window of its key
//     that it overlaps or touches (start <= other end and end >= other start).
//  3. A window is late when end - 1 + lateness <= watermark: it takes no record (a session: when the
//     record's own window is late and merges with nothing, since live windows are never late). A
//     record that no window took and whose ts + lateness <= watermark is late data.
//  4. A window fires when the watermark rises past end - 1, and at once when a record joins it (or
//     merges into it) while end - 1 <= watermark already: a late firing with what it holds now. It
//     is dropped when the watermark reaches end - 1 + lateness. The end of input is the end of time:
//     every window the watermark had not passed fires then.
import type { WindowSpec } from '../../examples/windowed-totals.ts';

export interface WindowModel<T, A> {
  readonly window: WindowSpec;
  readonly outOfOrdernessMs: number;
  readonly allowedLatenessMs: number;
  readonly keyOf: (record: T) => string;
  readonly tsOf: (record: T) => number;
  readonly create: () => A;
  readonly add: (accumulator: A, record: T) => A;
  /** Sessions: `first` is the window of the key that opened first. */
  readonly merge: (first: A, second: A) => A;
  /** The line a firing writes. */
  readonly format: (key: string, start: number, end: number, accumulator: A) => string;
}

export interface ModelRun<T> {
  /** One line per firing, in firing order. */
  readonly fired: string[];
  /** Late data, in input order. */
  readonly late: T[];
  /** Records that some window took although the watermark had passed their ts (late, within the lateness). */
  readonly lateButTaken: number;
  /** Firings caused by a record joining a window the watermark had passed. */
  readonly lateFirings: number;
  /** Records whose ts is below an earlier record's but not behind the watermark. */
  readonly outOfOrder: number;
  /** Sessions: records whose window joined two or more live windows into one. */
  readonly bridges: number;
}

interface LiveWindow<A> {
  start: number;
  end: number;
  accumulator: A;
}

/** Start of every time window (not session) that holds `ts`. */
function timeWindowStarts(window: Exclude<WindowSpec, { kind: 'session' }>, ts: number): number[] {
  const size = window.size;
  const slide = window.kind === 'tumbling' ? size : window.slide;
  const starts: number[] = [];
  for (let start = ts - (ts % slide); start > ts - size; start -= slide) starts.push(start);
  return starts;
}

export function runWindowModel<T, A>(records: readonly T[], model: WindowModel<T, A>): ModelRun<T> {
  const { window, outOfOrdernessMs, allowedLatenessMs: lateness } = model;
  /** key -> its live windows, in the order they opened. */
  const live = new Map<string, LiveWindow<A>[]>();
  const fired: string[] = [];
  const late: T[] = [];
  let lateButTaken = 0;
  let lateFirings = 0;
  let outOfOrder = 0;
  let bridges = 0;
  let maxTs = Number.NEGATIVE_INFINITY;
  let watermark = Number.NEGATIVE_INFINITY;
  const fire = (key: string, w: LiveWindow<A>): void => {
    fired.push(model.format(key, w.start, w.end, w.accumulator));
  };
  const isLate = (end: number): boolean => end - 1 + lateness <= watermark;
  /** The watermark rises to `to`: windows it passes fire, windows past their lateness go. */
  const advance = (to: number): void => {
    for (const [key, windows] of live) {
      for (const w of windows) if (w.end - 1 > watermark && w.end - 1 <= to) fire(key, w);
      live.set(
        key,
        windows.filter((w) => w.end - 1 + lateness > to),
      );
    }
    watermark = to;
  };

  for (const record of records) {
    const key = model.keyOf(record);
    const ts = model.tsOf(record);
    if (ts > watermark && ts < maxTs) outOfOrder++;
    const windows = live.get(key) ?? [];
    live.set(key, windows);
    let taken = false;
    if (window.kind === 'session') {
      const end = ts + window.gap;
      const touching = windows.filter((w) => w.start <= end && w.end >= ts);
      if (touching.length > 0 || !isLate(end)) {
        taken = true;
        if (touching.length > 1) bridges++;
        let accumulator = model.create();
        for (const w of touching) accumulator = model.merge(accumulator, w.accumulator);
        const merged: LiveWindow<A> = {
          start: Math.min(ts, ...touching.map((w) => w.start)),
          end: Math.max(end, ...touching.map((w) => w.end)),
          accumulator: model.add(accumulator, record),
        };
        const at = touching.length > 0 ? windows.indexOf(touching[0]) : windows.length;
        windows.splice(at, 0, merged);
        for (const w of touching) windows.splice(windows.indexOf(w), 1);
        if (merged.end - 1 <= watermark) {
          lateFirings++;
          fire(key, merged);
        }
      }
    } else {
      for (const start of timeWindowStarts(window, ts)) {
        const end = start + window.size;
        if (isLate(end)) continue;
        taken = true;
        let w = windows.find((candidate) => candidate.start === start);
        if (w === undefined) {
          w = { start, end, accumulator: model.create() };
          windows.push(w);
        }
        w.accumulator = model.add(w.accumulator, record);
        if (end - 1 <= watermark) {
          lateFirings++;
          fire(key, w);
        }
      }
    }
    if (taken && ts <= watermark) lateButTaken++;
    if (!taken && ts + lateness <= watermark) late.push(record);

    maxTs = Math.max(maxTs, ts);
    if (maxTs - outOfOrdernessMs - 1 > watermark) advance(maxTs - outOfOrdernessMs - 1);
  }
  advance(Number.POSITIVE_INFINITY);
  return { fired, late, lateButTaken, lateFirings, outOfOrder, bridges };
}
