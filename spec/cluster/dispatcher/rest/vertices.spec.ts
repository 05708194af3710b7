// A vertex over HTTP: GET /jobs/:jobId/vertices/:vertexId (subtasks with attempt, TaskManager,
// Flink's IO metrics and watermarks), .../watermarks (Flink's metric list), .../input-watermarks
// (Weir's: per input and channel) and .../backpressure (Flink's levels from the backpressured time
// per second), on a real MiniCluster.
import test from 'ava';
import { interval } from 'rxjs';
import { type JobModule, WatermarkStrategy } from '../../../../api/index.ts';
import { eventually, within } from '../../helpers.ts';
import { fetchJson, getJson, startRestCluster, SLOW_MS } from './helpers.ts';

interface Subtask {
  readonly subtask: number;
  readonly status: string;
  readonly attempt: number;
  readonly 'taskmanager-id': string;
  readonly metrics: Record<string, unknown> | null;
  readonly watermarks: { readonly input: number | null; readonly output: number | null };
}

/** The job's vertex ids in graph order. */
async function vertexIds(url: string, jobId: string): Promise<string[]> {
  const job = (await fetchJson(`${url}/jobs/${jobId}`)).body as { vertices: { id: string }[] };
  return job.vertices.map((vertex) => vertex.id);
}

test('a finished job’s vertex lists every subtask with its attempt, TaskManager, final record counts and an ended input', async (t) => {
  const { cluster, url } = await startRestCluster(t, { taskManagers: 2, slotsPerTaskManager: 1 });
  const job: JobModule = (env) => {
    env
      .fromSequence(1, 1_000)
      .rebalance()
      .map((n) => n)
      .sinkTo(() => {});
  };
  const handle = await cluster.submit(job, { parallelism: 2 });
  await within(handle.result(), 'the job to finish', SLOW_MS);
  const [source, mapper] = await vertexIds(url, handle.jobId);

  const vertex = await getJson<{ id: string; parallelism: number; subtasks: Subtask[] }>(t, url, `/jobs/${handle.jobId}/vertices/${mapper}`);
  t.like(vertex, { id: mapper, name: 'Map -> Sink: Function', parallelism: 2 });
  t.deepEqual(
    vertex.subtasks.map((subtask) => [subtask.subtask, subtask.status, subtask.attempt]),
    [
      [0, 'FINISHED', 0],
      [1, 'FINISHED', 0],
    ],
  );
  t.deepEqual(vertex.subtasks.map((subtask) => subtask['taskmanager-id']).sort(), ['taskmanager-0', 'taskmanager-1']);
  // rebalance: each source subtask deals its records round robin, so each consumer gets half.
  t.deepEqual(
    vertex.subtasks.map((subtask) => [subtask.metrics?.['read-records'], subtask.metrics?.['write-records'], subtask.metrics?.['read-records-complete']]),
    [
      [500, 0, true],
      [500, 0, true],
    ],
  );
  // The input ended (+Infinity as the largest safe integer); a sink chain has no output edge.
  t.deepEqual(vertex.subtasks.map((subtask) => subtask.watermarks), [
    { input: Number.MAX_SAFE_INTEGER, output: null },
    { input: Number.MAX_SAFE_INTEGER, output: null },
  ]);
  const sources = await getJson<{ subtasks: Subtask[] }>(t, url, `/jobs/${handle.jobId}/vertices/${source}`);
  t.is(
    sources.subtasks.reduce((sum, subtask) => sum + (subtask.metrics?.['write-records'] as number), 0),
    1_000,
  );
  t.deepEqual(await getJson(t, url, `/jobs/${handle.jobId}/vertices/${mapper}/watermarks`), [
    { id: '0.currentInputWatermark', value: '9223372036854775807' },
    { id: '1.currentInputWatermark', value: '9223372036854775807' },
  ]);
});

