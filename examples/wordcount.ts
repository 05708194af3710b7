// Word count (Flink's first example): the words of a text, lower-cased and split on every character
// that is not a letter or a digit (Unicode-aware), counted per word in BATCH mode: one
// `word<TAB>count` line per word, written once its count is final.
//
// Embedded, on a mini cluster in this process:
//   npx tsx examples/wordcount.ts                                  # the built-in text, every count printed
//   npx tsx examples/wordcount.ts --top 10                         # only the 10 most frequent words (npm start)
//   npx tsx examples/wordcount.ts --input book.txt --output /tmp/counts   # a file or a directory of files
// On a standalone cluster (bin/start-cluster.sh):
//   bin/weir run examples/wordcount.ts -p 2 -- --output /tmp/out
//   bin/weir run examples/wordcount.ts -p 2 -- --input /data/books --output /tmp/out
// There the client and every TaskManager plan the module again, so give absolute paths that each of
// them can read (the output's part files are written by the TaskManagers); without --output the
// counts go to the TaskManagers' stdout. --top only applies when the file is run directly.
import { type DataStream, type JobModule, StreamExecutionEnvironment, isMainModule } from '../index.ts';

/** Public-domain text to count when no --input is given. */
export const BUILT_IN_TEXT = `To be, or not to be, that is the question:
Whether 'tis nobler in the mind to suffer
The slings and arrows of outrageous fortune,
Or to take arms against a sea of troubles
And by opposing end them. To die—to sleep,
No more; and by a sleep to say we end
The heart-ache and the thousand natural shocks
That flesh is heir to: 'tis a consummation
Devoutly to be wish'd. To die, to sleep;
To sleep, perchance to dream—ay, there's the rub:
For in that sleep of death what dreams may come,
When we have shuffled off this mortal coil,
Must give us pause—there's the respect
That makes calamity of so long life.

It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of
foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light,
it was the season of Darkness, it was the spring of hope, it was the winter of despair, we had
everything before us, we had nothing before us, we were all going direct to Heaven, we were all going
direct the other way—in short, the period was so far like the present period, that some of its
noisiest authorities insisted on its being received, for good or for evil, in the superlative degree
of comparison only.

Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse,
and nothing particular to interest me on shore, I thought I would sail about a little and see the
watery part of the world.

Über allen Gipfeln
Ist Ruh,
In allen Wipfeln
Spürest du
Kaum einen Hauch;
Die Vögelein schweigen im Walde.
Warte nur, balde
Ruhest du auch.`;

export interface WordCountOptions {
  /** A file, or a directory whose files are read; default: BUILT_IN_TEXT. */
  readonly input?: string;
  /** A directory for the part files; default: print. */
  readonly output?: string;
  /** Run directly: print only the `top` most frequent words, counted on this client. */
  readonly top?: number;
}

const USAGE = 'usage: wordcount.ts [--input <file|dir>] [--output <dir>] [--top <n>]';

export function parseWordCountArgs(args: readonly string[]): WordCountOptions {
  const options: { input?: string; output?: string; top?: number } = {};
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--input') options.input = value;
    else if (flag === '--output') options.output = value;
    else if (flag === '--top' && /^[1-9]\d*$/.test(value)) options.top = Number(value);
    else throw new Error(`unexpected argument ${flag} ${value}; ${USAGE}`);
  }
  return options;
}

/** Lower case, split on anything that is not a letter or a digit in any script. */
export function tokenize(line: string): string[] {
  return line
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** The pipeline up to the counts: one final (word, count) per word. */
export function wordCounts(env: StreamExecutionEnvironment, input: string | undefined): DataStream<[string, number]> {
  env.setRuntimeMode('BATCH');
  const lines = input === undefined ? env.fromCollection(BUILT_IN_TEXT.split('\n')).name('Built-in Text') : env.readTextFile(input).name('Input Text');
  return lines
    .flatMap(tokenize)
    .name('Tokenize')
    .map((word): [string, number] => [word, 1])
    .name('Pair With One')
    .keyBy(([word]) => word)
    .sum(1)
    .name('Count');
}

/** The job: what `weir run` and a TaskManager plan. On its own, `await env.execute()` runs it. */
const wordCount: JobModule = async (env, args) => {
  const options = parseWordCountArgs(args);
  const lines = wordCounts(env, options.input)
    .map(([word, count]) => `${word}\t${count}`)
    .name('Format');
  if (options.output === undefined) lines.print();
  else lines.writeAsText(options.output).name('Counts File');
  await env.execute('Word Count');
};

export default wordCount;

/** The `n` most frequent words, most frequent first; ties in word order. */
export function topWords(counts: Iterable<readonly [string, number]>, n: number): [string, number][] {
  return [...counts]
    .map(([word, count]): [string, number] => [word, count])
    .sort(([wordA, countA], [wordB, countB]) => countB - countA || (wordA < wordB ? -1 : wordA > wordB ? 1 : 0))
    .slice(0, n);
}

/** --top: the counts come back to this process (executeAndCollect); the top ones are printed here. */
async function printTopWords(env: StreamExecutionEnvironment, options: WordCountOptions, n: number): Promise<void> {
  const counts: [string, number][] = [];
  for await (const pair of wordCounts(env, options.input).executeAndCollect('Word Count')) counts.push(pair);
  for (const [word, count] of topWords(counts, n)) process.stdout.write(`${word}\t${count}\n`);
}

// Run directly (`npx tsx examples/wordcount.ts`), not imported for planning: run it here.
if (isMainModule(import.meta.url)) {
  const args = process.argv.slice(2);
  const options = parseWordCountArgs(args);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  if (options.top === undefined) await wordCount(env, args);
  else await printTopWords(env, options, options.top);
}
