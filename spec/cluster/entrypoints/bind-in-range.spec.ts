// A TaskManager whose configured port is taken binds the next free one of its range; any other
// failure, or a range with every port taken, stops it with a reason naming the key and the range.
import test from 'ava';
import { createServer } from 'node:net';
import { bindInRange } from '../../../cluster/entrypoints/bind-in-range.ts';
import { parseConfig } from '../../../cluster/config.ts';
import { WeirError } from '../../../messages/errors.ts';

function inUse(port: number): WeirError {
  const cause = Object.assign(new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`), { code: 'EADDRINUSE' });
  return new WeirError('CONNECTION_FAILED', `cannot listen on 127.0.0.1:${port}: ${cause.message}`, { cause });
}

const rangeOf = (text: string) => parseConfig(`taskmanager.rpc.port: "${text}"`, 'weir.yaml').taskManagerRpcPorts;

test('a port in use moves on to the next of the range, in order, across the parts of a list', async (t) => {
  const tried: number[] = [];
  const taken = new Set([50100, 50101, 50200]);
  const bound = await bindInRange(rangeOf('50100-50101,50200-50202'), 'taskmanager.rpc.port', async (port) => {
    tried.push(port);
    if (taken.has(port)) throw inUse(port);
    return port;
  });
  t.is(bound, 50201);
  t.deepEqual(tried, [50100, 50101, 50200, 50201]);
});

test('0 binds once, to any free port', async (t) => {
  const tried: number[] = [];
  t.is(await bindInRange(rangeOf('0'), 'taskmanager.rpc.port', async (port) => (tried.push(port), 'bound')), 'bound');
  t.deepEqual(tried, [0]);
});

test('a failure other than a port in use stops at once', async (t) => {
  const tried: number[] = [];
  const error = await t.throwsAsync(
    bindInRange(rangeOf('50100-50105'), 'taskmanager.rpc.port', async (port) => {
      tried.push(port);
      throw new WeirError('CONNECTION_FAILED', 'cannot listen on 10.9.9.9:50100: listen EADDRNOTAVAIL');
    }),
    { instanceOf: WeirError },
  );
  t.is(error?.message, 'cannot listen on 10.9.9.9:50100: listen EADDRNOTAVAIL');
  t.deepEqual(tried, [50100]);
});

test('every port of the range in use: CONNECTION_FAILED naming the key, the range and the last reason', async (t) => {
  const error = await t.throwsAsync(
    bindInRange(rangeOf('50100-50102'), 'taskmanager.data.port', async (port) => {
      throw inUse(port);
    }),
    { instanceOf: WeirError },
  );
  t.is(error?.code, 'CONNECTION_FAILED');
  t.is(error?.message, 'no free port in taskmanager.data.port: 50100-50102 (cannot listen on 127.0.0.1:50102: listen EADDRINUSE: address already in use 127.0.0.1:50102)');
});

test('with real sockets: a taken port is skipped for the next one', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const takenPort = (blocker.address() as { port: number }).port;
  const listen = (port: number) =>
    new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', (cause: Error) => reject(new WeirError('CONNECTION_FAILED', `cannot listen on 127.0.0.1:${port}`, { cause })));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  // The port after the taken one may be taken too on a busy machine: a range of ten leaves room.
  const server = await bindInRange([{ from: takenPort, to: Math.min(takenPort + 10, 65535) }], 'taskmanager.rpc.port', listen);
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const bound = (server.address() as { port: number }).port;
  t.true(bound > takenPort && bound <= takenPort + 10, `bound ${bound}, taken ${takenPort}`);
});
