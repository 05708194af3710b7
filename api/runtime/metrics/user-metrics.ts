// The metrics a user function registers (Flink's Counter, Gauge, Meter and Histogram). Updating one
// is a field update (a histogram: one array slot); everything else happens when it is read.
import { MeterView } from './meter-view.ts';

/** Counts something: records dropped, calls made (Flink's SimpleCounter). */
export interface Counter {
  inc(n?: number): void;
  dec(n?: number): void;
  getCount(): number;
}

/** A value read when the metrics are read (Flink's Gauge): the size of a buffer, a lag. */
export interface Gauge {
  getValue(): number;
}

/** Events per second over the last minute (Flink's MeterView). */
export interface Meter {
  markEvent(n?: number): void;
  /** Events per second over the last ~60 s. */
  getRate(): number;
  getCount(): number;
}

/** The distribution of the latest values of a histogram. */
export interface HistogramStatistics {
  /** Values in the reservoir (at most HISTOGRAM_RESERVOIR_SIZE). */
  readonly size: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** A distribution of values, over the latest HISTOGRAM_RESERVOIR_SIZE of them (Flink's DescriptiveStatisticsHistogram). */
export interface Histogram {
  update(value: number): void;
  /** Values so far (not only those in the reservoir). */
  getCount(): number;
  getStatistics(): HistogramStatistics;
}

/** Values a histogram keeps: its statistics are over the latest this many (a sliding window). */
export const HISTOGRAM_RESERVOIR_SIZE = 1024;

export class SimpleCounter implements Counter {
  private count = 0;
  inc(n = 1): void {
    this.count += n;
  }
  dec(n = 1): void {
    this.count -= n;
  }
  getCount(): number {
    return this.count;
  }
}

export class FunctionGauge implements Gauge {
  constructor(private readonly read: () => number) {}
  getValue(): number {
    return this.read();
  }
}

export class MeterOverMinute implements Meter {
  private count = 0;
  private readonly view = new MeterView();
  constructor(private readonly now: () => number = () => performance.now()) {
    this.view.sample(0, this.now());
  }
  markEvent(n = 1): void {
    this.count += n;
  }
  getRate(): number {
    return this.view.rate(this.count, this.now());
  }
  getCount(): number {
    return this.count;
  }
}

export class SlidingWindowHistogram implements Histogram {
  private readonly values = new Float64Array(HISTOGRAM_RESERVOIR_SIZE);
  private count = 0;

  update(value: number): void {
    this.values[this.count % HISTOGRAM_RESERVOIR_SIZE] = value;
    this.count++;
  }

  getCount(): number {
    return this.count;
  }

  getStatistics(): HistogramStatistics {
    const size = Math.min(this.count, HISTOGRAM_RESERVOIR_SIZE);
    if (size === 0) return { size: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 };
    const sorted = this.values.slice(0, size).sort();
    let sum = 0;
    for (let index = 0; index < size; index++) sum += sorted[index];
    return { size, min: sorted[0], max: sorted[size - 1], mean: sum / size, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99) };
  }
}

/** The nearest-rank quantile of sorted values: the smallest value with at least q of them at or below it. */
function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}
