import test from 'ava';
import { SubtaskMetricRegistry } from '../../../../api/runtime/metrics/metric-group.ts';
import { HISTOGRAM_RESERVOIR_SIZE } from '../../../../api/runtime/metrics/user-metrics.ts';
import { WeirError } from '../../../../messages/errors.ts';

test('counters, gauges, meters and histograms read as the cluster reports them, nested names joined by dots', (t) => {
  const registry = new SubtaskMetricRegistry();
  const group = registry.groupOf('Parse');
  const errors = group.addGroup('parser').counter('errors');
  errors.inc();
  errors.inc(4);
  errors.dec();
  let queued = 7;
  group.gauge('queued', () => queued);
  queued = 9;
  group.meter('events').markEvent(3);
  const latency = group.addGroup('io').addGroup('calls').histogram('latency');
  for (const value of [5, 1, 4, 2, 3]) latency.update(value);
  const [counter, gauge, meter, histogram] = registry.read();
  t.deepEqual(counter, { operator: 'Parse', name: 'parser.errors', kind: 'counter', value: 4 });
  t.deepEqual(gauge, { operator: 'Parse', name: 'queued', kind: 'gauge', value: 9 });
  t.like(meter, { operator: 'Parse', name: 'events', kind: 'meter', count: 3 });
  t.deepEqual(histogram, { operator: 'Parse', name: 'io.calls.latency', kind: 'histogram', value: 3, count: 5, min: 1, max: 5, p50: 3, p95: 5, p99: 5 });
});

test('asking for a metric again returns the one registered; another kind under its name is refused', (t) => {
  const registry = new SubtaskMetricRegistry();
  const group = registry.groupOf('Map');
  t.is(group.counter('seen'), registry.groupOf('Map').counter('seen'));
  const error = t.throws(() => group.histogram('seen'), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  t.is(error?.message, 'operator "Map": metric "seen" is a counter; it cannot be registered again as a histogram');
  t.is(t.throws(() => group.addGroup(''))?.message, 'operator "Map": a metric group needs a non-empty name, got ""');
});

test('a gauge that throws or returns no number reads NaN; the others still read', (t) => {
  const registry = new SubtaskMetricRegistry();
  const group = registry.groupOf('Map');
  group.gauge('broken', () => {
    throw new Error('boom');
  });
  group.gauge('text', () => 'seven' as unknown as number);
  group.counter('ok').inc();
  t.deepEqual(
    registry.read().map((metric) => metric.value),
    [Number.NaN, Number.NaN, 1],
  );
});

test('a histogram keeps the latest values only; its count is of every value', (t) => {
  const histogram = new SubtaskMetricRegistry().groupOf('Map').histogram('h');
  for (let value = 1; value <= HISTOGRAM_RESERVOIR_SIZE + 100; value++) histogram.update(value);
  t.is(histogram.getCount(), HISTOGRAM_RESERVOIR_SIZE + 100);
  t.like(histogram.getStatistics(), { size: HISTOGRAM_RESERVOIR_SIZE, min: 101, max: HISTOGRAM_RESERVOIR_SIZE + 100 });
});
