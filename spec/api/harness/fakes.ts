// Hand-driven InputGate and OutputWriter for specs that look at one subtask: a spec pushes batches,
// ends the gate, and turns a writer's availability off and on.
import type { InputElement, InputGate, OutputWriter } from '../../../api/runtime/subtask.ts';

function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

export class FakeGate implements InputGate {
  readonly channels = 1;
  polls = 0;
  private readonly batches: unknown[][] = [];
  private ended = false;
  private waiting: ReturnType<typeof deferred> | null = null;

  push(...records: unknown[]): this {
    this.batches.push(records);
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
    const records = this.batches.shift();
    return records && { kind: 'records', channel: 0, records };
  }

  get finished(): boolean {
    return this.ended && this.batches.length === 0;
  }

  whenAvailable(): Promise<void> {
    if (this.batches.length > 0 || this.ended) return Promise.resolve();
    return (this.waiting ??= deferred()).promise;
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

  emit(channel: number, record: unknown): void {
    if (this.finishCalls > 0) this.emitsAfterFinish++;
    this.emitted[channel].push(record);
  }

  broadcast(record: unknown): void {
    for (let channel = 0; channel < this.channels; channel++) this.emit(channel, record);
  }

  flush(): void {}

  finish(): void {
    this.finishCalls++;
  }

  get all(): unknown[] {
    return this.emitted.flat();
  }
}
