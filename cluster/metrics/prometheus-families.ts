// Weir's own Prometheus families: each a name, help, type and a collect() read at scrape time that
// returns the samples as they are now. Flink's metric names become Prometheus names here (snake
// case, `_total` on counters, the unit in the name), with job / task / subtask as labels.
import type { Metric, Registry } from 'prom-client';

export type LabelValues = Readonly<Record<string, string | number>>;

export interface MetricSample {
  readonly labels: LabelValues;
  readonly value: number;
}

export interface MetricFamily {
  /** A Prometheus name: `weir_task_records_in_total`. */
  readonly name: string;
  readonly help: string;
  /** A counter only grows (a restarted task starts again from 0, which Prometheus' rate() allows). */
  readonly type: 'counter' | 'gauge';
  collect(): readonly MetricSample[] | Promise<readonly MetricSample[]>;
}

/**
 * Registers each family with `registry` as a collector of its own: its samples are exactly what
 * collect() returned at this scrape (prom-client's Gauge would show a label-less family as 0 when it
 * has no value). A family whose collect() fails shows no samples at that scrape (the others still
 * do): one unreachable actor must not blank the whole page, nor report a made-up 0.
 */
export function registerFamilies(registry: Registry, families: readonly MetricFamily[]): void {
  for (const family of families) {
    const collector = {
      name: family.name,
      get: async () => ({ name: family.name, help: family.help, type: family.type, aggregator: 'sum', values: await samplesOf(family) }),
    };
    // The registry reads only `name` and `get()` of a metric (its text rendering); Metric is typed as
    // the union of prom-client's own classes, hence the cast.
    registry.registerMetric(collector as unknown as Metric);
  }
}

async function samplesOf(family: MetricFamily): Promise<{ labels: LabelValues; value: number }[]> {
  let samples: readonly MetricSample[];
  try {
    samples = await family.collect();
  } catch {
    return [];
  }
  // A counter is a finite count >= 0; a gauge is any number but NaN (watermarks may be -Inf).
  const valid = family.type === 'counter' ? (value: number) => Number.isFinite(value) && value >= 0 : (value: number) => !Number.isNaN(value);
  return samples.filter((sample) => valid(sample.value)).map((sample) => ({ labels: sample.labels, value: sample.value }));
}
