// A TaskManager's network environment: the result partitions its tasks produce, by key, and the
// wiring of input channels to them. A channel whose producer runs in this process is served by
// handing batches over (no encoding); one whose producer runs elsewhere goes through the remote
// connector. A request for a partition not registered yet (its task is still deploying) waits; one
// for a partition of a job released here fails (the job is over, so it will never register).
// Waiting requests are bounded in number and in time (a peer cannot park requests for partitions
// that never come until the TaskManager runs out of memory): past either, the request fails.
import type { Logger } from '../../../actors/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import type { ChannelLocation } from '../../../messages/task-manager.ts';
import { CHANNEL_CREDITS, type InputChannel, LocalInputGate } from './input-gate.ts';
import { type PartitionOptions, ResultPartition } from './result-partition.ts';
import type { SubpartitionReader } from './subpartition.ts';

/** Records per batch: ~20 KB frames for small records, where msgpackr is fastest (BASELINES.md). */
export const BATCH_RECORDS = 1000;
/** Released jobs remembered, so that a late request for one of their partitions fails; the oldest is forgotten first. */
export const REMEMBERED_RELEASED_JOBS = 1000;

/** How many requests may wait for partitions not registered yet, in all (taskmanager.network.max-waiting-requests). */
export const MAX_WAITING_REQUESTS = 10_000;
/** How long a request waits for its partition to register (taskmanager.network.partition-request-timeout). */
export const PARTITION_REQUEST_TIMEOUT_MS = 60_000;

export interface NetworkLimits {
  /** Default MAX_WAITING_REQUESTS. */
  readonly maxWaitingRequests?: number;
  /** Default PARTITION_REQUEST_TIMEOUT_MS. */
  readonly partitionRequestTimeoutMs?: number;
  /** Where refused and expired requests are logged (coded warnings: rate-limited). */
  readonly log?: Logger;
}

/** Reaches result partitions in other TaskManagers (the data connections between them). */
export interface RemoteConnector {
  connect(location: ChannelLocation, channel: InputChannel, credits: number): void;
  /** The job is over here: its connections forget whatever they still serve of it. */
  releaseJob?(jobId: string): void;
}

/** What a reader is given once its subpartition is found. */
export interface SubpartitionAttachment {
  /** Grants the subpartition more credit. */
  readonly addCredit: (credits: number) => void;
  /** Who writes into the partition, for errors (ResultPartitionDeployment.producer); undefined when not told. */
  readonly producer: string | undefined;
  /** The reader cannot send what the producer emitted (a batch that does not encode): fails the producer. */
  readonly producerFailed: (error: Error) => void;
  /** A remote reader sent a batch of this many bytes (the producer's numBytesOut). */
  readonly sentBytes: (bytes: number) => void;
}

/** A request to read one subpartition, waiting here until its partition registers. */
export interface ServeRequest {
  readonly subpartition: number;
  readonly reader: SubpartitionReader;
  readonly credits: number;
  readonly onAttached: (attachment: SubpartitionAttachment) => void;
}

interface ParkedRequest {
  readonly request: ServeRequest;
  /** Date.now() past which it fails. */
  readonly expiresAt: number;
}

export class NetworkEnvironment {
  private readonly partitions = new Map<string, ResultPartition>();
  private readonly parked = new Map<string, ParkedRequest[]>();
  private parkedCount = 0;
  /** Sweeps expired requests while any wait; unref'd, so it never holds the process. */
  private sweeper: NodeJS.Timeout | undefined;
  private readonly maxWaiting: number;
  private readonly requestTimeoutMs: number;
  private readonly log: Logger | undefined;
  /** Requests refused because too many waited, and requests that waited too long: for metrics and specs. */
  readonly refusals = { tooMany: 0, expired: 0 };
  /** Insertion-ordered, at most REMEMBERED_RELEASED_JOBS. */
  private readonly releasedJobs = new Set<string>();

  /**
   * @param isLocal whether a producer location is served in this process (the mini cluster's
   *   TaskManagers share one environment, so every location is local there).
   */
  constructor(
    private readonly isLocal: (location: ChannelLocation) => boolean,
    private readonly remote?: RemoteConnector,
    limits: NetworkLimits = {},
  ) {
    this.maxWaiting = limits.maxWaitingRequests ?? MAX_WAITING_REQUESTS;
    this.requestTimeoutMs = limits.partitionRequestTimeoutMs ?? PARTITION_REQUEST_TIMEOUT_MS;
    this.log = limits.log;
  }

  createPartition(key: string, channels: number, bufferTimeoutMs: number, options: PartitionOptions = {}): ResultPartition {
    const partition = new ResultPartition(key, channels, BATCH_RECORDS, bufferTimeoutMs === 0, options);
    this.partitions.set(key, partition);
    this.releasedJobs.delete(jobOf(key)); // deployed here again: no longer over
    const waiting = this.takeParked(key);
    for (const parked of waiting) this.attach(partition, parked.request);
    return partition;
  }

  createGate(locations: readonly ChannelLocation[]): LocalInputGate {
    const gate = new LocalInputGate(locations.length);
    locations.forEach((location, index) => this.connect(location, gate.inputChannels[index]));
    return gate;
  }

  /** Serves a reader (a local channel, or a remote consumer's connection) from a local partition. */
  serve(partitionKey: string, parked: ServeRequest): void {
    const partition = this.partitions.get(partitionKey);
    if (partition) this.attach(partition, parked);
    else if (this.releasedJobs.has(jobOf(partitionKey))) {
      parked.reader.fail(new WeirError('PARTITION_RELEASED', `partition ${partitionKey} (subpartition ${parked.subpartition}): its job was released here`));
    } else this.park(partitionKey, parked);
  }

