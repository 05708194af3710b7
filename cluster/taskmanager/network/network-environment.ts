// A TaskManager's network environment: the result partitions its tasks produce, by key, and the
// wiring of input channels to them. A channel whose producer runs in this process is served by
// handing batches over (no encoding); one whose producer runs elsewhere goes through the remote
// connector. A request for a partition not registered yet (its task is still deploying) waits; one
// for a partition of a job released here fails (the job is over, so it will never register).
import { WeirError } from '../../../messages/errors.ts';
import type { ChannelLocation } from '../../../messages/task-manager.ts';
import { CHANNEL_CREDITS, type InputChannel, LocalInputGate } from './input-gate.ts';
import { type PartitionOptions, ResultPartition } from './result-partition.ts';
import type { SubpartitionReader } from './subpartition.ts';

/** Records per batch: ~20 KB frames for small records, where msgpackr is fastest (BASELINES.md). */
export const BATCH_RECORDS = 1000;
/** Released jobs remembered, so that a late request for one of their partitions fails; the oldest is forgotten first. */
export const REMEMBERED_RELEASED_JOBS = 1000;

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

export class NetworkEnvironment {
  private readonly partitions = new Map<string, ResultPartition>();
  private readonly parked = new Map<string, ServeRequest[]>();
  /** Insertion-ordered, at most REMEMBERED_RELEASED_JOBS. */
  private readonly releasedJobs = new Set<string>();

  /**
   * @param isLocal whether a producer location is served in this process (the mini cluster's
   *   TaskManagers share one environment, so every location is local there).
   */
  constructor(
    private readonly isLocal: (location: ChannelLocation) => boolean,
    private readonly remote?: RemoteConnector,
  ) {}

  createPartition(key: string, channels: number, bufferTimeoutMs: number, options: PartitionOptions = {}): ResultPartition {
    const partition = new ResultPartition(key, channels, BATCH_RECORDS, bufferTimeoutMs === 0, options);
    this.partitions.set(key, partition);
    this.releasedJobs.delete(jobOf(key)); // deployed here again: no longer over
    for (const parked of this.parked.get(key) ?? []) this.attach(partition, parked);
    this.parked.delete(key);
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
    } else this.parked.set(partitionKey, [...(this.parked.get(partitionKey) ?? []), parked]);
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
    const parked = this.parked.get(key);
    this.parked.delete(key);
    for (const request of parked ?? []) request.reader.fail(new WeirError('PARTITION_RELEASED', `partition ${key} (subpartition ${request.subpartition}) ${why}`));
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
