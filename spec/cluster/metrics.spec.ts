// Metrics end to end on the MiniCluster (messages/metrics.ts): exact record counts per vertex on a
// bounded job, read after it ended (each subtask's final figures); busy, backpressured and idle time
// on a job with a slow sink; user metrics registered by a function; the TaskManagers' process
// figures and slots.
import test from 'ava';
import type { Counter, Histogram, JobModule, RuntimeContext } from '../../api/index.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { WeirError } from '../../messages/errors.ts';
import type { JobId } from '../../messages/ids.ts';
import type { SubtaskMetrics, SubtaskMetricsReport } from '../../messages/metrics.ts';
import { eventually, within } from './helpers.ts';

const RECORDS = 1000;

/** The sum of one figure over a vertex's subtasks (every one must have figures). */
function summed(reports: readonly SubtaskMetricsReport[], vertexId: string, figure: (metrics: SubtaskMetrics) => number): number {
  return reports.filter((report) => report.vertexId === vertexId).reduce((sum, report) => sum + figure(report.metrics as SubtaskMetrics), 0);
}

/** A sink that counts what it sees and keeps a histogram of the values, per subtask. */
class MeasuringSink {
  private seen!: Counter;
  private values!: Histogram;
  open(context: RuntimeContext): void {
    this.seen = context.getMetricGroup().counter('seen');
    this.values = context.getMetricGroup().addGroup('values').histogram('doubled');
  }
  invoke(value: number): void {
    this.seen.inc();
    this.values.update(value);
  }
}

test('a bounded job reports exact records in and out per vertex, and its user metrics, after it ended', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  const job: JobModule = (env) => {
    env
      .fromSequence(1, RECORDS)
      .map((n) => n * 2)
      .name('Double')
      .keyBy((n) => n % 10)
      .sinkTo(MeasuringSink)
      .name('Measure');
  };
  const handle = await cluster.submit(job, { parallelism: 2 });
  t.is((await within(handle.result(), 'the bounded job to finish')).status, 'FINISHED');
  const reports = await cluster.metrics(handle.jobId as JobId);

  t.deepEqual(
    reports.map(({ subtaskIndex, attemptNumber, status, taskManagerId }) => ({ subtaskIndex, attemptNumber, status, taskManagerId })),
    [0, 1, 0, 1].map((subtaskIndex) => ({ subtaskIndex, attemptNumber: 0, status: 'FINISHED', taskManagerId: 'taskmanager-0' })),
  );
  const [source, sink] = [...new Set(reports.map((report) => report.vertexId))];
  t.is(summed(reports, source, (m) => m.numRecordsIn), 0, 'a source subtask takes nothing from input gates');
  t.is(summed(reports, source, (m) => m.numRecordsOut), RECORDS);
  t.is(summed(reports, sink, (m) => m.numRecordsIn), RECORDS);
  t.is(summed(reports, sink, (m) => m.numRecordsOut), 0, 'a sink writes to no output edge');
  t.is(summed(reports, source, (m) => m.numBytesOut) + summed(reports, sink, (m) => m.numBytesIn), 0, 'local channels are not encoded: 0 bytes');
  for (const { metrics } of reports) {
    const { busyTimeMsPerSecond, backPressuredTimeMsPerSecond, idleTimeMsPerSecond } = metrics as SubtaskMetrics;
    t.true(Math.abs(busyTimeMsPerSecond + backPressuredTimeMsPerSecond + idleTimeMsPerSecond - 1000) < 1e-6);
  }
  t.deepEqual(
    reports.filter((report) => report.vertexId === source).map((report) => report.metrics?.user),
    [[], []],
  );

  // Every key's records reach one sink subtask: the user counters add up to the records.
  const sinkUser = reports.filter((report) => report.vertexId === sink).flatMap((report) => report.metrics?.user ?? []);
  t.deepEqual(
    sinkUser.map(({ operator, name, kind }) => ({ operator, name, kind })),
    [
      { operator: 'Measure', name: 'seen', kind: 'counter' },
      { operator: 'Measure', name: 'values.doubled', kind: 'histogram' },
      { operator: 'Measure', name: 'seen', kind: 'counter' },
      { operator: 'Measure', name: 'values.doubled', kind: 'histogram' },
    ],
  );
  const counters = sinkUser.filter((metric) => metric.kind === 'counter');
  t.is(counters[0].value + counters[1].value, RECORDS);
  const histograms = sinkUser.filter((metric) => metric.kind === 'histogram');
  t.is((histograms[0].count ?? 0) + (histograms[1].count ?? 0), RECORDS);
  t.is(Math.min(histograms[0].min ?? 0, histograms[1].min ?? 0), 2);
  t.is(Math.max(histograms[0].max ?? 0, histograms[1].max ?? 0), 2 * RECORDS);
});

