// A deep copy of a record, for the places where Weir itself would otherwise let one object reach two
// owners (see "Record ownership" in docs/architecture.md): a stream read by several operators, a
// broadcast to several subtasks, an operator that emits a value it keeps (a reduce's running value).
// Records are plain data (what msgpack carries), so the copy handles what msgpack does: primitives,
// arrays, plain and class objects (own enumerable fields, same prototype), Dates, Maps, Sets, typed
// arrays and Buffers. Anything else (functions, symbols) is kept by reference, as it cannot cross a
// process either. Cycles are not followed: records with cycles cannot be encoded in the first place.
//
// Cost: a small object or tuple costs about as much as one allocation per nested object.
export function copyRecord<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  return copyObject(value as object) as T;
}

function copyObject(value: object): object {
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      copy[index] = typeof item === 'object' && item !== null ? copyObject(item) : item;
    }
    return copy;
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Object.prototype || prototype === null) return copyFields(value, prototype === null ? Object.create(null) : {});
  if (value instanceof Date) return new Date(value.getTime());
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): object }).slice();
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    for (const [key, item] of value) copy.set(key, copyRecord(item));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>();
    for (const item of value) copy.add(copyRecord(item));
    return copy;
  }
  return copyFields(value, Object.create(prototype) as object);
}

function copyFields(from: object, to: object): object {
  const source = from as Record<string, unknown>;
  const target = to as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const item = source[key];
    target[key] = typeof item === 'object' && item !== null ? copyObject(item) : item;
  }
  return to;
}
