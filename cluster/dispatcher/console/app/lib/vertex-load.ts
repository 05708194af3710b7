// What a vertex or a subtask is doing, from its time shares (Flink's busyTimeMsPerSecond,
// backPressuredTimeMsPerSecond, idleTimeMsPerSecond as ratios): the job graph colours each box by
// it, as Flink's web UI does (a vertex's times are its busiest subtask's, as the REST API sends them).
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
  const busy = ratioOf(metrics, ['busy-ratio', 'busyRatio'], ['busy-time-ms-per-second', 'busyTimeMsPerSecond']);
  const backpressured = ratioOf(metrics, ['backpressured-ratio', 'backPressuredRatio'], ['backpressured-time-ms-per-second', 'backPressuredTimeMsPerSecond']);
  const idle = ratioOf(metrics, ['idle-ratio', 'idleRatio'], ['idle-time-ms-per-second', 'idleTimeMsPerSecond']);
  if (busy === null && backpressured === null && idle === null) return null;
  return { busy: busy ?? 0, backpressured: backpressured ?? 0, idle: idle ?? 0 };
}

/** A share as a ratio under one of `ratioNames`, else its time in ms per second divided by 1000. */
function ratioOf(metrics: MetricValues | null | undefined, ratioNames: readonly string[], msPerSecondNames: readonly string[]): number | null {
  const ratio = metricOf(metrics, ...ratioNames);
  if (ratio !== null) return clamp(ratio);
  const msPerSecond = metricOf(metrics, ...msPerSecondNames);
  return msPerSecond === null ? null : clamp(msPerSecond / 1000);
}

function clamp(ratio: number): number {
  return Math.min(1, Math.max(0, ratio));
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
