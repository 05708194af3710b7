// The socket word count example against a server of the spec's own (what `nc -lk 9999` would be):
// the running counts it prints end at each word's total once the server closes the connection.
import { createServer } from 'node:net';
import test from 'ava';
import { lines, runExample } from './run-example.ts';

const TEXT = 'the river and the weir\nThe weir holds the river\nriver!\n';

test('socket-wordcount prints running counts per word until the server closes the connection', async (t) => {
  const server = createServer((socket) => socket.end(TEXT));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const run = await runExample('socket-wordcount.ts', ['--host', '127.0.0.1', '--port', String(port)]);
  t.is(run.code, 0, run.stderr);
  const last = new Map<string, number>();
  for (const line of lines(run.stdout)) {
    const [word, count] = line.split('\t');
    t.true(Number(count) === (last.get(word) ?? 0) + 1, `each update adds one: ${line}`);
    last.set(word, Number(count));
  }
  t.deepEqual(Object.fromEntries(last), { the: 4, river: 3, and: 1, weir: 2, holds: 1 });
});
