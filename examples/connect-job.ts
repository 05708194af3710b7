// Two streams of different types processed together (connect). A CoMap turns readings in Celsius
// and in Fahrenheit into one type; a CoProcess then takes those readings and a stream of fault
// reports: plausible readings go on as `station<TAB>celsius`, implausible ones and the fault reports
// leave through side outputs (OutputTag). The inputs of a connected operator interleave in arrival
// order, so this job's output is the same whatever that order is.
//
// Embedded, on a mini cluster in this process:
//   npx tsx examples/connect-job.ts
// On a standalone cluster (bin/start-cluster.sh): printed by the TaskManagers.
//   bin/weir run examples/connect-job.ts -p 2
import {
  type Collector,
  type CoProcessFunction,
  type JobModule,
  OutputTag,
  type ProcessContext,
  StreamExecutionEnvironment,
  isMainModule,
} from '../index.ts';

export interface CelsiusReading {
  readonly station: string;
  readonly celsius: number;
}
export interface FahrenheitReading {
  readonly station: string;
  readonly fahrenheit: number;
}

export const CELSIUS: readonly CelsiusReading[] = [
  { station: 'oslo', celsius: 4 },
  { station: 'lagos', celsius: 31 },
  { station: 'vostok', celsius: -89 },
];
export const FAHRENHEIT: readonly FahrenheitReading[] = [
  { station: 'boston', fahrenheit: 50 },
  { station: 'phoenix', fahrenheit: 113 },
  { station: 'broken', fahrenheit: 451 },
];
export const FAULTS: readonly string[] = ['broken: sensor reads paper burning', 'vostok: heater off'];

export const IMPLAUSIBLE = new OutputTag<CelsiusReading>('implausible');
export const FAULT_REPORTS = new OutputTag<string>('faults');

/** Earth's recorded extremes, rounded outwards: anything beyond is a broken sensor. */
const PLAUSIBLE_CELSIUS = { min: -90, max: 57 } as const;

/** Readings on input 1, fault reports on input 2. */
class CheckReadings implements CoProcessFunction<CelsiusReading, string, string> {
  processElement1(value: CelsiusReading, ctx: ProcessContext, out: Collector<string>): void {
    if (value.celsius < PLAUSIBLE_CELSIUS.min || value.celsius > PLAUSIBLE_CELSIUS.max) ctx.output(IMPLAUSIBLE, value);
    else out.collect(`${value.station}\t${value.celsius}`);
  }

  processElement2(report: string, ctx: ProcessContext): void {
    ctx.output(FAULT_REPORTS, report);
  }
}

const connectJob: JobModule = async (env) => {
  const celsius = env.fromCollection(CELSIUS).name('Celsius Stations');
  const fahrenheit = env.fromCollection(FAHRENHEIT).name('Fahrenheit Stations');
  const readings = celsius
    .connect(fahrenheit)
    .map({
      map1: (value: CelsiusReading): CelsiusReading => value,
      map2: (value: FahrenheitReading): CelsiusReading => ({ station: value.station, celsius: Math.round(((value.fahrenheit - 32) * 5) / 9) }),
    })
    .name('To Celsius');
  const checked = readings
    .connect(env.fromCollection(FAULTS).name('Fault Reports'))
    .process(CheckReadings)
    .name('Check Readings');
  checked.print('reading');
  checked
    .getSideOutput(IMPLAUSIBLE)
    .map((value) => `${value.station}\t${value.celsius}`)
    .name('Format Implausible')
    .print('implausible');
  checked.getSideOutput(FAULT_REPORTS).print('fault');
  await env.execute('Connect Job');
};

export default connectJob;

if (isMainModule(import.meta.url)) await connectJob(StreamExecutionEnvironment.getExecutionEnvironment(), process.argv.slice(2));
