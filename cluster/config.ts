// The standalone cluster's configuration: conf/weir.yaml (one flat `key: value` per line, Flink's
// key names) and conf/workers (one TaskManager host per line). One typed object with its defaults
// here, validated once at start: an unknown key or a bad value stops the start with INVALID_CONFIG
// naming the file, the line, the key and the expected type.
//
// The YAML subset is parsed here rather than by a YAML library: the file is flat by design, and
// every error must point at its line, which a general parser's data model has already forgotten.
// Environment variables override the file: WEIR_ + the key in upper case with '.' -> '_'
// (WEIR_JOBMANAGER_RPC_PORT=7123, WEIR_LOG_LEVEL=debug).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevel } from '../actors/index.ts';
import { WeirError } from '../messages/errors.ts';

export interface WeirConfig {
  /** jobmanager.rpc.address: the host the JobManager listens on and clients dial. */
  readonly jobManagerAddress: string;
  /** jobmanager.rpc.port: the JobManager's actor system port. */
  readonly jobManagerPort: number;
  /** rest.port: the Dispatcher's REST API and web console. */
  readonly restPort: number;
  /** taskmanager.numberOfTaskSlots: slots each TaskManager offers. */
  readonly taskManagerSlots: number;
  /** taskmanager.rpc.port: a TaskManager's actor system port; 0 picks a free one (several per host). */
  readonly taskManagerPort: number;
  /** heartbeat.interval: how often connected systems send heartbeats. */
  readonly heartbeatIntervalMs: number;
  /** heartbeat.timeout: silence after which a peer is declared lost; more than the interval. */
  readonly heartbeatTimeoutMs: number;
  /** slot.request.timeout: how long a job waits for the slots it needs before it fails. */
  readonly slotRequestTimeoutMs: number;
  /** task.cancellation.interval: how often a task being cancelled is told again, and reported stuck. */
  readonly taskCancellationIntervalMs: number;
  /**
   * task.cancellation.timeout: a task not gone this long after its cancellation began (or a
   * TaskManager whose event loop is blocked this long) kills the TaskManager process, which its
   * start script's supervisor starts again: a slot is free only when its task is really gone.
   */
  readonly taskCancellationTimeoutMs: number;
  /** client.timeout: how long the CLI waits for the JobManager to answer. */
  readonly clientTimeoutMs: number;
  /** log.level: debug, info, warn, error or off. */
  readonly logLevel: LogLevel;
}

export const DEFAULT_CONFIG: WeirConfig = {
  jobManagerAddress: '127.0.0.1',
  jobManagerPort: 6123,
  restPort: 8081,
  taskManagerSlots: 1,
  taskManagerPort: 0,
  heartbeatIntervalMs: 10_000,
  heartbeatTimeoutMs: 50_000,
  slotRequestTimeoutMs: 300_000,
  taskCancellationIntervalMs: 30_000,
  taskCancellationTimeoutMs: 180_000,
  clientTimeoutMs: 10_000,
  logLevel: 'info',
};

export const CONFIG_FILE_NAME = 'weir.yaml';
export const WORKERS_FILE_NAME = 'workers';

/** A value type: what it expects (for errors) and how it reads a scalar; undefined when it cannot. */
interface ValueType<T> {
  readonly expects: string;
  parse(text: string): T | undefined;
}

const HOST = /^[A-Za-z0-9._%:[\]-]+$/;
const host: ValueType<string> = { expects: 'a host name or IP address', parse: (text) => (HOST.test(text) ? text : undefined) };

