// Hand-driven InputGate and OutputWriter for specs that look at one subtask: a spec pushes batches,
// ends the gate, and turns a writer's availability off and on.
import type { InputElement, InputGate, OutputWriter, RecordBatch, StreamEvent } from '../../../api/runtime/subtask.ts';

function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

export class FakeGate implements InputGate {
  readonly channels = 1;
  polls = 0;
  private readonly batches: RecordBatch[] = [];
  private ended = false;
  private endPolled = false;
  private waiting: ReturnType<typeof deferred> | null = null;
  blocked = false;

  push(...records: unknown[]): this {
    return this.pushBatch({ records, timestamps: null, events: null });
  }

  /** A batch with timestamps and events (see RecordBatch). */
  pushBatch(batch: RecordBatch): this {
    this.batches.push(batch);
    this.wake();
    return this;
  }

  end(): this {
    this.ended = true;
    this.wake();
    return this;
  }

  poll(): InputElement | undefined {
    this.polls++;
    if (this.blocked) return undefined;
    const batch = this.batches.shift();
    if (batch) return { kind: 'batch', channel: 0, batch };
    if (this.ended && !this.endPolled) {
      this.endPolled = true;
      return { kind: 'end', channel: 0 };
    }
    return undefined;
  }

  get finished(): boolean {
    return this.endPolled;
  }

  whenAvailable(): Promise<void> {
    if (!this.blocked && (this.batches.length > 0 || this.ended)) return Promise.resolve();
    return (this.waiting ??= deferred()).promise;
  }

  blockChannel(): void {
    this.blocked = true;
  }

  resumeChannel(): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.wake();
  }

  private wake(): void {
    this.waiting?.resolve();
    this.waiting = null;
  }
}

export class FakeWriter implements OutputWriter {
  readonly emitted: unknown[][];
  finishCalls = 0;
  /** emit() calls made after finish(): must stay 0. */
  emitsAfterFinish = 0;
  private open = true;
  private waiting: ReturnType<typeof deferred> | null = null;

  constructor(readonly channels = 1) {
    this.emitted = Array.from({ length: channels }, (): unknown[] => []);
  }

  get available(): boolean {
    return this.open;
  }

  setAvailable(available: boolean): void {
    this.open = available;
    if (available) {
      this.waiting?.resolve();
      this.waiting = null;
    }
  }

  whenAvailable(): Promise<void> {
    if (this.open) return Promise.resolve();
    return (this.waiting ??= deferred()).promise;
  }

  /** Events broadcast, with how many records channel 0 had when each came. */
  readonly events: { readonly after: number; readonly event: StreamEvent }[] = [];

  emit(channel: number, record: unknown, _timestamp?: number): void {
    if (this.finishCalls > 0) this.emitsAfterFinish++;
    this.emitted[channel].push(record);
  }

  broadcast(record: unknown, timestamp?: number): void {
    for (let channel = 0; channel < this.channels; channel++) this.emit(channel, record, timestamp);
  }

  broadcastEvent(event: StreamEvent): void {
    this.events.push({ after: this.emitted[0].length, event });
  }

  flush(): void {}

  finish(): void {
    this.finishCalls++;
  }

  get all(): unknown[] {
    return this.emitted.flat();
  }
}

/** A FakeWriter that also records, in order, `label(record)@timestamp` and `wm:<w>` / `status:<s>`. */
export class ElementWriter extends FakeWriter {
  readonly elements: string[] = [];

  constructor(private readonly label: (record: unknown) => string = String) {
    super();
  }

  override emit(channel: number, record: unknown, timestamp?: number): void {
    super.emit(channel, record, timestamp);
    this.elements.push(`${this.label(record)}@${String(timestamp)}`);
  }

  override broadcastEvent(event: StreamEvent): void {
    super.broadcastEvent(event);
    this.elements.push(typeof event === 'number' ? `wm:${event}` : `status:${event}`);
  }
}
