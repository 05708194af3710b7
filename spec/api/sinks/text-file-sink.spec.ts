import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import { TEXT_SINK_MAX_BUFFERED_CHARS } from '../../../api/sinks/text-file-sink.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runVertex, subtaskOf } from '../helpers.ts';

const temporaryDirectory = async (t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> => {
  const directory = await mkdtemp(join(tmpdir(), 'weir-text-sink-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
};

const linesOf = async (file: string): Promise<string[]> => (await readFile(file, 'utf8')).split('\n');

test('writeAsText creates the directory and writes one part file per subtask, one line per record', async (t) => {
  const output = join(await temporaryDirectory(t), 'nested', 'out');
  const plan = await planJob((env) => void env.setParallelism(3).fromSequence(1, 300).map((n) => ({ n })).writeAsText(output), []);
  await runVertex(plan, plan.graph.vertices[0], 7);
  t.deepEqual((await readdir(output)).sort(), ['part-0', 'part-1', 'part-2']);
  const records: number[] = [];
  for (const part of ['part-0', 'part-1', 'part-2']) {
    const lines = await linesOf(join(output, part));
    t.is(lines.pop(), '', `${part} ends with a newline`);
    records.push(...lines.map((line) => (JSON.parse(line) as { n: number }).n));
  }
  t.deepEqual(
    records.sort((a, b) => a - b),
    Array.from({ length: 300 }, (_, index) => index + 1),
  );
});

test('writeAsText truncates a part file left by an earlier run', async (t) => {
  const output = await temporaryDirectory(t);
  const run = async (words: string[]): Promise<void> => {
    const plan = await planJob((env) => void env.fromCollection(words).writeAsText(output), []);
    await runVertex(plan);
  };
  await run(['a long line from the first run', 'and another']);
  await run(['short']);
  t.is(await readFile(join(output, 'part-0'), 'utf8'), 'short\n');
});

test('writeAsText keeps every record in order when the output outgrows its buffer many times', async (t) => {
  const output = await temporaryDirectory(t);
  const line = 'x'.repeat(1000);
  const count = Math.ceil((4 * TEXT_SINK_MAX_BUFFERED_CHARS) / line.length);
  const plan = await planJob((env) => void env.fromSequence(1, count).map((n) => `${n} ${line}`).writeAsText(output), []);
  await runVertex(plan, plan.graph.vertices[0], 5_000);
  const lines = await linesOf(join(output, 'part-0'));
  t.is(lines.length, count + 1);
  t.true(lines.slice(0, count).every((text, index) => text === `${index + 1} ${line}`));
});

test('an output directory with a file in the way fails open() with SINK_WRITE_FAILED naming the sink, the path and the process', async (t) => {
  const directory = await temporaryDirectory(t);
  const output = join(directory, 'part-0', 'x');
  const plan = await planJob((env) => void env.fromSequence(1, 2).writeAsText(output), []);
  // a file where the directory should be
  await runVertex(await planJob((env) => void env.fromElements('blocker').writeAsText(directory), []));
  const subtask = subtaskOf(plan);
  const error = await t.throwsAsync(subtask.open(), { instanceOf: WeirError });
  t.is(error.code, 'SINK_WRITE_FAILED');
  t.is(
    error.message,
    `operator "Sink: Text File" (id "sink-text-file-1"): cannot create the directory "${output}" (tried by process ${process.pid}): ENOTDIR: not a directory, mkdir '${output}'`,
  );
  await t.notThrowsAsync(subtask.close());
});

test('a relative output path that cannot be used names the absolute path it became and whose working directory it is relative to', async (t) => {
  const directory = await temporaryDirectory(t);
  // A directory where the part file should be: the path is relative to this process's working directory.
  await mkdir(join(directory, 'part-0'));
  const relativeDirectory = relative(process.cwd(), directory);
  const plan = await planJob((env) => void env.fromSequence(1, 2).writeAsText(relativeDirectory), []);
  const subtask = subtaskOf(plan);
  const error = await t.throwsAsync(subtask.open(), { instanceOf: WeirError });
  t.is(
    error.message,
    `operator "Sink: Text File" (id "sink-text-file-1"): cannot open "${join(relativeDirectory, 'part-0')}" (${join(directory, 'part-0')}, relative to the working directory of process ${process.pid}): EISDIR: illegal operation on a directory, open '${join(relativeDirectory, 'part-0')}'`,
  );
  await t.notThrowsAsync(subtask.close());
});

test('a subtask that fails before writing a record leaves no empty part file; one that wrote keeps it', async (t) => {
  const output = await temporaryDirectory(t);
  const failing = await planJob((env) => void env.fromSequence(1, 10).map((n): number => { if (n > 0) throw new Error('boom'); return n; }).writeAsText(output), []);
  const subtask = subtaskOf(failing);
  await subtask.open();
  t.deepEqual(await readdir(output), ['part-0'], 'opened: the file exists');
  await t.throwsAsync(async () => {
    for (let step = 0; step < 5; step++) await subtask.step(100);
  }, { message: /boom/ });
  await subtask.close();
  t.deepEqual(await readdir(output), [], 'failed before any record: no part file');

  const written = await planJob((env) => void env.fromSequence(1, 10).writeAsText(output), []);
  const partial = subtaskOf(written);
  await partial.open();
  for (let step = 0; step < 3; step++) await partial.step(2); // some records, not all ten
  await partial.close(); // closed without its input ending (cancelled): what it wrote stays
  t.deepEqual(await readdir(output), ['part-0']);
  t.true((await readFile(join(output, 'part-0'), 'utf8')).startsWith('1\n2\n'));

  const empty = await planJob((env) => void env.fromCollection([] as number[]).writeAsText(join(output, 'empty')), []);
  await runVertex(empty);
  t.deepEqual(await readdir(join(output, 'empty')), ['part-0'], 'a finished run with no records keeps its (empty) file');
});

test('a run at a lower parallelism removes the part files an earlier, wider run left, and leaves other files alone', async (t) => {
  const output = await temporaryDirectory(t);
  const run = async (parallelism: number): Promise<void> => {
    const plan = await planJob((env) => void env.setParallelism(parallelism).fromSequence(1, 30).writeAsText(output), []);
    await runVertex(plan);
  };
  await run(3);
  const jsonLines = await planJob((env) => void env.fromSequence(1, 3).writeAsJsonLines(output), []);
  await runVertex(jsonLines);
  await writeFile(join(output, 'notes.txt'), 'kept');
  t.deepEqual((await readdir(output)).sort(), ['notes.txt', 'part-0', 'part-0.jsonl', 'part-1', 'part-2']);
  await run(1);
  t.deepEqual((await readdir(output)).sort(), ['notes.txt', 'part-0', 'part-0.jsonl']);
  t.is((await linesOf(join(output, 'part-0'))).filter((line) => line !== '').length, 30);
});
