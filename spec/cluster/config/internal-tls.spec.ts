import test from 'ava';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../cluster/config.ts';
import { readInternalTls } from '../../../cluster/config/internal-tls.ts';
import { WeirError } from '../../../messages/errors.ts';
import { createCertificateAuthority } from '../../testkit/tls-certificates.ts';

const authority = createCertificateAuthority('config');
const node = authority.issue('node');
test.after.always(() => authority.dispose());

const yaml = (lines: readonly string[]): string => lines.join('\n') + '\n';
const enabled = ['security.ssl.internal.enabled: true', 'security.ssl.internal.cert: node.crt', 'security.ssl.internal.key: node.key', 'security.ssl.internal.ca: ca.crt'];

test('with security.ssl.internal.enabled the PEM files are read relative to the Weir folder', (t) => {
  const config = parseConfig(yaml(enabled), 'weir.yaml');
  t.deepEqual(readInternalTls(config, authority.directory), { cert: node.cert, key: node.key, ca: authority.ca, verifyHostname: true });
  const noHostnames = parseConfig(yaml([...enabled, 'security.ssl.verify-hostname: false']), 'weir.yaml');
  t.is(readInternalTls(noHostnames, authority.directory)?.verifyHostname, false);
});

test('without security.ssl.internal.enabled there is no TLS, whatever files are named', (t) => {
  t.is(readInternalTls(parseConfig(yaml(enabled.slice(1)), 'weir.yaml'), authority.directory), undefined);
  t.is(readInternalTls(parseConfig(yaml(['security.ssl.internal.enabled: false', ...enabled.slice(1)]), 'weir.yaml'), authority.directory), undefined);
});

test('enabled is true or false, named in the error', (t) => {
  const error = t.throws(() => parseConfig(yaml(['security.ssl.internal.enabled: yes please']), 'weir.yaml'), { instanceOf: WeirError });
  t.is(error?.message, 'weir.yaml:1: key "security.ssl.internal.enabled" expects true or false, got "yes please"');
});

test('a missing part, an unreadable file, a key every user may read and a file that is not PEM are refused naming the key', (t) => {
  const missing = t.throws(() => readInternalTls(parseConfig(yaml(enabled.filter((line) => !line.includes('.ca:'))), 'weir.yaml'), authority.directory), { instanceOf: WeirError });
  t.is(missing?.message, "security.ssl.internal.enabled is true, but security.ssl.internal.ca is not set: set the cluster CA's certificate (a PEM file)");
  const absent = t.throws(() => readInternalTls(parseConfig(yaml([...enabled.slice(0, 1), 'security.ssl.internal.cert: gone.crt', ...enabled.slice(2)]), 'weir.yaml'), authority.directory), { instanceOf: WeirError });
  t.regex(absent?.message ?? '', new RegExp(`^cannot read ${join(authority.directory, 'gone.crt')} \\(security\\.ssl\\.internal\\.cert\\): .*ENOENT`));
  writeFileSync(join(authority.directory, 'open.key'), node.key);
  chmodSync(join(authority.directory, 'open.key'), 0o644);
  const open = t.throws(() => readInternalTls(parseConfig(yaml([...enabled.slice(0, 2), 'security.ssl.internal.key: open.key', ...enabled.slice(3)]), 'weir.yaml'), authority.directory), { instanceOf: WeirError });
  t.is(open?.message, `${join(authority.directory, 'open.key')} (security.ssl.internal.key) may be read or written by every user (mode 0644); refusing to use it: chmod 600 it (640 to share it with a group)`);
  const notPem = t.throws(() => readInternalTls(parseConfig(yaml([...enabled.slice(0, 1), 'security.ssl.internal.cert: ca.srl', ...enabled.slice(2)]), 'weir.yaml'), authority.directory), { instanceOf: WeirError });
  t.is(notPem?.message, 'security.ssl.internal: the TLS cert is not PEM (expected a "-----BEGIN CERTIFICATE-----" block)');
});
