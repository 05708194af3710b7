// The ws calls both WebSocket transports make never throw: a close reason is cut to WebSocket's 123
// bytes of UTF-8 at a character boundary, and sending or closing a socket in any state is safe.
import test from 'ava';
import { MAX_CLOSE_REASON_BYTES, WsTransport, closeReason } from '../../../actors/index.ts';
import { escaped, sleep, uncaughtExceptions, within } from './helpers.ts';

test('a close reason that fits is kept as it is', (t) => {
  t.is(closeReason('MALFORMED_FRAME: a frame is null'), 'MALFORMED_FRAME: a frame is null');
  t.is(closeReason('x'.repeat(123)), 'x'.repeat(123));
  t.is(closeReason(''), '');
});

test('a long close reason is cut to 123 bytes of UTF-8, never inside a character', (t) => {
  t.is(closeReason('x'.repeat(200)), 'x'.repeat(123));
  t.is(closeReason('é'.repeat(120)), 'é'.repeat(61), 'two bytes each: 61 fit, the 62nd would not');
  t.is(closeReason(`x${'€'.repeat(60)}`), `x${'€'.repeat(40)}`, 'three bytes each after one: 40 fit');
  t.is(closeReason(`xxx${'😀'.repeat(40)}`), `xxx${'😀'.repeat(30)}`, 'a surrogate pair is one 4-byte character, kept whole');
  t.is(closeReason('\ud800'.repeat(50)), '\ud800'.repeat(41), 'a lone surrogate is written as U+FFFD: 3 bytes');
  for (const reason of ['é'.repeat(120), `x${'€'.repeat(60)}`, `xxx${'😀'.repeat(40)}`, '\ud800'.repeat(50)]) {
    t.true(Buffer.byteLength(closeReason(reason)) <= MAX_CLOSE_REASON_BYTES);
  }
});

async function connectedPair(t: Parameters<typeof uncaughtExceptions>[0]) {
  const server = new WsTransport();
  const client = new WsTransport();
  t.teardown(() => Promise.all([server.close(), client.close()]));
  const accepted: Array<{ close(reason: string): void; send(frame: Uint8Array): void }> = [];
  const { port } = await server.listen('127.0.0.1', 0, { maxFrameBytes: 1 << 20, maxHandshakeFrameBytes: 1 << 20 }, (connection) => {
    connection.setHandlers({ onFrame: () => {}, onClose: () => {} });
    accepted.push(connection);
  });
  const connection = await client.connect('127.0.0.1', port, 1 << 20);
  let markClosed!: (reason: string) => void;
  const closed = new Promise<string>((resolve) => (markClosed = resolve));
  connection.setHandlers({ onFrame: () => {}, onClose: markClosed });
  await within(
    (async () => {
      while (accepted.length === 0) await sleep(5);
    })(),
    2000,
    'the server to accept',
  );
  return { server: accepted[0], client: connection, closed };
}

test('closing a ws connection with a reason of 120 two-byte characters sends it cut, and throws nothing', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { server, closed } = await connectedPair(t);
  t.notThrows(() => server.close('é'.repeat(120)));
  t.is(await within(closed, 2000, 'the client to see the close'), `closed (1000 ${'é'.repeat(61)})`);
  t.deepEqual(escaped(uncaught), []);
});

test('sending on and closing a ws connection that is already closed do nothing', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { server, client, closed } = await connectedPair(t);
  client.close('done');
  await within(closed, 2000, 'the client to close');
  await sleep(20);
  t.notThrows(() => {
    client.send(Uint8Array.of(1));
    client.close('again');
    server.send(Uint8Array.of(1));
    server.close('again');
  });
  await sleep(20);
  t.deepEqual(escaped(uncaught), []);
});
