// An in-process transport for specs: connections are pairs of queues delivered in later macrotasks,
// so remoting logic (handshakes, coalescing, watch, quarantine, bad frames) runs fast and exactly
// as over ws. Listeners live in one `MemoryNetwork`; `partition` and `heal` cut and restore links.
import { WeirError } from '../../messages/errors.ts';
import type { Connection, ConnectionHandlers, FrameLimits, Listening, Transport } from './transport.ts';

class MemoryConnection implements Connection {
  peer!: MemoryConnection;
  private handlers: ConnectionHandlers | undefined;
  private readonly inbox: Uint8Array[] = [];
  private closed = false;
  bufferedAmount = 0;

  /** The limit now: an accepted connection's handshake limit until peerKnown. */
  private frameLimit: number;

  constructor(
    readonly remote: string,
    private readonly maxFrameBytes: number,
    readonly network: MemoryNetwork,
    handshakeFrameBytes = maxFrameBytes,
  ) {
    this.frameLimit = Math.min(handshakeFrameBytes, maxFrameBytes);
  }

  peerKnown(): void {
    this.frameLimit = this.maxFrameBytes;
  }

  setHandlers(handlers: ConnectionHandlers): void {
    this.handlers = handlers;
    this.deliverLater();
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.network.isPartitioned(this)) return;
    this.peer.receive(frame.slice());
  }

  close(reason: string): void {
    this.closeWith(`closed here: ${reason}`);
    setImmediate(() => this.peer.closeWith(`closed by peer: ${reason}`));
  }

  private receive(frame: Uint8Array): void {
    if (this.closed) return;
    if (frame.length > this.frameLimit) {
      this.close(`FRAME_TOO_LARGE: ${frame.length} bytes exceeds ${this.frameLimit}`);
      return;
    }
    this.inbox.push(frame);
    if (this.inbox.length === 1) this.deliverLater();
  }

  private deliverLater(): void {
    setImmediate(() => {
      while (this.inbox.length > 0 && this.handlers && !this.closed) this.handlers.onFrame(this.inbox.shift() as Uint8Array);
    });
  }

  closeWith(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox.length = 0;
    this.handlers?.onClose(reason);
  }
}

/** One in-memory network: listeners by host:port. */
export class MemoryNetwork {
  private readonly listeners = new Map<string, { onConnection: (c: Connection) => void; limits: FrameLimits }>();
  private readonly partitioned = new Set<string>();
  private nextPort = 20_000;

  transport(): Transport {
    return new MemoryTransport(this);
  }

  /** Frames between `a` and `b` (host:port) are silently lost until `heal`. */
  partition(a: string, b: string): void {
    this.partitioned.add(`${a}|${b}`).add(`${b}|${a}`);
  }

  heal(a: string, b: string): void {
    this.partitioned.delete(`${a}|${b}`);
    this.partitioned.delete(`${b}|${a}`);
  }

  isPartitioned(connection: MemoryConnection): boolean {
    return this.partitioned.size > 0 && this.partitioned.has(`${connection.remote}|${connection.peer.remote}`);
  }

  listen(host: string, port: number, limits: FrameLimits, onConnection: (c: Connection) => void): Listening {
    const bound = port === 0 ? this.nextPort++ : port;
    const key = `${host}:${bound}`;
    if (this.listeners.has(key)) throw new WeirError('CONNECTION_FAILED', `cannot listen on ${key}: address in use`);
    this.listeners.set(key, { onConnection, limits });
    return { host, port: bound };
  }

  unlisten(key: string): void {
    this.listeners.delete(key);
  }

  connect(host: string, port: number, maxFrameBytes: number, maxHandshakeFrameBytes: number, local: string): MemoryConnection {
    const key = `${host}:${port}`;
    const listener = this.listeners.get(key);
    if (!listener) throw new WeirError('CONNECTION_FAILED', `cannot connect to ${key}: connection refused`, { cause: { code: 'ECONNREFUSED' } });
    const client = new MemoryConnection(key, maxFrameBytes, this, maxHandshakeFrameBytes);
    const server = new MemoryConnection(local, listener.limits.maxFrameBytes, this, listener.limits.maxHandshakeFrameBytes);
    client.peer = server;
    server.peer = client;
    listener.onConnection(server);
    return client;
  }
}

class MemoryTransport implements Transport {
  private listening: string | undefined;
  private readonly connections = new Set<MemoryConnection>();
  private static clientCounter = 0;

  constructor(private readonly network: MemoryNetwork) {}

  async listen(host: string, port: number, limits: FrameLimits, onConnection: (c: Connection) => void): Promise<Listening> {
    const listening = this.network.listen(host, port, limits, (connection) => {
      this.connections.add(connection as MemoryConnection);
      onConnection(connection);
    });
    this.listening = `${listening.host}:${listening.port}`;
    return listening;
  }

  async connect(host: string, port: number, maxFrameBytes: number, maxHandshakeFrameBytes = maxFrameBytes): Promise<Connection> {
    await new Promise((resolve) => setImmediate(resolve));
    const local = this.listening ?? `client-${MemoryTransport.clientCounter++}`;
    const connection = this.network.connect(host, port, maxFrameBytes, maxHandshakeFrameBytes, local);
    this.connections.add(connection);
    return connection;
  }

  async close(): Promise<void> {
    if (this.listening) this.network.unlisten(this.listening);
    for (const connection of this.connections) connection.close('transport closed');
    this.connections.clear();
  }
}
