import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import { type TextFileSplit, MIN_SPLIT_BYTES, textFileSplits } from '../../../api/sources/text-file-splits.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runModule } from '../harness/run-plan.ts';
import { runVertex, stepToEnd, subtaskOf, within } from '../helpers.ts';
import { temporaryDirectory } from './source-fixtures.ts';

/** Lines of varied lengths, some empty, some with multi-byte characters. */
function someLines(count: number, seed = 1): string[] {
  return Array.from({ length: count }, (_, index) => {
    const length = (index * 7919 + seed * 104_729) % 97;
    return length % 13 === 0 ? '' : `${index}:${'ab✓'.repeat(length)}`;
  });
}

/** stdout lines of a parallel print() sink, per subtask, without their `n> ` prefix. */
const unprefixed = (stdout: string[][]): string[][] => stdout.map((lines) => lines.map((line) => line.slice(line.indexOf('> ') + 2)));

const sorted = (lines: readonly string[]): string[] => [...lines].sort();

test('readTextFile emits each line of a file as a string without its line ending', async (t) => {
  const path = join(await temporaryDirectory(t), 'input.txt');
  await writeFile(path, 'first\r\nsecond\n\nlast without newline');
  const plan = await planJob((env) => void env.readTextFile(path).print(), []);
  t.deepEqual((await runVertex(plan)).stdout, [['first', 'second', '', 'last without newline']]);
});

test('with parallelism 2, a file cut into many splits is read exactly once, lines crossing split borders included', async (t) => {
  const path = join(await temporaryDirectory(t), 'input.txt');
  const lines = someLines(2_000);
  const text = `${lines.join('\n')}\n`;
  await writeFile(path, text);
  const size = Buffer.byteLength(text);
  const splitBytes = 1_000;
  t.not(size % splitBytes, 0, 'the file size is not a multiple of the split size');
  const plan = await planJob((env) => void env.setParallelism(2).readTextFile(path, { maxSplitBytes: splitBytes }).print(), []);
  const vertex = plan.graph.vertices[0];
  t.is(vertex.parallelism, 2);
  t.true(vertex.bounded);
  const splits = (vertex.splits ?? []).map((split) => split.payload as TextFileSplit);
  t.true(splits.length >= size / splitBytes - 1, `${splits.length} splits`);
  t.deepEqual(
    splits.map((split) => split.start),
    splits.map((_, index) => index * splitBytes),
    'the splits are consecutive byte ranges',
  );
  t.is(splits.reduce((sum, split) => sum + split.length, 0), size);
  const run = await runVertex(plan, vertex, 13);
  const perSubtask = unprefixed(run.stdout);
  t.true(perSubtask[0].length > 0 && perSubtask[1].length > 0, 'both subtasks read');
  t.deepEqual(sorted(perSubtask.flat()), sorted(lines));
  t.deepEqual(new Set(run.splits.handedOut.map((entry) => entry.subtaskIndex)), new Set([0, 1]));
});

test('a directory is read file by file in name order; dot and underscore files, subdirectories and empty files add nothing', async (t) => {
  const directory = await temporaryDirectory(t);
  await writeFile(join(directory, 'b.txt'), 'b1\nb2\n');
  await writeFile(join(directory, 'a.txt'), 'a1\na2');
  await writeFile(join(directory, 'empty.txt'), '');
  await writeFile(join(directory, '.hidden'), 'hidden\n');
  await writeFile(join(directory, '_SUCCESS'), 'marker\n');
  await mkdir(join(directory, 'nested'));
  await writeFile(join(directory, 'nested', 'c.txt'), 'nested\n');
  const plan = await planJob((env) => void env.readTextFile(directory).print(), []);
  const splits = (plan.graph.vertices[0].splits ?? []).map((split) => split.payload as TextFileSplit);
  t.deepEqual(splits, [
    { path: join(directory, 'a.txt'), start: 0, length: 5 },
    { path: join(directory, 'b.txt'), start: 0, length: 6 },
  ]);
  t.deepEqual((await runVertex(plan)).stdout, [['a1', 'a2', 'b1', 'b2']]);
});

