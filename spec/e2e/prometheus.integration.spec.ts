// Prometheus on a real standalone cluster: with metrics.reporter.prom.port set to a range, the
// JobManager and both TaskManager processes (started by bin/start-cluster.sh) each serve /metrics on
// their own port of the range, with the cluster's and the running job's figures.
import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, freePort } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const ENDLESS_JOB = fileURLToPath(new URL('./fixtures/endless-job.ts', import.meta.url));

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

test('the JobManager and every TaskManager serve /metrics on the first free ports of metrics.reporter.prom.port', async (t) => {
  const base = await freePort();
  const cluster = await startStandaloneCluster(t, { name: 'weir-e2e-prometheus', settings: [`metrics.reporter.prom.port: ${base}-${base + 5}`] });
  const handle = await cluster.client.submit(ENDLESS_JOB, { parallelism: 2 });
  t.teardown(() => handle.cancel().catch(() => undefined));

  const jobManagerOut = readdirSync(cluster.logDir).find((file) => file.startsWith('weir-jobmanager') && file.endsWith('.out'));
  const jobManagerReady = JSON.parse(readFileSync(join(cluster.logDir, jobManagerOut ?? 'missing'), 'utf8').split('\n')[0] ?? '{}') as { metrics?: string };
  const taskManagerUrls = cluster.taskManagers().map((ready) => ready.metrics ?? 'missing');
  const urls = [jobManagerReady.metrics ?? 'missing', ...taskManagerUrls];
  const ports = urls.map((url) => Number(/^http:\/\/127\.0\.0\.1:(\d+)\/metrics$/.exec(url)?.[1]));
  t.true(ports.every((port) => port >= base && port <= base + 5), urls.join(' '));
  t.is(new Set(ports).size, 3);

  let jobManager = '';
  await eventually(
    async () => {
      jobManager = await scrape(urls[0]!);
      return jobManager.includes('weir_jobmanager_jobs{state="RUNNING",role="jobmanager"} 1\n');
    },
    15_000,
    'the JobManager to report one RUNNING job',
  );
  t.true(jobManager.includes('weir_jobmanager_registered_taskmanagers{role="jobmanager"} 2\n'));
  t.true(jobManager.includes('weir_jobmanager_task_slots_total{role="jobmanager"} 2\n'));
  t.true(jobManager.includes('weir_jobmanager_task_slots_available{role="jobmanager"} 0\n'));
  t.regex(jobManager, new RegExp(`^weir_job_uptime_seconds\\{job_id="${handle.jobId}",job_name="endless job",role="jobmanager"\\} \\d+(\\.\\d+)?$`, 'm'));
  t.regex(jobManager, /^nodejs_heap_size_used_bytes\{role="jobmanager"\} \d+/m);

  for (const [index, url] of taskManagerUrls.entries()) {
    const id = cluster.taskManagers()[index]!.id;
    t.regex(await scrape(url), new RegExp(`^process_resident_memory_bytes\\{role="taskmanager",tm_id="taskmanager-${id}"\\} \\d+`, 'm'));
  }
});
