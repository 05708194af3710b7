// A fake TaskManager on the data protocol for the bad-path specs: a raw ws server or client that
// decodes what it gets and writes whatever bytes a spec wants.
import type { ExecutionContext } from 'ava';
import { WebSocket, WebSocketServer } from 'ws';
import { DATA_PATH } from '../../../../cluster/taskmanager/network/data-transport.ts';
import { decode, encode } from '../../../../messages/codec.ts';
import { within } from './helpers.ts';

export interface RawSocket {
  readonly frames: unknown[];
  /** Resolves with the close code once the socket closed. */
  readonly closed: Promise<number>;
  /** Resolves with the close reason the peer sent ('' when none) once the socket closed. */
  readonly reason: Promise<string>;
  /** The `index`th frame received (0-based), waiting for it. */
  frame(index: number, ms?: number): Promise<unknown>;
  send(frame: unknown): void;
  sendBytes(bytes: Uint8Array | string): void;
  /** Cuts the TCP connection without a close frame. */
  terminate(): void;
}

function wrap(socket: WebSocket): RawSocket {
  const frames: unknown[] = [];
  const waiters: Array<() => void> = [];
  socket.binaryType = 'nodebuffer';
  socket.on('message', (data: Buffer) => {
    frames.push(decode(data));
    waiters.splice(0).forEach((wake) => wake());
  });
  socket.on('error', () => {});
  const closedWith = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  const closed = closedWith.then(({ code }) => code);
  const reason = closedWith.then((notice) => notice.reason);
  const frame = async (index: number, ms = 2000): Promise<unknown> => {
    const deadline = Date.now() + ms;
    while (frames.length <= index) await within(new Promise<void>((wake) => waiters.push(wake)), Math.max(1, deadline - Date.now()), `frame ${index}`);
    return frames[index];
  };
  return {
    frames,
    closed,
    reason,
    frame,
    send: (value) => socket.send(encode(value)),
    sendBytes: (bytes) => socket.send(bytes),
    terminate: () => socket.terminate(),
  };
}

/** Dials a data server as a raw client. */
export async function rawClient(t: ExecutionContext, address: string): Promise<RawSocket> {
  const socket = new WebSocket(`ws://${address}${DATA_PATH}`, { perMessageDeflate: false });
  t.teardown(() => socket.terminate());
  await within(new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject)), 2000, 'the raw client to connect');
  return wrap(socket);
}

/** A raw data server; `accepted` resolves with the first connection. */
export async function rawServer(t: ExecutionContext): Promise<{ address: string; accepted: Promise<RawSocket> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: DATA_PATH, perMessageDeflate: false });
  t.teardown(() => new Promise<void>((resolve) => {
    for (const client of server.clients) client.terminate();
    server.close(() => resolve());
  }));
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const accepted = new Promise<RawSocket>((resolve) => server.once('connection', (socket: WebSocket) => resolve(wrap(socket))));
  return { address: `127.0.0.1:${port}`, accepted };
}
