// The standalone cluster's configuration: conf/weir.yaml (Flink's key names, flat `a.b.c: value`
// lines or Flink 2's nested form, read with the `yaml` library) and conf/workers (one TaskManager
// host per line). One typed object (config/schema.ts: the keys, their types and defaults),
// validated once at start: an unknown key or a bad value stops the start with INVALID_CONFIG naming
// the file, the line, the key and the expected value, with a did-you-mean for a mistyped key.
// Environment variables override the file: WEIR_ + the key in upper case with '.' and '-' -> '_'
// (WEIR_JOBMANAGER_RPC_PORT=7123, WEIR_LOG_LEVEL=debug), WEIR_LOG_DIR for env.log.dir,
// WEIR_AUTH_SECRET and WEIR_AUTH_SECRET_FILE for security.auth.secret and .secret-file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WeirError } from '../messages/errors.ts';
import { readSecretFile } from './config/auth-secret.ts';
import { didYouMean } from './config/did-you-mean.ts';
import { DEFAULT_CONFIG, SETTINGS, type Setting, type WeirConfig } from './config/schema.ts';
import { HOST_PATTERN, host } from './config/value-types.ts';
import { readYamlEntries } from './config/yaml-entries.ts';

export { DEFAULT_CONFIG, type WeirConfig } from './config/schema.ts';
export { type PortRange, formatPortRange, portsOf } from './config/port-range.ts';
export { type FaultToleranceConfig, type ResolvedCheckpointing, checkpointingFor, restartStrategyFor } from './config/fault-tolerance.ts';

export const CONFIG_FILE_NAME = 'weir.yaml';
export const WORKERS_FILE_NAME = 'workers';

export const CONFIG_KEYS: readonly string[] = Object.keys(SETTINGS);

/** The environment variable that overrides `key`: WEIR_JOBMANAGER_RPC_PORT for jobmanager.rpc.port. */
export function envVarFor(key: string): string {
  return SETTINGS[key]?.envVar ?? 'WEIR_' + key.toUpperCase().replace(/[.-]/g, '_');
}

/** WEIR_CONF_DIR (relative to the working directory), else the conf/ folder of this repository. */
export function confDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.WEIR_CONF_DIR;
  return fromEnv ? resolve(fromEnv) : fileURLToPath(new URL('../conf', import.meta.url));
}

/** The folder Weir is installed in (the repository): relative paths of the configuration start there. */
export const WEIR_HOME = fileURLToPath(new URL('..', import.meta.url));

/**
 * Reads and validates `<dir>/weir.yaml`, then the WEIR_* overrides in `env`; reads the secret file
 * when security.auth.secret-file is set and no secret is (the secret itself, e.g. WEIR_AUTH_SECRET, wins).
 */
export function loadConfig(dir: string = confDir(), env: NodeJS.ProcessEnv = process.env): WeirConfig {
  const file = resolve(dir, CONFIG_FILE_NAME);
  const config = parseConfig(readConfigFile(file, `set WEIR_CONF_DIR to the folder that holds ${CONFIG_FILE_NAME}`), file, env);
  if (config.authSecret !== null || config.authSecretFile === null) return config;
  return { ...config, authSecret: readSecretFile(config.authSecretFile, WEIR_HOME) };
}

