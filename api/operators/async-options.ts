// The options of mapAsync, flatMapAsync and filterAsync (AsyncOptions, KeyedAsyncOptions in
// functions.ts), checked where the operator is declared, with errors naming it and the option.
import { WeirError } from '../../messages/errors.ts';
import type { KeySelector } from '../graph/transformation.ts';

/** Records an async operator holds per subtask by default: calls in flight plus results waiting their turn (Flink's capacity). */
export const DEFAULT_ASYNC_CAPACITY = 100;
/** No timeout by default. */
export const DEFAULT_ASYNC_TIMEOUT_MS = 0;
/** The longest timeout a Node.js timer can wait (a longer delay would fire after 1 ms). */
export const MAX_ASYNC_TIMEOUT_MS = 2 ** 31 - 1;

/** What an async operator's subtask runs with. */
export interface AsyncSettings {
  readonly capacity: number;
  /** 0: none. */
  readonly timeoutMs: number;
  /** Results of one key leave in that key's input order, the others as they complete; null: all in input order. */
  readonly keySelector: KeySelector | null;
}

/** The operator's config in the job graph: its options with the defaults filled in (validated by asyncSettings). */
export function asyncConfig(options: unknown, keyed: boolean): Record<string, unknown> {
  const given = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const config: Record<string, unknown> = {
    capacity: given.capacity ?? DEFAULT_ASYNC_CAPACITY,
    timeoutMs: given.timeoutMs ?? DEFAULT_ASYNC_TIMEOUT_MS,
  };
  if (keyed) config.order = given.order ?? 'key';
  return config;
}

/**
 * Checks `options` as given to `call` (e.g. `operator "Async Map" (id "async-map-1"): mapAsync()`).
 * `streamKey` is the key selector of a keyed stream, whose `order` option may be 'key' or 'input';
 * null on a DataStream, which has no `order`.
 */
export function asyncSettings(options: unknown, call: string, streamKey: KeySelector | null): AsyncSettings {
  if (options === undefined) return { capacity: DEFAULT_ASYNC_CAPACITY, timeoutMs: DEFAULT_ASYNC_TIMEOUT_MS, keySelector: streamKey };
  const known = streamKey === null ? ['capacity', 'timeoutMs'] : ['capacity', 'timeoutMs', 'order'];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(call, `takes an options object ({ ${known.join(', ')} }), got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const given = options as Record<string, unknown>;
  const unknown = Object.keys(given).find((name) => !known.includes(name));
  if (unknown === 'order') throw invalid(call, 'has no option "order" here: the order of results is chosen on a keyed stream (after keyBy)');
  if (unknown !== undefined) throw invalid(call, `has no option "${unknown}"; it takes ${known.join(', ')}`);
  const { capacity = DEFAULT_ASYNC_CAPACITY, timeoutMs = DEFAULT_ASYNC_TIMEOUT_MS, order = 'key' } = given;
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 1) {
    throw invalid(call, `capacity must be a positive integer (records in flight per subtask), got ${describe(capacity)}`);
  }
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_ASYNC_TIMEOUT_MS) {
    throw invalid(call, `timeoutMs must be a number of milliseconds from 0 (no timeout) to ${MAX_ASYNC_TIMEOUT_MS}, got ${describe(timeoutMs)}`);
  }
  if (order !== 'key' && order !== 'input') throw invalid(call, `order must be 'key' or 'input', got ${describe(order)}`);
  return { capacity, timeoutMs, keySelector: order === 'key' ? streamKey : null };
}

function invalid(call: string, problem: string): WeirError {
  return new WeirError('INVALID_ARGUMENT', `${call} ${problem}`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
