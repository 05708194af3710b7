// The example jobs, planned and run the way the Task actor runs them (without actors).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { planJob } from '../../api/internal.ts';
import trivialJob from '../../examples/trivial-job.ts';
import unboundedJob from '../../examples/unbounded-job.ts';
import { runVertex, subtaskOf, within } from '../api/helpers.ts';

const squares = Array.from({ length: 1000 }, (_, index) => (index + 1) ** 2);

test('the trivial job prints the squares of 1..1000 when given no output directory', async (t) => {
  const plan = await planJob(trivialJob, []);
  t.is(plan.graph.runtimeMode, 'STREAMING');
  t.is(plan.graph.vertices[0].name, 'Source: Sequence -> Square -> Sink: Print');
  const { stdout } = await runVertex(plan);
  t.deepEqual(stdout, [squares.map(String)]);
});

test('the trivial job writes the squares to part files when given a directory', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'weir-trivial-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const plan = await planJob(trivialJob, [directory], { parallelism: 2 });
  await runVertex(plan);
  const lines = [...(await readFile(join(directory, 'part-0'), 'utf8')).split('\n'), ...(await readFile(join(directory, 'part-1'), 'utf8')).split('\n')];
  t.deepEqual(
    lines
      .filter((line) => line !== '')
      .map(Number)
      .sort((a, b) => a - b),
    squares,
  );
});

test('the unbounded job prints labelled ticks until it is cancelled', async (t) => {
  const plan = await planJob(unboundedJob, []);
  t.is(plan.graph.vertices[0].bounded, false);
  t.is(plan.graph.vertices[0].id, 'ticks');
  const lines: string[] = [];
  const subtask = subtaskOf(plan, { stdout: (line) => lines.push(line) });
  await subtask.open();
  while (lines.length < 2) {
    const result = subtask.step(100);
    t.not(result.kind, 'finished');
    if (result.kind === 'wait') await within(result.until);
  }
  subtask.cancel();
  await subtask.close();
  t.deepEqual(lines.slice(0, 2), ['tick 0', 'tick 1']);
});
