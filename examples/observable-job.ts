// RxJS in and out. In: fromObservable turns an Observable (here, readings of three thermometers made
// by interval()) into a source; a source whose Observable completes is bounded. Out: run directly,
// the running maximum per sensor comes back to this process as an Observable (toObservable), and
// subscribing to it is what runs the job.
//
// Embedded, on a mini cluster in this process:
//   npx tsx examples/observable-job.ts                      # 60 readings
//   npx tsx examples/observable-job.ts --readings 300
// On a standalone cluster (bin/start-cluster.sh): the maxima are printed by the TaskManagers.
//   bin/weir run examples/observable-job.ts -- --readings 300
import { interval, map, take } from 'rxjs';
import { type DataStream, type JobModule, StreamExecutionEnvironment, isMainModule } from '../index.ts';

export interface Reading {
  readonly sensor: string;
  readonly celsius: number;
}

/** The n-th reading: sensor n % 3, somewhere from its base temperature to 10 degrees above it. */
export function reading(n: number): Reading {
  const sensor = n % 3;
  return { sensor: `sensor-${sensor}`, celsius: 5 + 10 * sensor + ((n * 7) % 11) };
}

export function readingCount(args: readonly string[]): number {
  if (args.length === 0) return 60;
  const [flag, value] = args;
  if (args.length === 2 && flag === '--readings' && value && /^[1-9]\d*$/.test(value)) return Number(value);
  throw new Error(`unexpected arguments ${args.join(' ')}; usage: observable-job.ts [--readings <n>]`);
}

/** The running maximum per sensor: a new record each time a sensor's maximum changes or repeats. */
export function maxima(env: StreamExecutionEnvironment, readings: number): DataStream<Reading> {
  // The factory runs in the source's subtask: each run of the job gets a fresh Observable.
  return env
    .fromObservable(() => interval(1).pipe(take(readings), map(reading)))
    .name('Thermometers')
    .keyBy((value) => value.sensor)
    .maxBy('celsius')
    .name('Maximum');
}

const observableJob: JobModule = async (env, args) => {
  maxima(env, readingCount(args))
    .map((value) => `${value.sensor}\t${value.celsius}`)
    .name('Format')
    .print();
  await env.execute('Observable Job');
};

export default observableJob;

if (isMainModule(import.meta.url)) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const highest = new Map<string, number>();
  await new Promise<void>((resolve, reject) => {
    maxima(env, readingCount(process.argv.slice(2)))
      .toObservable('Observable Job')
      .subscribe({ next: (value) => highest.set(value.sensor, value.celsius), error: reject, complete: resolve });
  });
  for (const [sensor, celsius] of [...highest].sort()) process.stdout.write(`${sensor}\t${celsius}\n`);
}
