// The independent answer for examples/top-speed.ts (Flink's TopSpeedWindowing): a plain loop over
// the input lines in order, per car, from these rules:
//  1. Every report joins its car's window (one global window per car, never purged).
//  2. The trigger keeps the report it last fired on (the car's first report, before any firing);
//     a report more than 50 m further than that one fires the window and becomes the new reference.
//  3. On firing, reports whose timestamp <= (the window's largest timestamp - 10 000) leave the
//     window for good; then the first report with the top speed of what is left is the output.
// The output lines are the input lines of the chosen reports (the input is in the output's form).

interface Report {
  readonly carId: string;
  readonly speed: number;
  readonly distance: number;
  readonly timestamp: number;
  readonly line: string;
}

export interface TopSpeedRun {
  /** The output lines, in firing order. */
  readonly fired: string[];
  /** Reports evicted in all. */
  readonly evicted: number;
  /** Firings where an earlier report with the same top speed won over a later one. */
  readonly ties: number;
}

export function topSpeeds(lines: readonly string[]): TopSpeedRun {
  const windows = new Map<string, Report[]>();
  const reference = new Map<string, number>();
  const fired: string[] = [];
  let evicted = 0;
  let ties = 0;
  for (const line of lines) {
    if (line === '') continue;
    const [carId, speed, distance, timestamp] = line.slice(1, -1).split(',');
    const report: Report = { carId, speed: Number(speed), distance: Number(distance), timestamp: Number(timestamp), line };
    const window = windows.get(carId) ?? [];
    windows.set(carId, window);
    window.push(report);
    const last = reference.get(carId);
    if (last !== undefined && report.distance - last <= 50) continue;
    reference.set(carId, report.distance);
    if (last === undefined) continue;
    const cutoff = Math.max(...window.map((kept) => kept.timestamp)) - 10_000;
    const left = window.filter((kept) => kept.timestamp > cutoff);
    evicted += window.length - left.length;
    windows.set(carId, left);
    const top = Math.max(...left.map((kept) => kept.speed));
    if (left.filter((kept) => kept.speed === top).length > 1) ties++;
    fired.push((left.find((kept) => kept.speed === top) as Report).line);
  }
  return { fired, evicted, ties };
}

export const expectedTopSpeeds = (lines: readonly string[]): string[] => [...topSpeeds(lines).fired].sort();
