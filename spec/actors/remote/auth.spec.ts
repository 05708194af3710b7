// The shared secret and the proofs made with it: the secret never shows in a log, a JSON dump or an
// inspection; a proof binds the plane, the role, both nonces and both addresses; the monitor logs a
// peer's first refusal and counts them all.
import test from 'ava';
import { inspect } from 'node:util';
import { AuthMonitor, AuthSecret, Logger, MIN_SECRET_BYTES } from '../../../actors/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { type HandshakeFacts, hostOf } from '../../../actors/remote/auth.ts';
import { resolveRemoteOptions } from '../../../actors/remote/options.ts';
import { captureLog } from './helpers.ts';

const TEXT = 'a secret of more than sixteen bytes';

test('a secret shows as [auth secret] in strings, JSON and inspection, never as its text', (t) => {
  const secret = AuthSecret.from(TEXT);
  t.is(String(secret), '[auth secret]');
  t.is(`${secret}`, '[auth secret]');
  t.is(JSON.stringify({ secret }), '{"secret":"[auth secret]"}');
  t.is(inspect({ secret }), '{ secret: [auth secret] }');
});

test(`a secret under ${MIN_SECRET_BYTES} bytes is refused with INVALID_CONFIG naming its source, not its value`, (t) => {
  const error = t.throws(() => AuthSecret.from('short-secret', 'security.auth.secret'), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_CONFIG');
  t.is(error.message, 'security.auth.secret is 12 bytes long, under the 16 a secret needs; generate one with "openssl rand -base64 32"');
});

test('the remote option "secret" takes an AuthSecret only, and its error does not print the value given', (t) => {
  const error = t.throws(() => resolveRemoteOptions({ secret: TEXT as unknown as AuthSecret }), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_CONFIG');
  t.is(error.message, 'remote option "secret" must be an AuthSecret (AuthSecret.from(text))');
});

const FACTS: HandshakeFacts = {
  plane: 'rpc',
  diallerNonce: new Uint8Array(32).fill(1),
  listenerNonce: new Uint8Array(32).fill(2),
  dialler: 'weir://a@127.0.0.1:1',
  listener: 'weir://b@127.0.0.1:2',
};

test('a proof checks out for exactly the role, plane, nonces and addresses it was made for, with the same secret', (t) => {
  const secret = AuthSecret.from(TEXT);
  const proof = secret.prove('dialler', FACTS);
  t.is(proof.length, 32);
  t.true(secret.verify('dialler', FACTS, proof));
  t.true(AuthSecret.from(TEXT).verify('dialler', FACTS, proof), 'another AuthSecret of the same text');
  t.false(AuthSecret.from(`${TEXT}!`).verify('dialler', FACTS, proof), 'another secret');
  t.false(secret.verify('listener', FACTS, proof), 'the other role (a reflected proof)');
  t.false(secret.verify('dialler', { ...FACTS, plane: 'data' }, proof), 'the other plane');
  t.false(secret.verify('dialler', { ...FACTS, listenerNonce: new Uint8Array(32).fill(3) }, proof), 'another challenge (a replayed proof)');
  t.false(secret.verify('dialler', { ...FACTS, diallerNonce: new Uint8Array(32).fill(3) }, proof), "another dialler's nonce");
  t.false(secret.verify('dialler', { ...FACTS, dialler: 'weir://evil@127.0.0.1:1' }, proof), 'another dialler address');
  t.false(secret.verify('dialler', { ...FACTS, listener: 'weir://b@localhost:2' }, proof), 'another listener address');
  // Fields cannot be shifted into each other: each is length-prefixed.
  t.false(secret.verify('dialler', { ...FACTS, dialler: 'weir://a@127.0.0.1:1w', listener: 'eir://b@127.0.0.1:2' }, proof));
});

test('anything but 32 bytes is not a proof, and is refused without throwing', (t) => {
  const secret = AuthSecret.from(TEXT);
  const proof = secret.prove('dialler', FACTS);
  for (const bad of [proof.subarray(0, 31), new Uint8Array(33), 'text', null, undefined, 42, [1, 2]]) t.false(secret.verify('dialler', FACTS, bad));
});

test('the monitor counts every refusal and logs the first of each peer only, naming it: an error when this side refused, a warning when the peer did', (t) => {
  const log = captureLog();
  const monitor = new AuthMonitor(new Logger({ level: 'debug', sink: log.sink }));
  monitor.refused('AUTHENTICATION_FAILED', '10.0.0.5', 'refused connection from 10.0.0.5:4001: bad');
  monitor.refused('AUTHENTICATION_FAILED', '10.0.0.5', 'refused connection from 10.0.0.5:4002: bad');
  monitor.refused('AUTHENTICATION_REQUIRED', '10.0.0.6', 'refused connection from 10.0.0.6:4003: none');
  monitor.refusedBy('weir://jm@10.0.0.7:6123', 'AUTHENTICATION_FAILED', 'wrong');
  t.deepEqual(monitor.stats, { missingProofs: 1, wrongProofs: 2, unexpectedProofs: 0, refusedByPeers: 1, tlsRefusals: 0 });
  const logged = log.records.filter((record) => record.level !== 'debug').map((record) => [record.level, record.peer, record.msg]);
  t.deepEqual(logged, [
    ['error', '10.0.0.5', 'refused connection from 10.0.0.5:4001: bad (logged once per peer; later refusals are only counted)'],
    ['error', '10.0.0.6', 'refused connection from 10.0.0.6:4003: none (logged once per peer; later refusals are only counted)'],
    ['warn', 'weir://jm@10.0.0.7:6123', "weir://jm@10.0.0.7:6123 refused this process's authentication: wrong (logged once per peer; later refusals are only counted)"],
  ]);
});

test('a peer not known yet is named by the host of its socket address, IPv6 too', (t) => {
  t.deepEqual(['127.0.0.1:5000', '[::1]:5000', '::1:5000', 'client-3'].map(hostOf), ['127.0.0.1', '::1', '::1', 'client-3']);
});
