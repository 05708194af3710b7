// A small schema vocabulary: the shape of every message that crosses the wire, checked on decode.
// Each protocol file declares one schema per message beside its interface; `message<T>(tag, fields)`
// makes the compiler hold the two together (every field of T needs a schema of its type).
//
// Two passes, so the common case costs nothing but the checks: `test` walks a value and allocates
// nothing; only a value that fails it is walked again by `explain`, which builds the error naming
// the field path and what was expected: `SubmitJob.jobGraph.vertices[2].parallelism: expected a
// positive integer, got "x"`. Unknown extra fields are allowed (a newer peer may add optional ones).
import type { ActorRef } from './actor-ref.ts';
import type { MessageValidator } from './registry.ts';

export interface Schema<T> {
  /** True when `value` has this shape. Allocates nothing: it runs on every decoded message. */
  readonly test: (value: unknown) => value is T;
  /** What is wrong with `value` at `path`, or undefined when nothing is. */
  readonly explain: (value: unknown, path: string) => string | undefined;
  /** What a valid value is, for errors: "a positive integer". */
  readonly expected: string;
}

/** The schema of every field of T (optional fields take `optional(...)`). */
export type Fields<T> = { readonly [K in keyof T]-?: Schema<T[K]> };

/** Values shown in errors are cut to this many characters. */
const SHOWN_CHARS = 40;

/** A value as an error shows it: short, and never the whole of a large one. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const shown = JSON.stringify(value.length > SHOWN_CHARS ? value.slice(0, SHOWN_CHARS) : value);
      return value.length > SHOWN_CHARS ? `${shown.slice(0, -1)}..." (${value.length} characters)` : shown;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'nothing';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of ${value.length}`;
      return 'an object';
  }
}

/** A schema whose explain is "expected <expected>, got <value>" wherever test fails. */
function leaf<T>(expected: string, test: (value: unknown) => value is T): Schema<T> {
  return { test, expected, explain: (value, path) => (test(value) ? undefined : `${path}: expected ${expected}, got ${describeValue(value)}`) };
}

// --- scalars ---------------------------------------------------------------------------------------

export const string: Schema<string> = leaf('a string', (value): value is string => typeof value === 'string');

export const boolean: Schema<boolean> = leaf('a boolean', (value): value is boolean => typeof value === 'boolean');

/** Any finite number (msgpack carries NaN and Infinity; no field of ours means them). */
export const number: Schema<number> = leaf('a finite number', (value): value is number => Number.isFinite(value));

export const nonNegativeNumber: Schema<number> = leaf('a finite number >= 0', (value): value is number => Number.isFinite(value) && (value as number) >= 0);

export const positiveNumber: Schema<number> = leaf('a finite number > 0', (value): value is number => Number.isFinite(value) && (value as number) > 0);

/** A finite number in [min, max], or (min, max] with `aboveMin`: a factor, a fraction. */
export function numberWithin(min: number, max: number, options: { readonly aboveMin?: boolean } = {}): Schema<number> {
  const aboveMin = options.aboveMin === true;
  const expected = `a finite number ${aboveMin ? '>' : '>='} ${min}${max === Infinity ? '' : ` and <= ${max}`}`;
  return leaf(expected, (value): value is number => Number.isFinite(value) && (aboveMin ? (value as number) > min : (value as number) >= min) && (value as number) <= max);
}

