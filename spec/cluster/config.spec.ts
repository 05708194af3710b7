// conf/weir.yaml and conf/workers are read once at start: Flink's flat keys or Flink 2's nested
// form, defaults for what is not set, Flink-style durations and port ranges, WEIR_* environment
// overrides, and every mistake a WeirError INVALID_CONFIG naming the file, the line, the key and the
// expected value, with a did-you-mean for a mistyped key.
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_KEYS, DEFAULT_CONFIG, confDir, envVarFor, loadConfig, loadWorkers, parseConfig, parseWorkers } from '../../cluster/config.ts';
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
  t.is(DEFAULT_CONFIG.logDir, 'log');
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
  ['an unknown key', 'log.level: info\njobmanager.port: 6123', 2, 'jobmanager.port', 'unknown key "jobmanager.port"; known keys: jobmanager.rpc.address, jobmanager.rpc.port'],
  ['a port that is not a number', 'jobmanager.rpc.port: six', 1, 'jobmanager.rpc.port', 'expects an integer port 1..65535, got "six"'],
  ['a port above 65535', '\njobmanager.rpc.port: 70000', 2, 'jobmanager.rpc.port', 'expects an integer port 1..65535, got "70000"'],
  ['a port written in hex', 'jobmanager.rpc.port: 0x17EB', 1, 'jobmanager.rpc.port', 'got "0x17EB"'],
  ['a fractional slot count', 'taskmanager.numberOfTaskSlots: 1.5', 1, 'taskmanager.numberOfTaskSlots', 'expects an integer 1..4096, got "1.5"'],
  ['zero slots', 'taskmanager.numberOfTaskSlots: 0', 1, 'taskmanager.numberOfTaskSlots', 'expects an integer 1..4096, got "0"'],
  ['a duration with an unknown unit', '# x\n\nheartbeat.interval: 10 parsecs', 3, 'heartbeat.interval', 'expects a duration: milliseconds'],
  ['an empty value', 'heartbeat.timeout:', 1, 'heartbeat.timeout', 'expects a duration: milliseconds, or a number with a unit like "100 ms", "10 s", "5 min", "1 h", got nothing'],
  ['an unknown log level', 'log.level: verbose', 1, 'log.level', 'expects one of debug, info, warn, error, off, got "verbose"'],
  ['a key set twice', 'rest.port: 1\nrest.port: 2', 2, 'rest.port', 'is already set on line 1'],
  ['a key set flat and nested', 'jobmanager:\n  rpc:\n    port: 7000\njobmanager.rpc.port: 7001', 4, 'jobmanager.rpc.port', 'is already set on line 3'],
  ['a timeout not longer than the interval', 'heartbeat.interval: 10 s\nheartbeat.timeout: 5 s', 2, 'heartbeat.timeout', 'expects a duration longer than "heartbeat.interval" (10000 ms)'],
  ['an unterminated quote', 'log.level: info\njobmanager.rpc.address: "oops\nrest.port: 1', 2, 'jobmanager.rpc.address', 'is not valid YAML: Missing closing "quote'],
  ['a list where a value belongs', 'rest.port: [8081, 8082]', 1, 'rest.port', 'expects an integer port 0..65535 (0: any free port), got a list'],
  ['a map where a value belongs', 'rest:\n  port:\n    first: 8081', 3, 'rest.port', 'got a map'],
  ['a port range upside down', 'taskmanager.rpc.port: 50200-50100', 1, 'taskmanager.rpc.port', 'expects a port 1..65535, a range like "50100-50200", a comma-separated list of both, or 0 (any free port), got "50200-50100"'],
  ['a port range past 65535', 'taskmanager.data.port: 65000-70000', 1, 'taskmanager.data.port', 'got "65000-70000"'],
  ['0 inside a port list', 'taskmanager.data.port: 0,50100', 1, 'taskmanager.data.port', 'got "0,50100"'],
  ['a parallelism of zero', 'parallelism.default: 0', 1, 'parallelism.default', 'expects an integer 1..32768, got "0"'],
  ['a negative watermark interval', 'pipeline.auto-watermark-interval: -5 ms', 1, 'pipeline.auto-watermark-interval', 'expects a duration (0 turns it off)'],
  ['an empty log folder', 'env.log.dir: ""', 1, 'env.log.dir', 'expects a path, got nothing'],
  ['a host with a space', 'taskmanager.host: my host', 1, 'taskmanager.host', 'expects a host name or IP address, got "my host"'],
  ['a bad rest.bind-address', 'rest.bind-address: "*"', 1, 'rest.bind-address', 'expects a host name or IP address, got "*"'],
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

