// A bounded job: the numbers 1..1000, squared, written to a directory (one part file per subtask)
// when a path is given, else printed.  weir run examples/trivial-job.ts [output-directory]
import type { JobModule } from '../api/index.ts';

const trivialJob: JobModule = (env, args) => {
  env.setJobName('trivial job');
  const squares = env
    .fromSequence(1, 1000)
    .map((n) => n * n)
    .name('Square');
  const [outputDirectory] = args;
  if (outputDirectory) squares.writeAsText(outputDirectory).name('Squares File');
  else squares.print();
};

export default trivialJob;
