// One data connection between two TaskManagers, multiplexing channels both ways: this side's input
// channels that read the peer's partitions ("consumed"), and the readers serving the peer's channels
// from partitions here ("readers"). The protocol is in messages/data-plane.ts.
//
// Lifecycle: 'connecting' (dialling; frames are queued) -> 'handshake' (data-handshake.ts: the Hello,
// and with a secret the proofs; frames still queued, nothing but handshake frames decoded) -> 'open'
// -> 'closed'. On close every channel consumed here that has not seen its End or Failed fails naming
// the peer and the partition; the readers go quiet (their subpartitions are released with the job).
// Invariants: a consumed channel gets its batches in order and exactly once, then End or one failure;
// an accepted connection's first frame is Hello; a protocol error closes the connection, logged; a
// failed authentication too, logged once per peer and counted (DataServer.authStats).
import { type AuthMonitor, type AuthSecret, type Logger, hostOf, isAuthRefusalCode } from '../../../actors/index.ts';
import type { RecordBatch } from '../../../api/runtime/subtask.ts';
import { decode, encode } from '../../../messages/codec.ts';
import { DATA_PROTOCOL_VERSION, type DataFrame, DataFrameKind, parseDataFrame } from '../../../messages/data-plane.ts';
import { type ErrorCode, WeirError, describeError } from '../../../messages/errors.ts';
import type { ChannelLocation } from '../../../messages/task-manager.ts';
import { DiallingHandshake, type HandshakeStep, ListeningHandshake } from './data-handshake.ts';
import type { DataLink } from './data-transport.ts';
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
  /** The shared secret (security.auth.secret): every connection proves it both ways. */
  readonly secret: AuthSecret | undefined;
  /** Counts failed authentications and logs each peer's first. */
  readonly auth: AuthMonitor;
  /** How long a connection's handshake may take, from the link being up to 'open'. */
  readonly handshakeTimeoutMs: number;
  /** An accepted connection's Hello named the dialler's data address. */
  greeted(connection: DataConnection, dataAddress: string): void;
  /** The connection closed; forget it. */
  closed(connection: DataConnection): void;
}

interface ConsumedChannel {
  readonly channel: InputChannel;
  readonly location: ChannelLocation;
}

export type DataConnectionState = 'connecting' | 'handshake' | 'open' | 'closed';

