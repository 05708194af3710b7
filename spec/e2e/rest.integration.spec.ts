// The REST API of a real standalone cluster (bin/start-cluster.sh): the JobManager binds the first
// free port of its rest.bind-port range on loopback, names it in its ready line, and answers
// /overview and /jobs/overview with figures that crossed the processes (TaskManager -> JobManager).
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const SHUFFLE_JOB = fileURLToPath(new URL('./fixtures/shuffle-job.ts', import.meta.url));

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('a standalone JobManager serves the REST API on its configured port range: /overview and /jobs/overview', async (t) => {
  // The range's first port is taken: the JobManager moves on to the next free one.
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.teardown(() => void taken.close());
  const first = (taken.address() as { port: number }).port;
  const { restUrl, client } = await startStandaloneCluster(t, { name: 'weir-e2e-rest', restPorts: `${first}-${first + 20}` });
  const port = Number(new URL(restUrl).port);
  t.is(new URL(restUrl).hostname, '127.0.0.1');
  t.true(port > first && port <= first + 20, restUrl);

  const overview = await getJson(`${restUrl}/overview`);
  t.is(overview.status, 200);
  t.like(overview.body, { taskmanagers: 2, 'slots-total': 2, 'slots-available': 2, 'jobs-running': 0, 'jobs-finished': 0 });

  const output = mkdtempSync(join(tmpdir(), 'weir-e2e-rest-out-'));
  t.teardown(() => rmSync(output, { recursive: true, force: true }));
  const handle = await client.submit(SHUFFLE_JOB, { parallelism: 2, args: [output, '1000'] });
  t.is((await within(handle.result(), 60_000, 'the job to finish')).status, 'FINISHED');

  const jobs = await getJson(`${restUrl}/jobs/overview`);
  t.is(jobs.status, 200);
  const [job] = jobs.body.jobs as Record<string, unknown>[];
  t.like(job, { jid: handle.jobId, name: 'bounded shuffle', state: 'FINISHED', tasks: { total: 6, finished: 6, running: 0, failed: 0 } });
  t.like((await getJson(`${restUrl}/overview`)).body, { 'jobs-finished': 1, 'jobs-running': 0, 'slots-available': 2 });

  // Each record counted once per edge, in the TaskManagers, read from the JobManager's REST API.
  const details = await getJson(`${restUrl}/jobs/${handle.jobId}`);
  const vertices = details.body.vertices as { name: string; metrics: Record<string, number> }[];
  t.deepEqual(
    vertices.map(({ name, metrics }) => [name, metrics['read-records'], metrics['write-records']]),
    [
      ['Source: Sequence', 0, 1000],
      ['Double', 1000, 1000],
      ['Add One -> Sink: Text File', 1000, 0],
    ],
  );
  // The rebalance and the key shuffle cross processes: their batches were encoded.
  t.true(vertices[1]!.metrics['read-bytes']! > 0, JSON.stringify(vertices[1]));
});