test('an empty file and an empty directory are bounded inputs that end at once', async (t) => {
  const directory = await temporaryDirectory(t);
  await writeFile(join(directory, 'empty.txt'), '');
  for (const path of [join(directory, 'empty.txt'), directory]) {
    const plan = await planJob((env) => void env.readTextFile(path).print(), []);
    t.deepEqual(plan.graph.vertices[0].splits, []);
    t.deepEqual((await runVertex(plan)).stdout, [[]]);
  }
});

test('splits are small enough for every subtask to get work, but not below MIN_SPLIT_BYTES unless the maximum is smaller', (t) => {
  const file = (path: string, size: number) => ({ path, size, modified: 0 });
  const lengths = (files: ReturnType<typeof file>[], parallelism: number, max?: number): number[] =>
    textFileSplits(files, parallelism, max).map((split) => (split.payload as TextFileSplit).length);
  t.deepEqual(lengths([file('a', 3_000_000)], 1), [3_000_000], 'a file under the maximum is one split');
  t.deepEqual(lengths([file('a', 3_000_000)], 2), [1_500_000, 1_500_000], 'unless more subtasks want work');
  const mib = 1024 * 1024;
  t.deepEqual(lengths([file('a', 10 * mib)], 1), [4 * mib, 4 * mib, 2 * mib], 'a larger file is cut at DEFAULT_MAX_SPLIT_BYTES');
  t.deepEqual(lengths([file('a', 100_000)], 8), [MIN_SPLIT_BYTES, 100_000 - MIN_SPLIT_BYTES], 'no split below MIN_SPLIT_BYTES');
  t.deepEqual(lengths([file('a', 1_050)], 1, 1_000), [1_050], 'a last split within 10% of the size joins the previous one');
  t.deepEqual(lengths([file('a', 1_150)], 1, 1_000), [1_000, 150]);
  t.deepEqual(lengths([file('a', 0), file('b', 10)], 4, 1_000), [10], 'an empty file makes no split');
  t.deepEqual(
    textFileSplits([file('a', 2_500), file('b', 10)], 1, 1_000).map((split) => split.index),
    [0, 1, 2, 3],
  );
});

test('a word count over a directory, with parallelism 2 and a keyBy shuffle, counts every word once', async (t) => {
  const directory = await temporaryDirectory(t);
  const texts = ['the cat\nthe dog\n', 'a cat\r\nthe end', ''];
  await Promise.all(texts.map((text, index) => writeFile(join(directory, `part-${index}.txt`), text)));
  const run = await runModule(
    (env) =>
      void env
        .setParallelism(2)
        .setRuntimeMode('AUTOMATIC')
        .readTextFile(directory, { maxSplitBytes: 5 })
        .flatMap((line: string) => line.split(' ').filter((word) => word !== ''))
        .map((word) => ({ word, count: 1 }))
        .keyBy((entry) => entry.word)
        .sum('count')
        .map((entry) => `${entry.word}=${entry.count}`)
        .print(),
  );
  t.is(run.plan.graph.runtimeMode, 'BATCH', 'AUTOMATIC runs a job reading only files as BATCH');
  const printed = [...run.stdout.values()].flat(2).map((line) => line.slice(line.indexOf('> ') + 2));
  t.deepEqual(sorted(printed), ['a=1', 'cat=2', 'dog=1', 'end=1', 'the=3']);
});

