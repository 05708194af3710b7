// Word count run as a whole job over in-memory channels: source -> flatMap -> keyBy -> sum -> sink,
// checked against an independent count, at parallelism 1 and 3, in STREAMING and BATCH mode.
import test from 'ava';
import type { JobModule, RuntimeExecutionMode } from '../../api/index.ts';
import { runModule } from './harness/run-plan.ts';

const VOCABULARY = ['the', 'river', 'weir', 'holds', 'water', 'back', 'and', 'lets', 'it', 'over', 'a', 'stone', 'Flink', 'stream', 'batch'];

/** A deterministic text: 300 lines of words from the vocabulary, mixed case and punctuation. */
function text(): string[] {
  let state = 7;
  const next = (bound: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state % bound;
  };
  return Array.from({ length: 300 }, () => Array.from({ length: 1 + next(12) }, () => VOCABULARY[next(VOCABULARY.length)] + (next(5) === 0 ? ',' : '')).join(' '));
}

const tokenize = (line: string): string[] => line.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');

const sortedEntries = (counts: Iterable<[string, number]>): [string, number][] => [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The independent count: a plain loop. */
function expectedCounts(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) for (const word of tokenize(line)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

function wordCount(mode: RuntimeExecutionMode, sink: (pair: [string, number]) => void): JobModule {
  return (env) => {
    env.setRuntimeMode(mode);
    env
      .fromCollection(text())
      .flatMap((line: string) => tokenize(line))
      .map((word): [string, number] => [word, 1])
      .keyBy((pair) => pair[0])
      .sum(1)
      .sinkTo(sink);
  };
}

for (const parallelism of [1, 3]) {
  test(`in BATCH mode word count at parallelism ${parallelism} emits each word once with its total`, async (t) => {
    const results: [string, number][] = [];
    await runModule(
      wordCount('BATCH', (pair) => void results.push(pair)),
      { parallelism },
    );
    t.deepEqual(sortedEntries(results), sortedEntries(expectedCounts(text())));
    t.is(results.length, expectedCounts(text()).size, 'one final result per word');
  });

  test(`in STREAMING mode word count at parallelism ${parallelism} emits a running count per word, ending at its total`, async (t) => {
    const results: [string, number][] = [];
    await runModule(
      wordCount('STREAMING', (pair) => void results.push(pair)),
      { parallelism },
    );
    const expected = expectedCounts(text());
    t.is(results.length, [...expected.values()].reduce((sum, count) => sum + count, 0), 'one update per word occurrence');
    const latest = new Map<string, number>();
    for (const [word, count] of results) {
      t.is(count, (latest.get(word) ?? 0) + 1, `the counts of "${word}" rise by one`);
      latest.set(word, count);
    }
    t.deepEqual(sortedEntries(latest), sortedEntries(expected));
  });
}

test('at parallelism 3 each word is counted by exactly one subtask', async (t) => {
  const run = await runModule(
    (env) => {
      env.setRuntimeMode('BATCH');
      env
        .fromCollection(text())
        .flatMap((line: string) => tokenize(line))
        .map((word): [string, number] => [word, 1])
        .keyBy((pair) => pair[0])
        .sum(1)
        .print();
    },
    { parallelism: 3 },
  );
  const stdout = run.stdout.get('sum-4') as string[][];
  const words = stdout.map((lines) => lines.map((line) => (JSON.parse(line.replace(/^\d> /, '')) as [string, number])[0]));
  t.is(words.flat().length, new Set(words.flat()).size);
  t.true(words.filter((subtaskWords) => subtaskWords.length > 0).length >= 2, 'the words spread over the subtasks');
});

test('the BATCH combiner sends one partial count per word and subtask across the shuffle, not one record per word', async (t) => {
  const lines = text();
  const words = lines.flatMap(tokenize).length;
  const distinct = expectedCounts(lines).size;
  const batch = await runModule(wordCount('BATCH', () => {}), { parallelism: 3 });
  const streaming = await runModule(wordCount('STREAMING', () => {}), { parallelism: 3 });
  const shuffled = (run: typeof batch): number => (run.exchanges.get('sum-4#0')?.recordsSent ?? -1);
  t.is(shuffled(streaming), words);
  t.true(shuffled(batch) <= 3 * distinct, `${shuffled(batch)} partial counts for ${distinct} words on 3 subtasks`);
});
