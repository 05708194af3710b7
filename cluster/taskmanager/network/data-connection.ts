// One data connection between two TaskManagers, multiplexing channels both ways: this side's input
// channels that read the peer's partitions ("consumed"), and the readers serving the peer's channels
// from partitions here ("readers"). The protocol is in messages/data-plane.ts.
//
// Lifecycle: 'connecting' (dialling; frames are queued) -> 'open' -> 'closed'. On close every channel
// consumed here that has not seen its End or Failed fails naming the peer and the partition; the
// readers go quiet (their subpartitions are released with the job).
// Invariants: a consumed channel gets its batches in order and exactly once, then End or one failure;
// an accepted connection's first frame is Hello; a protocol error closes the connection, logged.
import type { Logger } from '../../../actors/index.ts';
import { decode, encode } from '../../../messages/codec.ts';
import { DATA_PROTOCOL_VERSION, type DataFrame, DataFrameKind, parseDataFrame } from '../../../messages/data-plane.ts';
import { type ErrorCode, WeirError, describeError } from '../../../messages/errors.ts';
import type { ChannelLocation } from '../../../messages/task-manager.ts';
import { type DataLink, parseDataAddress } from './data-transport.ts';
import type { InputChannel } from './input-gate.ts';
import type { ServeRequest } from './network-environment.ts';
import { type ReaderConnection, RemoteSubpartitionReader } from './remote-reader.ts';

/** Serves partition requests from this TaskManager's partitions (the NetworkEnvironment). */
export interface PartitionServer {
  serve(partitionKey: string, request: ServeRequest): void;
}

export interface DataConnectionHost {
  readonly log: Logger;
  readonly maxFrameBytes: number;
  readonly partitions: PartitionServer;
  /** This TaskManager's data address, sent in the Hello of a connection it dials. */
  readonly ownAddress: string | null;
  /** An accepted connection's Hello named the dialler's data address. */
  greeted(connection: DataConnection, dataAddress: string): void;
  /** The connection closed; forget it. */
  closed(connection: DataConnection): void;
}

interface ConsumedChannel {
  readonly channel: InputChannel;
  readonly location: ChannelLocation;
}

export type DataConnectionState = 'connecting' | 'open' | 'closed';

export class DataConnection implements ReaderConnection {
  state: DataConnectionState;
  /** The peer's data address when known (dialled, or named by its Hello), else its socket address. */
  peer: string;
  private link: DataLink | undefined;
  private queued: Uint8Array[] = [];
  private readonly consumed = new Map<number, ConsumedChannel>();
  private readonly readers = new Map<number, RemoteSubpartitionReader>();
  private nextChannelId = 0;
  private helloReceived = false;
  /** Accepted from a dialler (which must say Hello first), rather than dialled here. */
  readonly accepted: boolean;

  /** A dialled connection starts 'connecting' (call `opened` or `connectFailed`); an accepted one is given its link. */
  constructor(
    private readonly host: DataConnectionHost,
    peer: string,
    acceptedLink?: DataLink,
  ) {
    this.peer = peer;
    this.accepted = acceptedLink !== undefined;
    this.state = this.accepted ? 'open' : 'connecting';
    if (acceptedLink) this.useLink(acceptedLink);
  }

  get maxFrameBytes(): number {
    return this.host.maxFrameBytes;
  }

  /** Asks the peer for one subpartition; its batches go to `channel`, which grants `credits` at first. */
  request(location: ChannelLocation, channel: InputChannel, credits: number): void {
    if (this.state === 'closed') {
      channel.fail(channelError('DATA_CONNECTION_LOST', 'cannot request', location, this.peer, 'the data connection is closed'));
      return;
    }
    const channelId = this.nextChannelId++;
    this.consumed.set(channelId, { channel, location });
    channel.creditSink = (granted) => {
      if (this.consumed.has(channelId)) this.send(encode([DataFrameKind.Credit, channelId, granted]));
    };
    this.send(encode([DataFrameKind.PartitionRequest, channelId, location.partitionKey, location.subpartition, credits]));
  }

  opened(link: DataLink): void {
    if (this.state !== 'connecting') return link.close('no longer needed');
    this.state = 'open';
    this.useLink(link);
    link.send(encode([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, this.host.ownAddress]));
    const queued = this.queued;
    this.queued = [];
    for (const frame of queued) link.send(frame);
  }

  connectFailed(error: Error): void {
    if (this.state !== 'connecting') return;
    this.shutdown('DATA_CONNECTION_FAILED', 'cannot reach', describeError(error), error);
  }

  send(frame: Uint8Array): void {
    if (this.state === 'open') (this.link as DataLink).send(frame);
    else if (this.state === 'connecting') this.queued.push(frame);
  }

  served(channelId: number): void {
    this.readers.delete(channelId);
  }

  /** The job is over here: readers still serving its partitions fail their channel (the consumer hears why) and are forgotten. */
  releaseJob(jobId: string): void {
    const prefix = `${jobId}/`;
    for (const reader of [...this.readers.values()]) {
      if (reader.partitionKey.startsWith(prefix)) reader.fail(new WeirError('PARTITION_RELEASED', `${reader.label}: its job was released at the producer`));
    }
  }

  /** Readers serving the peer's channels, for specs and metrics. */
  get readerCount(): number {
    return this.readers.size;
  }

  close(reason: string, cause?: unknown): void {
    if (this.state === 'closed') return;
    const link = this.link;
    this.shutdown('DATA_CONNECTION_LOST', 'data connection lost before the end of', reason, cause);
    link?.close(reason);
  }

