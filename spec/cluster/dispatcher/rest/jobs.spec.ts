// The REST API's job routes against a real MiniCluster over HTTP: GET /jobs, /jobs/overview,
// /jobs/:jobId (vertices, timestamps, the plan), /jobs/:jobId/exceptions with the user's stack trace,
// /jobs/:jobId/checkpoints, and PATCH /jobs/:jobId?mode=cancel, in Flink's field names.
import test from 'ava';
import { type JobModule, RestartStrategies } from '../../../../api/index.ts';
import { interval } from 'rxjs';
import { eventually, within } from '../../helpers.ts';
import { fetchJson, getJson, startRestCluster, tickingJob, SLOW_MS } from './helpers.ts';

/** Two vertices: the source, then (over a hash edge) a keyed map chained to the sink. */
const keyedSum: JobModule = (env) => {
  env.setJobName('keyed sum');
  env
    .fromSequence(1, 100)
    .keyBy((n) => n % 2)
    .map((n) => n)
    .sinkTo(() => {});
};

const noTasks = { total: 0, created: 0, scheduled: 0, deploying: 0, initializing: 0, running: 0, finished: 0, canceling: 0, canceled: 0, failed: 0 };

test('GET /jobs and /jobs/overview list a finished job with its state, times and task counts', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const handle = await cluster.submit(keyedSum, { parallelism: 2 });
  await within(handle.result(), 'the job to finish', SLOW_MS);

  t.deepEqual(await getJson(t, url, '/jobs'), { jobs: [{ id: handle.jobId, status: 'FINISHED' }] });
  const { jobs } = await getJson<{ jobs: Record<string, number>[] }>(t, url, '/jobs/overview');
  t.is(jobs.length, 1);
  const [job] = jobs;
  const start = job['start-time'] as number;
  const end = job['end-time'] as number;
  t.true(start > 0 && end >= start, JSON.stringify(job));
  t.deepEqual(job, {
    jid: handle.jobId,
    name: 'keyed sum',
    state: 'FINISHED',
    'start-time': start,
    'end-time': end,
    duration: end - start,
    'last-modification': end,
    tasks: { ...noTasks, total: 4, finished: 4 },
  } as unknown as Record<string, number>);

  // Every record counted once: out of the source, into the keyed vertex (whose sink writes to no edge).
  const { vertices } = await getJson<{ vertices: { name: string; metrics: Record<string, unknown> }[] }>(t, url, `/jobs/${handle.jobId}`);
  const counts = vertices.map(({ name, metrics }) => [name, metrics['read-records'], metrics['write-records'], metrics['read-records-complete'], metrics['write-bytes']]);
  t.deepEqual(counts, [
    ['Source: Sequence', 0, 100, true, 0],
    ['Map -> Sink: Function', 100, 0, true, 0],
  ]);
});