/** An integer within [min, max]; the bounds are part of the expected text. */
export function integer(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Schema<number> {
  let expected = `an integer from ${min} to ${max}`;
  if (max === Number.MAX_SAFE_INTEGER) {
    if (min === 0) expected = 'a non-negative integer';
    else if (min === 1) expected = 'a positive integer';
    else if (min === Number.MIN_SAFE_INTEGER) expected = 'an integer';
    else expected = `an integer >= ${min}`;
  }
  return leaf(expected, (value): value is number => Number.isInteger(value) && (value as number) >= min && (value as number) <= max);
}

/** A count or an index: 0, 1, 2 ... */
export const count = integer(0);
/** A parallelism, a number of slots asked for: 1, 2, ... */
export const positiveInteger = integer(1);

/** Exactly one of `values` (a string union such as a status). */
export function literal<const V extends string | number | boolean>(...values: readonly V[]): Schema<V> {
  const expected = values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`;
  return leaf(expected, (value): value is V => {
    for (let i = 0; i < values.length; i++) if (values[i] === value) return true;
    return false;
  });
}

/** Anything: user records, split payloads, operator configs travel as data we do not look into. */
export const unknownValue: Schema<unknown> = { test: (_value): _value is unknown => true, explain: () => undefined, expected: 'anything' };

// --- identifiers -----------------------------------------------------------------------------------

/** Ids that become actor names (`job-<id>`, `task-<id>`) and file names: no '/', no leading '.'. */
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/**
 * An identifier safe as an actor name and as a file name: letters, digits, '_', '-' and '.', not
 * starting with '.', at most 128 characters (a UUID is one). For ids the receiver names things by.
 */
export function safeId<T extends string>(what: string): Schema<T> {
  return leaf(`${what} (letters, digits, '_', '-', '.'; not starting with '.'; at most 128 characters)`, (value): value is T => typeof value === 'string' && SAFE_ID.test(value));
}

/** A branded id the receiver only looks up or echoes: any string (an unknown id is answered, not refused). */
export function idKey<T extends string>(what: string): Schema<T> {
  return leaf(`${what} (a string)`, (value): value is T => typeof value === 'string');
}

/** An actor ref: messages/ cannot know the runtime's classes, so its shape (a path and a tell). */
export function actorRef<M>(): Schema<ActorRef<M>> {
  return leaf('an actor ref', (value): value is ActorRef<M> => {
    if (typeof value !== 'object' || value === null) return false;
    return typeof (value as { path?: unknown }).path === 'string' && typeof (value as { tell?: unknown }).tell === 'function';
  });
}

// --- combinators -----------------------------------------------------------------------------------

/** The field may be absent (undefined); null is not absent. */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  const test = (value: unknown): value is T | undefined => value === undefined || inner.test(value);
  return { test, expected: `${inner.expected}, or nothing`, explain: (value, path) => (value === undefined ? undefined : inner.explain(value, path)) };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  const test = (value: unknown): value is T | null => value === null || inner.test(value);
  return { test, expected: `${inner.expected}, or null`, explain: (value, path) => (value === null ? undefined : inner.explain(value, path)) };
}

export function arrayOf<T>(item: Schema<T>): Schema<readonly T[]> {
  const expected = `an array of ${item.expected}`;
  // Contents we do not look into cost O(1): a record batch is not walked record by record.
  if (item === unknownValue) return leaf(expected, (value): value is readonly T[] => Array.isArray(value));
  const test = (value: unknown): value is readonly T[] => {
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) if (!item.test(value[i])) return false;
    return true;
  };
  const explain = (value: unknown, path: string): string | undefined => {
    if (!Array.isArray(value)) return `${path}: expected ${expected}, got ${describeValue(value)}`;
    for (let i = 0; i < value.length; i++) if (!item.test(value[i])) return item.explain(value[i], `${path}[${i}]`);
    return undefined;
  };
  return { test, explain, expected };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object with string keys, every value of `value`'s shape. */
export function recordOf<T>(value: Schema<T>): Schema<Readonly<Record<string, T>>> {
  const expected = `an object of ${value.expected}`;
  if (value === unknownValue) return leaf(expected, (candidate): candidate is Readonly<Record<string, T>> => isPlainObject(candidate));
  const test = (candidate: unknown): candidate is Readonly<Record<string, T>> => {
    if (!isPlainObject(candidate)) return false;
    for (const key in candidate) if (!value.test(candidate[key])) return false;
    return true;
  };
  const explain = (candidate: unknown, path: string): string | undefined => {
    if (!isPlainObject(candidate)) return `${path}: expected ${expected}, got ${describeValue(candidate)}`;
    for (const key in candidate) if (!value.test(candidate[key])) return value.explain(candidate[key], `${path}.${key}`);
    return undefined;
  };
  return { test, explain, expected };
}

/** An object with (at least) these fields. */
export function object<T>(fields: Fields<T>): Schema<T> {
  const keys = Object.keys(fields);
  const schemas = keys.map((key) => (fields as Record<string, Schema<unknown>>)[key]);
  const tests = schemas.map((schema) => schema.test);
  const test = compileObjectTest<T>(keys, tests);
  const explain = (value: unknown, path: string): string | undefined => {
    if (!isPlainObject(value)) return `${path}: expected an object, got ${describeValue(value)}`;
    for (let i = 0; i < tests.length; i++) if (!tests[i](value[keys[i]])) return schemas[i].explain(value[keys[i]], `${path}.${keys[i]}`);
    return undefined;
  };
  return { test, explain, expected: 'an object' };
}

/**
 * `value` is a plain object and each of its `keys` passes its test. Generated once per schema, with
 * each field read by a literal name: every read site then sees one message shape (a monomorphic
 * inline cache), which makes the check several times faster than a loop over the keys. The names
 * come from our own declarations, never from a message.
 */
function compileObjectTest<T>(keys: readonly string[], tests: readonly ((value: unknown) => boolean)[]): (value: unknown) => value is T {
  const names = tests.map((_, i) => `t${i}`);
  const fields = keys.map((key, i) => ` && t${i}(v[${JSON.stringify(key)}])`).join('');
  return new Function(...names, `return (v) => typeof v === 'object' && v !== null && !Array.isArray(v)${fields};`)(...tests) as (value: unknown) => value is T;
}

/** One of several object shapes, told apart by the string field `tag` (e.g. a restart strategy's `type`). */
export function oneOfTagged<T extends object>(tag: string, variants: Readonly<Record<string, Schema<unknown>>>): Schema<T> {
  const names = Object.keys(variants);
  const expected = `an object whose "${tag}" is ${names.map((name) => JSON.stringify(name)).join(', ')}`;
  const tags = `one of ${names.map((name) => JSON.stringify(name)).join(', ')}`;
  const variantOf = (value: unknown): Schema<unknown> | undefined => {
    if (!isPlainObject(value)) return undefined;
    const name = value[tag];
    return typeof name === 'string' && Object.hasOwn(variants, name) ? variants[name] : undefined;
  };
  const test = (value: unknown): value is T => variantOf(value)?.test(value) === true;
  const explain = (value: unknown, path: string): string | undefined => {
    const variant = variantOf(value);
    if (!isPlainObject(value)) return `${path}: expected ${expected}, got ${describeValue(value)}`;
    if (!variant) return `${path}.${tag}: expected ${tags}, got ${describeValue(value[tag])}`;
    return variant.explain(value, path);
  };
  return { test, explain, expected };
}

// --- messages --------------------------------------------------------------------------------------

export interface MessageSchema<T extends { readonly type: string }> extends Schema<T> {
  readonly tag: T['type'];
  /** For the registry: the problem, its path starting at the tag (`SubmitJob.jobId: ...`), or undefined. */
  readonly validate: MessageValidator;
}

/** The schema of one message type: its `type` tag and its other fields. */
export function message<T extends { readonly type: string }>(tag: T['type'], fields: Fields<Omit<T, 'type'>>): MessageSchema<T> {
  const schema = object<T>({ type: literal(tag), ...fields } as unknown as Fields<T>);
  const { test, explain } = schema;
  return { ...schema, tag, validate: (msg) => (test(msg) ? undefined : explain(msg, tag)) };
}

/** The registry's validators of one protocol: registerMessages(validators([SubmitJob, ...])). */
export function validators(schemas: readonly MessageSchema<{ readonly type: string }>[]): Record<string, MessageValidator> {
  const byTag: Record<string, MessageValidator> = {};
  for (const schema of schemas) byTag[schema.tag] = schema.validate;
  return byTag;
}
