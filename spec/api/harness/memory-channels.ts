// In-memory network channels for specs: one MemoryExchange per JobEdge, holding a queue of batches
// per (upstream subtask, downstream subtask). Writers batch records per channel and hand a batch over
// when it is full, on flush() or on finish(); a channel holds at most `capacity` batches, beyond which
// the writer is not `available` (the credit-based contract of api/runtime/subtask.ts, in miniature).
import type { InputElement, InputGate, OutputWriter, RecordBatch, StreamEvent } from '../../../api/runtime/subtask.ts';

/** A batch being filled: records, their timestamps (null until one has one) and events between them. */
interface PendingBatch {
  records: unknown[];
  timestamps: (number | undefined)[] | null;
  events: (number | StreamEvent)[] | null;
}

const emptyBatch = (): PendingBatch => ({ records: [], timestamps: null, events: null });

export interface ExchangeOptions {
  /** Records per batch (default 4: small, so specs cross many batch boundaries). */
  readonly batchSize?: number;
  /** Batches a channel holds before its writer is unavailable (default 2). */
  readonly capacity?: number;
}

/** A promise with its resolver, remade after each settle. */
class Signal {
  private waiting: { readonly promise: Promise<void>; readonly resolve: () => void } | null = null;

  wait(): Promise<void> {
    if (!this.waiting) {
      let resolve!: () => void;
      const promise = new Promise<void>((settle) => (resolve = settle));
      this.waiting = { promise, resolve };
    }
    return this.waiting.promise;
  }

  fire(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve();
  }
}

export class MemoryExchange {
  readonly batchSize: number;
  readonly capacity: number;
  /** queues[upstream][downstream]: batches sent and not polled yet. */
  private readonly queues: RecordBatch[][][];
  private readonly ended: boolean[];
  private readonly gateSignals: Signal[];
  private readonly writerSignals: Signal[];
  /** Records received per downstream subtask, per upstream subtask: what a spec asserts on. */
  readonly received: unknown[][][];
  /** Records sent through this exchange in all. */
  recordsSent = 0;

  constructor(
    readonly upstream: number,
    readonly downstream: number,
    options: ExchangeOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 4;
    this.capacity = options.capacity ?? 2;
    this.queues = Array.from({ length: upstream }, () => Array.from({ length: downstream }, (): RecordBatch[] => []));
    this.ended = new Array<boolean>(upstream).fill(false);
    this.gateSignals = Array.from({ length: downstream }, () => new Signal());
    this.writerSignals = Array.from({ length: upstream }, () => new Signal());
    this.received = Array.from({ length: downstream }, () => Array.from({ length: upstream }, (): unknown[] => []));
  }

  writer(upstreamIndex: number): OutputWriter {
    return new MemoryOutputWriter(this, upstreamIndex);
  }

  gate(downstreamIndex: number): InputGate {
    return new MemoryInputGate(this, downstreamIndex);
  }

  send(upstreamIndex: number, channel: number, batch: RecordBatch): void {
    this.queues[upstreamIndex][channel].push(batch);
    this.recordsSent += batch.records.length;
    this.gateSignals[channel].fire();
  }

  end(upstreamIndex: number): void {
    this.ended[upstreamIndex] = true;
    for (const signal of this.gateSignals) signal.fire();
  }

  hasRoom(upstreamIndex: number): boolean {
    return this.queues[upstreamIndex].every((queue) => queue.length < this.capacity);
  }

  whenRoom(upstreamIndex: number): Promise<void> {
    return this.hasRoom(upstreamIndex) ? Promise.resolve() : this.writerSignals[upstreamIndex].wait();
  }

  take(upstreamIndex: number, downstreamIndex: number): RecordBatch | undefined {
    const batch = this.queues[upstreamIndex][downstreamIndex].shift();
    if (batch) {
      this.received[downstreamIndex][upstreamIndex].push(...batch.records);
      this.writerSignals[upstreamIndex].fire();
    }
    return batch;
  }

  hasBatch(upstreamIndex: number, downstreamIndex: number): boolean {
    return this.queues[upstreamIndex][downstreamIndex].length > 0;
  }

  isReady(downstreamIndex: number): boolean {
    return this.queues.some((row) => row[downstreamIndex].length > 0);
  }

  isFinished(downstreamIndex: number): boolean {
    return this.ended.every(Boolean) && !this.isReady(downstreamIndex);
  }

  /** Upstream subtask `upstreamIndex` ended and `downstreamIndex` polled all it sent. */
  channelEnded(upstreamIndex: number, downstreamIndex: number): boolean {
    return this.ended[upstreamIndex] && this.queues[upstreamIndex][downstreamIndex].length === 0;
  }