const integer = (min: number, max: number, expects: string): ValueType<number> => ({
  expects,
  parse: (text) => {
    if (!/^\+?\d+$/.test(text)) return undefined;
    const value = Number(text);
    return value >= min && value <= max ? value : undefined;
  },
});

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1_000, sec: 1_000, secs: 1_000, second: 1_000, seconds: 1_000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Flink's duration syntax: a bare integer is milliseconds; "10 s", "5 min", "100ms" carry a unit. */
const duration: ValueType<number> = {
  expects: 'a duration: milliseconds, or a number with a unit like "100 ms", "10 s", "5 min", "1 h"',
  parse: (text) => {
    const match = /^(\d+)\s*([a-z]*)$/i.exec(text);
    if (!match) return undefined;
    const unit = match[2].toLowerCase();
    const factor = unit === '' ? 1 : DURATION_UNITS_MS[unit];
    const ms = factor === undefined ? 0 : Number(match[1]) * factor;
    return ms >= 1 && Number.isSafeInteger(ms) ? ms : undefined;
  },
};

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'off'];
const logLevel: ValueType<LogLevel> = {
  expects: `one of ${LOG_LEVELS.join(', ')}`,
  parse: (text) => LOG_LEVELS.find((level) => level === text),
};

interface Setting {
  readonly field: keyof WeirConfig;
  readonly type: ValueType<WeirConfig[keyof WeirConfig]>;
}

const setting = <K extends keyof WeirConfig>(field: K, type: ValueType<WeirConfig[K]>): Setting => ({ field, type });

/** Every key weir.yaml knows, with the field it sets. */
const SETTINGS: Readonly<Record<string, Setting>> = {
  'jobmanager.rpc.address': setting('jobManagerAddress', host),
  'jobmanager.rpc.port': setting('jobManagerPort', integer(1, 65535, 'an integer port 1..65535')),
  'rest.port': setting('restPort', integer(0, 65535, 'an integer port 0..65535 (0: any free port)')),
  'taskmanager.numberOfTaskSlots': setting('taskManagerSlots', integer(1, 4096, 'an integer 1..4096')),
  'taskmanager.rpc.port': setting('taskManagerPort', integer(0, 65535, 'an integer port 0..65535 (0: any free port)')),
  'heartbeat.interval': setting('heartbeatIntervalMs', duration),
  'heartbeat.timeout': setting('heartbeatTimeoutMs', duration),
  'slot.request.timeout': setting('slotRequestTimeoutMs', duration),
  'task.cancellation.interval': setting('taskCancellationIntervalMs', duration),
  'task.cancellation.timeout': setting('taskCancellationTimeoutMs', duration),
  'client.timeout': setting('clientTimeoutMs', duration),
  'log.level': setting('logLevel', logLevel),
};

export const CONFIG_KEYS: readonly string[] = Object.keys(SETTINGS);

/** The environment variable that overrides `key`: WEIR_JOBMANAGER_RPC_PORT for jobmanager.rpc.port. */
export function envVarFor(key: string): string {
  return 'WEIR_' + key.toUpperCase().replace(/\./g, '_');
}

/** WEIR_CONF_DIR (relative to the working directory), else the conf/ folder of this repository. */
export function confDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.WEIR_CONF_DIR;
  return fromEnv ? resolve(fromEnv) : fileURLToPath(new URL('../conf', import.meta.url));
}

/** Reads and validates `<dir>/weir.yaml`, then the WEIR_* overrides in `env`. */
export function loadConfig(dir: string = confDir(), env: NodeJS.ProcessEnv = process.env): WeirConfig {
  const file = resolve(dir, CONFIG_FILE_NAME);
  return parseConfig(readConfigFile(file, `set WEIR_CONF_DIR to the folder that holds ${CONFIG_FILE_NAME}`), file, env);
}

