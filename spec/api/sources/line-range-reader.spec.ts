import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { LineRangeReader, TEXT_READ_CHUNK_BYTES } from '../../../api/sources/line-range-reader.ts';
import { WeirError } from '../../../messages/errors.ts';
import { recordsTo, within } from '../helpers.ts';
import { temporaryDirectory } from './source-fixtures.ts';

const OPERATOR = 'operator "Source: Text File" (id "lines")';

/** The lines of `text` as a line reader must see them: '\n' ends a line, a '\r' before it is dropped. */
function expectedLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

async function readRange(path: string, start: number, end: number, budget = 3, maxLineBytes = 1 << 26): Promise<string[]> {
  const reader = new LineRangeReader({ path, start, end }, maxLineBytes, OPERATOR);
  const lines: string[] = [];
  const output = recordsTo<string>((line) => void lines.push(line));
  for (let reads = 0; reads < 1_000_000; reads++) {
    const taken = reader.take(output, budget);
    if (taken > budget) throw new Error(`take(${budget}) emitted ${taken} lines`);
    if (reader.done) return lines;
    const status = reader.status();
    if (status.kind === 'failed') throw status.error;
    if (status.kind === 'wait') await within(status.until);
  }
  throw new Error('the range did not end');
}

/** Reads `path` as consecutive ranges of `size` bytes and concatenates their lines. */
async function readInRanges(path: string, fileSize: number, size: number): Promise<string[]> {
  const lines: string[] = [];
  for (let start = 0; start < fileSize; start += size) lines.push(...(await readRange(path, start, Math.min(fileSize, start + size))));
  return lines;
}

test('cutting a text into ranges of any size reads every line exactly once, in order', async (t) => {
  const directory = await temporaryDirectory(t);
  const texts = [
    'one\ntwo\nthree\n',
    'no trailing newline\nat the end',
    '\n\n\nempty lines\n\n',
    'windows\r\nline\r\nendings\r\n',
    'a\rb\r\n\r\n',
    'x',
    '\n',
    'ünïcödé ✓ 𝄞\nlines of 多字节 text\n',
  ];
  for (const [index, text] of texts.entries()) {
    const path = join(directory, `text-${index}`);
    await writeFile(path, text);
    const size = Buffer.byteLength(text);
    for (let rangeSize = 1; rangeSize <= size + 1; rangeSize++) {
      t.deepEqual(await readInRanges(path, size, rangeSize), expectedLines(text), `${JSON.stringify(text)} in ranges of ${rangeSize} bytes`);
    }
  }
});

test('lines crossing read chunks, and lines longer than a chunk, are read whole', async (t) => {
  const directory = await temporaryDirectory(t);
  const lines: string[] = [];
  for (let index = 0; lines.join('\n').length < 3 * TEXT_READ_CHUNK_BYTES; index++) lines.push(`${index} ${'w'.repeat((index * 7919) % 300)}`);
  lines.splice(100, 0, 'L'.repeat(TEXT_READ_CHUNK_BYTES * 2 + 3));
  const text = lines.join('\n');
  const path = join(directory, 'big');
  await writeFile(path, text);
  const size = Buffer.byteLength(text);
  t.deepEqual(await readRange(path, 0, size, 1000), lines);
  for (const rangeSize of [TEXT_READ_CHUNK_BYTES - 1, 100_003, Math.ceil(size / 3)]) {
    t.deepEqual(await readInRanges(path, size, rangeSize), lines, `ranges of ${rangeSize} bytes`);
  }
});

test('a line longer than maxLineBytes fails with SOURCE_READ_FAILED naming the file and the byte', async (t) => {
  const directory = await temporaryDirectory(t);
  const path = join(directory, 'long');
  await writeFile(path, `short\n${'x'.repeat(TEXT_READ_CHUNK_BYTES * 3)}\nafter\n`);
  const error = await t.throwsAsync(readRange(path, 0, 10, 10, TEXT_READ_CHUNK_BYTES), { instanceOf: WeirError });
  t.is(error.code, 'SOURCE_READ_FAILED');
  t.is(error.message, `${OPERATOR}: the line at byte 6 of "${path}" is longer than maxLineBytes (${TEXT_READ_CHUNK_BYTES} bytes)`);
});

test('a file that cannot be opened fails with SOURCE_READ_FAILED naming it', async (t) => {
  const path = join(await temporaryDirectory(t), 'missing.txt');
  const error = await t.throwsAsync(readRange(path, 0, 10), { instanceOf: WeirError });
  t.is(error.code, 'SOURCE_READ_FAILED');
  t.regex(error.message, new RegExp(`^operator "Source: Text File" \\(id "lines"\\): reading "${path.replaceAll('/', '\\/')}" \\(tried by process \\d+\\) failed: ENOENT`));
});

test('close() in the middle of a range stops reading and leaves no read in flight', async (t) => {
  const directory = await temporaryDirectory(t);
  const path = join(directory, 'lines');
  await writeFile(path, Array.from({ length: 100_000 }, (_, index) => `line ${index}`).join('\n'));
  const reader = new LineRangeReader({ path, start: 0, end: 1_000_000 }, 1 << 20, OPERATOR);
  const lines: string[] = [];
  reader.take(recordsTo<string>((line) => void lines.push(line)), 10);
  const status = reader.status();
  t.is(status.kind, 'wait');
  await reader.close();
  t.false(reader.done);
  t.is(reader.status().kind === 'wait', false, 'no read is in flight after close()');
});
