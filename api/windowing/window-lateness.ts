// The time arithmetic of allowed lateness (Flink's WindowOperator.cleanupTime / isWindowLate /
// isElementLate), as pure functions for the window operator:
// - a window is late when maxTimestamp + allowedLateness <= watermark: the operator skips it;
// - a record is late when timestamp + allowedLateness <= watermark (event time only); a late record
//   whose windows were all skipped goes to the late-data side output (sideOutputLateData) or is
//   dropped;
// - a window's state is dropped at its cleanup time, by a timer the operator registers per window
//   (event-time timer for event-time assigners, processing-time otherwise). Processing-time windows
//   ignore the lateness. A cleanup time of MAX_WATERMARK (the global window) gets no timer.
// Infinite watermarks need no overflow guard (Flink's Long.MAX_VALUE check): Infinity + n is Infinity.
import { MAX_WATERMARK } from '../eventtime/watermark.ts';
import type { Window } from './windows/window.ts';

export function cleanupTime(window: Window, allowedLateness: number, isEventTime: boolean): number {
  return isEventTime ? window.maxTimestamp() + allowedLateness : window.maxTimestamp();
}

/** Whether the window operator registers a cleanup timer at `time` (not for the end of time). */
export function needsCleanupTimer(time: number): boolean {
  return time < MAX_WATERMARK;
}

export function isWindowLate(window: Window, allowedLateness: number, isEventTime: boolean, currentWatermark: number): boolean {
  return isEventTime && window.maxTimestamp() + allowedLateness <= currentWatermark;
}

export function isElementLate(timestamp: number, allowedLateness: number, isEventTime: boolean, currentWatermark: number): boolean {
  return isEventTime && timestamp + allowedLateness <= currentWatermark;
}
