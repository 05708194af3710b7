// Windowed totals: per key, the count and the sum of the values in each event-time window, with
// out-of-order input, allowed lateness and a side output for what is later still. Input: JSON lines
// {"key","ts","value"} (ts in ms); output: one `key<TAB>windowStart<TAB>windowEnd<TAB>count<TAB>sum`
// line per firing; late records go to --late-output as their input line.
//
// Event time: one ordered reader (parallelism 1, as one log partition would be) emits a watermark
// after every record: the largest ts read so far - out-of-orderness - 1. A window [start, end) fires
// once the watermark reaches end - 1. Until the watermark reaches end - 1 + allowed lateness, a late
// record still joins it and fires it again with the updated count and sum; a record whose windows
// have all passed that point is late data. The windows (--window) are `tumbling:SIZE`,
// `sliding:SIZE:SLIDE` or `session:GAP`, in ms, aligned to 0, and run at the job's parallelism.
//
// Embedded, on a mini cluster in this process:
//   npx tsx examples/window-readings.ts > /tmp/readings.jsonl          # sample input, seeded
//   npx tsx examples/windowed-totals.ts --input /tmp/readings.jsonl --output /tmp/totals \
//     --late-output /tmp/late --window tumbling:1000 --out-of-orderness 500 --allowed-lateness 2000
// On a standalone cluster (bin/start-cluster.sh), with absolute paths every TaskManager can read:
//   bin/weir run examples/windowed-totals.ts -p 2 -- --input /tmp/readings.jsonl --output /tmp/totals \
//     --late-output /tmp/late --window session:300 --out-of-orderness 500 --allowed-lateness 2000
// --rate N reads at most N records a second. --checkpoint-interval MS checkpoints the job every MS
// and writes both outputs with the exactly-once FileSink (part files appear as checkpoints complete;
// hidden .part-* files are not output yet): killed TaskManagers and restarts change nothing in what
// is committed. The reader's checkpointed position is the number of lines it emitted. The stateful
// operators have a uid(), so a savepoint (weir stop) restores into a changed pipeline too.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AggregateFunction,
  type Collector,
  type DataStream,
  EventTimeSessionWindows,
  FileSink,
  type JobModule,
  OutputTag,
  type ProcessWindowContext,
  SlidingEventTimeWindows,
  type Source,
  StreamExecutionEnvironment,
  type TimeWindow,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type WindowAssigner,
  isMainModule,
} from '../index.ts';

export interface Reading {
  readonly key: string;
  /** Event time, ms since the epoch. */
  readonly ts: number;
  readonly value: number;
  /** The input line, written as it was when the reading is late. */
  readonly line: string;
}

export type WindowSpec =
  | { readonly kind: 'tumbling'; readonly size: number }
  | { readonly kind: 'sliding'; readonly size: number; readonly slide: number }
  | { readonly kind: 'session'; readonly gap: number };

export interface WindowedTotalsOptions {
  readonly input: string;
  readonly output: string;
  readonly lateOutput: string;
  readonly window: WindowSpec;
  readonly outOfOrdernessMs: number;
  readonly allowedLatenessMs: number;
  /** env.enableCheckpointing(ms), and both outputs through the exactly-once FileSink. */
  readonly checkpointIntervalMs?: number;
  /** At most this many records a second from the source. */
  readonly rate?: number;
}

const USAGE =
  'usage: windowed-totals.ts --input <file> --output <dir> --late-output <dir> --window tumbling:<ms>|sliding:<ms>:<ms>|session:<ms> ' +
  '--out-of-orderness <ms> --allowed-lateness <ms> [--checkpoint-interval <ms>] [--rate <records/s>]';

