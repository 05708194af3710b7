// One subpartition: the records of one producer subtask for one consumer subtask on one edge.
// Records are appended to the open batch; a full batch (or a flushed one) joins the backlog and is
// handed to the reader when the reader has credit. The reader grants credit per batch it can hold,
// so a slow consumer stops the producer: the backlog fills, `blocked` turns true, and the producing
// task stops taking input (credit-based flow control, as Flink's).
//
// Buffer timeout 0 ("eager"): the producing task flushes after every step, and a flush sends the open
// batch at once when the reader has credit. Without credit the records stay in the open batch, which
// goes out as soon as credit arrives (or when it is full): as Flink's reader takes everything written
// to a flushed buffer it has not consumed yet. So a record waits at most for the end of its step and
// one credit, never behind a queue of one-record batches, and a busy channel still carries full ones.
//
// Events (watermarks, watermark status) go into the open batch at their position among its records,
// so a watermark after every record costs a pair of array slots, not a batch of its own; a flush
// sends a batch that holds only events. Two events at one position where the second is a watermark
// and the first is too keep only the later one: nothing can observe the earlier.
//
// A checkpoint barrier seals the open batch right after it: it is always the last element of its
// batch, so the reader can block the channel at a batch boundary (aligned checkpoints). The sealed
// batch waits for credit like any other: a blocked reader returns none, and backpressure does the rest.
//
// An unaligned checkpoint's barrier takes the priority path instead (Flink's priority events): it
// goes to the reader at once, ahead of the backlog and without credit (the reader returns none for
// it), and the batches it overtook are the output's in-flight data of that checkpoint; they are
// still sent after it, in order.
//
// Threading: one thread; the producer task appends, the reader (a local channel or a remote
// sender) grants credit from its own turn.
import type { CheckpointBarrier } from '../../../api/runtime/checkpointing/snapshot.ts';
import type { RecordBatch, StreamEvent } from '../../../api/runtime/subtask.ts';

/** Where a subpartition's batches go: a local input channel, or a remote connection. */
export interface SubpartitionReader {
  deliver(batch: RecordBatch): void;
  /** An event ahead of every batch delivered so far and not yet read (an unaligned checkpoint's barrier); it takes no credit. */
  deliverPriority(event: CheckpointBarrier): void;
  /** No batch will follow. */
  end(): void;
  /** The subpartition cannot be read (released, no such index, the batch cannot be sent); nothing follows. */
  fail(error: Error): void;
}

/** Batches waiting for credit, per subpartition, before the producer is held back. */
export const MAX_BACKLOG_BATCHES = 4;

/** The batch a subpartition is filling. */
class OpenBatch implements RecordBatch {
  readonly records: unknown[] = [];
  timestamps: (number | undefined)[] | null = null;
  events: (number | StreamEvent)[] | null = null;

  get isEmpty(): boolean {
    return this.records.length === 0 && this.events === null;
  }
}

export class Subpartition {
  private open = new OpenBatch();
  private readonly backlog: RecordBatch[] = [];
  private credit = 0;
  private reader: SubpartitionReader | undefined;
  /** Priority events added before a reader attached: it gets them first. */
  private pendingPriority: CheckpointBarrier[] = [];
  private finished = false;
  private endDelivered = false;
  /** Metrics, counted per batch: records of the batches that left the open batch, bytes a remote reader sent. */
  private recordsSealed = 0;
  bytesSent = 0;

  constructor(
    private readonly batchRecords: number,
    /** Told when `blocked` changes. */
    private readonly onBlockedChange: (blocked: boolean) => void,
    /** Buffer timeout 0: the open batch leaves at a flush or with the next credit (see the header). */
    private readonly eager = false,
  ) {}

  get blocked(): boolean {
    return this.backlog.length >= MAX_BACKLOG_BATCHES;
  }

  /** Records written so far (the open batch's too). */
  get recordsWritten(): number {
    return this.recordsSealed + this.open.records.length;
  }

  /** Batches waiting for credit, over the backlog that blocks the producer: 0..1. */
  get backlogUsage(): number {
    return Math.min(1, this.backlog.length / MAX_BACKLOG_BATCHES);
  }

  get isDrained(): boolean {
    return this.endDelivered;
  }

