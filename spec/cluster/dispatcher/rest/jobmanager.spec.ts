// GET /jobmanager/metrics as Flink's: the ids of the JobManager process's metrics, and with ?get=
// their values (strings), read from this process when asked.
import test from 'ava';
import { fetchJson, getJson, startRestCluster } from './helpers.ts';

const IDS = [
  'Status.JVM.Memory.Heap.Used',
  'Status.JVM.Memory.Heap.Committed',
  'Status.JVM.Memory.Heap.Max',
  'Status.JVM.Memory.Direct.MemoryUsed',
  'Status.JVM.GarbageCollector.All.Time',
  'Status.Process.Memory.RSS',
  'Status.Process.Uptime',
];

test('GET /jobmanager/metrics lists the ids; ?get= gives their values as this process measures them', async (t) => {
  const { url } = await startRestCluster(t);
  t.deepEqual(await getJson(t, url, '/jobmanager/metrics'), IDS.map((id) => ({ id })));

  const values = await getJson<{ id: string; value: string }[]>(t, url, '/jobmanager/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.Memory.Heap.Max,Status.Process.Memory.RSS');
  t.deepEqual(values.map((entry) => entry.id), ['Status.JVM.Memory.Heap.Used', 'Status.JVM.Memory.Heap.Max', 'Status.Process.Memory.RSS']);
  const [used, max, rss] = values.map((entry) => Number(entry.value));
  const memory = process.memoryUsage(); // the mini cluster's REST server runs in this process
  t.true(used > 1_000_000 && used < max, `heap used ${used}, max ${max}`);
  t.true(Math.abs(rss - memory.rss) < 256 * 1024 * 1024, `rss ${rss} vs ${memory.rss}`);
});

test('GET /jobmanager/metrics?get= with an unknown id is a 400 naming it', async (t) => {
  const { url } = await startRestCluster(t);
  const answer = await fetchJson(`${url}/jobmanager/metrics?get=Status.JVM.Memory.Heap.Used,Status.Nope`);
  t.is(answer.status, 400);
  t.deepEqual(answer.body, { errors: ['Unknown JobManager metric(s): Status.Nope; GET /jobmanager/metrics lists them'] });
});