test('GET .../watermarks of a running event-time job shows each subtask’s input watermark as Flink’s metric values', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const job: JobModule = (env) => {
    env
      .fromObservable(() => interval(5))
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner(() => 5_000))
      .keyBy((tick) => tick % 2)
      .map((tick) => tick)
      .sinkTo(() => {});
  };
  const handle = await cluster.submit(job, { parallelism: 1 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  const [source, keyed] = await vertexIds(url, handle.jobId);
  const path = `/jobs/${handle.jobId}/vertices/${keyed}/watermarks`;
  await eventually(async () => JSON.stringify((await fetchJson(url + path)).body).includes('"4999"'), 'the watermark to reach the keyed vertex', 10_000);

  t.deepEqual(await getJson(t, url, path), [{ id: '0.currentInputWatermark', value: '4999' }]);
  // The source's chain assigns them: no input, its output is the watermark it sent.
  t.deepEqual(await getJson(t, url, `/jobs/${handle.jobId}/vertices/${source}/watermarks`), [{ id: '0.currentOutputWatermark', value: '4999' }]);
  const vertex = await getJson<{ subtasks: Subtask[] }>(t, url, `/jobs/${handle.jobId}/vertices/${keyed}`);
  t.deepEqual(vertex.subtasks[0]!.watermarks, { input: 4_999, output: null });
  // Weir's own: each input and its channels (the console's "why no output?"), infinities as text.
  t.deepEqual(await getJson(t, url, `/jobs/${handle.jobId}/vertices/${keyed}/input-watermarks`), {
    subtasks: [
      {
        vertexId: keyed,
        subtaskIndex: 0,
        watermarks: {
          inputWatermark: 4_999,
          outputWatermark: null,
          outputIdle: false,
          inputs: [{ input: 0, watermark: 4_999, idle: false, channels: [{ upstreamVertexId: source, upstreamSubtask: 0, watermark: 4_999, idle: false, aligned: true }] }],
          splits: null,
        },
      },
    ],
  });
  const sourceInputs = await getJson<{ subtasks: { watermarks: { inputWatermark: unknown; inputs: unknown[] } }[] }>(t, url, `/jobs/${handle.jobId}/vertices/${source}/input-watermarks`);
  t.deepEqual(sourceInputs.subtasks.map((subtask) => [subtask.watermarks.inputWatermark, subtask.watermarks.inputs]), [[null, []]]);
  t.is((await fetchJson(`${url}/jobs/${handle.jobId}/vertices/nope/input-watermarks`)).status, 404);
});

test('GET .../backpressure shows a source held back by a slow sink as high, and the sink as busy, not backpressured', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const job: JobModule = (env) => {
    env
      .fromSequence(1, 100_000_000)
      .rebalance() // the sink in a task of its own, behind a network exchange
      .sinkTo(() => {
        const until = performance.now() + 0.05;
        while (performance.now() < until);
      });
  };
  const handle = await cluster.submit(job, { parallelism: 1 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  const [source, sink] = await vertexIds(url, handle.jobId);
  const path = `/jobs/${handle.jobId}/vertices/${source}/backpressure`;
  await eventually(async () => ((await fetchJson(url + path)).body as { 'backpressure-level': string })['backpressure-level'] === 'high', 'the source to be backpressured', 20_000);

  const held = await getJson<{ status: string; 'end-timestamp': number; subtasks: Record<string, unknown>[] }>(t, url, path);
  t.like(held, { status: 'ok', 'backpressure-level': 'high' });
  t.is(held.subtasks.length, 1);
  const [subtask] = held.subtasks;
  t.like(subtask, { subtask: 0, 'attempt-number': 0, 'backpressure-level': 'high' });
  t.true((subtask!.ratio as number) > 0.5, JSON.stringify(subtask));
  t.true(Math.abs((subtask!.ratio as number) + (subtask!.busyRatio as number) + (subtask!.idleRatio as number) - 1) < 0.05, JSON.stringify(subtask));

  const slow = await getJson<{ 'backpressure-level': string; subtasks: Record<string, number>[] }>(t, url, `/jobs/${handle.jobId}/vertices/${sink}/backpressure`);
  t.is(slow['backpressure-level'], 'ok');
  t.true(slow.subtasks[0]!.busyRatio! > 0.5, JSON.stringify(slow));

  // The job view colours the vertices the same way: the source's time per second is mostly backpressured.
  const jobView = await getJson<{ vertices: { metrics: Record<string, number> }[] }>(t, url, `/jobs/${handle.jobId}`);
  t.true(jobView.vertices[0]!.metrics['backpressured-time-ms-per-second']! > 500, JSON.stringify(jobView.vertices[0]));
});
