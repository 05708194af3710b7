// A job's watermarks on the mini cluster: the Dispatcher forwards RequestJobWatermarks to the job's
// JobManager, which asks every TaskManager running its subtasks; each TaskManager asks its Task
// actors, which read their subtasks on their own turn. Every subtask of the job is reported, in graph
// order, with its watermarks or why it has none.
import test, { type ExecutionContext } from 'ava';
import { NEVER } from 'rxjs';
import type { JobModule } from '../../../api/index.ts';
import { MiniCluster, type MiniClusterOptions } from '../../../cluster/minicluster.ts';
import { WeirError } from '../../../messages/errors.ts';
import { jobId } from '../../../messages/ids.ts';
import type { ChannelWatermark, SubtaskWatermarkReport } from '../../../messages/watermarks.ts';
import heldBackJob, { SOURCE_WATERMARK } from '../../e2e/fixtures/held-back-job.ts';
import { eventually, within } from '../helpers.ts';

const NONE = Number.NEGATIVE_INFINITY;

async function startMiniCluster(t: ExecutionContext, options: MiniClusterOptions = {}): Promise<MiniCluster> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, ...options });
  t.teardown(() => cluster.close());
  return cluster;
}

const channel = (upstreamVertexId: string, upstreamSubtask: number, watermark: number): ChannelWatermark => ({ upstreamVertexId, upstreamSubtask, watermark, idle: false, aligned: true });

test('every subtask reports through its TaskManager: the sources their output, the keyed subtasks each channel of their input', async (t) => {
  // One slot per TaskManager: the two subtasks of each vertex answer from different TaskManagers.
  const cluster = await startMiniCluster(t, { taskManagers: 2, slotsPerTaskManager: 1 });
  const handle = await cluster.submit(heldBackJob, { parallelism: 2 });
  let reports: readonly SubtaskWatermarkReport[] = [];
  await eventually(async () => {
    reports = await cluster.watermarks(handle.jobId);
    return reports.length === 4 && reports.every((report) => report.watermarks !== null) && reports.slice(2).every((report) => report.watermarks?.inputs[0]?.channels[0]?.watermark === SOURCE_WATERMARK);
  }, 'the watermark of the first source subtask to reach both keyed subtasks');
  const keyed = {
    inputWatermark: NONE,
    outputWatermark: null,
    outputIdle: false,
    inputs: [{ input: 0, watermark: NONE, idle: false, channels: [channel('source-0', 0, SOURCE_WATERMARK), channel('source-0', 1, NONE)] }],
    splits: null,
  };
  t.deepEqual(reports, [
    { vertexId: 'source-0', subtaskIndex: 0, watermarks: { inputWatermark: null, outputWatermark: SOURCE_WATERMARK, outputIdle: false, inputs: [], splits: null } },
    { vertexId: 'source-0', subtaskIndex: 1, watermarks: { inputWatermark: null, outputWatermark: NONE, outputIdle: false, inputs: [], splits: null } },
    { vertexId: 'keyed-process-3', subtaskIndex: 0, watermarks: keyed },
    { vertexId: 'keyed-process-3', subtaskIndex: 1, watermarks: keyed },
  ]);
  await handle.cancel();
  await t.throwsAsync(within(handle.result(), 'the job to end'));
  t.deepEqual(await cluster.watermarks(handle.jobId), [], 'an ended job has no watermarks');
});

test('with idleness, source subtasks without events turn idle: their channels leave the minimum, and the idle input keeps the highest watermark', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 2, slotsPerTaskManager: 1 });
  const handle = await cluster.submit(heldBackJob, { parallelism: 2, args: ['--idleness', '300'] });
  let reports: readonly SubtaskWatermarkReport[] = [];
  await eventually(async () => {
    reports = await cluster.watermarks(handle.jobId);
    return reports.slice(2).every((report) => report.watermarks?.inputs[0]?.idle === true);
  }, 'both source subtasks to turn idle');
  t.like(reports[0], { watermarks: { outputWatermark: SOURCE_WATERMARK, outputIdle: true } });
  t.like(reports[1], { watermarks: { outputWatermark: NONE, outputIdle: true } });
  const idle = (upstreamSubtask: number, watermark: number): ChannelWatermark => ({ upstreamVertexId: 'source-0', upstreamSubtask, watermark, idle: true, aligned: false });
  for (const keyed of reports.slice(2)) {
    t.deepEqual(keyed.watermarks, {
      inputWatermark: SOURCE_WATERMARK,
      outputWatermark: null,
      outputIdle: false,
      inputs: [{ input: 0, watermark: SOURCE_WATERMARK, idle: true, channels: [idle(0, SOURCE_WATERMARK), idle(1, NONE)] }],
      splits: null,
    });
  }
  await handle.cancel();
});

test('a subtask that is not running is reported with its state, and an ended channel with the end of event time', async (t) => {
  const cluster = await startMiniCluster(t);
  // The bounded source finishes at once; the union's other input never ends.
  const union: JobModule = (env) => void env.fromElements(1, 2).union(env.fromObservable<number>(() => NEVER)).map((n) => n).sinkTo(() => {});
  const handle = await cluster.submit(union, { parallelism: 1 });
  let reports: readonly SubtaskWatermarkReport[] = [];
  await eventually(async () => {
    reports = await cluster.watermarks(handle.jobId);
    return reports[0]?.unavailable === 'FINISHED' && reports[2]?.watermarks?.inputs[0]?.channels[0]?.watermark === Number.POSITIVE_INFINITY;
  }, 'the bounded source to finish');
  t.deepEqual(
    reports.map(({ vertexId, watermarks, unavailable }) => ({ vertexId, unavailable, channels: watermarks?.inputs[0]?.channels.map((c) => c.watermark) })),
    [
      { vertexId: 'source-collection-0', unavailable: 'FINISHED', channels: undefined },
      { vertexId: 'source-observable-1', unavailable: undefined, channels: undefined },
      { vertexId: 'map-3', unavailable: undefined, channels: [Number.POSITIVE_INFINITY, NONE] },
    ],
  );
  await handle.cancel();
});

test('the watermarks of a job the cluster does not know are JOB_NOT_FOUND', async (t) => {
  const cluster = await startMiniCluster(t);
  const error = await t.throwsAsync(cluster.watermarks(jobId('no-such-job')), { instanceOf: WeirError });
  t.is(error?.code, 'JOB_NOT_FOUND');
  t.is(error?.message, 'the mini cluster knows no job no-such-job');
});