test('GET /jobs/:jobId describes a running job: vertices with their states, status timestamps and the plan with each vertex input', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const running: JobModule = (env) => {
    env.setJobName('ticking keyed');
    env
      .fromObservable(() => interval(5))
      .keyBy((tick) => tick % 2)
      .map((tick) => tick)
      .sinkTo(() => {});
  };
  const handle = await cluster.submit(running, { parallelism: 2 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  const path = `/jobs/${handle.jobId}`;
  await eventually(async () => ((await fetchJson(url + path)).body as { vertices: { status: string }[] }).vertices.every((vertex) => vertex.status === 'RUNNING'), 'every vertex to run', SLOW_MS);

  const before = Date.now();
  const job = await getJson<Record<string, unknown>>(t, url, path);
  const timestamps = job.timestamps as Record<string, number>;
  const vertices = job.vertices as Record<string, unknown>[];
  t.is(job.jid, handle.jobId);
  t.is(job.name, 'ticking keyed');
  t.is(job.state, 'RUNNING');
  t.is(job['end-time'], -1);
  t.is(job.duration, (job.now as number) - (job['start-time'] as number));
  t.true((job.now as number) >= before);
  t.true(timestamps.INITIALIZING === job['start-time'] && timestamps.CREATED! >= timestamps.INITIALIZING! && timestamps.RUNNING! >= timestamps.CREATED!, JSON.stringify(timestamps));
  t.deepEqual([timestamps.FINISHED, timestamps.FAILED, timestamps.CANCELED, timestamps.RESTARTING], [0, 0, 0, 0]);
  const [source, keyed] = vertices;
  // An Observable source is not parallel: one subtask.
  t.like(source, { name: 'Source: Observable', parallelism: 1, status: 'RUNNING', tasks: { ...noTasks, total: 1, running: 1 }, metrics: { 'read-records': 0, 'write-records-complete': true } });
  t.like(keyed, { name: 'Map -> Sink: Function', parallelism: 2, status: 'RUNNING', tasks: { ...noTasks, total: 2, running: 2 }, metrics: { 'write-records': 0, 'read-records-complete': true } });
  t.like(job['status-counts'], { RUNNING: 2, CREATED: 0, FINISHED: 0 });
  t.deepEqual(job.plan, {
    jid: handle.jobId,
    name: 'ticking keyed',
    nodes: [
      { id: source!.id, parallelism: 1, operator: '', operator_strategy: '', description: 'Source: Observable' },
      { id: keyed!.id, parallelism: 2, operator: '', operator_strategy: '', description: 'Map -> Sink: Function', inputs: [{ num: 0, id: source!.id, ship_strategy: 'HASH', exchange: 'pipelined_bounded' }] },
    ],
  });
});

test('PATCH /jobs/:jobId?mode=cancel answers 202 {} and the job ends CANCELED; a second cancel is a 409 naming the state', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const handle = await cluster.submit(tickingJob('to cancel'), { parallelism: 1 });
  const path = `/jobs/${handle.jobId}`;
  await eventually(async () => ((await fetchJson(url + path)).body as { state: string }).state === 'RUNNING', 'the job to run', SLOW_MS);

  t.deepEqual(await fetchJson(`${url}${path}?mode=cancel`, { method: 'PATCH' }), { status: 202, contentType: 'application/json', body: {} });
  t.is((await within(handle.result().then(() => undefined, (error: Error) => error.message), 'the job to end', SLOW_MS)), `job "to cancel" (${handle.jobId}) was canceled`);
  t.like(await getJson(t, url, path), { state: 'CANCELED' });
  t.deepEqual(await fetchJson(`${url}${path}?mode=cancel`, { method: 'PATCH' }), {
    status: 409,
    contentType: 'application/json',
    body: { errors: [`cannot cancel job ${handle.jobId}: job ${handle.jobId} already ended CANCELED`] },
  });
});

test('PATCH /jobs/:jobId without a mode cancels too; a mode other than cancel is a 400, an unknown job a 404', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const handle = await cluster.submit(tickingJob('to cancel'), { parallelism: 1 });
  t.deepEqual(await fetchJson(`${url}/jobs/${handle.jobId}?mode=stop`, { method: 'PATCH' }), {
    status: 400,
    contentType: 'application/json',
    body: { errors: ['invalid mode "stop": expected "cancel"'] },
  });
  t.deepEqual((await fetchJson(`${url}/jobs/${handle.jobId}`, { method: 'PATCH' })).status, 202);
  await within(handle.result().catch(() => undefined), 'the job to end', SLOW_MS);
  const unknown = '00000000-0000-0000-0000-000000000000';
  t.deepEqual(await fetchJson(`${url}/jobs/${unknown}?mode=cancel`, { method: 'PATCH' }), { status: 404, contentType: 'application/json', body: { errors: [`Job ${unknown} not found`] } });
});

function failingMapper(n: number): number {
  if (n === 3) throw new Error(`record ${n} is cursed`);
  return n;
}