test('a step emits at most maxRecords lines', async (t) => {
  const path = join(await temporaryDirectory(t), 'input.txt');
  await writeFile(path, someLines(500).join('\n'));
  const perStep: number[] = [];
  let seen = 0;
  const plan = await planJob((env) => void env.readTextFile(path).sinkTo(() => void seen++), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  for (let step = 0; step < 10_000; step++) {
    const before = seen;
    const result = subtask.step(3);
    perStep.push(seen - before);
    if (result.kind === 'finished') break;
    if (result.kind === 'wait') await within(result.until);
  }
  await subtask.close();
  t.is(seen, 500);
  t.is(Math.max(...perStep), 3);
});

test('a path that does not exist fails planning with SOURCE_READ_FAILED naming the path', async (t) => {
  const path = join(await temporaryDirectory(t), 'nowhere');
  const error = await t.throwsAsync(planJob((env) => void env.readTextFile(path).uid('input').print(), []), { instanceOf: WeirError });
  t.is(error.code, 'SOURCE_READ_FAILED');
  t.is(error.message, `operator "Source: Text File" (id "input"): cannot list "${path}" (tried by process ${process.pid}): ENOENT: no such file or directory, stat '${path}'`);
});

test('a relative path that does not exist names the absolute path it became and whose working directory it is relative to', async (t) => {
  const error = await t.throwsAsync(planJob((env) => void env.readTextFile('data/no-such-input.txt').uid('input').print(), []), { instanceOf: WeirError });
  t.is(
    error.message,
    `operator "Source: Text File" (id "input"): cannot list "data/no-such-input.txt" (${join(process.cwd(), 'data/no-such-input.txt')}, relative to the working directory of process ${process.pid}): ENOENT: no such file or directory, stat 'data/no-such-input.txt'`,
  );
});

test('a file removed after planning fails the subtask with SOURCE_READ_FAILED naming the file', async (t) => {
  const path = join(await temporaryDirectory(t), 'input.txt');
  await writeFile(path, 'soon gone\n');
  const plan = await planJob((env) => void env.readTextFile(path).print(), []);
  await rm(path);
  const subtask = subtaskOf(plan);
  await subtask.open();
  const error = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
  t.is(error.code, 'SOURCE_READ_FAILED');
  t.is(error.message, `operator "Source: Text File" (id "source-text-file-0"): reading "${path}" (tried by process ${process.pid}) failed: ENOENT: no such file or directory, open '${path}'`);
  await subtask.close();
});

test('a split that is not a text file range fails with INVALID_SPLIT', async (t) => {
  const path = join(await temporaryDirectory(t), 'input.txt');
  await writeFile(path, 'x\n');
  const plan = await planJob((env) => void env.readTextFile(path).print(), []);
  const subtask = subtaskOf(plan, { requestSplit: () => Promise.resolve({ index: 4, payload: { path, start: -1, length: 3 } }) });
  await subtask.open();
  const error = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_SPLIT');
  t.is(
    error.message,
    `operator "Source: Text File" (id "source-text-file-0") cannot read split 4: expected { path, start, length } with a non-empty range, got {"path":${JSON.stringify(path)},"start":-1,"length":3}`,
  );
  await subtask.close();
});

test('readTextFile checks its arguments when the pipeline is declared', async (t) => {
  const declare = (path: unknown, options: unknown) => planJob((env) => void env.readTextFile(path as string, options as object).print(), []);
  const cases: [unknown, unknown, string][] = [
    ['', {}, 'readTextFile() needs a file or directory path, got '],
    ['/tmp', { watch: 'yes' }, 'readTextFile() option watch must be a boolean, got yes'],
    ['/tmp', { watch: true, intervalMs: 0 }, 'readTextFile() option intervalMs must be a positive integer, got 0'],
    ['/tmp', { maxSplitBytes: 1.5 }, 'readTextFile() option maxSplitBytes must be a positive integer, got 1.5'],
    ['/tmp', { maxLineBytes: -1 }, 'readTextFile() option maxLineBytes must be a positive integer, got -1'],
  ];
  for (const [path, options, message] of cases) {
    const error = await t.throwsAsync(declare(path, options), { instanceOf: WeirError });
    t.is(error.code, 'INVALID_ARGUMENT');
    t.is(error.message, `operator "Source: Text File" (id "source-text-file-0"): ${message}`);
  }
});
