// The word count example, run as its top comment says and checked against an independent count;
// and planned as `weir run` plans it.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { planJob } from '../../api/internal.ts';
import wordCount, { BUILT_IN_TEXT, parseWordCountArgs } from '../../examples/wordcount.ts';
import { lines, runExample } from './run-example.ts';

/** The independent count: a plain loop over a regex of its own. */
function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  return counts;
}

const asLines = (counts: Map<string, number>): string[] => [...counts].map(([word, count]) => `${word}\t${count}`).sort();

const SAMPLE = ['Der Fluss, the river; LE FLEUVE!', 'river\triver  weir-keeper 42 42', '', 'Ünïcödé wörds, ÜNÏCÖDÉ Wörds.', 'the end'].join('\n');

test('wordcount --input <file> --output <dir> writes one final word<TAB>count line per word', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'weir-wordcount-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const input = join(directory, 'input.txt');
  const output = join(directory, 'out');
  await writeFile(input, SAMPLE.repeat(50));
  const run = await runExample('wordcount.ts', ['--input', input, '--output', output]);
  t.is(run.code, 0, run.stderr);
  const written: string[] = [];
  for (const file of await readdir(output)) written.push(...lines(await readFile(join(output, file), 'utf8')));
  t.deepEqual(written.sort(), asLines(countWords(SAMPLE.repeat(50))));
});

test('wordcount --top 10 (npm start) prints the ten most frequent words of the built-in text', async (t) => {
  const run = await runExample('wordcount.ts', ['--top', '10']);
  t.is(run.code, 0, run.stderr);
  const expected = [...countWords(BUILT_IN_TEXT)]
    .sort(([wordA, countA], [wordB, countB]) => countB - countA || (wordA < wordB ? -1 : 1))
    .slice(0, 10)
    .map(([word, count]) => `${word}\t${count}`);
  t.deepEqual(lines(run.stdout), expected);
  t.is(lines(run.stdout)[0], 'the\t23');
});

test('wordcount without --output prints every count of the built-in text', async (t) => {
  const run = await runExample('wordcount.ts', []);
  t.is(run.code, 0, run.stderr);
  t.deepEqual(lines(run.stdout).sort(), asLines(countWords(BUILT_IN_TEXT)));
});

test('as `weir run` plans it, the word count is a BATCH job named by its execute() call', async (t) => {
  const plan = await planJob(wordCount, ['--output', '/tmp/never-written'], { parallelism: 2 });
  t.is(plan.graph.name, 'Word Count');
  t.is(plan.graph.runtimeMode, 'BATCH');
  t.deepEqual(
    plan.graph.vertices.map((vertex) => vertex.name),
    ['Built-in Text', 'Tokenize -> Pair With One -> Count (combiner)', 'Count -> Format -> Counts File'],
  );
});

test('wordcount rejects an unknown argument with its usage', (t) => {
  t.throws(() => parseWordCountArgs(['--inptu', 'x']), { message: /unexpected argument --inptu x; usage: wordcount\.ts/ });
  t.throws(() => parseWordCountArgs(['--top']), { message: /--top needs a value/ });
});

test('wordcount printed into a pipe whose reader stops early (`| head -1`) ends quietly, with exit code 0', async (t) => {
  const { spawn } = await import('node:child_process');
  const { ROOT, EXAMPLE_TIMEOUT_MS } = await import('./run-example.ts');
  const child = spawn('npx', ['tsx', 'examples/wordcount.ts', '--input', join(ROOT, 'README.md')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), EXAMPLE_TIMEOUT_MS);
  t.teardown(() => {
    clearTimeout(killer);
    child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Like `head -1`: read the first line, then close the pipe while the job still prints.
  const first = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().split('\n')[0]));
    child.once('exit', (exitCode) => reject(new Error(`the example exited (${exitCode}) before printing a line: ${stderr}`)));
  });
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  t.regex(first, /^\S+\t\d+$/);
  t.is(code, 0, stderr);
  t.notRegex(stderr, /EPIPE/);
});
