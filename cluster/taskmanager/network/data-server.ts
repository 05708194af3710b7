// A TaskManager's data server and the RemoteConnector over it: listens for other TaskManagers' data
// connections (serving their partition requests from this TaskManager's partitions), and dials the
// producers of this TaskManager's remote input channels. One connection per pair of TaskManagers:
// a connection the peer dialled is reused for requests to it once its Hello named its address.
//
// Lifecycle: 'created' -> listen() -> 'listening' -> close() -> 'closed'. connect() works in every
// state but 'closed' (a connector that never listens can still dial; its Hello names no address).
import { AuthMonitor, type AuthSecret, type AuthStats, type Logger, type TlsOptions } from '../../../actors/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import type { ChannelLocation } from '../../../messages/task-manager.ts';
import { DataConnection, type DataConnectionHost, type PartitionServer } from './data-connection.ts';
import {
  DATA_CONNECT_TIMEOUT_MS,
  type DataListener,
  MAX_DATA_FRAME_BYTES,
  MAX_DATA_HELLO_FRAME_BYTES,
  dialData,
  formatDataAddress,
  listenForData,
} from './data-transport.ts';
import type { InputChannel } from './input-gate.ts';
import type { RemoteConnector } from './network-environment.ts';

export interface DataServerOptions {
  /** The host to listen on, also the host of the advertised data address. */
  readonly host: string;
  /** Default 0: any free port. */
  readonly port?: number;
  readonly log: Logger;
  /** Default MAX_DATA_FRAME_BYTES. */
  readonly maxFrameBytes?: number;
  /** Bounds dialling a data server, and then each connection's handshake, dialled or accepted. Default DATA_CONNECT_TIMEOUT_MS. */
  readonly connectTimeoutMs?: number;
  /**
   * The shared secret (security.auth.secret): every data connection, dialled or accepted, proves it
   * both ways before a frame other than the handshake's is decoded. Absent: no authentication.
   */
  readonly secret?: AuthSecret;
  /** Mutual TLS (security.ssl.internal.*): wss both ways, peers only with a certificate of the CA. Absent: plain ws. */
  readonly tls?: TlsOptions;
}

/** What a connector that never listened answers a peer's request with. */
const NO_PARTITIONS: PartitionServer = {
  serve: (partitionKey, request) => request.reader.fail(new WeirError('PARTITION_REQUEST_FAILED', `partition ${partitionKey}: this TaskManager serves no partitions`)),
};

export class DataServer implements RemoteConnector, DataConnectionHost {
  readonly log: Logger;
  readonly maxFrameBytes: number;
  readonly secret: AuthSecret | undefined;
  readonly auth: AuthMonitor;
  readonly handshakeTimeoutMs: number;
  private state: 'created' | 'listening' | 'closed' = 'created';
  private listener: DataListener | undefined;
  private address: string | null = null;
  private network: PartitionServer | undefined;
  /** The connection used for requests to each peer, by its data address. */
  private readonly byPeer = new Map<string, DataConnection>();
  /** Every connection not closed, dialled or accepted. */
  private readonly connections = new Set<DataConnection>();

  constructor(private readonly options: DataServerOptions) {
    this.log = options.log;
    this.maxFrameBytes = options.maxFrameBytes ?? MAX_DATA_FRAME_BYTES;
    this.secret = options.secret;
    this.auth = new AuthMonitor(options.log);
    this.handshakeTimeoutMs = options.connectTimeoutMs ?? DATA_CONNECT_TIMEOUT_MS;
  }

  /** Failed authentications of data connections, both ways. */
  get authStats(): AuthStats {
    return this.auth.stats;
  }

  get ownAddress(): string | null {
    return this.address;
  }

  get partitions(): PartitionServer {
    return this.network ?? NO_PARTITIONS;
  }

  /** Open connections, for specs and metrics. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Starts serving `network`'s partitions; resolves to the data address ('host:port') to register. */
  async listen(network: PartitionServer): Promise<string> {
    if (this.state !== 'created') throw new WeirError('INVALID_CONFIG', `the data server cannot listen: it is ${this.state}, not created`);
    this.network = network;
    const { host, port = 0 } = this.options;
    this.listener = await listenForData(host, port, { maxFrameBytes: this.maxFrameBytes, maxHelloFrameBytes: MAX_DATA_HELLO_FRAME_BYTES }, (link) => {
      if (this.state !== 'listening') return link.close('the data server is closing');
      this.connections.add(new DataConnection(this, link.remote, link));
    }, this.options.tls ? { options: this.options.tls, onRefused: (remote, reason) => this.auth.tlsRefused(remote, reason) } : undefined);
    this.state = 'listening';
    this.address = formatDataAddress(host, this.listener.port);
    this.log.info(`data server listening on ${this.address}`);
    return this.address;
  }

  connect(location: ChannelLocation, channel: InputChannel, credits: number): void {
    const { dataAddress } = location;
    if (this.state === 'closed' || dataAddress === null) {
      const why = dataAddress === null ? `${location.resourceId} has no data address` : 'the data server here is closed';
      channel.fail(new WeirError('DATA_CONNECTION_FAILED', `cannot request partition ${location.partitionKey} (subpartition ${location.subpartition}) of ${location.resourceId}: ${why}`));
      return;
    }
    let connection = this.byPeer.get(dataAddress);
    if (!connection) {
      const dialled = new DataConnection(this, dataAddress);
      connection = dialled;
      this.byPeer.set(dataAddress, dialled);
      this.connections.add(dialled);
      dialData(dataAddress, this.maxFrameBytes, this.handshakeTimeoutMs, this.options.tls).then(
        (link) => dialled.opened(link),
        (error: Error) => {
          this.log.warn(`cannot reach the data server at ${dataAddress}: ${error.message}`, { code: 'DATA_CONNECTION_FAILED', peer: dataAddress });
          dialled.connectFailed(error);
        },
      );
    }
    connection.request(location, channel, credits);
  }

  releaseJob(jobId: string): void {
    for (const connection of this.connections) connection.releaseJob(jobId);
  }

  /** Readers serving other TaskManagers' channels, over every connection: for specs and metrics. */
  get readerCount(): number {
    let readers = 0;
    for (const connection of this.connections) readers += connection.readerCount;
    return readers;
  }

  greeted(connection: DataConnection, dataAddress: string): void {
    // Two TaskManagers dialling each other at once keep both connections; each uses its own.
    if (!this.byPeer.has(dataAddress)) this.byPeer.set(dataAddress, connection);
  }

  closed(connection: DataConnection): void {
    this.connections.delete(connection);
    if (this.byPeer.get(connection.peer) === connection) this.byPeer.delete(connection.peer);
  }

  /** Stops listening and closes every connection; channels still reading fail naming their peer. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const connection of [...this.connections]) connection.close('the data server is closing');
    this.byPeer.clear();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
  }
}
