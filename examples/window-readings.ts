// Test input for examples/windowed-totals.ts: deterministic (seeded) readings as JSON lines
// `{"key","ts","value"}`, in the order they "arrive", which is not quite event-time order.
//
//   npx tsx examples/window-readings.ts > /tmp/readings.jsonl
//   npx tsx examples/window-readings.ts --count 5000 --seed 7 --out-of-orderness 500 > /tmp/readings.jsonl
//
// Event time moves on by 0 to 100 ms a reading (so some share a timestamp), now and then by up to
// 3 s (a quiet spell that ends sessions), and some readings sit exactly on a multiple of 500 ms
// (window edges). Values are whole numbers 1..100, so every sum is exact. Each reading arrives after
// a delay: none for most, up to `outOfOrdernessMs` for 40 % (out of order, within the bound), and
// for 5 % more than the bound, by up to `lateByAtMostMs` more (late: some within any allowed
// lateness, some beyond it).
import { isMainModule } from '../index.ts';
import { seededRandom } from './seeded-random.ts';

export interface RawReading {
  readonly key: string;
  readonly ts: number;
  readonly value: number;
}

export interface ReadingOptions {
  readonly seed: number;
  readonly count: number;
  /** The delay within which readings arrive out of order; more is late. */
  readonly outOfOrdernessMs: number;
  /** How much later than the bound a late reading may be; default 5 000. */
  readonly lateByAtMostMs?: number;
  /** Default 6. */
  readonly keys?: number;
}

/** 2025-01-01T00:00:00Z: the first reading's time. */
const START_TS = Date.UTC(2025, 0, 1);
const EDGE_MS = 500;

/** `count` readings in arrival order. */
export function generateReadings(options: ReadingOptions): RawReading[] {
  const { seed, count, outOfOrdernessMs, lateByAtMostMs = 5_000, keys = 6 } = options;
  const random = seededRandom(seed);
  const below = (bound: number): number => Math.floor(random() * bound);
  const names = Array.from({ length: keys }, (_, index) => `sensor-${String(index + 1).padStart(2, '0')}`);
  let clock = START_TS;
  const arrivals: { reading: RawReading; arrival: number }[] = [];
  for (let index = 0; index < count; index++) {
    clock += random() < 0.02 ? below(3_000) : below(101);
    const ts = random() < 0.03 ? clock - (clock % EDGE_MS) : clock;
    // Skewed: low-numbered keys read more often.
    const reading = { key: names[Math.min(below(keys), below(keys))], ts, value: 1 + below(100) };
    const roll = random();
    const delay = roll < 0.55 ? 0 : roll < 0.95 ? below(outOfOrdernessMs + 1) : outOfOrdernessMs + 1 + below(lateByAtMostMs);
    arrivals.push({ reading, arrival: ts + delay });
  }
  // A stable sort: equal arrivals keep event-time order.
  return arrivals.sort((a, b) => a.arrival - b.arrival).map(({ reading }) => reading);
}

export const toJsonLines = (readings: readonly RawReading[]): string => readings.map((reading) => JSON.stringify(reading) + '\n').join('');

const USAGE = 'usage: window-readings.ts [--count <n>] [--seed <n>] [--out-of-orderness <ms>]';

function parseArgs(args: readonly string[]): ReadingOptions {
  const options = { seed: 1, count: 5_000, outOfOrdernessMs: 500 };
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${flag} needs a whole number; ${USAGE}`);
    if (flag === '--count') options.count = Number(value);
    else if (flag === '--seed') options.seed = Number(value);
    else if (flag === '--out-of-orderness') options.outOfOrdernessMs = Number(value);
    else throw new Error(`unexpected argument ${flag} ${value}; ${USAGE}`);
  }
  return options;
}

if (isMainModule(import.meta.url)) process.stdout.write(toJsonLines(generateReadings(parseArgs(process.argv.slice(2)))));
