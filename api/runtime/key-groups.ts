// Key groups (Flink's KeyGroupRangeAssignment): a key's group is hash(key) % maxParallelism, and a
// keyed operator's subtask owns a contiguous range of groups. The hash must be the same for the same
// key on every process, machine and run, so it is written here (MurmurHash3 x86_32), not borrowed
// from the engine: a change to it moves keys between subtasks and breaks restored state.
import { WeirError } from '../../messages/errors.ts';

/** What a key selector may return: values that are equal as Map keys are equal as keys. */
export type Key = string | number | boolean | bigint;

/** MurmurHash3's seed for keys; part of the on-disk contract once state is snapshotted. */
const KEY_HASH_SEED = 0;
/** The hash of every NaN (their bit patterns may differ; Map treats them as one key). */
const NAN_HASH = 0x7ff80000;
/** How much of a bad key an error message shows. */
const MAX_KEY_PREVIEW_CHARS = 80;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
/** Reused for the bits of a double; little-endian explicitly, so the hash is the same on any CPU. */
const doubleBits = new DataView(new ArrayBuffer(8));

function mixK(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixH(h: number, k: number): number {
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(h: number, lengthInBytes: number): number {
  h ^= lengthInBytes;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** MurmurHash3 x86_32 of the string's UTF-16 code units: the same as of its UTF-16LE bytes. */
export function hashString(text: string): number {
  const length = text.length;
  let h = KEY_HASH_SEED;
  let index = 0;
  for (; index + 1 < length; index += 2) h = mixH(h, mixK(text.charCodeAt(index) | (text.charCodeAt(index + 1) << 16)));
  if (index < length) h ^= mixK(text.charCodeAt(index));
  return finalize(h, length * 2);
}

/** A number: 32-bit integers as one 4-byte block, every other value as its IEEE 754 bits (8 bytes). */
export function hashNumber(value: number): number {
  if ((value | 0) === value) return finalize(mixH(KEY_HASH_SEED, mixK(value)), 4);
  if (value !== value) return finalize(mixH(KEY_HASH_SEED, mixK(NAN_HASH)), 4);
  doubleBits.setFloat64(0, value, true);
  const low = doubleBits.getInt32(0, true);
  const high = doubleBits.getInt32(4, true);
  return finalize(mixH(mixH(KEY_HASH_SEED, mixK(low)), mixK(high)), 8);
}

/** The 32-bit hash of a key, or undefined for a value that is not a Key. */
export function hashKey(key: unknown): number | undefined {
  switch (typeof key) {
    case 'string':
      return hashString(key);
    case 'number':
      return hashNumber(key);
    case 'boolean':
      return hashNumber(key ? 1 : 0);
    case 'bigint':
      return hashString(key.toString());
    default:
      return undefined;
  }
}

export function isKey(value: unknown): value is Key {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint';
}

/** The key group of a key, or -1 when the value is not a Key (the caller names the operator). */
export function keyGroupOf(key: unknown, maxParallelism: number): number {
  const hash = hashKey(key);
  return hash === undefined ? -1 : (hash >>> 0) % maxParallelism;
}

/** Which of `parallelism` subtasks owns a key group (Flink's computeOperatorIndexForKeyGroup). */
export function operatorIndexForKeyGroup(keyGroup: number, maxParallelism: number, parallelism: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The key groups of one subtask: start..end inclusive; empty when end < start. */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

/** The contiguous groups subtask `index` of `parallelism` owns (Flink's computeKeyGroupRangeForOperatorIndex). */
export function keyGroupRangeFor(index: number, maxParallelism: number, parallelism: number): KeyGroupRange {
  return {
    start: Math.floor((index * maxParallelism + parallelism - 1) / parallelism),
    end: Math.floor(((index + 1) * maxParallelism - 1) / parallelism),
  };
}

/** INVALID_KEY for a key selector that returned something that is not a Key. */
export function invalidKeyError(operator: string, key: unknown): WeirError {
  return new WeirError('INVALID_KEY', `${operator}: the key selector returned ${describeValue(key)}; a key must be a string, number, boolean or bigint`);
}

/** INVALID_KEY for a key whose group another subtask owns: the key selector is not deterministic. */
export function keyOutOfRangeError(operator: string, key: unknown, keyGroup: number, range: KeyGroupRange): WeirError {
  return new WeirError(
    'INVALID_KEY',
    `${operator}: key ${describeValue(key)} is in key group ${keyGroup}, which this subtask does not own (${range.start}..${range.end}): ` +
      'the key selector must return the same key for the same record every time',
  );
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_KEY_PREVIEW_CHARS ? value.slice(0, MAX_KEY_PREVIEW_CHARS) + '…' : value);
  if (typeof value === 'function' || typeof value === 'symbol') return `a ${typeof value}`;
  if (typeof value !== 'object') return String(value);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  const kind = Array.isArray(value) ? 'an array' : 'an object';
  if (json === undefined) return kind;
  return `${kind} ${json.length > MAX_KEY_PREVIEW_CHARS ? json.slice(0, MAX_KEY_PREVIEW_CHARS) + '…' : json}`;
}
