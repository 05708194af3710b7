// Remote options are validated once, when the system starts: an unknown key or a bad value is a
// WeirError INVALID_CONFIG naming the key.
import test from 'ava';
import { ActorSystem, MemoryNetwork, type RemoteOptions } from '../../../actors/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { captureLog } from './helpers.ts';

async function startWith(remote: Record<string, unknown>): Promise<ActorSystem> {
  const system = await ActorSystem.create({ name: 'opts', remote: remote as RemoteOptions, log: { sink: captureLog().sink } });
  await system.terminate();
  return system;
}

const invalid: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
  ['an unknown key', { port: 0, heartbeatMs: 100 }, '"heartbeatMs"'],
  ['a negative interval', { heartbeatIntervalMs: -5 }, '"heartbeatIntervalMs"'],
  ['a fractional frame size', { maxFrameBytes: 10.5 }, '"maxFrameBytes"'],
  ['a zero handshake frame size', { maxHandshakeFrameBytes: 0 }, '"maxHandshakeFrameBytes"'],
  ['a number given as a string', { acceptablePauseMs: '300' }, '"acceptablePauseMs"'],
  ['NaN', { maxEnvelopesPerFrame: Number.NaN }, '"maxEnvelopesPerFrame"'],
  ['a zero limit', { maxPendingEnvelopes: 0 }, '"maxPendingEnvelopes"'],
  ['a port above 65535', { port: 70_000 }, '"port"'],
  ['an empty host', { host: '' }, '"host"'],
  ['a pause not longer than the heartbeat interval', { heartbeatIntervalMs: 500, acceptablePauseMs: 500 }, '"acceptablePauseMs"'],
  ['a transport that is not one', { transport: 'ws' }, '"transport"'],
];

for (const [what, remote, key] of invalid) {
  test(`remote options with ${what} are refused with INVALID_CONFIG naming ${key}`, async (t) => {
    const error = await t.throwsAsync(startWith(remote), { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_CONFIG');
    t.true(error?.message.includes(key), error?.message);
  });
}

test('valid remote options start a listening system, undefined values taking the defaults', async (t) => {
  const network = new MemoryNetwork();
  const system = await ActorSystem.create({
    name: 'opts',
    remote: { transport: network.transport(), heartbeatIntervalMs: 50, acceptablePauseMs: 300, maxFrameBytes: undefined },
    log: { sink: captureLog().sink },
  });
  t.teardown(() => system.terminate());
  t.regex(system.address, /^weir:\/\/opts@127\.0\.0\.1:\d+$/);
});
