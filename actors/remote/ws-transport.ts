// WebSocket transport (ws). Binary frames only; no per-message deflate (msgpack frames are small and
// CPU is the ceiling here). Client frames use an all-zero mask, which ws writes without the masking
// pass: the cluster's links are trusted loopback or private network (BASELINES.md, point 4).
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { WeirError } from '../../messages/errors.ts';
import type { Connection, ConnectionHandlers, Listening, Transport } from './transport.ts';

/** The URL path systems connect to. */
export const WS_PATH = '/weir';

const zeroMask = (mask: Buffer): void => {
  mask.fill(0);
};

class WsConnection implements Connection {
  private handlers: ConnectionHandlers | undefined;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    readonly remote: string,
  ) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.close('text frame received; the weir protocol is binary');
        return;
      }
      this.handlers?.onFrame(data);
    });
    socket.on('close', (code: number, reason: Buffer) => this.closedWith(`closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
    socket.on('error', (error: Error & { code?: string }) => {
      const tooLarge = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      this.closedWith(tooLarge ? `FRAME_TOO_LARGE: ${error.message}` : `error: ${error.message}`);
    });
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  setHandlers(handlers: ConnectionHandlers): void {
    this.handlers = handlers;
  }

  send(frame: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame, { binary: true, compress: false });
  }

  close(reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(1000, reason.slice(0, 120));
    }
    // A peer that does not answer the close handshake is cut off after a second.
    setTimeout(() => this.socket.terminate(), 1000).unref();
    this.closedWith(`closed here: ${reason}`);
  }

  private closedWith(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers?.onClose(reason);
  }
}

export class WsTransport implements Transport {
  private server: WebSocketServer | undefined;
  private readonly sockets = new Set<WebSocket>();

  async listen(host: string, port: number, maxFrameBytes: number, onConnection: (connection: Connection) => void): Promise<Listening> {
    const server = new WebSocketServer({ host, port, path: WS_PATH, maxPayload: maxFrameBytes, perMessageDeflate: false });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', (error: Error) =>
        reject(new WeirError('CONNECTION_FAILED', `cannot listen on ${host}:${port}: ${error.message}`, { cause: error })),
      );
    });
    server.on('error', () => {}); // after listening, errors surface per connection
    server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      this.track(socket);
      onConnection(new WsConnection(socket, `${request.socket.remoteAddress}:${request.socket.remotePort}`));
    });
    const address = server.address();
    const boundPort = typeof address === 'object' && address !== null ? address.port : port;
    return { host, port: boundPort };
  }

  connect(host: string, port: number, maxFrameBytes: number): Promise<Connection> {
    const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}${WS_PATH}`;
    const socket = new WebSocket(url, { maxPayload: maxFrameBytes, perMessageDeflate: false, generateMask: zeroMask });
    this.track(socket);
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void =>
        reject(new WeirError('CONNECTION_FAILED', `cannot connect to ${host}:${port}: ${error.message}`, { cause: error }));
      socket.once('error', onError);
      socket.once('open', () => {
        socket.off('error', onError);
        resolve(new WsConnection(socket, `${host}:${port}`));
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}
