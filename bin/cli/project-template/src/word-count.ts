// A Weir job: the words of a few lines, counted per word. Its default export declares the pipeline;
// `npm start` runs it here on an embedded mini cluster, `npx weir run src/word-count.ts` on a
// standalone cluster (there every TaskManager plans the default export again, so it must declare the
// same pipeline every time).
import { type DataStream, type JobModule, StreamExecutionEnvironment, isMainModule } from 'weir';

export const LINES = ['To be, or not to be,', 'that is the question.'];

/** Lower case, split on anything that is not a letter or a digit. */
export function tokenize(line: string): string[] {
  return line
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** (word, n) pairs summed per word: a running (word, count) each time a word comes again. */
export function countWords(pairs: DataStream<[string, number]>): DataStream<[string, number]> {
  return pairs.keyBy(([word]) => word).sum(1);
}

const wordCount: JobModule = async (env) => {
  // BATCH: each word's count is emitted once, when it is final.
  env.setRuntimeMode('BATCH');
  const pairs = env
    .fromCollection(LINES)
    .flatMap(tokenize)
    .map((word): [string, number] => [word, 1]);
  countWords(pairs)
    .map(([word, count]) => `${word}\t${count}`)
    .print();
  await env.execute('Word Count');
};

export default wordCount;

// Run directly (npm start): run it here. Imported by weir run or a TaskManager: only declare.
if (isMainModule(import.meta.url)) {
  await wordCount(StreamExecutionEnvironment.getExecutionEnvironment(), process.argv.slice(2));
}
