// What the window join and coGroup specs share: two timestamped inputs run through a pipeline, and
// the expected results computed independently, as nested loops over the inputs per key and window.
import { type DataStream, type Key, StreamExecutionEnvironment, type TaggedUnion, type Window, type WindowAssigner, WatermarkStrategy } from '../../../index.ts';

export interface Rec {
  readonly key: Key;
  readonly ts: number;
  readonly id: string;
}

export const rec = (key: Key, ts: number, id: string): Rec => ({ key, ts, id });

/** `count` records with ascending timestamps `step` ms apart (jittered), keys taking irregular turns. */
export function generate(prefix: string, count: number, keys: readonly Key[], step: number): Rec[] {
  return Array.from({ length: count }, (_, index) => rec(keys[(index * 7 + Math.floor(index / 3)) % keys.length], index * step + ((index * 13) % step), `${prefix}${index}`));
}

/** The windows [start, end) of one key, given every timestamp of that key on both inputs. */
export type WindowsOf = (timestamps: readonly number[]) => readonly (readonly [number, number])[];

export const tumbling =
  (size: number): WindowsOf =>
  (timestamps) =>
    distinct(timestamps.map((ts) => [ts - (ts % size), ts - (ts % size) + size]));

export const sliding =
  (size: number, slide: number): WindowsOf =>
  (timestamps) =>
    distinct(
      timestamps.flatMap((ts) => {
        const windows: [number, number][] = [];
        for (let start = ts - (ts % slide); start > ts - size; start -= slide) windows.push([start, start + size]);
        return windows;
      }),
    );

/** Each record opens [ts, ts + gap); windows that touch or overlap merge (Flink's TimeWindow.intersects). */
export const sessions =
  (gap: number): WindowsOf =>
  (timestamps) => {
    const merged: [number, number][] = [];
    for (const ts of [...timestamps].sort((x, y) => x - y)) {
      const last = merged[merged.length - 1];
      if (last !== undefined && ts <= last[1]) last[1] = Math.max(last[1], ts + gap);
      else merged.push([ts, ts + gap]);
    }
    return merged;
  };

function distinct(windows: (readonly [number, number])[]): (readonly [number, number])[] {
  const byStart = new Map(windows.map((window) => [window[0], window]));
  return [...byStart.values()];
}

/** Per key and window (those holding a record of either input): that window's records of each input, in input order. */
function groups(first: readonly Rec[], second: readonly Rec[], windowsOf: WindowsOf): { key: Key; window: readonly [number, number]; first: Rec[]; second: Rec[] }[] {
  const keys = [...new Set([...first, ...second].map((record) => record.key))];
  return keys.flatMap((key) => {
    const ofKey = (records: readonly Rec[]) => records.filter((record) => record.key === key);
    const windows = windowsOf([...ofKey(first), ...ofKey(second)].map((record) => record.ts));
    const inWindow = (records: readonly Rec[], [start, end]: readonly [number, number]) => ofKey(records).filter((record) => record.ts >= start && record.ts < end);
    return windows.map((window) => ({ key, window, first: inWindow(first, window), second: inWindow(second, window) }));
  });
}

/** The inner join: `a+b @maxTimestamp` for each pair of one key and window, sorted. */
export function nestedLoopJoin(first: readonly Rec[], second: readonly Rec[], windowsOf: WindowsOf): string[] {
  const out: string[] = [];
  for (const group of groups(first, second, windowsOf)) {
    for (const a of group.first) for (const b of group.second) out.push(`${a.id}+${b.id} @${group.window[1] - 1}`);
  }
  return out.sort();
}

/** The coGroup: `key a1,a2|b1 @maxTimestamp` per key and window that holds a record, sorted. */
export function nestedLoopCoGroup(first: readonly Rec[], second: readonly Rec[], windowsOf: WindowsOf): string[] {
  return groups(first, second, windowsOf)
    .filter((group) => group.first.length + group.second.length > 0)
    .map(({ key, window, first: a, second: b }) => `${String(key)} ${ids(a)}|${ids(b)} @${window[1] - 1}`)
    .sort();
}

export const ids = (records: Iterable<Rec>): string => [...records].map((record) => record.id).join(',');

export interface RunOptions {
  readonly mode?: 'STREAMING' | 'BATCH';
  /** Of the join's window operator; the sources and their timestamps run at 1. */
  readonly parallelism?: number;
}

/**
 * Runs `body` over the two inputs, each an ordered source with watermarks that follow its records
 * (so no record is late), and collects `result @timestamp`, sorted.
 */
export async function runTwoInputs(
  first: readonly Rec[],
  second: readonly Rec[],
  body: (first: DataStream<Rec>, second: DataStream<Rec>) => DataStream<string>,
  options: RunOptions = {},
): Promise<string[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(options.parallelism ?? 1).setRuntimeMode(options.mode ?? 'STREAMING');
  const timestamped = (records: readonly Rec[], name: string) =>
    env
      .fromCollection(records)
      .name(name)
      .setParallelism(1)
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Rec>().withTimestampAssigner((record) => record.ts))
      .setParallelism(1);
  const out: string[] = [];
  const results = body(timestamped(first, 'First'), timestamped(second, 'Second')).process<string>((value, ctx, collector) => collector.collect(`${value} @${ctx.timestamp()}`));
  for await (const value of results.executeAndCollect()) out.push(value);
  return out.sort();
}

const keyOf = (record: Rec): Key => record.key;

/** `first.join(second)` on both records' `key`, in `assigner`'s windows. */
export function joinByKey<W extends Window>(first: DataStream<Rec>, second: DataStream<Rec>, assigner: WindowAssigner<TaggedUnion<Rec, Rec>, W>) {
  return first.join(second).where(keyOf).equalTo(keyOf).window(assigner);
}

/** `first.coGroup(second)` on both records' `key`, in `assigner`'s windows. */
export function coGroupByKey<W extends Window>(first: DataStream<Rec>, second: DataStream<Rec>, assigner: WindowAssigner<TaggedUnion<Rec, Rec>, W>) {
  return first.coGroup(second).where(keyOf).equalTo(keyOf).window(assigner);
}
