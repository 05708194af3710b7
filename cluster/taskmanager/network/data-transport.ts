// The wire under the data plane: whole binary frames, in order, over one ws connection. As the actor
// transport (actors/remote/ws-transport.ts): no per-message deflate (batches are msgpack and the CPU
// is the ceiling), and an all-zero client mask, which ws writes without a masking pass, since the
// cluster's links are trusted loopback or private network (BASELINES.md, point 4). Its own path, so
// an actor system that dials a data port by mistake is refused at the upgrade.
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { type TlsOptions, type TlsRefusal, closeSocket, dialWsOptions, listenWs, sendOnSocket, setFrameLimit, terminateSocket } from '../../../actors/index.ts';
import { WeirError, describeError } from '../../../messages/errors.ts';

/** The URL path of a data server; carries the protocol version so that a mismatch fails the upgrade. */
export const DATA_PATH = '/weir-data/1';
/** Largest frame accepted; a batch encoding to more fails its channel with FRAME_TOO_LARGE. */
export const MAX_DATA_FRAME_BYTES = 64 * 1024 * 1024;
/**
 * Largest first frame of an accepted connection, before its Hello checked out: a Hello is a few
 * hundred bytes (its address is bounded: messages/data-plane.ts), so a peer not yet known cannot
 * make a data server buffer a batch-sized frame.
 */
export const MAX_DATA_HELLO_FRAME_BYTES = 4 * 1024;
/** How long dialling a data server (TCP connect plus ws upgrade) may take. */
export const DATA_CONNECT_TIMEOUT_MS = 10_000;
/** A peer that does not answer our close handshake is cut off after this. */
export const CLOSE_GRACE_MS = 1_000;

export interface DataLinkHandlers {
  onFrame(frame: Uint8Array): void;
  /** Called once, when either side closed or the link broke. */
  onClose(reason: string): void;
}

/** One connection carrying data frames. */
export interface DataLink {
  /** The peer's host:port as the socket sees it, for logs. */
  readonly remote: string;
  /** Frames arriving before this are held, and handed over here. */
  setHandlers(handlers: DataLinkHandlers): void;
  send(frame: Uint8Array): void;
  close(reason: string): void;
  /** The handshake checked out: the link takes frames up to the full limit from now on (before, MAX_DATA_HELLO_FRAME_BYTES). */
  peerKnown(): void;
}

const zeroMask = (mask: Buffer): void => {
  mask.fill(0);
};

class WsDataLink implements DataLink {
  private handlers: DataLinkHandlers | undefined;
  private held: Uint8Array[] = [];
  private closedReason: string | undefined;

  /** @param fullFrameBytes the limit `peerKnown` sets (the socket was given the Hello limit). */
  constructor(
    private readonly socket: WebSocket,
    readonly remote: string,
    private readonly fullFrameBytes?: number,
  ) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return this.close('a text frame arrived; the data protocol is binary');
      if (this.handlers) this.deliver(this.handlers, data);
      else this.held.push(data);
    });
    socket.on('close', (code: number, reason: Buffer) => this.closedWith(`closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
    socket.on('error', (error: Error & { code?: string }) => {
      const tooLarge = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      this.closedWith(tooLarge ? `FRAME_TOO_LARGE: ${error.message}` : `error: ${error.message}`);
    });
  }

  setHandlers(handlers: DataLinkHandlers): void {
    this.handlers = handlers;
    const held = this.held;
    this.held = [];
    for (const frame of held) this.deliver(handlers, frame);
    if (this.closedReason !== undefined) handlers.onClose(this.closedReason);
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

  private deliver(handlers: DataLinkHandlers, frame: Uint8Array): void {
    try {
      handlers.onFrame(frame);
    } catch (error) {
      // The data connection's handler is total; should it still throw, it costs this link, not the process.
      this.close(`a frame handler failed: ${describeError(error)}`);
    }
  }

  private closedWith(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.handlers?.onClose(reason);
  }
}

export interface DataListener {
  readonly port: number;
  /** Stops listening and cuts every accepted connection. */
  close(): Promise<void>;
}

/** Accepted links take frames of `maxHelloFrameBytes` at most until `peerKnown`, then of `maxFrameBytes`. With `tls`, wss with mutual TLS. */
export async function listenForData(
  host: string,
  port: number,
  limits: { readonly maxFrameBytes: number; readonly maxHelloFrameBytes: number },
  onLink: (link: DataLink) => void,
  tls?: { readonly options: TlsOptions; readonly onRefused?: TlsRefusal },
): Promise<DataListener> {
  const { maxFrameBytes, maxHelloFrameBytes } = limits;
  const listener = listenWs({ host, port, path: DATA_PATH, maxPayload: maxFrameBytes, ...(tls ? { tls: tls.options } : {}), ...(tls?.onRefused ? { onRefused: tls.onRefused } : {}) });
  await listener.listening.catch((error: Error) => {
    throw new WeirError('DATA_CONNECTION_FAILED', `cannot listen for data on ${formatDataAddress(host, port)}: ${error.message}`, { cause: error });
  });
  const { server } = listener;
  server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    setFrameLimit(socket, Math.min(maxHelloFrameBytes, maxFrameBytes)); // before ws reads the first frame, in a later turn
    onLink(new WsDataLink(socket, formatDataAddress(request.socket.remoteAddress ?? '?', request.socket.remotePort ?? 0), maxFrameBytes));
  });
  return {
    port: listener.port(),
    close: () => {
      for (const socket of server.clients) terminateSocket(socket);
      return listener.close();
    },
  };
}

/** Dials a data server at host:port; rejects with DATA_CONNECTION_FAILED naming it. */
export function dialData(address: string, maxFrameBytes: number, timeoutMs: number, tls?: TlsOptions): Promise<DataLink> {
  let socket: WebSocket;
  try {
    const { host, port } = parseDataAddress(address);
    const { url, options } = dialWsOptions(host, port, DATA_PATH, tls);
    socket = new WebSocket(url, { ...options, maxPayload: maxFrameBytes, perMessageDeflate: false, generateMask: zeroMask });
  } catch (error) {
    return Promise.reject(new WeirError('DATA_CONNECTION_FAILED', `cannot connect to the data server at ${address}: ${(error as Error).message}`, { cause: error }));
  }
  socket.on('error', () => {}); // a second error while giving up must not go unhandled
  return new Promise((resolve, reject) => {
    const failed = (reason: string, cause?: unknown): void => {
      clearTimeout(timer);
      terminateSocket(socket);
      reject(new WeirError('DATA_CONNECTION_FAILED', `cannot connect to the data server at ${address}: ${reason}`, { cause }));
    };
    const timer = setTimeout(() => failed(`no connection within ${timeoutMs} ms`), timeoutMs);
    const onError = (error: Error): void => failed(error.message, error);
    socket.once('error', onError);
    socket.once('open', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      // Until the listener's handshake checked out (peerKnown), a batch-sized frame is refused here too.
      setFrameLimit(socket, Math.min(MAX_DATA_HELLO_FRAME_BYTES, maxFrameBytes));
      resolve(new WsDataLink(socket, address, maxFrameBytes));
    });
  });
}

/** Splits 'host:port' (IPv6 hosts in brackets); throws INVALID_ADDRESS naming the text. */
export function parseDataAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) throw new WeirError('INVALID_ADDRESS', `data address "${address}" is not host:port`);
  return { host: match[1] ?? match[2], port };
}

export function formatDataAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
