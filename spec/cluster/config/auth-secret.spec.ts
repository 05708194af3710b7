// The cluster's secret in the configuration: security.auth.secret (or WEIR_AUTH_SECRET), or
// security.auth.secret-file read once at start; a file every user may read is refused; no error,
// log or dump of the configuration shows the secret.
import test from 'ava';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthSecret } from '../../../actors/index.ts';
import type { HandshakeFacts } from '../../../actors/remote/auth.ts';
import { loadConfig, parseConfig } from '../../../cluster/config.ts';
import { WeirError } from '../../../messages/errors.ts';

const FILE = '/etc/weir/weir.yaml';
const TEXT = 'a cluster secret of 32 bytes....';
const FACTS: HandshakeFacts = { plane: 'rpc', diallerNonce: new Uint8Array(32), listenerNonce: new Uint8Array(32), dialler: 'a', listener: 'b' };

/** True when `secret` is the secret `text` (it proves what AuthSecret.from(text) proves). */
const isSecret = (secret: AuthSecret | null, text: string): boolean => secret !== null && AuthSecret.from(text).verify('dialler', FACTS, secret.prove('dialler', FACTS));

function folder(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-secret-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function secretFile(dir: string, text: string, mode: number): string {
  const path = join(dir, 'secret');
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

test('no secret is the default: authentication is off', (t) => {
  const config = parseConfig('', FILE);
  t.is(config.authSecret, null);
  t.is(config.authSecretFile, null);
});

test('security.auth.secret sets the secret, which no dump of the configuration shows', (t) => {
  const config = parseConfig(`security.auth.secret: "${TEXT}"`, FILE);
  t.true(isSecret(config.authSecret, TEXT));
  t.false(JSON.stringify(config).includes(TEXT));
  t.true(JSON.stringify(config).includes('"authSecret":"[auth secret]"'));
});

test('WEIR_AUTH_SECRET overrides security.auth.secret', (t) => {
  const config = parseConfig('security.auth.secret: the one in the file, long enough', FILE, { WEIR_AUTH_SECRET: TEXT });
  t.true(isSecret(config.authSecret, TEXT));
});

test('a secret under 16 bytes is refused naming the key and its length, never its value', (t) => {
  const error = t.throws(() => parseConfig('\nsecurity.auth.secret: hunter2', FILE), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_CONFIG');
  t.is(error.message, `${FILE}:2: key "security.auth.secret" expects a secret of at least 16 bytes (generate one with "openssl rand -base64 32"), got 7 bytes (not shown)`);
  const fromEnv = t.throws(() => parseConfig('', FILE, { WEIR_AUTH_SECRET: 'hunter2' }), { instanceOf: WeirError });
  t.is(fromEnv.message, 'environment variable WEIR_AUTH_SECRET (key "security.auth.secret") expects a secret of at least 16 bytes (generate one with "openssl rand -base64 32"), got 7 bytes (not shown)');
});

test('setting both security.auth.secret and security.auth.secret-file is refused', (t) => {
  const error = t.throws(() => parseConfig(`security.auth.secret-file: conf/secret\nsecurity.auth.secret: ${TEXT}`, FILE), { instanceOf: WeirError });
  t.is(error.message, `${FILE}:2: keys "security.auth.secret" and "security.auth.secret-file" are both set; set one of them`);
});

test('security.auth.secret-file is read at start, without its trailing newline', (t) => {
  const dir = folder(t);
  const path = secretFile(dir, `${TEXT}\n`, 0o600);
  writeFileSync(join(dir, 'weir.yaml'), `security.auth.secret-file: ${path}\n`);
  const config = loadConfig(dir, {});
  t.true(isSecret(config.authSecret, TEXT));
  t.is(config.authSecretFile, path);
});

test('a secret file every user may read is refused, saying what to do', (t) => {
  const dir = folder(t);
  const path = secretFile(dir, TEXT, 0o644);
  writeFileSync(join(dir, 'weir.yaml'), `security.auth.secret-file: ${path}\n`);
  const error = t.throws(() => loadConfig(dir, {}), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_CONFIG');
  t.is(error.message, `${path} (security.auth.secret-file) may be read or written by every user (mode 0644); refusing to use it: chmod 600 it (640 to share it with a group)`);
  chmodSync(path, 0o640);
  t.true(isSecret(loadConfig(dir, {}).authSecret, TEXT), 'readable by its group is allowed');
});

test('a secret file that is missing, or holds too short a secret, is refused naming the file', (t) => {
  const dir = folder(t);
  writeFileSync(join(dir, 'weir.yaml'), `security.auth.secret-file: ${join(dir, 'nowhere')}\n`);
  const missing = t.throws(() => loadConfig(dir, {}), { instanceOf: WeirError });
  t.regex(missing.message, new RegExp(`^cannot read ${join(dir, 'nowhere')} \\(security\\.auth\\.secret-file\\): ENOENT`));
  const path = secretFile(dir, 'short\n', 0o600);
  writeFileSync(join(dir, 'weir.yaml'), `security.auth.secret-file: ${path}\n`);
  const short = t.throws(() => loadConfig(dir, {}), { instanceOf: WeirError });
  t.is(short.message, `the secret in ${path} (security.auth.secret-file) is 5 bytes long, under the 16 a secret needs; generate one with "openssl rand -base64 32"`);
});

test('WEIR_AUTH_SECRET wins over security.auth.secret-file, which is then not read', (t) => {
  const dir = folder(t);
  writeFileSync(join(dir, 'weir.yaml'), `security.auth.secret-file: ${join(dir, 'nowhere')}\n`);
  t.true(isSecret(loadConfig(dir, { WEIR_AUTH_SECRET: TEXT }).authSecret, TEXT));
});
