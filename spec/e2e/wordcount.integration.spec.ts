// Word count end to end: a standalone cluster started by the scripts (one JobManager, two
// TaskManager processes, one slot each) runs the job of fixtures/wordcount-job.ts at parallelism 2
// over a multi-megabyte text file, so the file is read in splits by both TaskManagers and every word
// crosses the keyBy shuffle to the subtask that owns it, locally or over the data connection. The
// output must equal a count computed here, independently, from the same file.
import test from 'ava';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const WORD_COUNT_JOB = fileURLToPath(new URL('./fixtures/wordcount-job.ts', import.meta.url));
/** Lines of the generated text: ~4 MB. */
const LINES = 60_000;

/** Words in several scripts and cases, with digits and apostrophes: the tokenizer's cases. */
const VOCABULARY = [
  'the', 'The', 'THE', 'river', 'weir', 'Weir', 'holds', 'water', 'back', 'and', 'lets', 'it', 'over', 'a', 'stone',
  'Straße', 'STRASSE', 'naïve', 'café', 'Café', 'Ünïcode', 'Δέλτα', 'δέλτα', '東京', 'Москва', 'москва', 'don\'t', 'well-known',
  '2024', 'v8', 'x86_64', 'e-mail', 'R2D2', 'ǅemal', 'İstanbul',
];
const SEPARATORS = [' ', ' ', ' ', ', ', '. ', '; ', '\t', ' — ', ' (', ') ', '! ', '? ', '"', ' -- '];

/** A deterministic text (an LCG picks the words); some lines end in CRLF, some are empty. */
function generateText(lines: number): string {
  let state = 12345;
  const next = (bound: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % bound;
  };
  const out: string[] = [];
  for (let line = 0; line < lines; line++) {
    const words = next(20);
    let text = '';
    for (let index = 0; index < words; index++) {
      // Skewed: low indexes (frequent words) come up more often, as in prose.
      text += VOCABULARY[Math.min(next(VOCABULARY.length), next(VOCABULARY.length))] + SEPARATORS[next(SEPARATORS.length)];
    }
    // A few rare words, so that the output has many keys with small counts.
    if (next(4) === 0) text += `word${next(20_000)}`;
    out.push(text + (next(10) === 0 ? '\r\n' : '\n'));
  }
  return out.join('');
}

/** The independent count: the whole file at once, split on the same rule, counted in a Map. */
function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

test('word count at parallelism 2 on a standalone cluster with two TaskManagers equals an independent count', async (t) => {
  const { root, client } = await startStandaloneCluster(t, { name: 'weir-e2e-wordcount', logLevel: 'warn' });
  const input = join(root, 'input.txt');
  const text = generateText(LINES);
  writeFileSync(input, text);
  t.true(statSync(input).size > 3 * 1024 * 1024, 'a multi-megabyte input');
  const expected = countWords(text);

  const output = join(root, 'out');
  const handle = await client.submit(WORD_COUNT_JOB, { parallelism: 2, args: [input, output] });
  t.is((await within(handle.result(), 20_000, 'the word count to finish')).status, 'FINISHED');

  const parts = readdirSync(output).sort();
  t.deepEqual(parts, ['part-0', 'part-1'], 'one part file per subtask');
  const counted = new Map<string, number>();
  for (const part of parts) {
    const lines = readFileSync(join(output, part), 'utf8').split('\n').filter((line) => line !== '');
    t.true(lines.length > 0, `${part} holds some of the words: both subtasks counted`);
    for (const line of lines) {
      const [word, count, ...rest] = line.split('\t');
      if (rest.length > 0 || !/^\d+$/.test(count ?? '')) return t.fail(`${part}: "${line}" is not word<TAB>count`);
      if (counted.has(word)) return t.fail(`"${word}" is counted twice (BATCH mode emits each word once, from one subtask)`);
      counted.set(word, Number(count));
    }
  }
  t.is(counted.size, expected.size, 'as many words as the independent count');
  const differences = [...expected].filter(([word, count]) => counted.get(word) !== count).slice(0, 5);
  t.deepEqual(differences.map(([word, count]) => `${word}: expected ${count}, got ${String(counted.get(word))}`), []);
});
