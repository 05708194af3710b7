import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import { SOCKET_BUFFER_HIGH_WATER_CHARS, SocketTextSourceReader } from '../../../api/sources/socket-text-source.ts';
import { WeirError } from '../../../messages/errors.ts';
import { recordsTo, runVertex, stepToEnd, subtaskOf, within } from '../helpers.ts';
import { operatorRuntime, readToEnd, stepUntil } from './source-fixtures.ts';

/** A local server on port 0 (like `nc -lk`) that runs `serve` for each connection; closed, connections and all, at teardown. */
async function listen(t: { teardown: (fn: () => Promise<void>) => void }, serve: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    for (const socket of connections) socket.destroy();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Writes `pieces` one by one, a turn apart, so they arrive as separate chunks; then ends. */
function sendInPieces(socket: Socket, pieces: readonly (string | Buffer)[]): void {
  let index = 0;
  const next = (): void => {
    if (index === pieces.length) return void socket.end();
    socket.write(pieces[index++], () => setTimeout(next, 2));
  };
  next();
}

test('socketTextStream reads the lines a local server sends and finishes when the server closes', async (t) => {
  const check = Buffer.from('✓');
  const { port } = await listen(t, (socket) =>
    sendInPieces(socket, ['fir', 'st\nsec', 'ond\r', '\n\nmulti', check.subarray(0, 1), check.subarray(1), 'byte\nlast without newline']),
  );
  const plan = await planJob((env) => void env.socketTextStream('127.0.0.1', port).map((line) => `<${line}>`).print(), []);
  const vertex = plan.graph.vertices[0];
  t.false(vertex.bounded);
  t.is(vertex.parallelism, 1);
  t.is(vertex.splits, undefined);
  t.deepEqual((await runVertex(plan)).stdout, [['<first>', '<second>', '<>', '<multi✓byte>', '<last without newline>']]);
});

test('a delimiter of several characters may be split across packets', async (t) => {
  const { port } = await listen(t, (socket) => sendInPieces(socket, ['a|', '|b||', 'c|', '|', '|d\r']));
  const plan = await planJob((env) => void env.socketTextStream('127.0.0.1', port, '||').print(), []);
  t.deepEqual((await runVertex(plan)).stdout, [['a', 'b', 'c', '|d\r']], "only the '\\n' delimiter drops a '\\r'");
});

test('a refused connection fails open() with SOURCE_CONNECTION_FAILED naming host:port', async (t) => {
  const { server, port } = await listen(t, () => {});
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const plan = await planJob((env) => void env.socketTextStream('127.0.0.1', port).uid('lines').print(), []);
  const subtask = subtaskOf(plan);
  const error = await t.throwsAsync(subtask.open(), { instanceOf: WeirError });
  t.is(error.code, 'SOURCE_CONNECTION_FAILED');
  t.is(error.message, `operator "Source: Socket Stream" (id "lines"): cannot connect to 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  await subtask.close();
});

test('a connection reset by the server fails the subtask with SOURCE_READ_FAILED naming host:port', async (t) => {
  let connection: Socket | undefined;
  const { port } = await listen(t, (socket) => {
    connection = socket;
    socket.write('partial line\nand more');
  });
  const seen: string[] = [];
  const plan = await planJob((env) => void env.socketTextStream('127.0.0.1', port).sinkTo((line: string) => void seen.push(line)), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  await stepUntil(subtask, () => seen.length === 1);
  connection?.resetAndDestroy();
  const error = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
  t.is(error.code, 'SOURCE_READ_FAILED');
  t.is(error.message, `operator "Source: Socket Stream" (id "source-socket-text-0"): reading from 127.0.0.1:${port} failed: read ECONNRESET`);
  t.deepEqual(seen, ['partial line'], 'complete records before the reset still went through');
  await subtask.close();
});

test('a full buffer pauses the socket, so the server is held back, and reading resumes it: every line arrives once, in order', async (t) => {
  // 32 MB: more than the loopback socket buffers of both ends can hold.
  const lineCount = 1_000_000;
  const line = (index: number): string => `line ${index} ${'x'.repeat(20)}`;
  let waitingForDrain = false;
  let written = 0;
  const { port } = await listen(t, (socket) => {
    const write = (): void => {
      waitingForDrain = false;
      while (written < lineCount) {
        let batch = '';
        for (let end = Math.min(lineCount, written + 1000); written < end; written++) batch += `${line(written)}\n`;
        if (!socket.write(batch)) {
          waitingForDrain = true;
          return void socket.once('drain', write);
        }
      }
      socket.end();
    };
    write();
  });
  const seen: string[] = [];
  const reader = new SocketTextSourceReader(operatorRuntime('Source: Socket Stream', 'socket'), { host: '127.0.0.1', port, delimiter: '\n' }, recordsTo<string>((value) => void seen.push(value)));
  await reader.open();
  // Nobody reads: the server stalls once the reader's buffer and both kernel buffers are full.
  let sampled = -1;
  let stalled = false;
  for (let sample = 0; sample < 100 && !stalled; sample++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    stalled = waitingForDrain && written === sampled;
    sampled = written;
  }
  t.true(stalled, 'the server was held back');
  t.true(written < lineCount, `the server wrote ${written} of ${lineCount} lines ahead of the reader`);
  t.true(reader.bufferedChars >= SOCKET_BUFFER_HIGH_WATER_CHARS, 'the buffer filled up');
  t.true(reader.bufferedChars < SOCKET_BUFFER_HIGH_WATER_CHARS + 128 * 1024, `${reader.bufferedChars} characters buffered`);
  await readToEnd(reader, 500);
  await reader.close();
  t.is(seen.length, lineCount);
  t.true(
    seen.every((value, index) => value === line(index)),
    'every line once, in order',
  );
});

test('cancel() closes the connection and wakes a waiting step; the server sees the close', async (t) => {
  let closedByPeer: Promise<void> | undefined;
  const { port } = await listen(t, (socket) => {
    closedByPeer = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.write('hello\n');
  });
  const seen: string[] = [];
  const plan = await planJob((env) => void env.socketTextStream('127.0.0.1', port).sinkTo((line: string) => void seen.push(line)), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  let result = subtask.step(10);
  while (seen.length === 0) {
    if (result.kind === 'wait') await within(result.until);
    result = subtask.step(10);
  }
  t.is(result.kind, 'wait', 'an open connection with nothing to read waits');
  subtask.cancel();
  if (result.kind === 'wait') await t.notThrowsAsync(within(result.until, 'the waiting step', 500));
  t.deepEqual(subtask.step(10), { kind: 'finished' });
  await subtask.close();
  await within(closedByPeer ?? Promise.reject(new Error('no connection')), 'the server seeing the close');
  t.deepEqual(seen, ['hello']);
});

test('socketTextStream checks its arguments when the pipeline is declared', async (t) => {
  const cases: [unknown, unknown, unknown, string][] = [
    ['', 9999, '\n', 'socketTextStream() needs a host name, got '],
    ['localhost', 0, '\n', 'socketTextStream() needs a port from 1 to 65535, got 0'],
    ['localhost', 70_000, '\n', 'socketTextStream() needs a port from 1 to 65535, got 70000'],
    ['localhost', 9999, '', 'socketTextStream() needs a non-empty delimiter, got ""'],
  ];
  for (const [host, port, delimiter, message] of cases) {
    const error = await t.throwsAsync(planJob((env) => void env.socketTextStream(host as string, port as number, delimiter as string).print(), []), { instanceOf: WeirError });
    t.is(error.code, 'INVALID_ARGUMENT');
    t.is(error.message, `operator "Source: Socket Stream" (id "source-socket-text-0"): ${message}`);
  }
});
