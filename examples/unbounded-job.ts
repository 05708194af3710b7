// An unbounded job: a tick every 10 ms, labelled and printed, until the job is cancelled.
// weir run examples/unbounded-job.ts
import { interval } from 'rxjs';
import type { JobModule } from '../api/index.ts';

const unboundedJob: JobModule = (env) => {
  env.setJobName('unbounded job');
  env
    .fromObservable(() => interval(10))
    .uid('ticks')
    .map((tick) => `tick ${tick}`)
    .name('Label')
    .print();
};

export default unboundedJob;