/** Validates the text of a weir.yaml; `file` names it in errors. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = {}): WeirConfig {
  const values: Record<string, unknown> = { ...DEFAULT_CONFIG };
  const lineOfKey = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const where = `${file}:${line}`;
    const entry = parseLine(raw, where);
    if (!entry) return;
    const known = SETTINGS[entry.key];
    if (!known) throw new WeirError('INVALID_CONFIG', `${where}: unknown key "${entry.key}"; known keys: ${CONFIG_KEYS.join(', ')}`);
    const previous = lineOfKey.get(entry.key);
    if (previous !== undefined) throw new WeirError('INVALID_CONFIG', `${where}: key "${entry.key}" is already set on line ${previous}`);
    lineOfKey.set(entry.key, line);
    values[known.field] = parseValue(known, entry.value, `${where}: key "${entry.key}"`);
  });
  for (const [key, known] of Object.entries(SETTINGS)) {
    const name = envVarFor(key);
    const text = env[name];
    if (text !== undefined && text !== '') values[known.field] = parseValue(known, text.trim(), `environment variable ${name} (key "${key}")`);
  }
  const config = values as unknown as WeirConfig;
  if (config.heartbeatTimeoutMs <= config.heartbeatIntervalMs) {
    const line = lineOfKey.get('heartbeat.timeout') ?? lineOfKey.get('heartbeat.interval');
    throw new WeirError(
      'INVALID_CONFIG',
      `${file}${line === undefined ? '' : `:${line}`}: key "heartbeat.timeout" (${config.heartbeatTimeoutMs} ms) expects a duration longer than "heartbeat.interval" (${config.heartbeatIntervalMs} ms)`,
    );
  }
  return config;
}

/** Reads `<dir>/workers`: one host per line, `#` comments and blank lines ignored. */
export function loadWorkers(dir: string = confDir()): readonly string[] {
  const file = resolve(dir, WORKERS_FILE_NAME);
  return parseWorkers(readConfigFile(file, 'list one TaskManager host per line'), file);
}

/** Validates the text of a workers file; `file` names it in errors. */
export function parseWorkers(text: string, file: string): readonly string[] {
  const hosts: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const entry = stripComment(raw).trim();
    if (entry === '') return;
    if (!HOST.test(entry)) throw new WeirError('INVALID_CONFIG', `${file}:${index + 1}: expects ${host.expects} per line, got "${entry}"`);
    hosts.push(entry);
  });
  return hosts;
}

function readConfigFile(file: string, hint: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new WeirError('INVALID_CONFIG', `cannot read ${file}: ${(error as Error).message}; ${hint}`, { cause: error });
  }
}

function parseValue(known: Setting, text: string, where: string): WeirConfig[keyof WeirConfig] {
  const value = known.type.parse(text);
  if (value === undefined) throw new WeirError('INVALID_CONFIG', `${where} expects ${known.type.expects}, got ${text === '' ? 'nothing' : JSON.stringify(text)}`);
  return value;
}

/** One `key: value` line, or undefined for a blank or comment line. */
function parseLine(raw: string, where: string): { readonly key: string; readonly value: string } | undefined {
  if (raw.trim() === '' || raw.trim().startsWith('#')) return undefined;
  if (/^\s/.test(raw)) throw new WeirError('INVALID_CONFIG', `${where}: indented line; weir.yaml is flat, write "section.key: value" at the start of the line`);
  const match = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/.exec(raw.trimEnd());
  if (!match) throw new WeirError('INVALID_CONFIG', `${where}: expects "key: value", got ${JSON.stringify(raw.trim())}`);
  return { key: match[1], value: parseScalar(match[2] ?? '', where, match[1]) };
}

/** A YAML scalar: plain (a ` #` starts a comment) or quoted with "..." or '...'. */
function parseScalar(text: string, where: string, key: string): string {
  const quote = text[0];
  if (quote !== '"' && quote !== "'") return stripComment(text).trim();
  const close = text.indexOf(quote, 1);
  const rest = close < 0 ? '' : text.slice(close + 1);
  if (close < 0 || stripComment(rest).trim() !== '') {
    throw new WeirError('INVALID_CONFIG', `${where}: key "${key}" has an unterminated or trailing-text quoted value: ${text}`);
  }
  return text.slice(1, close);
}

function stripComment(text: string): string {
  const hash = text.search(/(^|\s)#/);
  return hash < 0 ? text : text.slice(0, hash);
}
