// How event-time errors show a bad argument or result: short, and never the whole of a large value.

/** How much of a string an error message shows. */
const MAX_STRING_PREVIEW_CHARS = 40;

/** `NaN`, `-5`, `undefined`, `the string "12:00"`, `an object`, `a function`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, MAX_STRING_PREVIEW_CHARS))}`;
  if (typeof value === 'bigint') return `the bigint ${value}`;
  return typeof value === 'object' ? (Array.isArray(value) ? 'an array' : 'an object') : `a ${typeof value}`;
}
