// The serving end of a remote channel: reads one subpartition for a consumer in another TaskManager.
// Each batch is encoded once, as a whole Batch frame, in the producer's turn, and written to the
// connection; credit from the consumer's Credit frames goes to the subpartition, so at most the
// credit granted is ever in flight.
//
// A batch that cannot be sent (a record msgpack cannot encode, or over the frame limit) fails the
// channel and the producer, with a message naming the operator that emitted it when the deployment
// said (ResultPartitionDeployment.producer).
//
// Lifecycle: 'requested' (parked until the partition registers) -> 'attached' -> 'done' (End or
// Failed sent, or the connection closed); a 'done' reader drops whatever it is handed.
import { encode } from '../../../messages/codec.ts';
import { type ChannelFailureCode, DataFrameKind, isChannelFailureCode } from '../../../messages/data-plane.ts';
import { WeirError, describeError } from '../../../messages/errors.ts';
import type { CheckpointBarrier } from '../../../api/runtime/checkpointing/snapshot.ts';
import type { RecordBatch } from '../../../api/runtime/subtask.ts';
import type { SubpartitionAttachment } from './network-environment.ts';
import type { SubpartitionReader } from './subpartition.ts';

/** What a reader needs from its connection. */
export interface ReaderConnection {
  readonly maxFrameBytes: number;
  send(frame: Uint8Array): void;
  /** The reader sent its last frame (End or Failed). */
  served(channelId: number): void;
}

export class RemoteSubpartitionReader implements SubpartitionReader {
  private state: 'requested' | 'attached' | 'done' = 'requested';
  /** Credit that arrived before the subpartition was attached. */
  private pendingCredit = 0;
  private attachment: SubpartitionAttachment | undefined;
  /** Where a batch comes from, in errors: `from operator "…" (id "…") of "…" sending to "…"`, else `of <label>`. */
  private origin: string;

  constructor(
    private readonly connection: ReaderConnection,
    /** The consumer's id of the channel. */
    readonly channelId: number,
    readonly partitionKey: string,
    readonly subpartition: number,
  ) {
    this.label = `partition ${partitionKey} (subpartition ${subpartition})`;
    this.origin = `of ${this.label}`;
  }

  /** partition key and subpartition, for errors. */
  readonly label: string;

  /** The subpartition was found: `attachment` grants it more credit and names its producer. */
  attached(attachment: SubpartitionAttachment): void {
    if (this.state !== 'requested') return;
    this.state = 'attached';
    this.attachment = attachment;
    if (attachment.producer !== undefined) this.origin = `from ${attachment.producer}`;
    if (this.pendingCredit > 0) attachment.addCredit(this.pendingCredit);
    this.pendingCredit = 0;
  }

  grant(credits: number): void {
    if (this.state === 'attached') this.attachment?.addCredit(credits);
    else if (this.state === 'requested') this.pendingCredit += credits;
  }

  deliver(batch: RecordBatch): void {
    if (this.state === 'done') return;
    const count = batch.records.length;
    let frame: Uint8Array;
    try {
      frame = encode([DataFrameKind.Batch, this.channelId, batch.records, batch.timestamps, batch.events]);
    } catch (error) {
      this.producerFailed('RECORD_ENCODING_FAILED', `cannot encode a batch of ${count} records ${this.origin}: ${describeError(error)}`, error);
      return;
    }
    if (frame.length > this.connection.maxFrameBytes) {
      const limit = this.connection.maxFrameBytes;
      this.producerFailed('FRAME_TOO_LARGE', `a batch of ${count} records ${this.origin} encodes to ${frame.length} bytes, over the ${limit} bytes allowed`);
      return;
    }
    this.attachment?.sentBytes(frame.length);
    this.connection.send(frame);
  }

  /** Sent at once: the consumer's channel puts it ahead of the batches it has not read. */
  deliverPriority(event: CheckpointBarrier): void {
    if (this.state === 'done') return;
    let frame: Uint8Array;
    try {
      frame = encode([DataFrameKind.PriorityEvent, this.channelId, event]);
    } catch (error) {
      this.producerFailed('RECORD_ENCODING_FAILED', `cannot encode checkpoint barrier ${event.checkpointId} ${this.origin}: ${describeError(error)}`, error);
      return;
    }
    this.attachment?.sentBytes(frame.length);
    this.connection.send(frame);
  }

  end(): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.connection.send(encode([DataFrameKind.End, this.channelId]));
    this.connection.served(this.channelId);
  }

  fail(error: Error): void {
    const code = error instanceof WeirError ? error.code : undefined;
    this.failWith(isChannelFailureCode(code) ? code : 'PARTITION_REQUEST_FAILED', error.message);
  }

  /** The connection closed: nothing more can be sent. */
  closed(): void {
    this.state = 'done';
  }

  /** What the producer emitted cannot be sent: the consumer's channel fails, then the producer. */
  private producerFailed(code: ChannelFailureCode, message: string, cause?: unknown): void {
    this.failWith(code, message);
    this.attachment?.producerFailed(new WeirError(code, message, cause === undefined ? undefined : { cause }));
  }

  private failWith(code: ChannelFailureCode, message: string): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.connection.send(encode([DataFrameKind.Failed, this.channelId, code, message]));
    this.connection.served(this.channelId);
  }
}
