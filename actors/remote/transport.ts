// The wire under remoting: whole frames as bytes, in order, over one duplex connection. WebSocket
// implements it for real (ws-transport.ts); an in-memory transport lets specs run remoting fast.

export interface ConnectionHandlers {
  onFrame(frame: Uint8Array): void;
  /** Called once, when either side closed or the link broke. */
  onClose(reason: string): void;
}

export interface Connection {
  /** The peer's host:port as seen by the socket, for logs. */
  readonly remote: string;
  /** Bytes handed to send() and not yet written to the network. */
  readonly bufferedAmount: number;
  setHandlers(handlers: ConnectionHandlers): void;
  send(frame: Uint8Array): void;
  close(reason: string): void;
  /**
   * The handshake checked out: frames up to `maxFrameBytes` are accepted from now on. Until then a
   * connection takes frames of `maxHandshakeFrameBytes` at most (accepted: the peer's hello and
   * proof; dialled: the acceptor's answers), so nothing large is buffered for a peer not yet known.
   */
  peerKnown(): void;
}

/** How large a frame a listening transport accepts, before and after a connection's hello. */
export interface FrameLimits {
  /** A larger frame closes the connection (FRAME_TOO_LARGE). */
  readonly maxFrameBytes: number;
  /** The same before `peerKnown`: nothing large is buffered for a peer not yet known. */
  readonly maxHandshakeFrameBytes: number;
}

export interface Listening {
  readonly host: string;
  readonly port: number;
}

export interface Transport {
  listen(host: string, port: number, limits: FrameLimits, onConnection: (connection: Connection) => void): Promise<Listening>;
  /** `maxHandshakeFrameBytes` (default: the full size) bounds the frames read until `peerKnown`. */
  connect(host: string, port: number, maxFrameBytes: number, maxHandshakeFrameBytes?: number): Promise<Connection>;
  /** Stops listening and closes every connection this transport made or accepted. */
  close(): Promise<void>;
}