  /** Settles when a batch or an end arrives for `downstreamIndex`, or wake() is called. */
  nextArrival(downstreamIndex: number): Promise<void> {
    return this.gateSignals[downstreamIndex].wait();
  }

  wake(downstreamIndex: number): void {
    this.gateSignals[downstreamIndex].fire();
  }
}

class MemoryOutputWriter implements OutputWriter {
  readonly channels: number;
  private readonly pending: PendingBatch[];
  private finished = false;

  constructor(
    private readonly exchange: MemoryExchange,
    private readonly upstreamIndex: number,
  ) {
    this.channels = exchange.downstream;
    this.pending = Array.from({ length: this.channels }, emptyBatch);
  }

  emit(channel: number, record: unknown, timestamp: number | undefined): void {
    if (this.finished) throw new Error('emit() after finish()');
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.channels) throw new Error(`emit() to channel ${channel} of ${this.channels}`);
    const batch = this.pending[channel];
    if (timestamp !== undefined || batch.timestamps !== null) (batch.timestamps ??= new Array<number | undefined>(batch.records.length).fill(undefined)).push(timestamp);
    batch.records.push(record);
    if (batch.records.length >= this.exchange.batchSize) this.send(channel);
  }

  broadcast(record: unknown, timestamp: number | undefined): void {
    for (let channel = 0; channel < this.channels; channel++) this.emit(channel, record, timestamp);
  }

  broadcastEvent(event: StreamEvent): void {
    if (this.finished) throw new Error('broadcastEvent() after finish()');
    for (const batch of this.pending) (batch.events ??= []).push(batch.records.length, event);
    // A barrier is the last element of its batch, as a Subpartition makes it.
    if (typeof event === 'object') for (let channel = 0; channel < this.channels; channel++) this.send(channel);
  }

  get available(): boolean {
    return this.exchange.hasRoom(this.upstreamIndex);
  }

  whenAvailable(): Promise<void> {
    return this.exchange.whenRoom(this.upstreamIndex);
  }

  flush(): void {
    for (let channel = 0; channel < this.channels; channel++) {
      const batch = this.pending[channel];
      if (batch.records.length > 0 || batch.events !== null) this.send(channel);
    }
  }

  finish(): void {
    if (this.finished) throw new Error('finish() twice');
    this.flush();
    this.finished = true;
    this.exchange.end(this.upstreamIndex);
  }

  private send(channel: number): void {
    const batch = this.pending[channel];
    this.pending[channel] = emptyBatch();
    this.exchange.send(this.upstreamIndex, channel, batch);
  }
}

class MemoryInputGate implements InputGate {
  readonly channels: number;
  private nextChannel = 0;
  /** Per upstream channel: its end was handed out. */
  private readonly endPolled: boolean[];
  /** Per upstream channel: blocked while a checkpoint aligns. */
  private readonly blocked: boolean[];

  constructor(
    private readonly exchange: MemoryExchange,
    private readonly downstreamIndex: number,
  ) {
    this.channels = exchange.upstream;
    this.endPolled = new Array<boolean>(this.channels).fill(false);
    this.blocked = new Array<boolean>(this.channels).fill(false);
  }

  blockChannel(channel: number): void {
    this.blocked[channel] = true;
  }

  resumeChannel(channel: number): void {
    if (!this.blocked[channel]) return;
    this.blocked[channel] = false;
    if (this.hasElement(channel)) this.exchange.wake(this.downstreamIndex);
  }

  poll(): InputElement | undefined {
    for (let offset = 0; offset < this.channels; offset++) {
      const channel = (this.nextChannel + offset) % this.channels;
      if (this.blocked[channel]) continue;
      const batch = this.exchange.take(channel, this.downstreamIndex);
      if (batch) {
        this.nextChannel = (channel + 1) % this.channels;
        return { kind: 'batch', channel, batch };
      }
      if (!this.endPolled[channel] && this.exchange.channelEnded(channel, this.downstreamIndex)) {
        this.endPolled[channel] = true;
        return { kind: 'end', channel };
      }
    }
    return undefined;
  }

  get finished(): boolean {
    return this.exchange.isFinished(this.downstreamIndex) && this.endPolled.every(Boolean);
  }

  whenAvailable(): Promise<void> {
    if (this.finished) return Promise.resolve();
    for (let channel = 0; channel < this.channels; channel++) if (this.hasElement(channel)) return Promise.resolve();
    return this.exchange.nextArrival(this.downstreamIndex);
  }

  /** A blocked channel has nothing to hand out (a waiter must not wake for it). */
  private hasElement(channel: number): boolean {
    if (this.blocked[channel]) return false;
    return this.exchange.hasBatch(channel, this.downstreamIndex) || (!this.endPolled[channel] && this.exchange.channelEnded(channel, this.downstreamIndex));
  }
}
