// GET /trace: the cluster's live message trace as Server-Sent Events (`event: trace`, data one
// ClusterTraceItem as JSON), filtered by job, actor and type at the traced side, ended with the cluster.
import test from 'ava';
import { eventually } from '../../helpers.ts';
import { fetchJson, openSse, startRestCluster, tickingJob, SLOW_MS } from './helpers.ts';

interface TraceData {
  readonly kind: string;
  readonly event: { readonly type: string; readonly to: string; readonly jobId?: string; readonly system: string; readonly direction: string };
}

const parse = (data: string): TraceData => JSON.parse(data) as TraceData;

test('GET /trace streams the SubmitJob of a job submitted while watching, with its job id', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const trace = await openSse(t, `${url}/trace?type=SubmitJob`);
  t.is(trace.status, 200);
  t.is(trace.contentType, 'text/event-stream');
  const handle = await cluster.submit(tickingJob('traced'), { parallelism: 1 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  const event = await trace.next('the SubmitJob event');
  t.is(event.event, 'trace');
  t.like(parse(event.data), { kind: 'event', event: { type: 'SubmitJob', to: 'weir://minicluster/user/dispatcher', jobId: handle.jobId, system: 'minicluster', direction: 'local' } });
});

test('GET /trace?job=&type= passes only that job’s messages of that type', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const watched = await cluster.submit(tickingJob('watched'), { parallelism: 1 });
  const other = await cluster.submit(tickingJob('other'), { parallelism: 1 });
  const trace = await openSse(t, `${url}/trace?job=${watched.jobId}&type=CancelJob`);
  await eventually(async () => ((await fetchJson(`${url}/jobs/${other.jobId}`)).body as { state: string }).state === 'RUNNING', 'the other job to run', SLOW_MS);
  t.is((await fetchJson(`${url}/jobs/${other.jobId}?mode=cancel`, { method: 'PATCH' })).status, 202);
  t.is((await fetchJson(`${url}/jobs/${watched.jobId}?mode=cancel`, { method: 'PATCH' })).status, 202);
  const event = parse((await trace.next('the watched job’s CancelJob')).data);
  t.like(event, { kind: 'event', event: { type: 'CancelJob', jobId: watched.jobId } });
});

test('an open /trace stream ends when the mini cluster closes', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const trace = await openSse(t, `${url}/trace`);
  t.is(trace.status, 200);
  await cluster.close();
  await t.notThrowsAsync(trace.ended());
});

test('a trace filter over 256 characters is a 400', async (t) => {
  const { url } = await startRestCluster(t);
  t.deepEqual(await fetchJson(`${url}/trace?actor=${'a'.repeat(257)}`), { status: 400, contentType: 'application/json', body: { errors: ['invalid actor filter: over 256 characters'] } });
});