test('a slow sink shows as busy, and its source as backpressured, while the job runs', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  const job: JobModule = (env) => {
    env.setRuntimeMode('STREAMING');
    env
      .fromSequence(1, 100_000_000)
      .name('Numbers')
      .rebalance()
      .sinkTo((_n: number) => {
        const until = performance.now() + 0.02;
        while (performance.now() < until); // 20 µs a record: busy, not asynchronous
      })
      .name('Slow Sink');
  };
  const handle = await cluster.submit(job, { parallelism: 1 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  let reports: readonly SubtaskMetricsReport[] = [];
  // The rates are over the time since the subtasks started: give them a few seconds of the steady state.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  await eventually(async () => {
    reports = await cluster.metrics(handle.jobId as JobId);
    return reports.every((report) => report.metrics !== null);
  }, 'both subtasks to report figures');
  const [source, sink] = reports.map((report) => report.metrics as SubtaskMetrics);
  t.log(`source: busy ${source.busyTimeMsPerSecond.toFixed(0)}, backpressured ${source.backPressuredTimeMsPerSecond.toFixed(0)}, idle ${source.idleTimeMsPerSecond.toFixed(0)} ms/s`);
  t.log(`sink: busy ${sink.busyTimeMsPerSecond.toFixed(0)}, backpressured ${sink.backPressuredTimeMsPerSecond.toFixed(0)}, idle ${sink.idleTimeMsPerSecond.toFixed(0)} ms/s`);
  t.true(source.backPressuredTimeMsPerSecond > 600, `the source waits for room most of the time (${source.backPressuredTimeMsPerSecond} ms/s)`);
  t.true(sink.busyTimeMsPerSecond > 600, `the sink is busy most of the time (${sink.busyTimeMsPerSecond} ms/s)`);
  t.true(sink.idleTimeMsPerSecond < 200, `the sink hardly waits for input (${sink.idleTimeMsPerSecond} ms/s)`);
  t.true(source.outputBufferUsage > 0.5, `the source's subpartition backlog is full (${source.outputBufferUsage})`);
  t.true(sink.inputBufferUsage > 0.5, `the sink's input channel is full (${sink.inputBufferUsage})`);
  t.true(sink.numRecordsIn > 0 && sink.numRecordsInPerSecond > 0);
  t.true(source.numRecordsOut >= sink.numRecordsIn);
  t.is(source.currentInputWatermark, null, 'a source subtask has no input watermark');
});

test('the TaskManagers report their process and their slots, with the tasks in each', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, taskManagers: 2, slotsPerTaskManager: 2 });
  t.teardown(() => cluster.close());
  const idle = await cluster.taskManagers();
  t.deepEqual(
    idle.map(({ id, slotsTotal, slotsFree, dataPort }) => ({ id, slotsTotal, slotsFree, dataPort })),
    [
      { id: 'taskmanager-0', slotsTotal: 2, slotsFree: 2, dataPort: 0 },
      { id: 'taskmanager-1', slotsTotal: 2, slotsFree: 2, dataPort: 0 },
    ],
  );
  for (const info of idle) {
    const metrics = info.metrics;
    if (!metrics) return t.fail(`${info.id} has no metrics: ${info.unavailable}`);
    t.true(metrics.heapUsedBytes > 0 && metrics.heapUsedBytes <= metrics.heapTotalBytes);
    t.true(metrics.rssBytes >= metrics.heapTotalBytes);
    t.true(metrics.uptimeMs > 0 && metrics.eventLoopDelayP99Ms >= metrics.eventLoopDelayP50Ms);
    t.true(info.registeredAt <= info.lastHeartbeat && info.lastHeartbeat <= Date.now());
    t.true(info.path.endsWith(`/user/${info.id}`), info.path);
  }

  const job: JobModule = (env) => {
    env.setRuntimeMode('STREAMING');
    env
      .fromSequence(1, 100_000_000)
      .name('Numbers')
      .sinkTo(() => {})
      .name('Drop');
  };
  const handle = await cluster.submit(job, { parallelism: 2 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  let busy = idle;
  await eventually(async () => {
    busy = await cluster.taskManagers();
    return busy.reduce((sum, info) => sum + info.slots.filter((slot) => slot.tasks.length > 0).length, 0) === 2;
  }, 'two slots to hold the job\'s tasks');
  t.is(busy.reduce((sum, info) => sum + info.slotsFree, 0), 2, 'slots free and taken add up to the total');
  t.deepEqual(busy.flatMap((info) => info.slots.flatMap((slot) => slot.tasks)).sort(), ['Numbers -> Drop (1/2)', 'Numbers -> Drop (2/2)']);
  for (const info of busy) for (const slot of info.slots) t.is(slot.jobId === null, slot.tasks.length === 0);

  const one = await cluster.taskManager('taskmanager-1');
  t.is(one.id, 'taskmanager-1');
  const error = await t.throwsAsync(cluster.taskManager('taskmanager-9'), { instanceOf: WeirError });
  t.is(error?.code, 'TASK_MANAGER_NOT_FOUND');
  t.is(error?.message, 'the mini cluster knows no TaskManager "taskmanager-9"');
});

test('the metrics of a job the cluster does not know are JOB_NOT_FOUND', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  const error = await t.throwsAsync(cluster.metrics('no-such-job' as JobId), { instanceOf: WeirError });
  t.is(error?.code, 'JOB_NOT_FOUND');
  t.is(error?.message, 'the mini cluster knows no job no-such-job');
});