  /** Requests waiting for partitions not registered yet. */
  get waitingRequests(): number {
    return this.parkedCount;
  }

  private park(partitionKey: string, request: ServeRequest): void {
    if (this.parkedCount >= this.maxWaiting) {
      this.refusals.tooMany++;
      const message = `partition ${partitionKey} (subpartition ${request.subpartition}) is not registered here, and ${this.parkedCount} requests already wait for partitions (taskmanager.network.max-waiting-requests): refused`;
      this.log?.warn(message, { code: 'PARTITION_REQUEST_FAILED' });
      request.reader.fail(new WeirError('PARTITION_REQUEST_FAILED', message));
      return;
    }
    const entry: ParkedRequest = { request, expiresAt: Date.now() + this.requestTimeoutMs };
    const waiting = this.parked.get(partitionKey);
    if (waiting) waiting.push(entry);
    else this.parked.set(partitionKey, [entry]);
    this.parkedCount++;
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(10, Math.min(1_000, this.requestTimeoutMs / 4))).unref();
  }

  /** Fails the requests that waited past their deadline; stops sweeping once none wait. */
  private sweep(): void {
    const now = Date.now();
    for (const [key, waiting] of [...this.parked]) {
      const expired = waiting.filter((entry) => entry.expiresAt <= now);
      if (expired.length === 0) continue;
      const kept = waiting.filter((entry) => entry.expiresAt > now);
      if (kept.length > 0) this.parked.set(key, kept);
      else this.parked.delete(key);
      this.parkedCount -= expired.length;
      this.refusals.expired += expired.length;
      for (const { request } of expired) {
        const message = `partition ${key} (subpartition ${request.subpartition}) did not register here within ${this.requestTimeoutMs} ms (taskmanager.network.partition-request-timeout)`;
        this.log?.warn(message, { code: 'PARTITION_REQUEST_FAILED' });
        request.reader.fail(new WeirError('PARTITION_REQUEST_FAILED', message));
      }
    }
    if (this.parkedCount === 0) this.stopSweeping();
  }

  private takeParked(key: string): ParkedRequest[] {
    const waiting = this.parked.get(key) ?? [];
    this.parked.delete(key);
    this.parkedCount -= waiting.length;
    if (this.parkedCount === 0) this.stopSweeping();
    return waiting;
  }

  private stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Drops a partition (its task was cancelled or failed, or its job ended); its readers and the requests waiting for it are told. */
  releasePartition(key: string): void {
    this.partitions.get(key)?.release();
    this.partitions.delete(key);
    this.failParked(key, 'was released before it registered here');
  }

  /** Drops every partition and waiting request of a job, and what the data connections serve of it. */
  releaseJob(jobId: string): void {
    this.releasedJobs.add(jobId);
    if (this.releasedJobs.size > REMEMBERED_RELEASED_JOBS) this.releasedJobs.delete(this.releasedJobs.values().next().value as string);
    const prefix = `${jobId}/`;
    for (const key of [...this.partitions.keys()]) if (key.startsWith(prefix)) this.releasePartition(key);
    for (const key of [...this.parked.keys()]) if (key.startsWith(prefix)) this.failParked(key, 'will not register: its job was released here');
    this.remote?.releaseJob?.(jobId);
  }

  /** Requests waiting for a partition that will not come fail, rather than wait forever. */
  private failParked(key: string, why: string): void {
    for (const { request } of this.takeParked(key)) request.reader.fail(new WeirError('PARTITION_RELEASED', `partition ${key} (subpartition ${request.subpartition}) ${why}`));
  }

  get partitionCount(): number {
    return this.partitions.size;
  }

  private connect(location: ChannelLocation, channel: InputChannel): void {
    if (!this.isLocal(location)) {
      if (this.remote) this.remote.connect(location, channel, CHANNEL_CREDITS);
      else channel.fail(new WeirError('DATA_CONNECTION_FAILED', `no data connection to ${location.resourceId}, which produces ${location.partitionKey}`));
      return;
    }
    this.serve(location.partitionKey, {
      subpartition: location.subpartition,
      reader: channel,
      credits: CHANNEL_CREDITS,
      onAttached: ({ addCredit }) => (channel.creditSink = addCredit),
    });
  }

  private attach(partition: ResultPartition, parked: ServeRequest): void {
    const subpartition = partition.subpartitions[parked.subpartition];
    if (!subpartition) {
      // The reader's problem, not the producer's: a parked request is attached in the producer's turn.
      parked.reader.fail(new WeirError('SUBPARTITION_NOT_FOUND', `partition ${partition.key} has ${partition.channels} subpartitions, not ${parked.subpartition}`));
      return;
    }
    parked.onAttached({
      addCredit: (credits) => subpartition.addCredit(credits),
      producer: partition.producer,
      producerFailed: (error) => partition.fail(error),
      sentBytes: (bytes) => (subpartition.bytesSent += bytes),
    });
    subpartition.attach(parked.reader, parked.credits);
  }
}

function jobOf(partitionKey: string): string {
  return partitionKey.slice(0, partitionKey.indexOf('/'));
}

/**
 * The key of one producer attempt's partition on one edge, `<job>/<vertex>/<subtask>#<attempt>/<target>/<input>`:
 * unique per job and attempt, so that releasing an old attempt's partition never touches a new one's.
 */
export function partitionKey(jobId: string, producerVertexId: string, producerSubtask: number, producerAttempt: number, targetVertexId: string, inputIndex: number): string {
  return `${jobId}/${producerVertexId}/${producerSubtask}#${producerAttempt}/${targetVertexId}/${inputIndex}`;
}
