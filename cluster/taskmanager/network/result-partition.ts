// A ResultPartition: one producer subtask's output on one edge, as the OutputWriter its chain emits
// into. One subpartition per consumer subtask. Available while no subpartition is blocked.
// A reader that cannot send what the producer emitted (a record msgpack cannot encode, a batch over
// the frame limit) fails its consumer's channel and, through `fail`, the producer: it is the culprit.
import type { CheckpointBarrier } from '../../../api/runtime/checkpointing/snapshot.ts';
import type { OutputWriter, RecordBatch, StreamEvent } from '../../../api/runtime/subtask.ts';
import { WeirError } from '../../../messages/errors.ts';
import { Subpartition } from './subpartition.ts';

export interface PartitionOptions {
  /** Who writes into the partition, for errors (ResultPartitionDeployment.producer). */
  readonly producer?: string;
  /** Told once, at the first `fail`; may be called outside the producer's turn (a credit from a consumer). */
  readonly onFailure?: (error: Error) => void;
}

export class ResultPartition implements OutputWriter {
  readonly subpartitions: readonly Subpartition[];
  readonly producer: string | undefined;
  private blockedCount = 0;
  private waiters: (() => void)[] = [];
  private finished = false;
  private failure: Error | undefined;
  private readonly onFailure: ((error: Error) => void) | undefined;
  /** Records broadcast: each is in every subpartition, but counts once in recordsOut. */
  private broadcastRecords = 0;

  constructor(
    /** Identifies the partition in its TaskManager's network environment. */
    readonly key: string,
    readonly channels: number,
    batchRecords: number,
    /**
     * Buffer timeout 0: the task flushes after every step, and records leave at once where credit
     * allows, else with the next credit (see Subpartition).
     */
    readonly flushEachStep: boolean,
    options: PartitionOptions = {},
  ) {
    this.producer = options.producer;
    this.onFailure = options.onFailure;
    this.subpartitions = Array.from({ length: channels }, () => new Subpartition(batchRecords, (blocked) => this.blockedChanged(blocked), flushEachStep));
  }

  get available(): boolean {
    return this.blockedCount === 0;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Every subpartition delivered its end to a reader. */
  get isDrained(): boolean {
    return this.subpartitions.every((subpartition) => subpartition.isDrained);
  }

  emit(channel: number, record: unknown, timestamp: number | undefined): void {
    this.subpartitions[channel].add(record, timestamp);
  }

  broadcast(record: unknown, timestamp: number | undefined): void {
    this.broadcastRecords++;
    for (const subpartition of this.subpartitions) subpartition.add(record, timestamp);
  }

  broadcastEvent(event: StreamEvent): void {
    for (const subpartition of this.subpartitions) subpartition.addEvent(event);
  }

  /** An unaligned checkpoint's barrier ahead of every subpartition's backlog; per subpartition, the batches it overtook. */
  broadcastPriorityEvent(barrier: CheckpointBarrier): (readonly RecordBatch[])[] {
    return this.subpartitions.map((subpartition) => subpartition.addPriorityEvent(barrier));
  }

  restoreInFlight(channel: number, batches: readonly RecordBatch[]): void {
    this.subpartitions[channel].restoreInFlight(batches);
  }

  /** Records emitted so far (a broadcast one once), summed over the subpartitions when read: nothing is counted per record. */
  get recordsOut(): number {
    let written = 0;
    for (const subpartition of this.subpartitions) written += subpartition.recordsWritten;
    return written - this.broadcastRecords * (this.subpartitions.length - 1);
  }

  /** Bytes its remote readers sent; local channels hand batches over unencoded and count 0. */
  get bytesOut(): number {
    let bytes = 0;
    for (const subpartition of this.subpartitions) bytes += subpartition.bytesSent;
    return bytes;
  }

  /** Batches waiting for credit over the backlog limit, over all subpartitions (Flink's outPoolUsage): 0..1. */
  get bufferUsage(): number {
    let usage = 0;
    for (const subpartition of this.subpartitions) usage += subpartition.backlogUsage;
    return this.subpartitions.length === 0 ? 0 : usage / this.subpartitions.length;
  }

  whenAvailable(): Promise<void> {
    if (this.blockedCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  flush(): void {
    for (const subpartition of this.subpartitions) subpartition.flush();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const subpartition of this.subpartitions) subpartition.finish();
  }

  /** The first error a reader reported sending this partition's records, if any. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** A reader cannot send what was emitted here; the first failure is passed on to `onFailure`. */
  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onFailure?.(error);
  }

  /** Dropped: every reader that has not had its end fails with PARTITION_RELEASED; waiters are released. */
  release(): void {
    this.subpartitions.forEach((subpartition, index) =>
      subpartition.release(new WeirError('PARTITION_RELEASED', `partition ${this.key} (subpartition ${index}) was released before its end: its producer stopped or its job ended`)),
    );
    this.blockedCount = 0;
    this.wake();
  }

  private blockedChanged(blocked: boolean): void {
    this.blockedCount += blocked ? 1 : -1;
    if (this.blockedCount === 0) this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
