// The cluster-wide routes over HTTP: GET /overview (Flink's ClusterOverviewWithVersion, with Weir's
// version), /config (its DashboardConfiguration), /taskmanagers and /taskmanagers/:id (Flink's
// TaskManagerInfo with slots and process metrics).
import { readFileSync } from 'node:fs';
import test from 'ava';
import { eventually, within } from '../../helpers.ts';
import { fetchJson, getJson, startRestCluster, tickingJob, SLOW_MS } from './helpers.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

test('GET /overview counts TaskManagers, slots and jobs by how they ended', async (t) => {
  const { cluster, url } = await startRestCluster(t, { taskManagers: 2, slotsPerTaskManager: 2 });
  t.deepEqual(await getJson(t, url, '/overview'), {
    taskmanagers: 2,
    'slots-total': 4,
    'slots-available': 4,
    'jobs-running': 0,
    'jobs-finished': 0,
    'jobs-cancelled': 0,
    'jobs-failed': 0,
    'weir-version': VERSION,
  });
  const finished = await cluster.submit((env) => void env.fromSequence(1, 10).sinkTo(() => {}), { parallelism: 1 });
  await within(finished.result(), 'the job to finish', SLOW_MS);
  const cancelled = await cluster.submit(tickingJob('cancelled'), { parallelism: 1 });
  await cancelled.cancel();
  await within(cancelled.result().catch(() => undefined), 'the job to end', SLOW_MS);
  const failed = await cluster.submit((env) => void env.fromSequence(1, 10).map((): number => { throw new Error('no'); }).sinkTo(() => {}), { parallelism: 1 });
  await within(failed.result().catch(() => undefined), 'the job to fail', SLOW_MS);
  const running = await cluster.submit(tickingJob('running'), { parallelism: 1 });
  t.teardown(() => running.cancel().catch(() => undefined));
  await eventually(async () => ((await fetchJson(`${url}/overview`)).body as Record<string, number>)['slots-available'] === 3, 'the running job to hold its slot', SLOW_MS);

  t.deepEqual(await getJson(t, url, '/overview'), {
    taskmanagers: 2,
    'slots-total': 4,
    'slots-available': 3,
    'jobs-running': 1,
    'jobs-finished': 1,
    'jobs-cancelled': 1,
    'jobs-failed': 1,
    'weir-version': VERSION,
  });
});

test('GET /config tells a console how often to refresh, the server’s time zone and what it may do', async (t) => {
  const { url } = await startRestCluster(t);
  const config = await getJson<Record<string, unknown>>(t, url, '/config');
  t.deepEqual(config, {
    'refresh-interval': 3_000,
    'timezone-name': Intl.DateTimeFormat().resolvedOptions().timeZone,
    'timezone-offset': 0 - new Date().getTimezoneOffset() * 60_000,
    'weir-version': VERSION,
    features: { 'web-submit': false, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
  });
});

interface TaskManagerJson {
  readonly id: string;
  readonly path: string;
  readonly dataPort: number;
  readonly timeSinceLastHeartbeat: number;
  readonly registeredAt: number;
  readonly slotsNumber: number;
  readonly freeSlots: number;
  readonly slots: readonly { index: number; jobId: string | null; tasks: readonly string[] }[];
  readonly metrics: Record<string, number> | null;
}

test('GET /taskmanagers lists each TaskManager with its slots, the tasks in them and its process metrics', async (t) => {
  const { cluster, url } = await startRestCluster(t, { taskManagers: 2, slotsPerTaskManager: 2 });
  const handle = await cluster.submit(tickingJob('ticking'), { parallelism: 1 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  await eventually(async () => ((await fetchJson(`${url}/taskmanagers`)).body as { taskmanagers: TaskManagerJson[] }).taskmanagers.some((tm) => tm.freeSlots === 1), 'a slot to be taken', SLOW_MS);

  const { taskmanagers } = await getJson<{ taskmanagers: TaskManagerJson[] }>(t, url, '/taskmanagers');
  t.deepEqual(
    taskmanagers.map(({ id, path, dataPort, slotsNumber }) => ({ id, path, dataPort, slotsNumber })),
    [
      { id: 'taskmanager-0', path: 'weir://minicluster/user/taskmanager-0', dataPort: 0, slotsNumber: 2 },
      { id: 'taskmanager-1', path: 'weir://minicluster/user/taskmanager-1', dataPort: 0, slotsNumber: 2 },
    ],
  );
  const busy = taskmanagers.find((tm) => tm.freeSlots === 1)!;
  t.deepEqual(busy.slots.filter((slot) => slot.jobId !== null).map((slot) => ({ jobId: slot.jobId, tasks: slot.tasks })), [{ jobId: handle.jobId, tasks: ['Source: Observable -> Map -> Sink: Function (1/1)'] }]);
  for (const tm of taskmanagers) {
    t.true(tm.registeredAt <= tm.timeSinceLastHeartbeat && tm.timeSinceLastHeartbeat <= Date.now(), JSON.stringify(tm));
    t.true(tm.metrics!.heapUsed! > 0 && tm.metrics!.heapCommitted! >= tm.metrics!.heapUsed! && tm.metrics!.rss! > 0, JSON.stringify(tm.metrics));
  }
  const details = await getJson<TaskManagerJson>(t, url, `/taskmanagers/${busy.id}`);
  t.like(details, { id: busy.id, path: busy.path, slotsNumber: 2, freeSlots: 1 });
});

test('GET /taskmanagers/:id of an unknown TaskManager is a 404 naming it', async (t) => {
  const { url } = await startRestCluster(t);
  t.deepEqual(await fetchJson(`${url}/taskmanagers/taskmanager-9`), { status: 404, contentType: 'application/json', body: { errors: ['TaskManager taskmanager-9 not found'] } });
});