export function parseWindowSpec(spec: string): WindowSpec {
  const [kind, ...sizes] = spec.split(':');
  if (sizes.every((size) => /^[1-9]\d*$/.test(size))) {
    const [first, second] = sizes.map(Number);
    if (kind === 'tumbling' && sizes.length === 1) return { kind, size: first };
    if (kind === 'sliding' && sizes.length === 2) return { kind, size: first, slide: second };
    if (kind === 'session' && sizes.length === 1) return { kind, gap: first };
  }
  throw new Error(`--window expects tumbling:<ms>, sliding:<ms>:<ms> or session:<ms> (positive whole ms), got "${spec}"; ${USAGE}`);
}

function wholeNumber(flag: string, value: string, least: 0 | 1): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < least) {
    throw new Error(`${flag} expects a ${least === 1 ? 'positive' : 'non-negative'} whole number, got "${value}"; ${USAGE}`);
  }
  return Number(value);
}

export function parseWindowedTotalsArgs(args: readonly string[]): WindowedTotalsOptions {
  const options: { -readonly [K in keyof WindowedTotalsOptions]?: WindowedTotalsOptions[K] } = {};
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--input') options.input = value;
    else if (flag === '--output') options.output = value;
    else if (flag === '--late-output') options.lateOutput = value;
    else if (flag === '--window') options.window = parseWindowSpec(value);
    else if (flag === '--out-of-orderness') options.outOfOrdernessMs = wholeNumber(flag, value, 0);
    else if (flag === '--allowed-lateness') options.allowedLatenessMs = wholeNumber(flag, value, 0);
    else if (flag === '--checkpoint-interval') options.checkpointIntervalMs = wholeNumber(flag, value, 1);
    else if (flag === '--rate') options.rate = wholeNumber(flag, value, 1);
    else throw new Error(`unexpected argument ${flag} ${value}; ${USAGE}`);
  }
  const required: [string, unknown][] = [
    ['--input', options.input],
    ['--output', options.output],
    ['--late-output', options.lateOutput],
    ['--window', options.window],
    ['--out-of-orderness', options.outOfOrdernessMs],
    ['--allowed-lateness', options.allowedLatenessMs],
  ];
  for (const [flag, value] of required) if (value === undefined) throw new Error(`${flag} is missing; ${USAGE}`);
  return options as WindowedTotalsOptions;
}

export function windowAssigner(spec: WindowSpec): WindowAssigner<unknown, TimeWindow> {
  switch (spec.kind) {
    case 'tumbling':
      return TumblingEventTimeWindows.of(spec.size);
    case 'sliding':
      return SlidingEventTimeWindows.of(spec.size, spec.slide);
    case 'session':
      return EventTimeSessionWindows.withGap(spec.gap);
  }
}

/** A file to read, from its `skip`-th non-empty line (a checkpoint's position). */
export interface LinesSplit {
  readonly path: string;
  readonly skip?: number;
}

/**
 * The file's non-empty lines, in order, by one reader; at most `perSecond` a second when given. A
 * checkpoint records how many lines were emitted, and a restore skips them.
 */
export function fileLines(path: string, perSecond?: number): Source<string, LinesSplit> {
  return {
    boundedness: 'bounded',
    createEnumerator: () => {
      let split: LinesSplit | null = { path };
      return {
        nextSplit: () => {
          const next = split;
          split = null;
          return next;
        },
      };
    },
    createReader: () => ({
      async *read(file: LinesSplit): AsyncGenerator<string> {
        const started = Date.now();
        let read = 0;
        let skip = file.skip ?? 0;
        for await (const line of createInterface({ input: createReadStream(file.path), crlfDelay: Infinity })) {
          if (line === '') continue;
          if (skip > 0) {
            skip--;
            continue;
          }
          // Paced against the start, so the rate holds over the whole file however long each sleep takes.
          const ahead = perSecond === undefined ? 0 : started + (read * 1000) / perSecond - Date.now();
          if (ahead > 0) await sleep(ahead);
          read++;
          yield line;
        }
      },
      snapshotState: (file: LinesSplit, recordsEmitted: number): LinesSplit => ({ path: file.path, skip: (file.skip ?? 0) + recordsEmitted }),
    }),
  };
}