const typos: ReadonlyArray<readonly [string, string]> = [
  ['jobmanager.rpc.prot', 'jobmanager.rpc.port'],
  ['taskmanager.numberOfTaskslots', 'taskmanager.numberOfTaskSlots'],
  ['taskmanager.numberoftaskslots', 'taskmanager.numberOfTaskSlots'],
  ['paralelism.default', 'parallelism.default'],
  ['pipeline.auto-watermark-intervall', 'pipeline.auto-watermark-interval'],
  ['heartbeat.timout', 'heartbeat.timeout'],
];

for (const [typo, meant] of typos) {
  test(`the unknown key "${typo}" is refused with did you mean "${meant}"`, (t) => {
    const error = t.throws(() => parseConfig(`log.level: info\n${typo}: 1`, FILE), { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_CONFIG');
    t.is(error?.message, `${FILE}:2: unknown key "${typo}" (did you mean "${meant}"?)`);
  });
}

test('an unknown key far from every known key lists the keys of its section, or all keys', (t) => {
  const inSection = t.throws(() => parseConfig('taskmanager.memory.managed.fraction: 0.4', FILE), { instanceOf: WeirError });
  t.is(
    inSection?.message,
    `${FILE}:1: unknown key "taskmanager.memory.managed.fraction"; known keys: taskmanager.numberOfTaskSlots, taskmanager.host, taskmanager.rpc.port, taskmanager.data.port, taskmanager.memory.heap.size, taskmanager.memory.process.size, taskmanager.network.max-waiting-requests, taskmanager.network.partition-request-timeout, taskmanager.network.max-connections, taskmanager.network.max-connections-per-address, taskmanager.network.idle-connection-timeout`,
  );
  const metrics = t.throws(() => parseConfig('metrics.reporters: prom', FILE), { instanceOf: WeirError });
  t.is(metrics?.message, `${FILE}:1: unknown key "metrics.reporters"; known keys: metrics.reporter.prom.port`);
  const anywhere = t.throws(() => parseConfig('web.submit.enable: false', FILE), { instanceOf: WeirError });
  t.is(anywhere?.message, `${FILE}:1: unknown key "web.submit.enable"; known keys: ${CONFIG_KEYS.join(', ')}`);
});

test('text that is not a map of keys is refused with its line', (t) => {
  for (const [text, expected] of [
    ['log.level: info\n  rpc.port: 1', `${FILE}:1: not valid YAML: Nested mappings are not allowed in compact mappings: "log.level: info"`],
    ['log.level: info\n\trest.port: 1', `${FILE}:2: not valid YAML: Tabs are not allowed as indentation: "rest.port: 1"`],
    ['jobmanager.rpc.port=6123', `${FILE}:1: expects "key: value" lines, got "jobmanager.rpc.port=6123"`],
    ['- localhost', `${FILE}:1: expects "key: value" lines, got a list`],
    ['? [a, b]\n: 1', `${FILE}:1: expects a key name, got a list`],
  ] as const) {
    const error = t.throws(() => parseConfig(text, FILE), { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_CONFIG');
    t.is(error?.message, expected);
  }
});

test("Flink 2's nested form and the flat form give the same configuration, and may be mixed", (t) => {
  const flat = parseConfig(
    ['jobmanager.rpc.address: jm.example.com', 'jobmanager.rpc.port: 7123', 'taskmanager.numberOfTaskSlots: 4', 'taskmanager.rpc.port: 50100-50200', 'env.log.dir: /var/log/weir'].join('\n'),
    FILE,
  );
  const nested = parseConfig(
    [
      'jobmanager:',
      '  rpc:',
      '    address: jm.example.com',
      '    port: 7123',
      'taskmanager:',
      '  numberOfTaskSlots: 4',
      '  rpc.port: 50100-50200 # a dotted key inside a section is fine too',
      'env:',
      '  log:',
      '    dir: /var/log/weir',
    ].join('\n'),
    FILE,
  );
  t.deepEqual(nested, flat);
  t.is(flat.jobManagerAddress, 'jm.example.com');
  t.is(flat.jobManagerPort, 7123);
  t.is(flat.taskManagerSlots, 4);
  t.deepEqual(flat.taskManagerRpcPorts, [{ from: 50100, to: 50200 }]);
  t.is(flat.logDir, '/var/log/weir');
  const error = t.throws(() => parseConfig('jobmanager:\n  rpc:\n    prot: 1', FILE), { instanceOf: WeirError });
  t.is(error?.message, `${FILE}:3: unknown key "jobmanager.rpc.prot" (did you mean "jobmanager.rpc.port"?)`);
});

test('port keys take a port, a range, a list of both, or 0 for any free port', (t) => {
  t.deepEqual(parseConfig('taskmanager.rpc.port: 50100', FILE).taskManagerRpcPorts, [{ from: 50100, to: 50100 }]);
  t.deepEqual(parseConfig('taskmanager.rpc.port: 50100-50200', FILE).taskManagerRpcPorts, [{ from: 50100, to: 50200 }]);
  t.deepEqual(parseConfig('taskmanager.data.port: "50100, 50200-50201"', FILE).taskManagerDataPorts, [
    { from: 50100, to: 50100 },
    { from: 50200, to: 50201 },
  ]);
  t.deepEqual(parseConfig('taskmanager.data.port: 0', FILE).taskManagerDataPorts, [{ from: 0, to: 0 }]);
  t.deepEqual(DEFAULT_CONFIG.taskManagerRpcPorts, [{ from: 0, to: 0 }]);
  t.deepEqual(parseConfig('rest.bind-port: 8081-8090', FILE).restBindPorts, [{ from: 8081, to: 8090 }]);
});

test('rest.address and rest.bind-address default to jobmanager.rpc.address, rest.bind-port to rest.port', (t) => {
  const derived = parseConfig('jobmanager.rpc.address: jm.example.com\nrest.port: 9000', FILE);
  t.is(derived.restAddress, 'jm.example.com');
  t.is(derived.restBindAddress, 'jm.example.com');
  t.deepEqual(derived.restBindPorts, [{ from: 9000, to: 9000 }]);
  const explicit = parseConfig('jobmanager.rpc.address: jm.example.com\nrest.address: api.example.com\nrest.bind-address: 0.0.0.0', FILE);
  t.is(explicit.restAddress, 'api.example.com');
  t.is(explicit.restBindAddress, '0.0.0.0');
});

test('the keys a Flink user reaches for: parallelism.default, pipeline.auto-watermark-interval, taskmanager.host, env.log.dir', (t) => {
  const config = parseConfig(
    'parallelism.default: 4\npipeline.auto-watermark-interval: 1 s\ntaskmanager.host: 10.0.0.7\nenv.log.dir: /var/log/weir',
    FILE,
  );
  t.is(config.parallelismDefault, 4);
  t.is(config.autoWatermarkIntervalMs, 1_000);
  t.is(config.taskManagerHost, '10.0.0.7');
  t.is(config.logDir, '/var/log/weir');
  t.is(parseConfig('pipeline.auto-watermark-interval: 0', FILE).autoWatermarkIntervalMs, 0);
  t.is(DEFAULT_CONFIG.autoWatermarkIntervalMs, 200);
  t.is(DEFAULT_CONFIG.parallelismDefault, 1);
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

test("dashes become '_' in a variable's name, and env.log.dir is WEIR_LOG_DIR, as the bin/ scripts read it", (t) => {
  t.is(envVarFor('pipeline.auto-watermark-interval'), 'WEIR_PIPELINE_AUTO_WATERMARK_INTERVAL');
  t.is(envVarFor('taskmanager.host'), 'WEIR_TASKMANAGER_HOST');
  t.is(envVarFor('env.log.dir'), 'WEIR_LOG_DIR');
  const config = parseConfig('env.log.dir: /var/log/weir', FILE, { WEIR_LOG_DIR: '/tmp/logs', WEIR_TASKMANAGER_RPC_PORT: '50100-50101', WEIR_PIPELINE_AUTO_WATERMARK_INTERVAL: '50 ms' });
  t.is(config.logDir, '/tmp/logs');
  t.deepEqual(config.taskManagerRpcPorts, [{ from: 50100, to: 50101 }]);
  t.is(config.autoWatermarkIntervalMs, 50);
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

test('taskmanager.memory.heap.size takes Flink\'s memory sizes, in MiB; under 64m is refused naming the key', (t) => {
  const heapOf = (value: string): number | null => parseConfig(`taskmanager.memory.heap.size: ${value}\n`, FILE).taskManagerHeapMb;
  t.deepEqual(['512m', '1g', '1536 mb', '2GB', '268435456'].map(heapOf), [512, 1024, 1536, 2048, 256]);
  t.is(parseConfig('', FILE).taskManagerHeapMb, null);
  const error = t.throws(() => heapOf('32m'), { instanceOf: WeirError });
  t.is(error?.message, `${FILE}:1: key "taskmanager.memory.heap.size" expects a memory size such as "512m", "1g" or "1536 mb" (at least 64m), got "32m"`);
  t.is(parseConfig('taskmanager.memory.process.size: 1728m\n', FILE).taskManagerProcessMb, 1728);
  t.is(parseConfig('', FILE).taskManagerProcessMb, null);
});
