// Top speed (Flink's TopSpeedWindowing example): cars report their speed (km/h) and the distance
// they have driven (m) every second; every time a car has driven more than 50 m since the last
// report, emit its top speed over the last 10 s. Per car: one global window, a DeltaTrigger on the
// distance (threshold 50, measured from the report it last fired on), a TimeEvictor keeping the
// last 10 s of reports, and maxBy speed (the first report with the top speed).
// Input and output lines are `(carId,speed,distance,timestamp)` (Flink's Tuple4), in ascending
// timestamp order; the input is read by one ordered reader, as each car's reports must arrive in order.
//
// Embedded, on a mini cluster in this process:
//   npx tsx examples/top-speed.ts                      # 2 cars, 100 reports (seeded), top speeds printed
//   npx tsx examples/top-speed.ts --input /tmp/cars.txt --output /tmp/top-speeds
// On a standalone cluster (bin/start-cluster.sh), with absolute paths every TaskManager can read:
//   bin/weir run examples/top-speed.ts -p 2 -- --input /tmp/cars.txt --output /tmp/top-speeds
import {
  DeltaTrigger,
  GlobalWindows,
  type JobModule,
  StreamExecutionEnvironment,
  TimeEvictor,
  WatermarkStrategy,
  isMainModule,
} from '../index.ts';
import { seededRandom } from './seeded-random.ts';

export interface CarEvent {
  readonly carId: number;
  /** km/h */
  readonly speed: number;
  /** m driven so far */
  readonly distance: number;
  /** ms since the epoch */
  readonly timestamp: number;
}

const EVICTION_MS = 10_000;
const TRIGGER_METERS = 50;

export function parseCarEvent(line: string): CarEvent {
  const fields = /^\((\d+),(\d+),([^,]+),(\d+)\)$/.exec(line.trim());
  const distance = Number(fields?.[3]);
  if (fields === null || !Number.isFinite(distance)) throw new Error(`expected (carId,speed,distance,timestamp), got ${line}`);
  return { carId: Number(fields[1]), speed: Number(fields[2]), distance, timestamp: Number(fields[4]) };
}

/** The distance as Java prints a double (Flink's output): 50 -> 50.0. */
export const formatCarEvent = ({ carId, speed, distance, timestamp }: CarEvent): string =>
  `(${carId},${speed},${Number.isInteger(distance) ? distance.toFixed(1) : String(distance)},${timestamp})`;

/**
 * Flink's car source, seeded: every second each car speeds up or slows down by 5 km/h (within
 * 0..100, from 50) and drives on at that speed; `count` reports in all, cars in turn.
 */
export function carEvents(options: { readonly seed: number; readonly cars: number; readonly count: number }): CarEvent[] {
  const random = seededRandom(options.seed);
  const speeds = new Array<number>(options.cars).fill(50);
  const distances = new Array<number>(options.cars).fill(0);
  const events: CarEvent[] = [];
  for (let second = 0; events.length < options.count; second++) {
    for (let carId = 0; carId < options.cars && events.length < options.count; carId++) {
      speeds[carId] = random() < 0.5 ? Math.min(100, speeds[carId] + 5) : Math.max(0, speeds[carId] - 5);
      distances[carId] += speeds[carId] / 3.6;
      events.push({ carId, speed: speeds[carId], distance: distances[carId], timestamp: Date.UTC(2025, 0, 1) + second * 1_000 + carId });
    }
  }
  return events;
}

const USAGE = 'usage: top-speed.ts [--input <file>] [--output <dir>]';

export function parseTopSpeedArgs(args: readonly string[]): { input?: string; output?: string } {
  const options: { input?: string; output?: string } = {};
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--input') options.input = value;
    else if (flag === '--output') options.output = value;
    else throw new Error(`unexpected argument ${flag} ${value}; ${USAGE}`);
  }
  return options;
}

const topSpeed: JobModule = async (env, args) => {
  const { input, output } = parseTopSpeedArgs(args);
  const lines =
    input === undefined
      ? env.fromCollection(carEvents({ seed: 1, cars: 2, count: 100 }).map(formatCarEvent)).name('Car Data')
      : env.readTextFile(input).name('Car Data');
  const topSpeeds = lines
    .setParallelism(1)
    .map(parseCarEvent)
    .name('Parse')
    .setParallelism(1)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<CarEvent>().withTimestampAssigner((car) => car.timestamp))
    .name('Timestamps')
    .setParallelism(1)
    .keyBy((car) => car.carId)
    .window(GlobalWindows.create())
    .evictor(TimeEvictor.of(EVICTION_MS))
    .trigger(DeltaTrigger.of(TRIGGER_METERS, (oldCar, newCar) => newCar.distance - oldCar.distance))
    .maxBy('speed')
    .name('Top Speed')
    .map(formatCarEvent)
    .name('Format');
  if (output === undefined) topSpeeds.print();
  else topSpeeds.writeAsText(output).name('Top Speeds File');
  await env.execute('Car Top Speed Windowing');
};

export default topSpeed;

if (isMainModule(import.meta.url)) await topSpeed(StreamExecutionEnvironment.getExecutionEnvironment(), process.argv.slice(2));
