// Describing a value read off the wire, for errors and logs. A peer chooses these values, so the
// description must never throw (JSON.stringify does on a BigInt or a cycle) and never be long.

/** Characters of a string kept in a description; the rest is cut with an ellipsis. */
export const DESCRIBED_STRING_CHARS = 40;

const BIGINT_PRINTED = 2n ** 64n;

/** E.g. `"Batch"`, `42`, `18446744073709551615n`, `an array of 3`, `an object`, `null`. */
export function describeWireValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const text = value.length > DESCRIBED_STRING_CHARS ? `${value.slice(0, DESCRIBED_STRING_CHARS)}…` : value;
      return `${JSON.stringify(text)}${value.length > DESCRIBED_STRING_CHARS ? ` (${value.length} characters)` : ''}`;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      // Printing a BigInt of a million digits takes seconds: only small ones are printed.
      return value < BIGINT_PRINTED && value > -BIGINT_PRINTED ? `${value}n` : 'a BigInt of over 64 bits';
    case 'undefined':
      return 'undefined';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
    default:
      return typeof value;
  }
}
