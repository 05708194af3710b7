// The independent answer for examples/windowed-totals.ts: its input lines through the window model
// (event-time-windows.ts), counting and summing each window's values.
import type { WindowSpec } from '../../examples/windowed-totals.ts';
import { type ModelRun, runWindowModel } from './event-time-windows.ts';

interface Parsed {
  readonly key: string;
  readonly ts: number;
  readonly value: number;
  readonly line: string;
}

export interface ExpectedTotals {
  /** `key<TAB>start<TAB>end<TAB>count<TAB>sum` per firing, sorted. */
  readonly totals: string[];
  /** The late input lines, sorted. */
  readonly late: string[];
  readonly run: ModelRun<Parsed>;
}

export function expectedWindowedTotals(lines: readonly string[], window: WindowSpec, outOfOrdernessMs: number, allowedLatenessMs: number): ExpectedTotals {
  const records = lines.filter((line) => line !== '').map((line): Parsed => ({ ...(JSON.parse(line) as { key: string; ts: number; value: number }), line }));
  const run = runWindowModel<Parsed, { count: number; sum: number }>(records, {
    window,
    outOfOrdernessMs,
    allowedLatenessMs,
    keyOf: (record) => record.key,
    tsOf: (record) => record.ts,
    create: () => ({ count: 0, sum: 0 }),
    add: ({ count, sum }, record) => ({ count: count + 1, sum: sum + record.value }),
    merge: (a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum }),
    format: (key, start, end, { count, sum }) => `${key}\t${start}\t${end}\t${count}\t${sum}`,
  });
  return { totals: [...run.fired].sort(), late: run.late.map((record) => record.line).sort(), run };
}