  add(record: unknown, timestamp: number | undefined): void {
    const open = this.open;
    const records = open.records;
    if (timestamp !== undefined || open.timestamps !== null) {
      // The first timestamped record of the batch: the records before it had none.
      (open.timestamps ??= new Array<number | undefined>(records.length).fill(undefined)).push(timestamp);
    }
    records.push(record);
    if (records.length >= this.batchRecords) this.seal();
  }

  addEvent(event: StreamEvent): void {
    const open = this.open;
    const position = open.records.length;
    const events = (open.events ??= []);
    const last = events.length - 2;
    if (last >= 0 && events[last] === position && typeof event === 'number' && typeof events[last + 1] === 'number') events[last + 1] = event;
    else events.push(position, event);
    if (typeof event === 'object') this.seal();
  }

  /**
   * An unaligned checkpoint's barrier: to the reader at once, ahead of the backlog (the open batch
   * sealed into it first). Returns the batches it overtook, which still follow it (see the header).
   */
  addPriorityEvent(barrier: CheckpointBarrier): readonly RecordBatch[] {
    if (this.endDelivered) return [];
    if (!this.open.isEmpty) this.seal();
    const overtaken = this.backlog.slice();
    if (this.reader) this.reader.deliverPriority(barrier);
    else this.pendingPriority.push(barrier);
    return overtaken;
  }

  /** A restore from an unaligned checkpoint: batches that were in flight leave first, each as if sealed now. */
  restoreInFlight(batches: readonly RecordBatch[]): void {
    for (const batch of batches) {
      this.recordsSealed += batch.records.length;
      this.enqueue(batch);
    }
  }

  /**
   * Seals the open batch (if it holds anything) and sends what credit allows. Eager: only when the
   * open batch can leave now; otherwise the next credit takes it.
   */
  flush(): void {
    if (this.open.isEmpty) return;
    if (this.eager && (this.reader === undefined || this.credit === 0 || this.backlog.length > 0)) return;
    this.seal();
  }

  finish(): void {
    if (this.finished) return;
    if (!this.open.isEmpty) this.seal();
    this.finished = true;
    this.send();
  }

  attach(reader: SubpartitionReader, initialCredit: number): void {
    this.reader = reader;
    const priority = this.pendingPriority;
    this.pendingPriority = [];
    for (const event of priority) reader.deliverPriority(event);
    this.addCredit(initialCredit);
  }

  addCredit(credits: number): void {
    this.credit += credits;
    this.send();
  }

  /**
   * The partition is dropped (its producer was cancelled or failed, or its job ended): a reader that
   * has not had the end is told `error`, nothing more is sent, and the producer is not held back.
   */
  release(error: Error): void {
    const wasBlocked = this.blocked;
    const reader = this.reader;
    this.reader = undefined;
    if (reader && !this.endDelivered) {
      this.endDelivered = true; // nothing follows a failure either
      reader.fail(error);
    }
    this.backlog.length = 0;
    this.pendingPriority = [];
    this.recordsSealed += this.open.records.length;
    this.open = new OpenBatch();
    if (wasBlocked) this.onBlockedChange(false);
  }

  private seal(): void {
    const sealed = this.open;
    this.recordsSealed += sealed.records.length;
    this.open = new OpenBatch();
    this.enqueue(sealed);
  }

  /**
   * One batch into the backlog, then sent where credit allows. One at a time: with credit left the
   * backlog is empty, so send() never reports a change of `blocked` that was not reported before.
   */
  private enqueue(batch: RecordBatch): void {
    const wasBlocked = this.blocked;
    this.backlog.push(batch);
    this.send();
    if (!wasBlocked && this.blocked) this.onBlockedChange(true);
  }

  private send(): void {
    const reader = this.reader;
    if (!reader) return;
    const wasBlocked = this.blocked;
    while (this.credit > 0 && this.backlog.length > 0) {
      this.credit--;
      reader.deliver(this.backlog.shift() as RecordBatch);
    }
    if (this.eager && this.credit > 0 && !this.open.isEmpty) {
      // Flushed records that waited for credit (see the header).
      const open = this.open;
      this.recordsSealed += open.records.length;
      this.open = new OpenBatch();
      this.credit--;
      reader.deliver(open);
    }
    if (this.finished && this.backlog.length === 0 && !this.endDelivered) {
      this.endDelivered = true;
      reader.end();
    }
    if (wasBlocked && !this.blocked) this.onBlockedChange(false);
  }
}
