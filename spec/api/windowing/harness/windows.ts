// Small helpers the windowing specs share.
import type { ExecutionContext } from 'ava';
import { type ErrorCode, WeirError } from '../../../../messages/errors.ts';
import type { WindowAssignerContext } from '../../../../api/windowing/assigners/window-assigner.ts';
import type { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';

/** Windows as [start, end] pairs, for exact comparisons. */
export function spans(windows: readonly TimeWindow[]): [number, number][] {
  return windows.map((window) => [window.start, window.end]);
}

/** An assigner context whose clock reads `now`. */
export function clockAt(now: number): WindowAssignerContext {
  return { getCurrentProcessingTime: () => now };
}

/** Asserts that `run` throws a WeirError with exactly this code and message. */
export function throwsWeir(t: ExecutionContext, run: () => unknown, code: ErrorCode, message: string): void {
  const error = t.throws(run, { instanceOf: WeirError });
  t.is(error?.code, code);
  t.is(error?.message, message);
}

/** Timer firings as [start, end, result name], for exact comparisons. */
export function firings(results: readonly [TimeWindow, { readonly name: string }][]): [number, number, string][] {
  return results.map(([window, result]) => [window.start, window.end, result.name]);
}