export class DataConnection implements ReaderConnection {
  state: DataConnectionState;
  /** The peer's data address when known (dialled, or named by its Hello), else its socket address. */
  peer: string;
  private link: DataLink | undefined;
  private queued: Uint8Array[] = [];
  private readonly consumed = new Map<number, ConsumedChannel>();
  private readonly readers = new Map<number, RemoteSubpartitionReader>();
  private nextChannelId = 0;
  /** Set while the handshake goes on (state 'handshake'). */
  private handshake: ListeningHandshake | DiallingHandshake | undefined;
  /** Bounds the handshake: a peer that says nothing (or a listener that never answers) costs a connection for that long only. */
  private handshakeTimer: NodeJS.Timeout | undefined;
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
    this.state = this.accepted ? 'handshake' : 'connecting';
    if (acceptedLink) {
      // An accepted connection is never dialled by this side, so it has a listening address.
      this.handshake = new ListeningHandshake(host.secret, host.ownAddress ?? '', peer, (frame) => acceptedLink.send(frame));
      this.useLink(acceptedLink);
    }
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
    this.useLink(link);
    const { secret, ownAddress } = this.host;
    if (secret) {
      // Requests wait until the listener proved itself: they name partitions of our jobs.
      this.state = 'handshake';
      this.handshake = new DiallingHandshake(secret, ownAddress, this.peer, (frame) => link.send(frame));
      return;
    }
    link.send(encode([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, ownAddress, null]));
    this.open();
  }

  /** The handshake is over: frames of the full size are taken, and what waited is sent. */
  private open(): void {
    const link = this.link as DataLink;
    this.state = 'open';
    this.handshake = undefined;
    clearTimeout(this.handshakeTimer);
    link.peerKnown();
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
    else if (this.state !== 'closed') this.queued.push(frame);
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
  /** Channels this connection carries, both ways: 0 is an idle connection. */
  get channelCount(): number {
    return this.consumed.size + this.readers.size;
  }

  get readerCount(): number {
    return this.readers.size;
  }

  close(reason: string, cause?: unknown, code: 'DATA_CONNECTION_LOST' | 'AUTHENTICATION_FAILED' | 'DATA_CONNECTION_FAILED' = 'DATA_CONNECTION_LOST'): void {
    if (this.state === 'closed') return;
    const link = this.link;
    const what = code === 'DATA_CONNECTION_LOST' ? 'data connection lost before the end of' : 'cannot read';
    this.shutdown(code, what, reason, cause);
    link?.close(reason);
  }

  private useLink(link: DataLink): void {
    this.link = link;
    const { handshakeTimeoutMs } = this.host;
    this.handshakeTimer = setTimeout(() => {
      if (this.state !== 'handshake') return;
      const reason = `no ${this.accepted ? 'Hello' : 'answer to the handshake'} within ${handshakeTimeoutMs} ms`;
      this.host.log.warn(`closing the data connection ${this.accepted ? 'from' : 'to'} ${this.peer}: ${reason}`, { code: 'HANDSHAKE_TIMEOUT', peer: this.peer });
      this.close(`HANDSHAKE_TIMEOUT: ${reason}`, undefined, 'DATA_CONNECTION_FAILED');
    }, handshakeTimeoutMs);
    this.handshakeTimer.unref();
    link.setHandlers({
      onFrame: (bytes) => this.onFrame(bytes),
      onClose: (reason) => {
        if (this.state === 'closed') return;
        if (this.consumed.size > 0 || this.readers.size > 0) {
          this.host.log.warn(`data connection to ${this.peer} lost: ${reason}`, { code: 'DATA_CONNECTION_LOST', peer: this.peer });
        } else if (this.accepted && this.state === 'handshake' && reason.includes('FRAME_TOO_LARGE')) {
          // A first frame over the Hello limit never reaches onFrame: say why the connection went.
          this.host.log.warn(`closed the data connection from ${this.peer} before its Hello: ${reason}`, { code: 'FRAME_TOO_LARGE', peer: this.peer });
        }
        this.shutdown('DATA_CONNECTION_LOST', 'data connection lost before the end of', reason);
      },
    });
  }

  private onFrame(bytes: Uint8Array): void {
    if (this.state !== 'open' && this.state !== 'handshake') return;
    try {
      const frame = parseDataFrame(decode(bytes));
      if (this.handshake) this.step(this.handshake.onFrame(frame));
      else this.dispatch(frame, bytes.length);
    } catch (error) {
      const code = error instanceof WeirError ? error.code : 'MALFORMED_FRAME';
      this.host.log.error(`closing the data connection to ${this.peer}: ${describeError(error)}`, { code, peer: this.peer });
      this.close(`${code}: ${describeError(error)}`, error);
    }
  }

  private step(step: HandshakeStep): void {
    switch (step.kind) {
      case 'waiting':
        return;
      case 'open':
        if (this.accepted && step.dataAddress !== null) {
          this.peer = step.dataAddress;
          this.host.greeted(this, step.dataAddress);
        }
        return this.open();
      case 'refuse': {
        // A peer not known yet (it dialled) is named by its host: its port changes with every try.
        const peer = this.accepted ? hostOf(this.peer) : this.peer;
        this.host.auth.refused(step.code, peer, `refused the data connection ${this.accepted ? 'from' : 'to'} ${this.peer}: ${step.code}: ${step.reason}`, step.claimed);
        this.link?.send(encode([DataFrameKind.Refused, step.code, step.reason]));
        return this.close(`${step.code}: ${step.reason}`, new WeirError('AUTHENTICATION_FAILED', step.reason), 'AUTHENTICATION_FAILED');
      }
      case 'refused-by-peer':
        return this.refusedByPeer(step.code, step.reason);
      default: {
        const impossible: never = step;
        return impossible;
      }
    }
  }

  private refusedByPeer(code: string, reason: string): void {
    this.host.auth.refusedBy(this.peer, code, reason);
    const failure = isAuthRefusalCode(code) ? 'AUTHENTICATION_FAILED' : 'DATA_CONNECTION_FAILED';
    this.close(`refused by ${this.peer}: ${code}: ${reason}`, new WeirError(failure, reason), failure);
  }

  private dispatch(frame: DataFrame, frameBytes: number): void {
    switch (frame[0]) {
      case DataFrameKind.Refused:
        // A dialler refused our proof (Accepted), or, without secrets, a listener refused our Hello.
        return this.refusedByPeer(frame[1], frame[2]);
      case DataFrameKind.Hello:
      case DataFrameKind.Challenge:
      case DataFrameKind.Proof:
      case DataFrameKind.Accepted:
        throw new WeirError('MALFORMED_FRAME', `unexpected ${frame[0] === DataFrameKind.Hello ? 'Hello' : `handshake frame (kind ${frame[0]})`} from ${this.peer}`);
      case DataFrameKind.PartitionRequest: {
        const [, channelId, partitionKey, subpartition, credits] = frame;
        if (this.readers.has(channelId)) throw new WeirError('MALFORMED_FRAME', `${this.peer} requested channel ${channelId} twice`);
        const reader = new RemoteSubpartitionReader(this, channelId, partitionKey, subpartition);
        this.readers.set(channelId, reader);
        this.host.partitions.serve(partitionKey, { subpartition, reader, credits, onAttached: (attachment) => reader.attached(attachment) });
        return;
      }
      case DataFrameKind.Batch:
        // Events are checked where they are read (NetworkInput), one pass with the delivery.
        this.consumedChannel(frame[1], 'Batch').channel.deliver({ records: frame[2], timestamps: frame[3], events: frame[4] as RecordBatch['events'] }, frameBytes);
        return;
      case DataFrameKind.PriorityEvent:
        this.consumedChannel(frame[1], 'PriorityEvent').channel.deliverPriority(frame[2]);
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
    clearTimeout(this.handshakeTimer);
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
