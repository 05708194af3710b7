// The gap of a dynamic session window, per record (Flink's SessionWindowTimeGapExtractor): a
// session ends once no record arrives within the gap of its last record.
import { WeirError } from '../../../messages/errors.ts';
import { show } from '../argument-checks.ts';

export interface SessionWindowTimeGapExtractor<T> {
  /** The gap in ms after `element`; must be above 0. */
  extract(element: T): number;
}

export type SessionWindowTimeGapExtractorLike<T> = ((element: T) => number) | SessionWindowTimeGapExtractor<T>;

/** The extractor as a function, bound once at planning (no closure per record). */
export function gapExtractorFunction<T>(extractor: SessionWindowTimeGapExtractorLike<T>, owner: string): (element: T) => number {
  if (typeof extractor === 'function') return extractor;
  if (typeof extractor?.extract === 'function') return (element) => extractor.extract(element);
  throw new WeirError('INVALID_FUNCTION', `${owner} needs a function of the record returning a gap in ms, or an object with an extract() method; got ${show(extractor)}`);
}

/** INVALID_ARGUMENT for a gap the extractor returned at run time (Flink: "Dynamic session time gap must satisfy 0 < gap"). */
export function invalidDynamicGapError(assigner: string, gap: unknown): WeirError {
  return new WeirError('INVALID_ARGUMENT', `${assigner}: the gap extractor returned ${show(gap)} for a record; a session gap must be a number of ms above 0`);
}
