// Trace frames yield to cluster traffic: an association has room for one only while connected and
// under maxTraceBufferedBytes unsent, far below the envelopes' own limit; envelopes still go.
import test from 'ava';
import { Logger, parseActorPath } from '../../../actors/index.ts';
import { Association, type AssociationHost } from '../../../actors/remote/association.ts';
import { AuthMonitor } from '../../../actors/remote/auth.ts';
import { resolveRemoteOptions } from '../../../actors/remote/options.ts';
import type { Connection } from '../../../actors/remote/transport.ts';

function associationWith(bufferedAmount: { value: number }) {
  const log = new Logger({ level: 'off' });
  const options = resolveRemoteOptions({ maxTraceBufferedBytes: 1000, maxBufferedBytes: 1_000_000 });
  const deadLetters: string[] = [];
  const host = {
    options,
    log,
    auth: new AuthMonitor(log),
    now: () => 0,
    schedule: () => ({ cancel: () => {} }),
    deadLetter: (_association: Association, _envelope: unknown, reason: string) => void deadLetters.push(reason),
    hasInterest: () => false,
  } as unknown as AssociationHost;
  const association = new Association(host, parseActorPath('weir://peer@127.0.0.1:1'));
  let sent = 0;
  const connection: Connection = {
    remote: '127.0.0.1:1',
    get bufferedAmount() {
      return bufferedAmount.value;
    },
    setHandlers: () => {},
    send: () => void sent++,
    close: () => {},
    peerKnown: () => {},
  };
  return { association, connection, deadLetters, sent: () => sent };
}

test('an association has room for a trace frame only while connected and under maxTraceBufferedBytes unsent; envelopes still go past it', (t) => {
  const buffered = { value: 0 };
  const { association, connection, deadLetters, sent } = associationWith(buffered);
  t.false(association.hasTraceRoom(), 'not connected');
  association.attach(connection, true);
  t.true(association.hasTraceRoom());
  buffered.value = 1001;
  t.false(association.hasTraceRoom(), 'the link is busy with cluster messages');
  association.send(['/user/x', '', null, { type: 'Ping' }]);
  t.true(association.hasTraceRoom() === false && sent() === 1, 'the envelope queued before was written first');
  t.deepEqual(deadLetters, [], 'a cluster message is not dropped at that backlog');
  buffered.value = 1000;
  t.true(association.hasTraceRoom());
  association.remove('spec over');
});