  private useLink(link: DataLink): void {
    this.link = link;
    link.setHandlers({
      onFrame: (bytes) => this.onFrame(bytes),
      onClose: (reason) => {
        if (this.state === 'closed') return;
        if (this.consumed.size > 0 || this.readers.size > 0) {
          this.host.log.warn(`data connection to ${this.peer} lost: ${reason}`, { code: 'DATA_CONNECTION_LOST', peer: this.peer });
        } else if (this.accepted && !this.helloReceived && reason.includes('FRAME_TOO_LARGE')) {
          // A first frame over the Hello limit never reaches onFrame: say why the connection went.
          this.host.log.warn(`closed the data connection from ${this.peer} before its Hello: ${reason}`, { code: 'FRAME_TOO_LARGE', peer: this.peer });
        }
        this.shutdown('DATA_CONNECTION_LOST', 'data connection lost before the end of', reason);
      },
    });
  }

  private onFrame(bytes: Uint8Array): void {
    if (this.state !== 'open') return;
    try {
      this.dispatch(parseDataFrame(decode(bytes)));
    } catch (error) {
      const code = error instanceof WeirError ? error.code : 'MALFORMED_FRAME';
      this.host.log.error(`closing the data connection to ${this.peer}: ${describeError(error)}`, { code, peer: this.peer });
      this.close(`${code}: ${describeError(error)}`, error);
    }
  }

  private dispatch(frame: DataFrame): void {
    if (this.accepted && !this.helloReceived && frame[0] !== DataFrameKind.Hello) {
      throw new WeirError('MALFORMED_FRAME', `the first frame from ${this.peer} is kind ${frame[0]}, not Hello`);
    }
    switch (frame[0]) {
      case DataFrameKind.Hello: {
        if (!this.accepted || this.helloReceived) throw new WeirError('MALFORMED_FRAME', `unexpected Hello from ${this.peer}`);
        const [, version, dataAddress] = frame;
        if (version !== DATA_PROTOCOL_VERSION) {
          throw new WeirError('PROTOCOL_VERSION_MISMATCH', `${this.peer} speaks data protocol ${version}, this TaskManager ${DATA_PROTOCOL_VERSION}`);
        }
        // It becomes the key this connection is found by: it must be an address (INVALID_ADDRESS).
        if (dataAddress !== null) parseDataAddress(dataAddress);
        this.helloReceived = true;
        this.link?.peerKnown();
        if (dataAddress !== null) {
          this.peer = dataAddress;
          this.host.greeted(this, dataAddress);
        }
        return;
      }
      case DataFrameKind.PartitionRequest: {
        const [, channelId, partitionKey, subpartition, credits] = frame;
        if (this.readers.has(channelId)) throw new WeirError('MALFORMED_FRAME', `${this.peer} requested channel ${channelId} twice`);
        const reader = new RemoteSubpartitionReader(this, channelId, partitionKey, subpartition);
        this.readers.set(channelId, reader);
        this.host.partitions.serve(partitionKey, { subpartition, reader, credits, onAttached: (attachment) => reader.attached(attachment) });
        return;
      }
      case DataFrameKind.Batch:
        this.consumedChannel(frame[1], 'Batch').channel.deliver({ records: frame[2], timestamps: frame[3], events: frame[4] });
        return;
      case DataFrameKind.End: {
        const { channel } = this.consumedChannel(frame[1], 'End');
        this.consumed.delete(frame[1]);
        channel.end();
        return;
      }
      case DataFrameKind.Credit:
        // A credit may cross the End of its channel: unknown ids are ignored here.
        this.readers.get(frame[1])?.grant(frame[2]);
        return;
      case DataFrameKind.Failed: {
        const [, channelId, code, message] = frame;
        const { channel, location } = this.consumedChannel(channelId, 'Failed');
        this.consumed.delete(channelId);
        channel.fail(channelError(code, 'the producer cannot serve', location, this.peer, message));
        return;
      }
      default: {
        const impossible: never = frame;
        return impossible;
      }
    }
  }

  private consumedChannel(channelId: number, kind: string): ConsumedChannel {
    const consumed = this.consumed.get(channelId);
    if (!consumed) throw new WeirError('MALFORMED_FRAME', `${kind} frame from ${this.peer} names channel ${channelId}, which is not open`);
    return consumed;
  }

  /** Closes this connection's state: fails every channel not ended, silences the readers. */
  private shutdown(code: ErrorCode, what: string, reason: string, cause?: unknown): void {
    this.state = 'closed';
    this.queued = [];
    for (const { channel, location } of this.consumed.values()) channel.fail(channelError(code, what, location, this.peer, reason, cause));
    this.consumed.clear();
    for (const reader of this.readers.values()) reader.closed();
    this.readers.clear();
    this.host.closed(this);
  }
}

/** E.g. `DATA_CONNECTION_LOST: data connection lost before the end of partition j/a/0/b/0 (subpartition 1) of tm-b at 127.0.0.1:4242: closed (1006)`. */
function channelError(code: ErrorCode, what: string, location: ChannelLocation, peer: string, reason: string, cause?: unknown): WeirError {
  const message = `${what} partition ${location.partitionKey} (subpartition ${location.subpartition}) of ${location.resourceId} at ${peer}: ${reason}`;
  return new WeirError(code, message, cause === undefined ? undefined : { cause });
}
