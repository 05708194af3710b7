// The client's end of collect: a bounded buffer of the records collect sinks delivered, read as an
// AsyncIterable. Sinks push whole batches; while COLLECT_BUFFER_RECORDS or more wait to be read the
// channel has no room, and a sink that finds no room waits (in-process) or is not acknowledged
// (remote), so a slow reader holds the job back: memory stays bounded by the buffer plus the batches
// already on their way (a step's worth per sink subtask).
//
// Lifecycle: 'open' -> end() (the job FINISHED: the reader gets what is buffered, then done) or
// fail(error) (the job failed: the next read rejects) or close() (the reader stopped: the rest is
// dropped). Threading: one event loop; sinks and the reader interleave between awaits only.
import { randomUUID } from 'node:crypto';
import type { CollectTarget } from './target.ts';

/** Records a channel buffers before it has no room for more. */
export const COLLECT_BUFFER_RECORDS = 16_384;

type ChannelState = 'open' | 'ended' | 'failed' | 'closed';

export class CollectChannel<T = unknown> implements AsyncIterableIterator<T> {
  private readonly batches: (readonly T[])[] = [];
  /** The next record's index in batches[0]. */
  private offset = 0;
  private buffered = 0;
  private state: ChannelState = 'open';
  private failure: unknown = undefined;
  private reader: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  private roomWaiters: (() => void)[] = [];
  /**
   * Called once when the reader stops while the channel is open (return(), close()): the job is not
   * needed any more. Set by the execution that started the job.
   */
  onReaderStopped: (() => void) | null = null;

  constructor(readonly capacity = COLLECT_BUFFER_RECORDS) {}

  /** True while sinks may push without waiting; also once nobody reads (pushes are then dropped). */
  get hasRoom(): boolean {
    return this.buffered < this.capacity || this.state !== 'open';
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Appends a batch; the channel owns it from now on. Dropped unless the channel is open. */
  push(records: readonly T[]): void {
    if (this.state !== 'open' || records.length === 0) return;
    this.batches.push(records);
    this.buffered += records.length;
    if (this.reader) {
      const reader = this.reader;
      this.reader = null;
      reader.resolve({ done: false, value: this.take() });
    }
  }

  /** Settles once the channel has room (or nobody reads any more). */
  whenRoom(): Promise<void> {
    if (this.hasRoom) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** No more records will come: the reader gets what is buffered, then done. */
  end(): void {
    if (this.state !== 'open') return;
    this.state = 'ended';
    this.settleReader();
  }

  /** The job failed: the next read rejects with `error`, whatever is still buffered. */
  fail(error: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.failure = error;
    this.drop();
    this.settleReader();
  }

  /** The reader stops: buffered and later records are dropped, and the job is cancelled. */
  close(): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.drop();
    this.settleReader();
    if (wasOpen) this.onReaderStopped?.();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffered > 0) return Promise.resolve({ done: false, value: this.take() });
    if (this.state === 'failed') return Promise.reject(this.failure);
    if (this.state !== 'open') return Promise.resolve({ done: true, value: undefined });
    if (this.reader) return Promise.reject(new Error('a collect iterator takes one read at a time: await each next()'));
    return new Promise((resolve, reject) => (this.reader = { resolve, reject }));
  }

  /** `break` out of a for-await loop: stops reading and cancels the job. */
  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** Iterable once: every iteration reads the same channel. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  private take(): T {
    const batch = this.batches[0];
    const value = batch[this.offset++];
    if (this.offset === batch.length) {
      this.batches.shift();
      this.offset = 0;
    }
    this.buffered--;
    if (this.roomWaiters.length > 0 && this.hasRoom) this.releaseWaiters();
    return value;
  }

  private drop(): void {
    this.batches.length = 0;
    this.offset = 0;
    this.buffered = 0;
    this.releaseWaiters();
  }

  private settleReader(): void {
    const reader = this.reader;
    if (!reader || this.buffered > 0) return;
    this.reader = null;
    if (this.state === 'failed') reader.reject(this.failure);
    else reader.resolve({ done: true, value: undefined });
  }

  private releaseWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** The client's end of one execution's collect sinks: where they deliver, and what arrived. */
export interface CollectReceiver {
  readonly target: CollectTarget;
  readonly channel: CollectChannel;
  /** Stops receiving. An open channel is closed (the rest dropped); an ended one keeps what the reader has yet to read. */
  close(): void;
}

/** Channels of this process by id: how the embedded mini cluster's collect sinks find their reader. */
const localChannels = new Map<string, CollectChannel>();

/** A receiver in this process, for sinks that run in it (the embedded mini cluster). */
export function openLocalCollect(capacity = COLLECT_BUFFER_RECORDS): CollectReceiver {
  const id = randomUUID();
  const channel = new CollectChannel(capacity);
  localChannels.set(id, channel);
  return {
    target: { kind: 'local', channel: id },
    channel,
    close: () => {
      localChannels.delete(id);
      if (channel.isOpen) channel.close();
    },
  };
}

/** The local channel a collect sink of this process delivers to; undefined once its receiver closed. */
export function localCollectChannel(id: string): CollectChannel | undefined {
  return localChannels.get(id);
}
