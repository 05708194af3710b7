import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import type { RunnableSubtask } from '../../../api/runtime/subtask.ts';
import { WeirError } from '../../../messages/errors.ts';
import { stepToEnd, subtaskOf, within } from '../helpers.ts';
import { stepUntil, temporaryDirectory } from './source-fixtures.ts';

const INTERVAL_MS = 20;

async function watching(directory: string, seen: string[]): Promise<RunnableSubtask> {
  const plan = await planJob((env) => void env.readTextFile(directory, { watch: true, intervalMs: INTERVAL_MS }).sinkTo((line: string) => void seen.push(line)), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  return subtask;
}

/** Steps for `ms` (several listings), so that anything read twice would show. */
const stepFor = (subtask: RunnableSubtask, ms: number): Promise<void> => {
  const until = Date.now() + ms;
  return stepUntil(subtask, () => Date.now() >= until, { timeoutMs: ms + 1_000 });
};

/** Writes under a dot name, then renames: the way to hand a watched directory a finished file. */
async function moveIn(directory: string, name: string, text: string): Promise<void> {
  await writeFile(join(directory, `.${name}.tmp`), text);
  await rename(join(directory, `.${name}.tmp`), join(directory, name));
}

test('watch mode is unbounded, has parallelism 1 and no splits', async (t) => {
  const directory = await temporaryDirectory(t);
  const plan = await planJob((env) => void env.setParallelism(3).setRuntimeMode('AUTOMATIC').readTextFile(directory, { watch: true }).print(), []);
  const vertex = plan.graph.vertices[0];
  t.false(vertex.bounded);
  t.is(vertex.parallelism, 1);
  t.is(vertex.splits, undefined);
  t.is(plan.graph.runtimeMode, 'STREAMING');
  t.deepEqual(vertex.operators[0].config, { path: directory, watch: true, intervalMs: 1_000, maxLineBytes: 64 * 1024 * 1024 });
});

test('watch mode reads the files present at start, then a file that appears later, each exactly once', async (t) => {
  const directory = await temporaryDirectory(t);
  await writeFile(join(directory, 'first.txt'), 'one\ntwo\n');
  const seen: string[] = [];
  const subtask = await watching(directory, seen);
  await stepUntil(subtask, () => seen.length >= 2);
  t.deepEqual(seen, ['one', 'two']);
  await stepFor(subtask, 5 * INTERVAL_MS);
  t.deepEqual(seen, ['one', 'two'], 'a file already read is not read again');
  await moveIn(directory, 'second.txt', 'three\r\nfour');
  await stepUntil(subtask, () => seen.length >= 4);
  await stepFor(subtask, 5 * INTERVAL_MS);
  t.deepEqual(seen, ['one', 'two', 'three', 'four']);
  subtask.cancel();
  t.deepEqual(subtask.step(10), { kind: 'finished' });
  await subtask.close();
});

test('a file that changes is read again from its start; an empty file is read once it has content', async (t) => {
  const directory = await temporaryDirectory(t);
  const seen: string[] = [];
  await writeFile(join(directory, 'log.txt'), 'a\n');
  await writeFile(join(directory, 'later.txt'), '');
  const subtask = await watching(directory, seen);
  await stepUntil(subtask, () => seen.length >= 1);
  await appendFile(join(directory, 'log.txt'), 'b\n');
  await stepUntil(subtask, () => seen.length >= 3);
  await writeFile(join(directory, 'later.txt'), 'c\n');
  await stepUntil(subtask, () => seen.length >= 4);
  await stepFor(subtask, 5 * INTERVAL_MS);
  t.deepEqual(seen, ['a', 'a', 'b', 'c'], 'Flink PROCESS_CONTINUOUSLY semantics: a modified file is processed again whole');
  subtask.cancel();
  await subtask.close();
});

test('cancel() wakes a step that waits for the next listing', async (t) => {
  const directory = await temporaryDirectory(t);
  const plan = await planJob((env) => void env.readTextFile(directory, { watch: true, intervalMs: 60_000 }).print(), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  const listing = subtask.step(10);
  if (listing.kind === 'wait') await within(listing.until);
  const sleeping = subtask.step(10);
  if (sleeping.kind !== 'wait') return t.fail(`expected a wait, got ${sleeping.kind}`);
  subtask.cancel();
  await t.notThrowsAsync(within(sleeping.until, 'the wait for the next listing', 500));
  t.deepEqual(subtask.step(10), { kind: 'finished' });
  await subtask.close();
});

test('a watched path that does not exist fails planning, one that disappears fails the subtask, both with SOURCE_READ_FAILED', async (t) => {
  const parent = await temporaryDirectory(t);
  const missing = join(parent, 'missing');
  const planning = await t.throwsAsync(planJob((env) => void env.readTextFile(missing, { watch: true }).print(), []), { instanceOf: WeirError });
  t.is(planning.code, 'SOURCE_READ_FAILED');
  t.is(planning.message, `operator "Source: Text File" (id "source-text-file-0"): cannot list "${missing}" (tried by process ${process.pid}): ENOENT: no such file or directory, stat '${missing}'`);

  const directory = join(parent, 'watched');
  await mkdir(directory);
  const plan = await planJob((env) => void env.readTextFile(directory, { watch: true, intervalMs: INTERVAL_MS }).print(), []);
  await rm(directory, { recursive: true });
  const subtask = subtaskOf(plan);
  await subtask.open();
  const running = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
  t.is(running.code, 'SOURCE_READ_FAILED');
  t.is(running.message, `operator "Source: Text File" (id "source-text-file-0"): cannot list "${directory}" (tried by process ${process.pid}): ENOENT: no such file or directory, stat '${directory}'`);
  await subtask.close();
});
