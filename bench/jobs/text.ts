// The word-count benchmarks' text, generated deterministically: line `i` is the same in every process
// and run. Words come from a vocabulary of VOCABULARY_SIZE made-up words drawn with a skewed (roughly
// Zipfian) distribution, in mixed case with punctuation, so lower-casing and the Unicode split do
// real work, as on (ASCII) prose. Line `i` is one of LINE_POOL distinct lines (made once per
// process, ~40 ms), so that producing a line costs an array read, like handing out a line read from
// a file, and the benchmarks time the counting, not the making of the text.

const VOCABULARY_SIZE = 4096;
/** Words per line: 4..15, ~10 on average. */
const MIN_WORDS = 4;
const WORD_SPREAD = 12;
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'sa', 'tu', 'vel', 'no', 'dar', 'ith', 'e', 'or', 'qua', 'ze', 'fy', 'bo'];
const PUNCTUATION = [' ', ' ', ' ', ' ', ' ', ' ', ', ', '. ', '; ', ' - ', ' (', ') '];

/** The vocabulary, each word in the case it is written in (some capitalised). */
const VOCABULARY: readonly string[] = Array.from({ length: VOCABULARY_SIZE }, (_, index) => {
  let word = '';
  let rest = index + 1;
  while (rest > 0) {
    word += SYLLABLES[rest & 15];
    rest >>= 4;
  }
  return index % 7 === 0 ? word[0].toUpperCase() + word.slice(1) : word;
});

/** xorshift-multiply hash of (line, slot): the line's random stream without any state. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Distinct lines; the text cycles through them in a scrambled order. */
export const LINE_POOL = 1 << 14;

function makeLine(index: number): string {
  let state = mix(index + 0x9e3779b9);
  const words = MIN_WORDS + (state % WORD_SPREAD);
  let line = '';
  for (let slot = 0; slot < words; slot++) {
    state = mix(state + slot);
    // Skew: the product of two uniform draws favours small indexes (frequent words).
    const rank = Math.floor(((state & 0xffff) / 0x10000) * (((state >>> 16) & 0xffff) / 0x10000) * VOCABULARY_SIZE);
    line += VOCABULARY[rank];
    line += PUNCTUATION[(state >>> 8) % PUNCTUATION.length];
  }
  return line;
}

let pool: string[] | undefined;

/** Line `index` of the text. */
export function lineOf(index: number): string {
  pool ??= Array.from({ length: LINE_POOL }, (_, line) => makeLine(line));
  return pool[mix(index) & (LINE_POOL - 1)];
}

/** Lower-case words of a line, split on anything that is not a letter or a digit (the tokenizer). */
export const WORD_SEPARATOR = /[^\p{L}\p{N}]+/u;

let poolWordCounts: Uint16Array | undefined;

/** How many words lines 0 .. lines-1 hold (the total a correct word count sums to). */
export function wordTotal(lines: number): number {
  lineOf(0);
  if (!poolWordCounts) {
    const counts = new Uint16Array(LINE_POOL);
    for (let line = 0; line < LINE_POOL; line++) {
      for (const word of (pool as string[])[line].toLowerCase().split(WORD_SEPARATOR)) if (word !== '') counts[line]++;
    }
    poolWordCounts = counts;
  }
  let total = 0;
  for (let index = 0; index < lines; index++) total += poolWordCounts[mix(index) & (LINE_POOL - 1)];
  return total;
}