/** Validates the text of a weir.yaml; `file` names it in errors. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = {}): WeirConfig {
  const values: Record<string, unknown> = {};
  const lineOfKey = new Map<string, number>();
  for (const entry of readYamlEntries(text, file)) {
    const where = `${file}:${entry.line}`;
    const known = SETTINGS[entry.key];
    if (!known) {
      // `rest: { port: { x: 1 } }` is a map where rest.port wants a value, not a key rest.port.x.
      const parent = CONFIG_KEYS.find((key) => entry.key.startsWith(`${key}.`));
      if (parent) throw new WeirError('INVALID_CONFIG', `${where}: key "${parent}" expects ${SETTINGS[parent].type.expects}, got a map`);
      throw new WeirError('INVALID_CONFIG', `${where}: unknown key "${entry.key}"${unknownKeyHint(entry.key)}`);
    }
    const previous = lineOfKey.get(entry.key);
    if (previous !== undefined) throw new WeirError('INVALID_CONFIG', `${where}: key "${entry.key}" is already set on line ${previous}`);
    lineOfKey.set(entry.key, entry.line);
    const context = `${where}: key "${entry.key}"`;
    if (entry.value.kind !== 'scalar') throw new WeirError('INVALID_CONFIG', `${context} expects ${known.type.expects}, got a ${entry.value.kind}`);
    values[known.field] = parseValue(known, entry.value.text, context);
  }
  for (const [key, known] of Object.entries(SETTINGS)) {
    if (known.olderNameOf !== undefined) continue;
    const name = envVarFor(key);
    const text = env[name];
    if (text !== undefined && text !== '') values[known.field] = parseValue(known, text.trim(), `environment variable ${name} (key "${key}")`);
  }
  const config = withDefaults(values);
  checkRelatedKeys(config, file, lineOfKey);
  return config;
}

/** Keys of which at least one must be left unset: the secret or its file, and each key and its older name. */
const EXCLUSIVE_KEYS: ReadonlyArray<readonly [string, string, string]> = [
  ['security.auth.secret', 'security.auth.secret-file', ''],
  ...Object.entries(SETTINGS).flatMap(([key, known]) => (known.olderNameOf === undefined ? [] : [[key, known.olderNameOf, " (Flink's older and newer name of one key)"] as const])),
];

/** Durations that must be in order: `key` compared with `than`. */
const ORDERED_DURATIONS: ReadonlyArray<{ readonly key: string; readonly than: string; readonly expects: string; readonly holds: (value: number, than: number) => boolean }> = [
  { key: 'heartbeat.timeout', than: 'heartbeat.interval', expects: 'longer than', holds: (value, than) => value > than },
  { key: 'restart-strategy.exponential-delay.initial-backoff', than: 'restart-strategy.exponential-delay.max-backoff', expects: 'no longer than', holds: (value, than) => value <= than },
];

/** What no single key can say wrong: two keys set that exclude each other, durations out of order. */
function checkRelatedKeys(config: WeirConfig, file: string, lineOfKey: ReadonlyMap<string, number>): void {
  for (const [key, other, why] of EXCLUSIVE_KEYS) {
    const line = lineOfKey.get(key);
    if (line !== undefined && lineOfKey.has(other)) throw new WeirError('INVALID_CONFIG', `${file}:${line}: keys "${key}" and "${other}" are both set${why}; set one of them`);
  }
  const durationOf = (key: string): number => config[SETTINGS[key].field] as number;
  for (const { key, than, expects, holds } of ORDERED_DURATIONS) {
    if (holds(durationOf(key), durationOf(than))) continue;
    const line = lineOfKey.get(key) ?? lineOfKey.get(than);
    throw new WeirError(
      'INVALID_CONFIG',
      `${file}${line === undefined ? '' : `:${line}`}: key "${key}" (${durationOf(key)} ms) expects a duration ${expects} "${than}" (${durationOf(than)} ms)`,
    );
  }
}

/** Fills what was not set, in table order, so a defaultFrom sees the keys above it resolved. */
function withDefaults(values: Record<string, unknown>): WeirConfig {
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const known of Object.values(SETTINGS)) {
    if (known.field in values) config[known.field] = values[known.field];
    else if (known.defaultFrom) config[known.field] = known.defaultFrom(config as unknown as WeirConfig);
  }
  return config as unknown as WeirConfig;
}

/** A did-you-mean when one key is close, else the keys of the same section, else all of them. */
function unknownKeyHint(key: string): string {
  const suggestion = didYouMean(key, CONFIG_KEYS);
  if (suggestion !== '') return suggestion;
  const section = key.split('.')[0] + '.';
  const related = CONFIG_KEYS.filter((known) => known.startsWith(section));
  return `; known keys: ${(related.length > 0 ? related : CONFIG_KEYS).join(', ')}`;
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
    const hash = raw.search(/(^|\s)#/);
    const entry = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (entry === '') return;
    if (!HOST_PATTERN.test(entry)) throw new WeirError('INVALID_CONFIG', `${file}:${index + 1}: expects ${host.expects} per line, got "${entry}"`);
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
  if (value === undefined) throw new WeirError('INVALID_CONFIG', `${where} expects ${known.type.expects}, got ${describeText(known, text)}`);
  return value;
}

/** The value as an error shows it: a secret by its length only. */
function describeText(known: Setting, text: string): string {
  if (text === '') return 'nothing';
  return known.type.sensitive ? `${Buffer.byteLength(text)} bytes (not shown)` : JSON.stringify(text);
}
