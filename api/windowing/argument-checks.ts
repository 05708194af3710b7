// Checks of the durations and counts users give assigners, triggers and evictors, at planning, so a
// bad argument fails before the job runs. Errors name the factory ("TumblingEventTimeWindows.of").
import { WeirError } from '../../messages/errors.ts';

/** A whole number of ms (negative allowed: offsets), else INVALID_ARGUMENT. */
export function requireWholeMs(value: number, what: string, owner: string): number {
  if (!Number.isSafeInteger(value)) throw new WeirError('INVALID_ARGUMENT', `${owner} needs a whole number of ms as its ${what}; got ${show(value)}`);
  return value;
}

/** A whole number of ms above 0 (sizes, slides, gaps, intervals). */
export function requirePositiveMs(value: number, what: string, owner: string): number {
  requireWholeMs(value, what, owner);
  if (value <= 0) throw new WeirError('INVALID_ARGUMENT', `${owner} needs ${article(what)} ${what} above 0 ms; got ${value}`);
  return value;
}

/** A whole number above 0 (counts). */
export function requirePositiveCount(value: number, what: string, owner: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new WeirError('INVALID_ARGUMENT', `${owner} needs ${article(what)} ${what} that is a whole number above 0; got ${show(value)}`);
  return value;
}

/** |offset| < bound (Flink's rule: an offset shifts windows by less than one period). */
export function requireOffsetWithin(offset: number, bound: number, boundName: string, owner: string): number {
  requireWholeMs(offset, 'offset', owner);
  if (Math.abs(offset) >= bound) throw new WeirError('INVALID_ARGUMENT', `${owner} needs |offset| < ${boundName} (${bound} ms); got offset ${offset}`);
  return offset;
}

export function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
