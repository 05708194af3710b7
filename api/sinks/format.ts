// How sinks that write text turn a record into a line: a string as it is, anything else as JSON
// (Flink prints toString(); JSON is what a JavaScript reader expects of objects and arrays).

export function formatRecord(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return String(value);
  return JSON.stringify(value);
}
