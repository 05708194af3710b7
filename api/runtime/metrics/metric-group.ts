// User metrics (Flink's MetricGroup): what `getRuntimeContext().getMetricGroup()` returns, one group
// per operator of a subtask; `addGroup(name)` nests names (`parser.errors`). Registering a name again
// returns the metric already there (open() after a restart of the function finds its counter); as
// another kind it is refused. A subtask's registry reads every one of them when asked.
import { WeirError } from '../../../messages/errors.ts';
import type { UserMetric } from '../../../messages/metrics.ts';
import { type Counter, FunctionGauge, type Gauge, type Histogram, type Meter, MeterOverMinute, SimpleCounter, SlidingWindowHistogram } from './user-metrics.ts';

/** Where a user function registers its metrics (Flink's MetricGroup). */
export interface MetricGroup {
  /** A counter under `name` (the same one when asked again). */
  counter(name: string): Counter;
  /** A gauge under `name`: `read` is called when the metrics are read, never per record. */
  gauge(name: string, read: () => number): Gauge;
  /** A meter under `name`: events per second over the last minute. */
  meter(name: string): Meter;
  /** A histogram under `name`, over its latest HISTOGRAM_RESERVOIR_SIZE values. */
  histogram(name: string): Histogram;
  /** A group nested under `name`: its metrics are named `name.<metric>`. */
  addGroup(name: string): MetricGroup;
}

interface MetricKinds {
  counter: Counter;
  gauge: Gauge;
  meter: Meter;
  histogram: Histogram;
}

type Registered = { [K in keyof MetricKinds]: { readonly kind: K; readonly metric: MetricKinds[K] } }[keyof MetricKinds];

/** Every user metric of one subtask, by operator and full name. */
export class SubtaskMetricRegistry {
  private readonly metrics = new Map<string, { readonly operator: string; readonly name: string; readonly registered: Registered }>();

  /** The group of one operator (by its name, as the job graph shows it). */
  groupOf(operator: string): MetricGroup {
    return new OperatorMetricGroup(this, operator, '');
  }

  /** Registers `fresh` unless a metric of that kind is there already; returns the one registered. */
  register<K extends keyof MetricKinds>(operator: string, name: string, kind: K, fresh: () => MetricKinds[K]): MetricKinds[K] {
    if (typeof name !== 'string' || name.length === 0) throw new WeirError('INVALID_ARGUMENT', `operator "${operator}": a metric needs a non-empty name, got ${JSON.stringify(name)}`);
    const key = `${operator}\u0000${name}`;
    const existing = this.metrics.get(key);
    if (existing) {
      if (existing.registered.kind !== kind) {
        throw new WeirError('INVALID_ARGUMENT', `operator "${operator}": metric "${name}" is a ${existing.registered.kind}; it cannot be registered again as a ${kind}`);
      }
      return existing.registered.metric as MetricKinds[K];
    }
    const metric = fresh();
    this.metrics.set(key, { operator, name, registered: { kind, metric } as Registered });
    return metric;
  }

  /** Every metric now, in registration order. A gauge that throws (or returns a non-number) reads NaN. */
  read(): UserMetric[] {
    return [...this.metrics.values()].map(({ operator, name, registered }): UserMetric => {
      switch (registered.kind) {
        case 'counter':
          return { operator, name, kind: 'counter', value: registered.metric.getCount() };
        case 'gauge':
          return { operator, name, kind: 'gauge', value: readGauge(registered.metric) };
        case 'meter':
          return { operator, name, kind: 'meter', value: registered.metric.getRate(), count: registered.metric.getCount() };
        case 'histogram': {
          const { mean, min, max, p50, p95, p99 } = registered.metric.getStatistics();
          return { operator, name, kind: 'histogram', value: mean, count: registered.metric.getCount(), min, max, p50, p95, p99 };
        }
        default: {
          const impossible: never = registered;
          return impossible;
        }
      }
    });
  }
}

function readGauge(gauge: Gauge): number {
  try {
    const value = gauge.getValue();
    return typeof value === 'number' ? value : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

class OperatorMetricGroup implements MetricGroup {
  constructor(
    private readonly registry: SubtaskMetricRegistry,
    private readonly operator: string,
    /** '' or `a.b.` */
    private readonly prefix: string,
  ) {}

  counter(name: string): Counter {
    return this.registry.register(this.operator, this.prefix + name, 'counter', () => new SimpleCounter());
  }

  gauge(name: string, read: () => number): Gauge {
    if (typeof read !== 'function') throw new WeirError('INVALID_ARGUMENT', `operator "${this.operator}": gauge "${this.prefix + name}" needs a function that returns its value`);
    return this.registry.register(this.operator, this.prefix + name, 'gauge', () => new FunctionGauge(read));
  }

  meter(name: string): Meter {
    return this.registry.register(this.operator, this.prefix + name, 'meter', () => new MeterOverMinute());
  }

  histogram(name: string): Histogram {
    return this.registry.register(this.operator, this.prefix + name, 'histogram', () => new SlidingWindowHistogram());
  }

  addGroup(name: string): MetricGroup {
    if (typeof name !== 'string' || name.length === 0) throw new WeirError('INVALID_ARGUMENT', `operator "${this.operator}": a metric group needs a non-empty name, got ${JSON.stringify(name)}`);
    return new OperatorMetricGroup(this.registry, this.operator, `${this.prefix}${name}.`);
  }
}