export function parseReading(line: string): Reading {
  const { key, ts, value } = JSON.parse(line) as { key?: unknown; ts?: unknown; value?: unknown };
  if (typeof key !== 'string' || !Number.isSafeInteger(ts) || typeof value !== 'number') {
    throw new Error(`expected {"key": string, "ts": ms, "value": number}, got ${line}`);
  }
  return { key, ts: ts as number, value, line };
}

/** Flink's bounded out-of-orderness watermark (largest timestamp - bound - 1), emitted after every record. */
export function watermarkAfterEveryRecord<T>(outOfOrdernessMs: number, timestampOf: (record: T) => number): WatermarkStrategy<T> {
  return WatermarkStrategy.forGenerator<T>(() => {
    let maxTimestamp = Number.NEGATIVE_INFINITY;
    return {
      onEvent: (_record, timestamp, output) => {
        if (timestamp > maxTimestamp) maxTimestamp = timestamp;
        output.emitWatermark(maxTimestamp - outOfOrdernessMs - 1);
      },
      onPeriodicEmit: () => {},
    };
  }).withTimestampAssigner(timestampOf);
}

/** [count, sum], kept per window as the records come (sessions merge theirs). */
const countAndSum: AggregateFunction<Reading, [number, number], [number, number]> = {
  createAccumulator: () => [0, 0],
  add: (reading, [count, sum]) => [count + 1, sum + reading.value],
  getResult: (totals) => totals,
  merge: ([countA, sumA], [countB, sumB]) => [countA + countB, sumA + sumB],
};

/** Adds the key and the window to a window's totals. */
function formatTotals(key: string, ctx: ProcessWindowContext<TimeWindow>, totals: Iterable<[number, number]>, out: Collector<string>): void {
  const { start, end } = ctx.window();
  for (const [count, sum] of totals) out.collect(`${key}\t${start}\t${end}\t${count}\t${sum}`);
}

const windowedTotals: JobModule = async (env, args) => {
  const options = parseWindowedTotalsArgs(args);
  if (options.checkpointIntervalMs !== undefined) env.enableCheckpointing(options.checkpointIntervalMs);
  const late = new OutputTag<Reading>('late-readings');
  const totals = env
    .fromSource(fileLines(options.input, options.rate), 'Readings')
    .uid('readings')
    .setParallelism(1)
    .map(parseReading)
    .name('Parse')
    .setParallelism(1)
    .assignTimestampsAndWatermarks(watermarkAfterEveryRecord(options.outOfOrdernessMs, (reading) => reading.ts))
    .name('Timestamps')
    .setParallelism(1)
    .keyBy((reading) => reading.key)
    .window(windowAssigner(options.window))
    .allowedLateness(options.allowedLatenessMs)
    .sideOutputLateData(late)
    .aggregate(countAndSum, formatTotals)
    .name('Totals')
    .uid('totals');
  const exactlyOnce = options.checkpointIntervalMs !== undefined;
  writeLines(totals, options.output, exactlyOnce).name('Totals File').uid('totals-file');
  const lateLines = totals
    .getSideOutput(late)
    .map((reading) => reading.line)
    .name('Late Lines');
  writeLines(lateLines, options.lateOutput, exactlyOnce).name('Late File').uid('late-file');
  await env.execute('Windowed Totals');
};

/** Checkpointed: the exactly-once FileSink (lines appear as checkpoints complete); else one text file per subtask. */
function writeLines(lines: DataStream<string>, directory: string, exactlyOnce: boolean): ReturnType<DataStream<string>['writeAsText']> {
  return exactlyOnce ? lines.sinkTo(FileSink.forRowFormat<string>(directory, (line) => line).build()) : lines.writeAsText(directory);
}

export default windowedTotals;

if (isMainModule(import.meta.url)) await windowedTotals(StreamExecutionEnvironment.getExecutionEnvironment(), process.argv.slice(2));
