// Metrics on a real standalone cluster: two one-slot TaskManager processes run a job whose records
// cross between them (spec/e2e/fixtures/shuffle-job.ts, endless). The figures travel Task ->
// TaskManager -> JobManager -> client as msgpack; `weir list` shows the slots and `weir info` a row of
// metrics per subtask; bytes are counted where batches cross the wire.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import type { SubtaskMetrics, SubtaskMetricsReport } from '../../messages/metrics.ts';
import { REPO_ROOT, eventually, runCommand } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const SHUFFLE_JOB = fileURLToPath(new URL('./fixtures/shuffle-job.ts', import.meta.url));

const sum = (reports: readonly SubtaskMetricsReport[], figure: (metrics: SubtaskMetrics) => number): number =>
  reports.reduce((total, report) => total + (report.metrics ? figure(report.metrics) : 0), 0);

test('weir list shows free and total slots, weir info each subtask\'s records, rates and time; bytes cross the wire', async (t) => {
  const { address, env, client } = await startStandaloneCluster(t, { name: 'weir-e2e-metrics', logLevel: 'warn' });
  const weir = (...args: string[]) => runCommand(process.execPath, [`${REPO_ROOT}bin/weir`, ...args, '-m', address], env);
  const before = await weir('list');
  t.is(before.stdout, 'No running or scheduled jobs.\nSlots: 2 free of 2 on 2 TaskManagers\n', before.stderr);

  const handle = await client.submit(SHUFFLE_JOB, { parallelism: 2 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  let reports: readonly SubtaskMetricsReport[] = [];
  await eventually(
    async () => {
      reports = await client.metrics(handle.jobId);
      return reports.length === 6 && reports.every((report) => report.metrics !== null) && sum(reports, (m) => m.numBytesIn) > 0;
    },
    30_000,
    'every subtask to report figures, with batches received over the wire',
  );
  const vertices = [...new Set(reports.map((report) => report.vertexId))];
  const of = (vertexId: string) => reports.filter((report) => report.vertexId === vertexId);
  t.is(vertices.length, 3);
  t.true(sum(of(vertices[0]), (m) => m.numBytesOut) > 0, 'the sources sent batches to the other TaskManager');
  t.true(sum(of(vertices[1]), (m) => m.numBytesIn) > 0, 'the doublers received batches from the other TaskManager');
  t.true(sum(of(vertices[0]), (m) => m.numRecordsOut) > 0 && sum(of(vertices[1]), (m) => m.numRecordsIn) > 0);
  t.deepEqual(
    reports.map((report) => report.taskManagerId?.startsWith('taskmanager-')),
    [true, true, true, true, true, true],
  );

  const during = await weir('list');
  t.true(during.stdout.endsWith('endless shuffle\nSlots: 0 free of 2 on 2 TaskManagers\n'), during.stdout);

  const info = await weir('info', handle.jobId);
  t.is(info.code, 0, info.stderr);
  const lines = info.stdout.split('\n');
  const table = lines.slice(lines.indexOf('  metrics:') + 1, lines.indexOf('  watermarks:'));
  t.regex(table[0], /^ {4}VERTEX\s+SUBTASK\s+RECORDS IN\s+IN\/S\s+RECORDS OUT\s+OUT\/S\s+BUSY\s+BACKPRESSURED\s+IDLE$/);
  t.is(table.length, 7, table.join('\n'));
  const row = /^ {4}(Source: Sequence|Double|Add One -> Filter -> Sink: Print)\s+([12])\/2\s+\d+\s+[\d.]+\s+\d+\s+[\d.]+\s+\d+%\s+\d+%\s+\d+%$/;
  for (const line of table.slice(1)) t.regex(line, row);

  const taskManagers = await client.taskManagers();
  t.is(taskManagers.length, 2);
  for (const info of taskManagers) {
    t.like(info, { slotsTotal: 1, slotsFree: 0 });
    t.true(info.dataPort > 0, 'a standalone TaskManager has a data server');
    t.true((info.metrics?.heapUsedBytes ?? 0) > 0, `${info.id} reports its heap`);
    t.deepEqual(info.slots[0]?.jobId, handle.jobId);
    t.is(info.slots[0]?.tasks.length, 3, info.slots[0]?.tasks.join(', '));
  }
});
