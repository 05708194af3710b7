// The window benchmark's jobs (bench/windows.ts), generated inside the source so the client ships
// nothing big. Events are [key, timestamp, value] tuples: `events` of them over `keys` keys, 100 per
// millisecond of event time (ascending), so each 1 s window holds 100,000 events (10 per key at
// 10,000 keys).
//   args: ['window', events, keys, outputDirectory]  keyed 1 s tumbling event-time window, count + sum
//   args: ['state', events, keys, outputDirectory]   KeyedProcessFunction: ValueState read-modify-write
//   a fifth argument, when given and not 0: env.enableCheckpointing(that many ms) (bench/checkpoint.ts)
// Each sink subtask writes what it saw to `<outputDirectory>/tally-<subtask>.json` when it closes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AggregateFunction,
  type JobModule,
  type KeyedProcessFunction,
  type RuntimeContext,
  type SinkFunction,
  TumblingEventTimeWindows,
  type ValueState,
  ValueStateDescriptor,
  WatermarkStrategy,
} from '../../api/index.ts';

export type BenchEvent = [key: number, timestamp: number, value: number];

/** Events per millisecond of event time. */
export const EVENTS_PER_MS = 100;
export const WINDOW_MS = 1_000;

export function eventOf(index: number, keys: number): BenchEvent {
  return [index % keys, Math.floor(index / EVENTS_PER_MS), index & 7];
}

/** What one sink subtask saw: records, and the sum of their counts (window) or of their values (state). */
export interface Tally {
  readonly records: number;
  readonly countSum: number;
}

type CountAndSum = [count: number, sum: number];

const countAndSum: AggregateFunction<BenchEvent, CountAndSum, CountAndSum> = {
  createAccumulator: () => [0, 0],
  add: (event, accumulator) => {
    accumulator[0]++;
    accumulator[1] += event[2];
    return accumulator;
  },
  getResult: (accumulator) => accumulator,
  merge: (a, b) => [a[0] + b[0], a[1] + b[1]],
};

class RunningCount implements KeyedProcessFunction<number, BenchEvent, number> {
  private count!: ValueState<number>;

  open(context: RuntimeContext): void {
    this.count = context.getState(new ValueStateDescriptor<number>('count'));
  }

  processElement(event: BenchEvent, _ctx: unknown, out: { collect(value: number): void }): void {
    const next = (this.count.value() ?? 0) + 1;
    this.count.update(next);
    if (next % 1_000 === 0) out.collect(next);
  }
}

const windowsJob: JobModule = (env, args) => {
  const [kind, eventsArg, keysArg, outputDirectory, checkpointArg] = args;
  const events = Number(eventsArg);
  const keys = Number(keysArg);
  const checkpointIntervalMs = Number(checkpointArg ?? 0);
  if (checkpointIntervalMs > 0) env.enableCheckpointing(checkpointIntervalMs);

  class TallySink implements SinkFunction<unknown> {
    private subtask = 0;
    private records = 0;
    private countSum = 0;

    open(context: RuntimeContext): void {
      this.subtask = context.subtaskIndex;
    }

    invoke(value: unknown): void {
      this.records++;
      this.countSum += typeof value === 'number' ? 1_000 : (value as CountAndSum)[0];
    }

    close(): void {
      writeFileSync(join(outputDirectory, `tally-${this.subtask}.json`), JSON.stringify({ records: this.records, countSum: this.countSum } satisfies Tally));
    }
  }

  const source = env.fromSequence(0, events - 1).map((index) => eventOf(index, keys)).name('Event');
  if (kind === 'window') {
    env.setJobName('windows: keyed tumbling count + sum');
    source
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<BenchEvent>().withTimestampAssigner((event) => event[1]))
      .keyBy((event) => event[0])
      .window(TumblingEventTimeWindows.of(WINDOW_MS))
      .aggregate(countAndSum)
      .sinkTo(TallySink);
  } else {
    env.setJobName('windows: ValueState read-modify-write');
    source.keyBy((event) => event[0]).process(RunningCount).sinkTo(TallySink);
  }
};

export default windowsJob;
