import test from 'ava';
import { startPrometheusReporter } from '../../../cluster/metrics/prometheus-reporter.ts';
import type { MetricFamily } from '../../../cluster/metrics/prometheus-families.ts';

const families = (records: { value: number }): MetricFamily[] => [
  {
    name: 'weir_task_records_in_total',
    help: 'Records a subtask received.',
    type: 'counter',
    collect: () => [
      { labels: { job_id: 'j1', subtask_index: 0 }, value: records.value },
      { labels: { job_id: 'j1', subtask_index: 1 }, value: 7 },
    ],
  },
  {
    name: 'weir_task_current_input_watermark_ms',
    help: 'The last watermark the head operator processed.',
    type: 'gauge',
    collect: async () => [{ labels: { job_id: 'j1' }, value: -Infinity }],
  },
  {
    name: 'weir_unreachable',
    help: 'A family whose source fails.',
    type: 'gauge',
    collect: () => {
      throw new Error('the Dispatcher did not answer');
    },
  },
];

test('GET /metrics renders the families as they are at each scrape, with the process labels, next to Node\'s own metrics', async (t) => {
  const records = { value: 3 };
  const reporter = await startPrometheusReporter({ host: '127.0.0.1', ports: [{ from: 0, to: 0 }], processLabels: { tm_id: 'taskmanager-a' }, families: families(records) });
  t.teardown(() => reporter.close());
  t.regex(reporter.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const first = await fetch(reporter.url);
  t.is(first.status, 200);
  t.regex(first.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await first.text();
  t.true(text.includes('# TYPE weir_task_records_in_total counter'));
  t.true(text.includes('weir_task_records_in_total{job_id="j1",subtask_index="0",tm_id="taskmanager-a"} 3\n'));
  t.true(text.includes('weir_task_records_in_total{job_id="j1",subtask_index="1",tm_id="taskmanager-a"} 7\n'));
  t.true(text.includes('weir_task_current_input_watermark_ms{job_id="j1",tm_id="taskmanager-a"} -Inf\n'));
  t.regex(text, /^nodejs_heap_size_used_bytes\{tm_id="taskmanager-a"\} \d+/m);
  // The failing family shows no samples; the page is still served.
  t.false(/^weir_unreachable[{ ]/m.test(text));
  records.value = 10;
  const second = await (await fetch(reporter.url)).text();
  t.true(second.includes('weir_task_records_in_total{job_id="j1",subtask_index="0",tm_id="taskmanager-a"} 10\n'));
});

test('other paths are 404 naming where the metrics are', async (t) => {
  const reporter = await startPrometheusReporter({ host: '127.0.0.1', ports: [{ from: 0, to: 0 }], processLabels: {}, families: [] });
  t.teardown(() => reporter.close());
  const response = await fetch(reporter.url.replace('/metrics', '/admin'));
  t.is(response.status, 404);
  t.is(await response.text(), 'Not found: /admin (Prometheus metrics are at /metrics)\n');
});

test('a second reporter on the same range binds the next free port, and a full range names the key', async (t) => {
  const first = await startPrometheusReporter({ host: '127.0.0.1', ports: [{ from: 0, to: 0 }], processLabels: {}, families: [] });
  t.teardown(() => first.close());
  const range = [{ from: first.port, to: first.port + 1 }];
  const second = await startPrometheusReporter({ host: '127.0.0.1', ports: range, processLabels: {}, families: [] });
  t.teardown(() => second.close());
  t.is(second.port, first.port + 1);
  const error = await t.throwsAsync(startPrometheusReporter({ host: '127.0.0.1', ports: range, processLabels: {}, families: [] }));
  t.regex(error.message, new RegExp(`^no free port in metrics\\.reporter\\.prom\\.port: ${first.port}-${first.port + 1} `));
});
