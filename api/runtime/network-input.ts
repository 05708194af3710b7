// The head of a chain fed by network edges: polls the vertex's input gates round robin and pushes
// each batch's records into the head operator (input 0, or the second input of a two-input operator),
// at most `maxRecords` per read. A batch is kept across reads when the budget ends inside it.
// Between two batches it checks the outputs: with one of them full, the read stops early and the
// subtask waits for it before polling again (backpressure). Watermarks and checkpoint barriers will
// arrive here as other element kinds.
import type { ChainTracker, Output } from './chain.ts';
import { SOURCE_END, SOURCE_MORE, type SourceReader, type SourceStatus } from './source-reader.ts';
import type { InputGate, OutputWriter } from './subtask.ts';

export class NetworkInput implements SourceReader {
  /** The batch being delivered, from `position` on; null between batches. */
  private batch: readonly unknown[] | null = null;
  private position = 0;
  private target: Output<unknown> | null = null;
  /** The gate polled first next time, so that no gate starves the others. */
  private nextGate = 0;
  private cancelled = false;

  constructor(
    private readonly gates: readonly InputGate[],
    /** Where each gate's records go: the head operator, or its second input. */
    private readonly targets: readonly Output<unknown>[],
    private readonly writers: readonly OutputWriter[],
    private readonly tracker: ChainTracker,
  ) {}

  async open(): Promise<void> {}

  read(maxRecords: number): SourceStatus {
    if (this.cancelled) return SOURCE_END;
    let budget = maxRecords;
    while (budget > 0) {
      const batch = this.batch;
      if (batch !== null) {
        const target = this.target as Output<unknown>;
        let position = this.position;
        const end = Math.min(batch.length, position + budget);
        budget -= end - position;
        while (position < end) target.collect(batch[position++]);
        this.position = position;
        if (position < batch.length) return SOURCE_MORE;
        this.batch = null;
        this.target = null;
        continue;
      }
      if (!this.writersAvailable()) return SOURCE_MORE;
      if (!this.pollNext()) break;
    }
    if (this.batch !== null || budget === 0) return SOURCE_MORE;
    if (this.allFinished()) return SOURCE_END;
    return { kind: 'wait', until: this.anyAvailable() };
  }

  cancel(): void {
    this.cancelled = true;
  }

  async close(): Promise<void> {}

  /** Takes the next element of the first gate (from `nextGate` on) that has one; false when none has. */
  private pollNext(): boolean {
    const gates = this.gates;
    const count = gates.length;
    this.tracker.current = null;
    for (let offset = 0; offset < count; offset++) {
      const index = (this.nextGate + offset) % count;
      const element = gates[index].poll();
      if (element === undefined) continue;
      this.nextGate = index + 1 === count ? 0 : index + 1;
      switch (element.kind) {
        case 'records':
          this.batch = element.records;
          this.position = 0;
          this.target = this.targets[index];
          return true;
        default: {
          const unknown: never = element.kind;
          throw new Error(`unknown input element kind ${String(unknown)}`);
        }
      }
    }
    return false;
  }

  private writersAvailable(): boolean {
    const writers = this.writers;
    for (let index = 0; index < writers.length; index++) if (!writers[index].available) return false;
    return true;
  }

  private allFinished(): boolean {
    for (const gate of this.gates) if (!gate.finished) return false;
    return true;
  }

  private anyAvailable(): Promise<void> {
    const open = this.gates.filter((gate) => !gate.finished);
    return open.length === 1 ? open[0].whenAvailable() : Promise.race(open.map((gate) => gate.whenAvailable()));
  }
}
