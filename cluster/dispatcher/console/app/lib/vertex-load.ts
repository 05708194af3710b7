// What a vertex is doing, from its subtasks' time shares (Flink's busyTimeMsPerSecond,
// backPressuredTimeMsPerSecond, idleTimeMsPerSecond as ratios): the job graph colours each box by
// it, as Flink's web UI does, taking the worst subtask of the vertex.
import { type MetricValues, metricOf } from './rest-shapes.ts';

export type VertexLoad = 'busy' | 'backpressured' | 'idle' | 'unknown';

export interface LoadShares {
  readonly busy: number;
  readonly backpressured: number;
  readonly idle: number;
}

/** A subtask spending more than this share of its time backpressured (or busy) is shown so. */
export const LOAD_THRESHOLD = 0.5;

/** A subtask's shares of time (0..1), or null when its metrics do not carry them. */
export function loadShares(metrics: MetricValues | null | undefined): LoadShares | null {
  const busy = ratioOf(metrics, ['busy-ratio', 'busyRatio'], 'busyTimeMsPerSecond');
  const backpressured = ratioOf(metrics, ['backpressured-ratio', 'backpressure-ratio', 'backPressuredRatio'], 'backPressuredTimeMsPerSecond');
  const idle = ratioOf(metrics, ['idle-ratio', 'idleRatio'], 'idleTimeMsPerSecond');
  if (busy === null && backpressured === null && idle === null) return null;
  return { busy: busy ?? 0, backpressured: backpressured ?? 0, idle: idle ?? 0 };
}

/** A share as a ratio under one of `ratioNames`, else Flink's ms per second divided by 1000. */
function ratioOf(metrics: MetricValues | null | undefined, ratioNames: readonly string[], msPerSecondName: string): number | null {
  const ratio = metricOf(metrics, ...ratioNames);
  if (ratio !== null) return clamp(ratio);
  const msPerSecond = metricOf(metrics, msPerSecondName);
  return msPerSecond === null ? null : clamp(msPerSecond / 1000);
}

function clamp(ratio: number): number {
  return Math.min(1, Math.max(0, ratio));
}

/** The vertex's shares: the highest of each over its subtasks (one backpressured subtask makes a backpressured vertex). */
export function vertexShares(subtasks: readonly (MetricValues | null | undefined)[]): LoadShares | null {
  let result: { busy: number; backpressured: number; idle: number } | null = null;
  for (const metrics of subtasks) {
    const shares = loadShares(metrics);
    if (!shares) continue;
    if (!result) result = { ...shares };
    else {
      result.busy = Math.max(result.busy, shares.busy);
      result.backpressured = Math.max(result.backpressured, shares.backpressured);
      result.idle = Math.max(result.idle, shares.idle);
    }
  }
  return result;
}

/** Backpressured first (the thing to look at), then busy, else idle. */
export function classifyLoad(shares: LoadShares | null): VertexLoad {
  if (!shares) return 'unknown';
  if (shares.backpressured >= LOAD_THRESHOLD) return 'backpressured';
  if (shares.busy >= LOAD_THRESHOLD) return 'busy';
  // Below the threshold the largest share decides; a tie goes to the one to look at first.
  const largest = Math.max(shares.busy, shares.backpressured, shares.idle);
  if (largest === 0) return 'idle';
  if (shares.backpressured === largest) return 'backpressured';
  return shares.busy === largest ? 'busy' : 'idle';
}
