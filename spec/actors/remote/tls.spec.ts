// Mutual TLS between actor systems over real sockets (security.ssl.internal.*): systems with
// certificates of the same CA talk over wss; a peer whose certificate another CA signed, or one
// without TLS, is refused in the TLS handshake, before any frame of its is read; the refusal is
// counted and its first logged with the peer's address.
import test from 'ava';
import { WeirError } from '../../../messages/errors.ts';
import { checkTlsOptions } from '../../../actors/index.ts';
import { createCertificateAuthority } from '../../testkit/tls-certificates.ts';
import { type Ping, type Pong, eventually, ping, sleep, spawnPonger, spawnProbe, startSystem, within } from './helpers.ts';

const cluster = createCertificateAuthority('cluster');
const foreign = createCertificateAuthority('foreign');
test.after.always(() => {
  cluster.dispose();
  foreign.dispose();
});

test('two systems with certificates of the cluster CA talk both ways over wss', async (t) => {
  const a = await startSystem(t, 'a', { tls: cluster.issue('a') });
  const b = await startSystem(t, 'b', { tls: cluster.issue('b') });
  spawnPonger(b.system, 'ponger');
  spawnPonger(a.system, 'ponger');
  const fromB = await a.system.ask<Ping, Pong>(a.system.resolve<Ping>(`${b.system.address}/user/ponger`), (replyTo) => ping(7, replyTo), 3000);
  t.deepEqual(fromB, { type: 'Pong', n: 7, from: `${b.system.address}/user/ponger` });
  const fromA = await b.system.ask<Ping, Pong>(b.system.resolve<Ping>(`${a.system.address}/user/ponger`), (replyTo) => ping(8, replyTo), 3000);
  t.is(fromA.n, 8);
  t.is(a.system.authStats.tlsRefusals + b.system.authStats.tlsRefusals, 0);
});

test('a system whose certificate another CA signed is refused in the TLS handshake, counted and logged once with its address', async (t) => {
  const b = await startSystem(t, 'b', { tls: cluster.issue('b') });
  const intruder = await startSystem(t, 'intruder', { tls: { ...foreign.issue('intruder'), ca: cluster.ca } });
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  for (let i = 0; i < 3; i++) {
    const error = await within(
      intruder.system.connectTo(b.system.address).then(
        () => undefined,
        (reason: unknown) => reason,
      ),
      5000,
      'the connection to be refused',
    );
    t.true(error instanceof WeirError, String(error));
    t.is((error as WeirError).code, 'TLS_HANDSHAKE_FAILED');
    t.regex((error as WeirError).message, new RegExp(`^the TLS handshake with ${b.system.address.replace(/[.]/g, '\\.')} failed: the peer refused this process's certificate \\(TLS client certificate refused\\) \\(security\\.ssl\\.internal: both sides need certificates of the same CA\\)$`));
  }
  await eventually(() => b.system.authStats.tlsRefusals >= 3, 3000, 'three refusals counted');
  const lines = b.log.withCode('TLS_HANDSHAKE_FAILED').filter((record) => record.level === 'error');
  t.is(lines.length, 1);
  t.regex(String(lines[0]!.msg), /^refused TLS connection from 127\.0\.0\.1:\d+: client certificate refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE \(logged once per peer; later refusals are only counted\)$/);
  t.is(lines[0]!.peer, '127.0.0.1');
  await sleep(50);
  t.deepEqual(inbox.received, [], 'nothing was delivered');
});

test('a system that trusts another CA refuses the cluster: the dialler checks the server too', async (t) => {
  const b = await startSystem(t, 'b', { tls: cluster.issue('b') });
  const a = await startSystem(t, 'a', { tls: { ...cluster.issue('a'), ca: foreign.ca } });
  const error = await within(a.system.connectTo(b.system.address).then(() => undefined, (reason: unknown) => reason), 5000, 'the connection to fail');
  t.true(error instanceof WeirError);
  t.is((error as WeirError).code, 'TLS_HANDSHAKE_FAILED');
  t.regex((error as WeirError).message, /failed: SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain /);
});

test('a system without TLS cannot talk to one with it: its connections are refused and counted', async (t) => {
  const b = await startSystem(t, 'b', { tls: cluster.issue('b') });
  const plain = await startSystem(t, 'plain', { reconnectMinMs: 50, reconnectMaxMs: 100 });
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  plain.system.resolve<Ping>(`${b.system.address}/user/inbox`).tell(ping(1));
  await eventually(() => b.system.authStats.tlsRefusals >= 2, 5000, 'the plain dialler\'s tries to be refused');
  await sleep(50);
  t.deepEqual(inbox.received, [], 'nothing was delivered');
});

test('TLS options that are not PEM are refused naming the part', (t) => {
  const good = cluster.issue('check');
  t.is(checkTlsOptions(good, 'weir.yaml'), good);
  const error = t.throws(() => checkTlsOptions({ ...good, key: 'not a key' }, 'security.ssl.internal'), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_CONFIG');
  t.is(error?.message, 'security.ssl.internal: the TLS key is not PEM (expected a "-----BEGIN PRIVATE KEY-----" block)');
});