test('GET /jobs/:jobId/exceptions has the root exception with the user function in its stack, and every restart cause newest first', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const failing: JobModule = (env) => {
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 10));
    env.fromSequence(1, 5).map(failingMapper).sinkTo(() => {});
  };
  const handle = await cluster.submit(failing, { parallelism: 1 });
  await within(handle.result().catch(() => undefined), 'the job to fail', 30_000);

  const exceptions = await getJson<Record<string, unknown>>(t, url, `/jobs/${handle.jobId}/exceptions`);
  const history = exceptions.exceptionHistory as { entries: Record<string, unknown>[]; truncated: boolean };
  t.is(history.entries.length, 2, JSON.stringify(history));
  const [final, restart] = history.entries;
  t.is(exceptions['root-exception'], final!.stacktrace);
  t.is(exceptions.timestamp, final!.timestamp);
  t.false(exceptions.truncated as boolean);
  t.false(history.truncated);
  const root = exceptions['root-exception'] as string;
  t.regex(root, /record 3 is cursed \(no restart: fixed-delay \(1 attempt, 10 ms\): exhausted after 1 restart\)/);
  t.regex(root, /Caused by: Error: record 3 is cursed\n\s+at Object.failingMapper \(.*spec\/cluster\/dispatcher\/rest\/jobs\.spec\.ts:\d+:\d+\)/);
  t.regex(restart!.stacktrace as string, /record 3 is cursed\n/);
  t.regex(restart!.stacktrace as string, /at Object.failingMapper \(/);
  t.true((restart!.timestamp as number) <= (final!.timestamp as number));
  t.like(final, { failureLabels: {}, concurrentExceptions: [] });
});

test('GET /jobs/:jobId/exceptions of a job that did not fail has no root exception and an empty history', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const handle = await cluster.submit(keyedSum, { parallelism: 1 });
  await within(handle.result(), 'the job to finish', SLOW_MS);
  t.deepEqual(await getJson(t, url, `/jobs/${handle.jobId}/exceptions`), {
    'root-exception': null,
    timestamp: null,
    'all-exceptions': [],
    truncated: false,
    exceptionHistory: { entries: [], truncated: false },
  });
});

test('GET /jobs/:jobId/checkpoints counts completed checkpoints and shows the latest with its directory', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const checkpointing: JobModule = (env) => {
    env.enableCheckpointing(50);
    env.fromObservable(() => interval(5)).map((tick) => tick).sinkTo(() => {});
  };
  const handle = await cluster.submit(checkpointing, { parallelism: 1 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  const path = `/jobs/${handle.jobId}/checkpoints`;
  await eventually(async () => ((await fetchJson(url + path)).body as { counts?: { completed: number } }).counts?.completed! >= 2, 'two checkpoints', 15_000);

  const stats = await getJson<Record<string, Record<string, unknown>>>(t, url, path);
  const completed = stats.counts!.completed as number;
  t.like(stats.counts, { in_progress: 0, restored: 0 });
  t.is(stats.counts!.total, completed + (stats.counts!.failed as number));
  const latest = stats.latest!.completed as Record<string, unknown>;
  t.like(latest, { className: 'completed', status: 'COMPLETED', is_savepoint: false, checkpoint_type: 'CHECKPOINT', is_unaligned: false, persisted_data: 0, num_subtasks: 1, num_acknowledged_subtasks: 1, discarded: false });
  t.true((latest.id as number) >= 2);
  t.regex(latest.external_path as string, new RegExp(`${handle.jobId}/chk-${latest.id}$`));
  t.is(latest.latest_ack_timestamp as number, (latest.trigger_timestamp as number) + (latest.end_to_end_duration as number));
  t.deepEqual(stats.latest!.savepoint, null);
  t.deepEqual(stats.history, [latest] as unknown as Record<string, unknown>);
});

test('GET /jobs/:jobId of a job waiting for slots carries waiting-for-slots: what it needs, has, and what is free', async (t) => {
  const { cluster, url } = await startRestCluster(t, { taskManagers: 1, slotsPerTaskManager: 1, slotRequestTimeoutMs: 60_000 });
  const job: JobModule = (env) => {
    env.fromSequence(1, 10).sinkTo(() => {});
  };
  const handle = await cluster.submit(job, { parallelism: 2 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  let body: Record<string, unknown> = {};
  await eventually(async () => (body = (await fetchJson(`${url}/jobs/${handle.jobId}`)).body as Record<string, unknown>)['waiting-for-slots'] !== undefined, 'the wait to be reported', 10_000);
  t.is(body.state, 'CREATED');
  const { 'waiting-since': since, 'waited-ms': waited, ...wait } = body['waiting-for-slots'] as Record<string, number>;
  t.deepEqual(wait, { needed: 2, granted: 0, 'slots-available': 1, 'slots-total': 1, taskmanagers: 1, 'timeout-ms': 60_000 });
  t.true(since! <= Date.now() && waited! >= 0);
});
