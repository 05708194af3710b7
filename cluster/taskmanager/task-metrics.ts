// One Task's figures (Flink's TaskIOMetricGroup): records and bytes counted per batch by its gates and
// partitions, its time split by its step loop into busy, backpressured and idle, and its operators'
// user metrics. The Task tells it where a step starts and what the step then waits for; nothing here
// runs per record, and rates are sampled at most once a second (at a step, or when read).
//
// Flink's definitions: backpressured is waiting for an output writer to have room, idle is waiting
// for input (or a split), busy is the rest (1000 - idle - backpressured per second): a step, but also
// waiting for a turn of the shared event loop, or for the subtask's own async work (an async sink).
//
// Threading: the Task's turn (the TaskManager's registry may read it between two turns).
import { METER_SAMPLE_MS, MeterView } from '../../api/runtime/metrics/meter-view.ts';
import { SubtaskMetricRegistry } from '../../api/runtime/metrics/metric-group.ts';
import type { SubtaskMetrics } from '../../messages/metrics.ts';
import type { SubtaskWatermarks } from '../../messages/watermarks.ts';
import type { LocalInputGate } from './network/input-gate.ts';
import type { ResultPartition } from './network/result-partition.ts';

/** What a step waits for: see the header. */
export type StepWait = 'input' | 'output' | 'busy';

/** An internal switch for benchmarks (`WEIR_METRICS=off`): no time accounting, no sampling, no user-metric reads. Not public API. */
export function metricsEnabled(): boolean {
  return process.env.WEIR_METRICS !== 'off';
}

export class TaskMetrics {
  /** The operators' user metrics (getMetricGroup()); the Task passes it to the subtask. */
  readonly registry = new SubtaskMetricRegistry();
  private idleMs = 0;
  private backPressuredMs = 0;
  private waiting: 'input' | 'output' | null = null;
  private waitingSince = 0;
  private lastSample = Number.NEGATIVE_INFINITY;
  private readonly recordsInRate = new MeterView();
  private readonly recordsOutRate = new MeterView();
  private readonly idleRate = new MeterView();
  private readonly backPressuredRate = new MeterView();
  private inputs: readonly LocalInputGate[] = [];
  private outputs: readonly ResultPartition[] = [];

  /** The subtask runs from `now` on: its rates start here. */
  start(inputs: readonly LocalInputGate[], outputs: readonly ResultPartition[], now: number): void {
    this.inputs = inputs;
    this.outputs = outputs;
    this.sample(now);
  }

  /** A step begins: the wait before it (if any) is over. */
  stepStarted(now: number): void {
    if (this.waiting !== null) {
      if (this.waiting === 'input') this.idleMs += now - this.waitingSince;
      else this.backPressuredMs += now - this.waitingSince;
      this.waiting = null;
    }
    if (now - this.lastSample >= METER_SAMPLE_MS) this.sample(now);
  }

  /** The step ended waiting for `kind`, until the next stepStarted(). */
  waitBegan(kind: StepWait, now: number): void {
    if (kind === 'busy') return;
    this.waiting = kind;
    this.waitingSince = now;
  }

  /** The figures now; `watermarks` is the subtask's reading, when it has one. */
  read(now: number, watermarks: SubtaskWatermarks | null): SubtaskMetrics {
    const recordsIn = this.recordsIn();
    const recordsOut = this.recordsOut();
    const idle = Math.min(1000, this.idleRate.rate(this.idleTotal(now), now));
    const backPressured = Math.min(1000 - idle, this.backPressuredRate.rate(this.backPressuredTotal(now), now));
    let bytesIn = 0;
    let inputUsage = 0;
    for (const gate of this.inputs) {
      bytesIn += gate.bytesIn;
      inputUsage += gate.bufferUsage;
    }
    let bytesOut = 0;
    let outputUsage = 0;
    for (const partition of this.outputs) {
      bytesOut += partition.bytesOut;
      outputUsage += partition.bufferUsage;
    }
    return {
      numRecordsIn: recordsIn,
      numRecordsOut: recordsOut,
      numBytesIn: bytesIn,
      numBytesOut: bytesOut,
      numRecordsInPerSecond: this.recordsInRate.rate(recordsIn, now),
      numRecordsOutPerSecond: this.recordsOutRate.rate(recordsOut, now),
      busyTimeMsPerSecond: Math.max(0, 1000 - idle - backPressured),
      backPressuredTimeMsPerSecond: backPressured,
      idleTimeMsPerSecond: idle,
      inputBufferUsage: this.inputs.length === 0 ? 0 : inputUsage / this.inputs.length,
      outputBufferUsage: this.outputs.length === 0 ? 0 : outputUsage / this.outputs.length,
      currentInputWatermark: watermarks?.inputWatermark ?? null,
      currentOutputWatermark: watermarks?.outputWatermark ?? null,
      user: this.registry.read(),
    };
  }

  private sample(now: number): void {
    this.lastSample = now;
    this.recordsInRate.sample(this.recordsIn(), now);
    this.recordsOutRate.sample(this.recordsOut(), now);
    this.idleRate.sample(this.idleTotal(now), now);
    this.backPressuredRate.sample(this.backPressuredTotal(now), now);
  }

  private recordsIn(): number {
    let records = 0;
    for (const gate of this.inputs) records += gate.recordsIn;
    return records;
  }

  private recordsOut(): number {
    let records = 0;
    for (const partition of this.outputs) records += partition.recordsOut;
    return records;
  }

  private idleTotal(now: number): number {
    return this.idleMs + (this.waiting === 'input' ? now - this.waitingSince : 0);
  }

  private backPressuredTotal(now: number): number {
    return this.backPressuredMs + (this.waiting === 'output' ? now - this.waitingSince : 0);
  }
}
