// WebSocket transport (ws, or wss with mutual TLS: tls.ts). Binary frames only; no per-message deflate (msgpack frames are small and
// CPU is the ceiling here). Client frames use an all-zero mask, which ws writes without the masking
// pass: the cluster's links are trusted loopback or private network (BASELINES.md, point 4).
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { WeirError, describeError } from '../../messages/errors.ts';
import type { Connection, ConnectionHandlers, FrameLimits, Listening, Transport } from './transport.ts';
import { closeSocket, sendOnSocket, setFrameLimit, terminateSocket } from './ws-socket.ts';
import { type TlsOptions, type TlsRefusal, type WsListener, dialWsOptions, listenWs } from './tls.ts';

/** The URL path systems connect to. */
export const WS_PATH = '/weir';
/** A peer that does not answer our close handshake is cut off after this. */
const CLOSE_GRACE_MS = 1000;

const zeroMask = (mask: Buffer): void => {
  mask.fill(0);
};

class WsConnection implements Connection {
  private handlers: ConnectionHandlers | undefined;
  private closed = false;

  /** @param fullFrameBytes the limit `peerKnown` sets; until then the socket takes the handshake limit set on it. */
  constructor(
    private readonly socket: WebSocket,
    readonly remote: string,
    private readonly fullFrameBytes?: number,
  ) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.close('text frame received; the weir protocol is binary');
        return;
      }
      try {
        this.handlers?.onFrame(data);
      } catch (error) {
        // Remoting's handlers are total; should one still throw, it costs this connection, not the process.
        this.close(`a frame handler failed: ${describeError(error)}`);
      }
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

  peerKnown(): void {
    if (this.fullFrameBytes !== undefined) setFrameLimit(this.socket, this.fullFrameBytes);
  }

  send(frame: Uint8Array): void {
    const failure = sendOnSocket(this.socket, frame);
    if (failure !== undefined) this.close(`send failed: ${failure}`);
  }

  close(reason: string): void {
    closeSocket(this.socket, reason, CLOSE_GRACE_MS);
    this.closedWith(`closed here: ${reason}`);
  }

  private closedWith(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers?.onClose(reason);
  }
}

export class WsTransport implements Transport {
  private listener: WsListener | undefined;
  private readonly sockets = new Set<WebSocket>();

  /**
   * @param tls mutual TLS (wss) for every connection, both ways; absent: plain ws.
   * @param onRefused called for each peer refused in the TLS handshake (no certificate of the cluster's CA).
   */
  constructor(
    private readonly tls?: TlsOptions,
    private readonly onRefused?: TlsRefusal,
  ) {}

  async listen(host: string, port: number, limits: FrameLimits, onConnection: (connection: Connection) => void): Promise<Listening> {
    // Sockets are made with the full limit; each is lowered to the handshake limit before its first
    // frame is read (ws reads in a later turn), and raised again by peerKnown.
    const { maxFrameBytes, maxHandshakeFrameBytes } = limits;
    const listener = listenWs({ host, port, path: WS_PATH, maxPayload: maxFrameBytes, ...(this.tls ? { tls: this.tls } : {}), ...(this.onRefused ? { onRefused: this.onRefused } : {}) });
    this.listener = listener;
    await listener.listening.catch((error: Error) => {
      throw new WeirError('CONNECTION_FAILED', `cannot listen on ${host}:${port}: ${error.message}`, { cause: error });
    });
    listener.server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      this.track(socket);
      setFrameLimit(socket, Math.min(maxHandshakeFrameBytes, maxFrameBytes));
      onConnection(new WsConnection(socket, `${request.socket.remoteAddress}:${request.socket.remotePort}`, maxFrameBytes));
    });
    return { host, port: listener.port() };
  }

  connect(host: string, port: number, maxFrameBytes: number, maxHandshakeFrameBytes = maxFrameBytes): Promise<Connection> {
    const { url, options } = dialWsOptions(host, port, WS_PATH, this.tls);
    const socket = new WebSocket(url, { ...options, maxPayload: maxFrameBytes, perMessageDeflate: false, generateMask: zeroMask });
    this.track(socket);
    socket.on('error', () => {}); // a second error while giving up must not go unhandled
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void =>
        reject(new WeirError('CONNECTION_FAILED', `cannot connect to ${host}:${port}: ${error.message}`, { cause: error }));
      socket.once('error', onError);
      socket.once('open', () => {
        socket.off('error', onError);
        // Lowered before ws reads the first frame (a later turn), raised by peerKnown.
        setFrameLimit(socket, Math.min(maxHandshakeFrameBytes, maxFrameBytes));
        resolve(new WsConnection(socket, `${host}:${port}`, maxFrameBytes));
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) terminateSocket(socket);
    this.sockets.clear();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await listener.close();
  }

  private track(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}
