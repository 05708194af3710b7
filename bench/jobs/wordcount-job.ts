// The word-count benchmark's job: the lines of bench/jobs/text.ts, generated inside the source (the
// client ships nothing big), split lower-case on non-letter/digit characters into (word, 1) pairs,
// keyed by word and summed. Each sink subtask counts what reaches it and writes the tally to
// `<outputDirectory>/count-<subtask>.json` when it closes, for the benchmark to check.
//   args: [lines, 'BATCH' | 'STREAMING', outputDirectory]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Collector, JobModule, RuntimeContext, SinkFunction } from '../../api/index.ts';
import { WORD_SEPARATOR, lineOf } from './text.ts';

export type WordCount = [word: string, count: number];

/** What one sink subtask saw: final (word, count) pairs in BATCH mode, one update per word in STREAMING. */
export interface SinkTally {
  readonly records: number;
  /** The sum of the counts received (BATCH: the words counted). */
  readonly countSum: number;
}

export function splitWords(line: string, out: Collector<WordCount>): void {
  const words = line.toLowerCase().split(WORD_SEPARATOR);
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (word !== '') out.collect([word, 1]);
  }
}

const wordCountJob: JobModule = (env, args) => {
  const [lines, mode, outputDirectory] = args;
  if (mode !== 'BATCH' && mode !== 'STREAMING') throw new Error(`mode must be BATCH or STREAMING, got ${String(mode)}`);
  env.setJobName(`word count (${mode})`);
  env.setRuntimeMode(mode);

  class CountingSink implements SinkFunction<WordCount> {
    private subtask = 0;
    private records = 0;
    private countSum = 0;

    open(context: RuntimeContext): void {
      this.subtask = context.subtaskIndex;
    }

    invoke(pair: WordCount): void {
      this.records++;
      this.countSum += pair[1];
    }

    close(): void {
      const tally: SinkTally = { records: this.records, countSum: this.countSum };
      writeFileSync(join(outputDirectory, `count-${this.subtask}.json`), JSON.stringify(tally));
    }
  }

  env
    .fromSequence(0, Number(lines) - 1)
    .map(lineOf)
    .name('Line')
    .flatMap(splitWords)
    .name('Split')
    .keyBy((pair) => pair[0])
    .sum(1)
    .sinkTo(CountingSink)
    .name('Count');
};

export default wordCountJob;
