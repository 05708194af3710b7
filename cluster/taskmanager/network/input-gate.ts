// An InputGate: the consuming end of one input edge, one channel per producer subtask. A channel
// holds the batches delivered to it (by a local subpartition, or by a data connection for a remote
// one); polling one returns a credit to its sender, so a channel never holds more than the credit it
// granted (CHANNEL_CREDITS). A channel that cannot go on (its connection dropped, its partition was
// released) fails the gate: poll() throws that error, so the consuming task fails naming the producer.
// A priority event (an unaligned checkpoint's barrier) skips the queue: pollPriority() hands it out
// with the batches it overtook, counted when it arrived (a batch delivered after it is not one of them).
import type { InputElement, InputGate, InputPriorityEvent, RecordBatch } from '../../../api/runtime/subtask.ts';
import { WakeSignal } from '../../../api/sources/wake-signal.ts';
import type { SubpartitionReader } from './subpartition.ts';

/** Batches a channel may hold: the credit it grants its sender at the start. */
export const CHANNEL_CREDITS = 4;

/** Gives credit back to the sender of a channel (local subpartition or remote connection). */
export type CreditSink = (credits: number) => void;

export class InputChannel implements SubpartitionReader {
  readonly batches: RecordBatch[] = [];
  ended = false;
  /** The gate handed out this channel's end (after its last batch). */
  endPolled = false;
  /** Aligning a checkpoint: the gate hands out nothing of this channel (see InputGate.blockChannel). */
  blocked = false;
  /** Set when the channel is connected to its producer. */
  creditSink: CreditSink | undefined;
  /** Batches delivered and polled so far: a priority event overtook the batches delivered before it and not polled yet. */
  delivered = 0;
  polled = 0;

  constructor(
    readonly index: number,
    private readonly gate: LocalInputGate,
  ) {}

  /** `bytes`: the batch's size on the wire; a local channel hands the object over and says nothing (0). */
  deliver(batch: RecordBatch, bytes = 0): void {
    // A released gate's channels are ended: a producer still sending is not heard.
    if (this.ended) return;
    this.gate.bytesIn += bytes;
    this.batches.push(batch);
    this.delivered++;
    this.gate.notify();
  }

  /** Takes no credit: the producer sent it without any. Unknown: off the wire, checked where it is read. */
  deliverPriority(event: unknown): void {
    if (this.ended) return;
    this.gate.priorityArrived(this, event);
  }

  end(): void {
    this.ended = true;
    this.gate.notify();
  }

  /** The producer cannot be read any more: the gate's next poll() throws `error`. */
  fail(error: Error): void {
    this.gate.fail(error);
  }
}

export class LocalInputGate implements InputGate {
  readonly inputChannels: readonly InputChannel[];
  private next = 0;
  /** The one promise every whenAvailable() call gets until something arrives: waiting never accumulates. */
  private readonly signal = new WakeSignal();
  /** Whether a whenAvailable() promise is pending (for specs: waiting must stay bounded). */
  get waiting(): boolean {
    return this.signal.pending;
  }
  /** The first channel failure; every poll() from then on throws it. */
  private failure: Error | undefined;
  /** Priority events not polled yet, with the channel's delivered count when each arrived. */
  private readonly priority: { readonly channel: InputChannel; readonly event: unknown; readonly deliveredBefore: number }[] = [];
  private priorityListener: (() => void) | null = null;
  /** Metrics, counted per batch: records handed out by poll(), bytes of the batches that came over the wire. */
  recordsIn = 0;
  bytesIn = 0;

  constructor(readonly channels: number) {
    this.inputChannels = Array.from({ length: channels }, (_, index) => new InputChannel(index, this));
  }

  poll(): InputElement | undefined {
    if (this.failure) throw this.failure;
    const channels = this.inputChannels;
    for (let tried = 0; tried < channels.length; tried++) {
      const channel = channels[this.next];
      this.next = this.next + 1 === channels.length ? 0 : this.next + 1;
      if (channel.blocked) continue;
      const batch = channel.batches.shift();
      if (batch !== undefined) {
        channel.polled++;
        this.recordsIn += batch.records.length;
        channel.creditSink?.(1);
        return { kind: 'batch', channel: channel.index, batch };
      }
      if (channel.ended && !channel.endPolled) {
        channel.endPolled = true;
        return { kind: 'end', channel: channel.index };
      }
    }
    return undefined;
  }

  pollPriority(): InputPriorityEvent | undefined {
    if (this.failure) throw this.failure;
    const next = this.priority.shift();
    if (next === undefined) return undefined;
    const { channel, event, deliveredBefore } = next;
    return { channel: channel.index, event, overtaken: channel.batches.slice(0, Math.max(0, deliveredBefore - channel.polled)) };
  }

  setPriorityListener(listener: () => void): void {
    this.priorityListener = listener;
  }

  priorityArrived(channel: InputChannel, event: unknown): void {
    this.priority.push({ channel, event, deliveredBefore: channel.delivered });
    this.priorityListener?.();
    this.notify();
  }

  get finished(): boolean {
    if (this.failure) return false;
    return this.inputChannels.every((channel) => channel.endPolled);
  }

  whenAvailable(): Promise<void> {
    if (this.failure || this.finished || this.priority.length > 0 || this.inputChannels.some(hasElement)) return Promise.resolve();
    return this.signal.next();
  }

  notify(): void {
    this.signal.wake();
  }

  blockChannel(channel: number): void {
    this.inputChannels[channel].blocked = true;
  }

  resumeChannel(channel: number): void {
    const input = this.inputChannels[channel];
    if (!input.blocked) return;
    input.blocked = false;
    if (hasElement(input)) this.notify();
  }

  /** A channel failed: whoever waits wakes, and poll() throws `error` (the first failure wins). */
  fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  /** Batches queued over what the channels' credit allows (Flink's inPoolUsage): 0..1. */
  get bufferUsage(): number {
    let queued = 0;
    for (const channel of this.inputChannels) queued += channel.batches.length;
    return this.inputChannels.length === 0 ? 0 : Math.min(1, queued / (this.inputChannels.length * CHANNEL_CREDITS));
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  /** Cancelled: wake whoever waits; nothing more will be polled. */
  release(): void {
    this.priority.length = 0;
    for (const channel of this.inputChannels) {
      channel.batches.length = 0;
      channel.ended = true;
      channel.endPolled = true;
    }
    this.notify();
  }
}

function hasElement(channel: InputChannel): boolean {
  if (channel.blocked) return false;
  return channel.batches.length > 0 || (channel.ended && !channel.endPolled);
}
