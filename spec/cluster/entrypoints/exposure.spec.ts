// A cluster process without a secret that listens off loopback warns, naming the exposed ports; one
// on loopback only, or with a secret, says nothing.
import test from 'ava';
import { exposureWarning, isLoopback } from '../../../cluster/entrypoints/exposure.ts';

test('localhost, 127.0.0.0/8 and ::1 are loopback; any other host, and every interface, is not', (t) => {
  t.deepEqual(['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1'].map(isLoopback), [true, true, true, true, true, true, true]);
  t.deepEqual(['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'jm.example.com', '128.0.0.1', '127.0.0.1.example.com'].map(isLoopback), [false, false, false, false, false, false, false]);
});

test('a TaskManager without a secret on a private address names both its ports', (t) => {
  const warning = exposureWarning(
    'TaskManager',
    [
      { host: '10.0.0.5', port: 41000, what: 'actor messages' },
      { host: '10.0.0.5', port: 41001, what: 'record batches' },
    ],
    false,
  );
  t.is(
    warning,
    'security.auth.secret is not set, and this TaskManager listens on 10.0.0.5:41000 (actor messages), 10.0.0.5:41001 (record batches), off loopback: anyone who reaches these ports can submit jobs and run code on the cluster. Set security.auth.secret (docs/security.md).',
  );
  t.false(warning?.includes('"'), 'no double quote: it goes into a JSON line a shell script reads');
});

test('an IPv6 host is written in brackets', (t) => {
  t.regex(exposureWarning('JobManager', [{ host: '::', port: 6123, what: 'actor messages' }], false) ?? '', /listens on \[::\]:6123 \(actor messages\), off loopback: anyone who reaches this port/);
});

test('no warning with a secret, or on loopback only', (t) => {
  t.is(exposureWarning('JobManager', [{ host: '0.0.0.0', port: 6123, what: 'actor messages' }], true), undefined);
  t.is(exposureWarning('JobManager', [{ host: '127.0.0.1', port: 6123, what: 'actor messages' }], false), undefined);
});
