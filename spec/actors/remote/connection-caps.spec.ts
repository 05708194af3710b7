// Caps on accepted connections: per host and in all. A connection over a cap is closed at once with
// the reason (naming the key that sets the cap), logged as a coded warning; closing one makes room.
import test from 'ava';
import { ConnectionCaps, WsTransport } from '../../../actors/index.ts';
import { portOf, rawPeer, sleep, startSystem, within } from './helpers.ts';

const NAMES = { port: 'the rpc port', totalKey: 'rpc.max-connections', perHostKey: 'rpc.max-connections-per-address' };

test('a cap per host and one in all; a release makes room again', (t) => {
  const caps = new ConnectionCaps({ maxConnections: 3, maxConnectionsPerHost: 2 }, NAMES);
  t.is(caps.admit('10.0.0.1:1000'), undefined);
  t.is(caps.admit('10.0.0.1:1001'), undefined);
  t.is(caps.admit('10.0.0.1:1002'), 'the rpc port holds 2 connections from 10.0.0.1, the most allowed from one host (rpc.max-connections-per-address)');
  t.is(caps.admit('[::1]:1003'), undefined);
  t.is(caps.admit('10.0.0.2:1004'), 'the rpc port holds 3 connections, the most allowed (rpc.max-connections)');
  t.is(caps.refused, 2);
  caps.release('10.0.0.1:1000');
  t.is(caps.open, 2);
  t.is(caps.admit('10.0.0.2:1005'), undefined);
});

test('a system closes a connection over its per-host cap at once, says why, and takes new ones once one closed', async (t) => {
  const listener = await startSystem(t, 'capped', { transport: undefined, maxConnectionsPerHost: 2 });
  const port = portOf(listener.system);
  const transport = new WsTransport();
  t.teardown(() => transport.close());
  const first = await rawPeer(transport, port);
  await rawPeer(transport, port);
  const third = await rawPeer(transport, port);
  const reason = await within(third.closed, 3000, 'the third connection to be closed');
  t.regex(reason, /the rpc port holds 2 connections from 127\.0\.0\.1, the most allowed from one host \(rpc\.max-connections-per-address\)/);
  const warnings = listener.log.withCode('CONNECTION_LIMIT');
  t.is(warnings.length, 1);
  t.regex(String(warnings[0]!.msg), /^refused connection from 127\.0\.0\.1:\d+: the rpc port holds 2 connections/);
  first.close();
  await within(first.closed, 3000, 'the first connection to close');
  await sleep(300); // the listener's side of the socket closes too, and frees the place
  const fourth = await rawPeer(transport, port);
  const outcome = await Promise.race([fourth.closed.then((why) => `closed: ${why}`), sleep(300).then(() => 'open')]);
  t.is(outcome, 'open');
  t.is(listener.log.withCode('CONNECTION_LIMIT').length, 1);
});
