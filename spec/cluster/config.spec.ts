// conf/weir.yaml and conf/workers are read once at start: defaults for what is not set, Flink-style
// durations, WEIR_* environment overrides, and every mistake a WeirError INVALID_CONFIG naming the
// file, the line, the key and the expected type.
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, confDir, envVarFor, loadConfig, loadWorkers, parseConfig, parseWorkers } from '../../cluster/config.ts';
import { WeirError } from '../../messages/errors.ts';

const FILE = '/etc/weir/weir.yaml';

function confFolder(t: { teardown(fn: () => void): void }, files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-conf-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('an empty file gives the documented defaults', (t) => {
  t.deepEqual(parseConfig('', FILE), DEFAULT_CONFIG);
  t.is(DEFAULT_CONFIG.jobManagerAddress, '127.0.0.1');
  t.is(DEFAULT_CONFIG.jobManagerPort, 6123);
  t.is(DEFAULT_CONFIG.heartbeatTimeoutMs, 50_000);
});

test('the shipped conf/weir.yaml and conf/workers are valid: the defaults, two local TaskManagers', (t) => {
  t.deepEqual(loadConfig(confDir({}), {}), DEFAULT_CONFIG);
  t.deepEqual(loadWorkers(confDir({})), ['localhost', 'localhost']);
});

test('keys override the defaults; comments, blank lines and quotes are allowed', (t) => {
  const config = parseConfig(
    [
      '# a comment',
      '',
      'jobmanager.rpc.address: "jm.example.com"   # trailing comment',
      "jobmanager.rpc.port: '7123'",
      'taskmanager.numberOfTaskSlots: 4',
      'log.level: debug',
    ].join('\n'),
    FILE,
  );
  t.is(config.jobManagerAddress, 'jm.example.com');
  t.is(config.jobManagerPort, 7123);
  t.is(config.taskManagerSlots, 4);
  t.is(config.logLevel, 'debug');
  t.is(config.restPort, DEFAULT_CONFIG.restPort);
});

const durations: ReadonlyArray<readonly [string, number]> = [
  ['250', 250],
  ['100 ms', 100],
  ['10 s', 10_000],
  ['10s', 10_000],
  ['5 min', 300_000],
  ['2 minutes', 120_000],
  ['1 h', 3_600_000],
];

for (const [text, ms] of durations) {
  test(`the duration "${text}" is ${ms} ms`, (t) => {
    t.is(parseConfig(`slot.request.timeout: ${text}`, FILE).slotRequestTimeoutMs, ms);
  });
}

const invalid: ReadonlyArray<readonly [string, string, number, string, string]> = [
  // what, text, line, key, expected
  ['an unknown key', 'log.level: info\njobmanager.port: 6123', 2, 'jobmanager.port', 'known keys'],
  ['a port that is not a number', 'jobmanager.rpc.port: six', 1, 'jobmanager.rpc.port', 'integer port'],
  ['a port above 65535', '\njobmanager.rpc.port: 70000', 2, 'jobmanager.rpc.port', 'integer port'],
  ['a fractional slot count', 'taskmanager.numberOfTaskSlots: 1.5', 1, 'taskmanager.numberOfTaskSlots', 'an integer'],
  ['zero slots', 'taskmanager.numberOfTaskSlots: 0', 1, 'taskmanager.numberOfTaskSlots', 'an integer'],
  ['a duration with an unknown unit', '# x\n\nheartbeat.interval: 10 parsecs', 3, 'heartbeat.interval', 'a duration'],
  ['an empty value', 'heartbeat.timeout:', 1, 'heartbeat.timeout', 'a duration'],
  ['an unknown log level', 'log.level: verbose', 1, 'log.level', 'one of debug'],
  ['a key set twice', 'rest.port: 1\nrest.port: 2', 2, 'rest.port', 'already set on line 1'],
  ['a timeout not longer than the interval', 'heartbeat.interval: 10 s\nheartbeat.timeout: 5 s', 2, 'heartbeat.timeout', 'longer than'],
  ['an unterminated quote', 'jobmanager.rpc.address: "oops', 1, 'jobmanager.rpc.address', 'unterminated'],
];

for (const [what, text, line, key, expected] of invalid) {
  test(`${what} stops the start with INVALID_CONFIG naming the file, line ${line} and "${key}"`, (t) => {
    const error = t.throws(() => parseConfig(text, FILE), { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_CONFIG');
    t.true(error?.message.startsWith(`${FILE}:${line}: `), error?.message);
    t.true(error?.message.includes(`"${key}"`), error?.message);
    t.true(error?.message.includes(expected), error?.message);
  });
}

test('lines that are not flat "key: value" are refused with their line', (t) => {
  for (const [text, expected] of [
    ['log.level: info\n  rpc.port: 1', `${FILE}:2: indented line`],
    ['jobmanager:\n  rpc.port: 1', `${FILE}:1: unknown key "jobmanager"`],
    ['jobmanager.rpc.port=6123', `${FILE}:1: expects "key: value"`],
    ['- localhost', `${FILE}:1: expects "key: value"`],
  ] as const) {
    const error = t.throws(() => parseConfig(text, FILE), { instanceOf: WeirError });
    t.true(error?.message.startsWith(expected), error?.message);
  }
});

test('WEIR_* environment variables override the file and are validated by name', (t) => {
  t.is(envVarFor('jobmanager.rpc.port'), 'WEIR_JOBMANAGER_RPC_PORT');
  const config = parseConfig('jobmanager.rpc.port: 7000\nlog.level: info', FILE, { WEIR_JOBMANAGER_RPC_PORT: '7001', WEIR_LOG_LEVEL: 'warn', WEIR_HEARTBEAT_INTERVAL: '1 s' });
  t.is(config.jobManagerPort, 7001);
  t.is(config.logLevel, 'warn');
  t.is(config.heartbeatIntervalMs, 1_000);
  const error = t.throws(() => parseConfig('', FILE, { WEIR_REST_PORT: 'http' }), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_CONFIG');
  t.is(error?.message, 'environment variable WEIR_REST_PORT (key "rest.port") expects an integer port 0..65535 (0: any free port), got "http"');
});

test('loadConfig reads weir.yaml from WEIR_CONF_DIR and names the file in its errors', (t) => {
  const good = confFolder(t, { 'weir.yaml': 'rest.port: 9090\n' });
  t.is(confDir({ WEIR_CONF_DIR: good }), good);
  t.is(loadConfig(confDir({ WEIR_CONF_DIR: good }), {}).restPort, 9090);

  const bad = confFolder(t, { 'weir.yaml': 'rest.port: 9090\nrest.prot: 1\n' });
  const error = t.throws(() => loadConfig(bad, {}), { instanceOf: WeirError });
  t.is(error?.message.split(' ')[0], `${join(bad, 'weir.yaml')}:2:`);

  const missing = t.throws(() => loadConfig(join(bad, 'nowhere'), {}), { instanceOf: WeirError });
  t.is(missing?.code, 'INVALID_CONFIG');
  t.true(missing?.message.includes(join(bad, 'nowhere', 'weir.yaml')), missing?.message);
  t.true(missing?.message.includes('WEIR_CONF_DIR'), missing?.message);
});

test('the workers file lists one host per line; comments and blank lines are skipped', (t) => {
  t.deepEqual(parseWorkers('# TaskManagers\nlocalhost\n\n  10.0.0.7  # rack 2\n[::1]\n', 'workers'), ['localhost', '10.0.0.7', '[::1]']);
  t.deepEqual(parseWorkers('# none yet\n', 'workers'), []);
  const error = t.throws(() => parseWorkers('localhost\nuser name\n', '/conf/workers'), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_CONFIG');
  t.true(error?.message.startsWith('/conf/workers:2: '), error?.message);
  const dir = confFolder(t, { workers: 'tm-1\ntm-2\n' });
  t.deepEqual(loadWorkers(dir), ['tm-1', 'tm-2']);
});
