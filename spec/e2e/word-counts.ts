// The two sides of word-count specs: counts of a text's words (as examples/wordcount.ts splits them),
// what the job wrote, and a map's entries in a stable order for deepEqual.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

export const sorted = (counts: Map<string, number>): [string, number][] => [...counts].sort(([a], [b]) => (a < b ? -1 : 1));

/** The counts examples/wordcount.ts wrote to `directory` (`word<TAB>count` lines, one file per sink subtask). */
export function readWordCounts(directory: string): Map<string, number> {
  const written = new Map<string, number>();
  for (const file of readdirSync(directory)) {
    for (const line of readFileSync(join(directory, file), 'utf8').split('\n').filter((text) => text !== '')) {
      const [word, count] = line.split('\t');
      written.set(word!, Number(count));
    }
  }
  return written;
}
