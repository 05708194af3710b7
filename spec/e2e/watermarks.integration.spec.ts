// "Why is there no output?" on a real standalone cluster: a job whose second source subtask never
// emits (spec/e2e/fixtures/held-back-job.ts) runs on two one-slot TaskManager processes, and
// `weir info` shows every subtask's input and output watermark, the channels of the keyed subtask
// with the lowest input watermark, and names the source subtask that holds event time back. The
// watermarks cross two process boundaries (TaskManager -> JobManager -> CLI) as msgpack.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { SOURCE_WATERMARK } from './fixtures/held-back-job.ts';
import { REPO_ROOT, eventually, runCommand, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const HELD_BACK_JOB = fileURLToPath(new URL('./fixtures/held-back-job.ts', import.meta.url));

test('weir info names the source subtask that holds the job back, with the channels of the input it holds', async (t) => {
  const { address, env, client } = await startStandaloneCluster(t, { name: 'weir-e2e-watermarks' });
  const handle = await client.submit(HELD_BACK_JOB, { parallelism: 2 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  await eventually(
    async () => {
      const reports = await client.watermarks(handle.jobId);
      return reports.length === 4 && reports.every((report) => report.watermarks !== null) && reports.slice(2).every((report) => report.watermarks?.inputs[0]?.channels[0]?.watermark === SOURCE_WATERMARK);
    },
    30_000,
    'the watermark of the first source subtask to reach both keyed subtasks',
  );

  const info = await runCommand(process.execPath, [`${REPO_ROOT}bin/weir`, 'info', handle.jobId, '-m', address], env);
  t.is(info.code, 0, info.stderr);
  const lines = info.stdout.split('\n');
  t.is(lines[0], `Job "held back" (${handle.jobId})`);
  const sourceWatermark = new Date(SOURCE_WATERMARK).toISOString();
  t.is(sourceWatermark, '2024-01-01T00:00:02.999Z');
  t.deepEqual(lines.slice(lines.indexOf('  watermarks:')), [
    '  watermarks:',
    '    VERTEX                             SUBTASK  INPUT     OUTPUT',
    '    Readings -> Timestamps/Watermarks  1/2      (source)  2024-01-01T00:00:02.999Z',
    '    Readings -> Timestamps/Watermarks  2/2      (source)  -',
    '    Keyed Process -> Sink: Function    1/2      -         (no outputs)',
    '    Keyed Process -> Sink: Function    2/2      -         (no outputs)',
    '  lowest input watermark: Keyed Process -> Sink: Function (1/2), none yet; its input channels:',
    '    CHANNEL  UPSTREAM                                 WATERMARK                 STATUS',
    '    0        Readings -> Timestamps/Watermarks (1/2)  2024-01-01T00:00:02.999Z  active',
    '    1        Readings -> Timestamps/Watermarks (2/2)  -                         active',
    '  held back by Readings -> Timestamps/Watermarks (2/2): no watermark from it yet.',
    '',
  ]);

  const cancelled = await runCommand(process.execPath, [`${REPO_ROOT}bin/weir`, 'cancel', handle.jobId, '-m', address], env);
  t.is(cancelled.code, 0, cancelled.stderr);
  await t.throwsAsync(within(handle.result(), 15_000, 'the job to end'), { message: /cancel/i });
});
