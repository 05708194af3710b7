// The value types of weir.yaml: what each expects (named in errors) and how it reads a scalar's
// text. parse() returns undefined for a value it does not accept; the caller names file, line and key.
import type { LogLevel } from '../../actors/index.ts';
import { PORT_RANGE_EXPECTS, type PortRange, parsePortRange } from './port-range.ts';

export interface ValueType<T> {
  readonly expects: string;
  /** True for a value no error may show (a secret): errors give its length instead. */
  readonly sensitive?: boolean;
  parse(text: string): T | undefined;
}

export const HOST_PATTERN = /^[A-Za-z0-9._%:[\]-]+$/;

export const host: ValueType<string> = { expects: 'a host name or IP address', parse: (text) => (HOST_PATTERN.test(text) ? text : undefined) };

export function integer(min: number, max: number, expects = `an integer ${min}..${max}`): ValueType<number> {
  return {
    expects,
    parse: (text) => {
      if (!/^\+?\d+$/.test(text)) return undefined;
      const value = Number(text);
      return value >= min && value <= max ? value : undefined;
    },
  };
}

/** A port a client dials: never 0. */
export const port = integer(1, 65535, 'an integer port 1..65535');

/** A port a server listens on, where 0 picks any free one. */
export const listenPort = integer(0, 65535, 'an integer port 0..65535 (0: any free port)');

export const portRange: ValueType<PortRange> = { expects: PORT_RANGE_EXPECTS, parse: parsePortRange };

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1_000, sec: 1_000, secs: 1_000, second: 1_000, seconds: 1_000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/**
 * Flink's duration syntax: a bare integer is milliseconds; "10 s", "5 min", "100ms" carry a unit.
 * `allowZero` takes 0 too, which turns the setting off unless `zeroIs` says what else it means.
 */
export function duration(options: { readonly allowZero?: boolean; readonly zeroIs?: string } = {}): ValueType<number> {
  const min = options.allowZero ? 0 : 1;
  const zero = options.zeroIs === undefined ? ' (0 turns it off)' : ` (0 for ${options.zeroIs})`;
  return {
    expects: `a duration${options.allowZero ? zero : ''}: milliseconds, or a number with a unit like "100 ms", "10 s", "5 min", "1 h"`,
    parse: (text) => {
      const match = /^(\d+)\s*([a-z]*)$/i.exec(text);
      if (!match) return undefined;
      const unit = match[2].toLowerCase();
      const factor = unit === '' ? 1 : DURATION_UNITS_MS[unit];
      if (factor === undefined) return undefined;
      const ms = Number(match[1]) * factor;
      return ms >= min && Number.isSafeInteger(ms) ? ms : undefined;
    },
  };
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'off'];

export const logLevel: ValueType<LogLevel> = { expects: `one of ${LOG_LEVELS.join(', ')}`, parse: (text) => LOG_LEVELS.find((level) => level === text) };

/** A file system path: any non-empty text without a NUL. */
export const path: ValueType<string> = { expects: 'a path', parse: (text) => (text !== '' && !text.includes('\0') ? text : undefined) };

/** A memory size: bytes, or a number with k/kb, m/mb, g/gb (Flink's "1024m", "1g", "512 mb"); in MiB. */
export const memorySizeMb: ValueType<number> = {
  expects: 'a memory size such as "512m", "1g" or "1536 mb" (at least 64m)',
  parse: (text) => {
    const match = /^(\d+(?:\.\d+)?)\s*(b|bytes|k|kb|m|mb|g|gb|t|tb)?$/i.exec(text.trim());
    if (!match) return undefined;
    const factor: Record<string, number> = { b: 1 / 1024 / 1024, bytes: 1 / 1024 / 1024, k: 1 / 1024, kb: 1 / 1024, m: 1, mb: 1, g: 1024, gb: 1024, t: 1024 * 1024, tb: 1024 * 1024 };
    const mb = Math.floor(Number(match[1]) * factor[(match[2] ?? 'b').toLowerCase()]!);
    return mb >= 64 ? mb : undefined;
  },
};

/** true or false (YAML's booleans arrive as their text). */
export const boolean: ValueType<boolean> = {
  expects: 'true or false',
  parse: (text) => (text === 'true' ? true : text === 'false' ? false : undefined),
};

/** Durations as an error or a log shows them: the largest unit that divides them ("90 s", "1500 ms"). */
export function formatDuration(ms: number): string {
  for (const [unit, factor] of FORMAT_UNITS) if (ms !== 0 && ms % factor === 0) return `${ms / factor} ${unit}`;
  return `${ms} ms`;
}

const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1_000],
];

/** A decimal number ("1.5", "0.1") in [min, max], or above `min` with `aboveMin`: a factor, a fraction. */
export function decimal(min: number, max: number, options: { readonly aboveMin?: boolean } = {}): ValueType<number> {
  const aboveMin = options.aboveMin === true;
  return {
    expects: max === Infinity ? `a number ${aboveMin ? '>' : '>='} ${min}` : aboveMin ? `a number > ${min} and <= ${max}` : `a number from ${min} to ${max}`,
    parse: (text) => {
      if (!/^\+?(\d+(\.\d*)?|\.\d+)$/.test(text)) return undefined;
      const value = Number(text);
      return (aboveMin ? value > min : value >= min) && value <= max ? value : undefined;
    },
  };
}

/**
 * One of a few names, case-insensitive, each standing for a value: Flink's enum options, and the
 * aliases it takes ('off' and 'disable' for 'none'). `expects` lists the names.
 */
export function oneOf<T>(values: Readonly<Record<string, T>>): ValueType<T> {
  const names = Object.keys(values);
  const byLowerCase = new Map(names.map((name) => [name.toLowerCase(), values[name]]));
  return { expects: `one of ${names.join(', ')}`, parse: (text) => byLowerCase.get(text.toLowerCase()) };
}
