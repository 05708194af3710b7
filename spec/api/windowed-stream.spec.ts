// Keyed windows end to end (embedded): every assigner kind, incremental and full functions, lateness,
// late data, evictors, count windows, windowAll and BATCH, with exact expected results. The input is
// read by one ordered source with a watermark after every record (its timestamp minus the
// out-of-orderness bound), so when each window fires is fully determined.
import test from 'ava';
import {
  type AggregateFunction,
  CountEvictor,
  CountTrigger,
  type DataStream,
  EventTimeSessionWindows,
  OutputTag,
  type ProcessWindowContext,
  SlidingEventTimeWindows,
  StreamExecutionEnvironment,
  type TimeWindow,
  TimeEvictor,
  TumblingEventTimeWindows,
  ValueStateDescriptor,
  WatermarkStrategy,
  WeirError,
} from '../../index.ts';

interface Reading {
  readonly key: string;
  readonly ts: number;
  value: number;
}

const r = (key: string, ts: number, value: number): Reading => ({ key, ts, value });

/** Watermark = timestamp - bound - 1 after every record (Flink's bounded out-of-orderness, punctuated). */
function watermarkEveryRecord(bound: number): WatermarkStrategy<Reading> {
  return WatermarkStrategy.forGenerator<Reading>(() => {
    let max = Number.NEGATIVE_INFINITY;
    return {
      onEvent: (_reading, timestamp, output) => {
        max = Math.max(max, timestamp);
        output.emitWatermark(max - bound - 1);
      },
      onPeriodicEmit: () => {},
    };
  }).withTimestampAssigner((reading) => reading.ts);
}

interface RunOptions {
  readonly bound?: number;
  readonly mode?: 'STREAMING' | 'BATCH';
  readonly parallelism?: number;
}

/** Builds the pipeline on one ordered, timestamped source and collects what `body` returns, sorted. */
async function run<R>(input: Reading[], body: (readings: DataStream<Reading>) => DataStream<R>, options: RunOptions = {}): Promise<string[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(options.parallelism ?? 2).setRuntimeMode(options.mode ?? 'STREAMING');
  const readings = env
    .fromCollection(input)
    .setParallelism(1)
    .assignTimestampsAndWatermarks(watermarkEveryRecord(options.bound ?? 0))
    .setParallelism(1);
  const out: string[] = [];
  for await (const value of body(readings)
    .process<string>((value, ctx, collector) => collector.collect(`${typeof value === 'string' ? value : JSON.stringify(value)} @${ctx.timestamp()}`))
    .executeAndCollect()) {
    out.push(value);
  }
  return out.sort();
}

const describeWindow = (key: string, window: TimeWindow, values: number[]): string => `${key} [${window.start},${window.end}) ${values.join(',')}`;

/** Lists each window's values (in arrival order). */
const listValues = (key: string, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<Reading>, out: { collect(value: string): void }): void =>
  out.collect(describeWindow(key, ctx.window(), [...elements].map((reading) => reading.value)));

const INPUT = [r('a', 1_000, 1), r('b', 1_500, 2), r('a', 2_500, 3), r('a', 3_100, 4), r('b', 7_000, 5), r('a', 7_100, 6)];

test('tumbling event-time windows: a process function sees each window\'s records; results carry maxTimestamp', async (t) => {
  const out = await run(INPUT, (readings) => readings.keyBy((reading) => reading.key).window(TumblingEventTimeWindows.of(2_000)).process(listValues));
  t.deepEqual(out, ['a [0,2000) 1 @1999', 'a [2000,4000) 3,4 @3999', 'a [6000,8000) 6 @7999', 'b [0,2000) 2 @1999', 'b [6000,8000) 5 @7999']);
});

test('tumbling windows with reduce, aggregate, apply and sum give the same totals', async (t) => {
  const keyed = (readings: DataStream<Reading>) => readings.keyBy((reading) => reading.key).window(TumblingEventTimeWindows.of(2_000));
  const average: AggregateFunction<Reading, [number, number], number> = {
    createAccumulator: () => [0, 0],
    add: (reading, [sum, count]) => [sum + reading.value, count + 1],
    getResult: ([sum, count]) => sum / count,
    merge: ([s1, c1], [s2, c2]) => [s1 + s2, c1 + c2],
  };
  const reduced = await run(INPUT, (readings) => keyed(readings).reduce((a, b) => r(a.key, a.ts, a.value + b.value)).map((reading) => `${reading.key}=${reading.value}`));
  t.deepEqual(reduced, ['a=1 @1999', 'a=6 @7999', 'a=7 @3999', 'b=2 @1999', 'b=5 @7999']);
  const summed = await run(INPUT, (readings) => keyed(readings).sum('value').map((reading) => `${reading.key}=${reading.value}`));
  t.deepEqual(summed, reduced);
  const averaged = await run(INPUT, (readings) => keyed(readings).aggregate(average));
  t.deepEqual(averaged, ['1 @1999', '2 @1999', '3.5 @3999', '5 @7999', '6 @7999']);
  const applied = await run(INPUT, (readings) => keyed(readings).apply<string>((key, window, elements, out) => out.collect(describeWindow(key, window, [...elements].map((e) => e.value)))));
  t.deepEqual(applied, ['a [0,2000) 1 @1999', 'a [2000,4000) 3,4 @3999', 'a [6000,8000) 6 @7999', 'b [0,2000) 2 @1999', 'b [6000,8000) 5 @7999']);
  const withProcess = await run(INPUT, (readings) =>
    keyed(readings).reduce(
      (a, b) => r(a.key, a.ts, a.value + b.value),
      (key: string, ctx: ProcessWindowContext<TimeWindow>, totals: Iterable<Reading>, out: { collect(value: string): void }) => out.collect(`${key} ${ctx.window().start}: ${[...totals][0].value}`),
    ),
  );
  t.deepEqual(withProcess, ['a 0: 1 @1999', 'a 2000: 7 @3999', 'a 6000: 6 @7999', 'b 0: 2 @1999', 'b 6000: 5 @7999']);
});

test('sliding windows: a record is in size/slide windows, and a reduce that changes its first argument changes none of the others', async (t) => {
  const mutatingSum = (a: Reading, b: Reading): Reading => {
    a.value += b.value;
    return a;
  };
  const out = await run(INPUT, (readings) =>
    readings
      .keyBy((reading) => reading.key)
      .window(SlidingEventTimeWindows.of(2_000, 1_000))
      .reduce(mutatingSum)
      .map((reading) => `${reading.key}=${reading.value}`),
  );
  t.deepEqual(out, ['a=1 @1999', 'a=4 @2999', 'a=4 @4999', 'a=6 @7999', 'a=6 @8999', 'a=7 @3999', 'b=2 @1999', 'b=2 @2999', 'b=5 @7999', 'b=5 @8999']);
});

test('session windows merge as records close the gap, out of order too', async (t) => {
  const input = [r('a', 1_000, 1), r('a', 1_800, 2), r('b', 1_000, 7), r('a', 1_400, 3), r('a', 4_000, 4), r('a', 3_300, 5), r('a', 10_000, 6)];
  const out = await run(input, (readings) => readings.keyBy((reading) => reading.key).window(EventTimeSessionWindows.withGap(1_000)).process(listValues), { bound: 2_000 });
  t.deepEqual(out, ['a [1000,2800) 1,2,3 @2799', 'a [10000,11000) 6 @10999', 'a [3300,5000) 4,5 @4999', 'b [1000,2000) 7 @1999']);
});

test('allowedLateness: a late record within the lateness fires its window again; later ones go to the late-data side output', async (t) => {
  const late = new OutputTag<Reading>('late');
  const input = [r('a', 1_000, 1), r('a', 2_500, 2), r('a', 1_500, 3), r('a', 4_200, 4), r('a', 1_700, 5), r('a', 9_000, 9)];
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  const windowed = env
    .fromCollection(input)
    .assignTimestampsAndWatermarks(watermarkEveryRecord(0))
    .keyBy((reading) => reading.key)
    .window(TumblingEventTimeWindows.of(2_000))
    .allowedLateness(2_000)
    .sideOutputLateData(late)
    .process(listValues);
  const out: string[] = [];
  for await (const value of windowed.union(windowed.getSideOutput(late).map((reading) => `late ${reading.value}`)).executeAndCollect()) out.push(value);
  t.deepEqual(out.sort(), ['a [0,2000) 1', 'a [0,2000) 1,3', 'a [2000,4000) 2', 'a [4000,6000) 4', 'a [8000,10000) 9', 'late 5']);
});

test('a late record is dropped without a late-data side output', async (t) => {
  const out = await run([r('a', 1_000, 1), r('a', 5_000, 2), r('a', 1_500, 3)], (readings) => readings.keyBy((reading) => reading.key).window(TumblingEventTimeWindows.of(2_000)).process(listValues));
  t.deepEqual(out, ['a [0,2000) 1 @1999', 'a [4000,6000) 2 @5999']);
});

test('evictors trim a window before its function: CountEvictor keeps the last records, TimeEvictor the most recent time span', async (t) => {
  const input = [r('a', 100, 1), r('a', 200, 2), r('a', 900, 3), r('a', 950, 4)];
  const counted = await run(input, (readings) => readings.keyBy((reading) => reading.key).window(TumblingEventTimeWindows.of(1_000)).evictor(CountEvictor.of(2)).process(listValues));
  t.deepEqual(counted, ['a [0,1000) 3,4 @999']);
  const timed = await run(input, (readings) => readings.keyBy((reading) => reading.key).window(TumblingEventTimeWindows.of(1_000)).evictor(TimeEvictor.of(100)).process(listValues));
  t.deepEqual(timed, ['a [0,1000) 3,4 @999']);
  const reducedAfterEviction = await run(input, (readings) =>
    readings
      .keyBy((reading) => reading.key)
      .window(TumblingEventTimeWindows.of(1_000))
      .evictor(CountEvictor.of(3))
      .reduce((a, b) => r(a.key, a.ts, a.value + b.value))
      .map((reading) => `sum ${reading.value}`),
  );
  t.deepEqual(reducedAfterEviction, ['sum 9 @999']);
});

test('countWindow(size) fires and purges every `size` records per key; countWindow(size, slide) slides', async (t) => {
  const input = [1, 2, 3, 4, 5, 6, 7].map((n) => r(n % 2 === 0 ? 'even' : 'odd', n, n));
  const tumbling = await run(input, (readings) => readings.keyBy((reading) => reading.key).countWindow(2).sum('value').map((reading) => `${reading.key} ${reading.value}`));
  t.deepEqual(tumbling, ['even 6 @Infinity', 'odd 4 @Infinity', 'odd 12 @Infinity'].sort());
  const sliding = await run(input, (readings) => readings.keyBy((reading) => reading.key).countWindow(3, 1).sum('value').map((reading) => `${reading.key} ${reading.value}`));
  t.deepEqual(sliding, ['even 12 @Infinity', 'even 2 @Infinity', 'even 6 @Infinity', 'odd 1 @Infinity', 'odd 15 @Infinity', 'odd 4 @Infinity', 'odd 9 @Infinity']);
});

test('a custom trigger decides when a window fires: CountTrigger fires every 2 records and at no other time', async (t) => {
  const out = await run(INPUT, (readings) => readings.keyBy((reading) => reading.key).window(TumblingEventTimeWindows.of(10_000)).trigger(CountTrigger.of(2)).process(listValues));
  t.deepEqual(out, ['a [0,10000) 1,3 @9999', 'a [0,10000) 1,3,4,6 @9999', 'b [0,10000) 2,5 @9999']);
});

test('windowAll evaluates the whole stream\'s windows in one subtask', async (t) => {
  const out = await run(INPUT, (readings) =>
    readings.windowAll(TumblingEventTimeWindows.of(2_000)).process<string>((ctx, elements, collector) => collector.collect(`${ctx.window().start}: ${[...elements].map((e) => e.value).join(',')}`)),
  );
  t.deepEqual(out, ['0: 1,2 @1999', '2000: 3,4 @3999', '6000: 5,6 @7999']);
  const counted = await run(INPUT, (readings) => readings.countWindowAll(3).sum('value').map((reading) => `${reading.value}`));
  t.deepEqual(counted, ['15 @Infinity', '6 @Infinity']);
});

test('in BATCH every window fires once with its final contents, late records included', async (t) => {
  const input = [r('a', 1_000, 1), r('a', 5_000, 2), r('a', 1_500, 3), r('b', 200, 4)];
  const out = await run(input, (readings) => readings.keyBy((reading) => reading.key).window(TumblingEventTimeWindows.of(2_000)).process(listValues), { mode: 'BATCH' });
  t.deepEqual(out, ['a [0,2000) 1,3 @1999', 'a [4000,6000) 2 @5999', 'b [0,2000) 4 @1999']);
});

test('windowState is per window and cleared with it; globalState is per key', async (t) => {
  const out = await run([r('a', 100, 1), r('a', 1_100, 2), r('a', 2_100, 3)], (readings) =>
    readings
      .keyBy((reading) => reading.key)
      .window(TumblingEventTimeWindows.of(1_000))
      .allowedLateness(0)
      .process<string>({
        process(key, ctx, elements, collector) {
          const fires = ctx.windowState().getState(new ValueStateDescriptor<number>('fires'));
          const windows = ctx.globalState().getState(new ValueStateDescriptor<number>('windows'));
          fires.update((fires.value() ?? 0) + 1);
          windows.update((windows.value() ?? 0) + 1);
          collector.collect(`${key} ${ctx.window().start} fires=${fires.value()} windows=${windows.value()} n=${[...elements].length}`);
        },
        clear(ctx) {
          ctx.windowState().getState(new ValueStateDescriptor<number>('fires')).clear();
        },
      }),
  );
  t.deepEqual(out, ['a 0 fires=1 windows=1 n=1 @999', 'a 1000 fires=1 windows=2 n=1 @1999', 'a 2000 fires=1 windows=3 n=1 @2999']);
});

test('an event-time window on records without timestamps fails with MISSING_TIMESTAMP naming the operator', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const stream = env.fromElements(1, 2).keyBy((n) => n).window(TumblingEventTimeWindows.of(1_000)).sum();
  const error = await t.throwsAsync(async () => {
    for await (const _ of stream.executeAndCollect()) void _;
  }, { instanceOf: WeirError });
  t.regex(error?.message ?? '', /operator "Window Sum" \(id "window-\d+"\) got a record without a timestamp: event-time windows need records with timestamps/);
});

test('window() without an assigner fails at declaration', (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const error = t.throws(() => env.fromElements(1).keyBy((n) => n).window({} as never), { instanceOf: WeirError });
  t.regex(error?.message ?? '', /window\(\) needs a WindowAssigner/);
});

test('a window that stays after firing hands its function copies: changing an emitted record changes nothing it fires again', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  const input = [r('a', 100, 1), r('a', 1_500, 2), r('a', 200, 3)];
  const out: string[] = [];
  const stream = env
    .fromCollection(input)
    .assignTimestampsAndWatermarks(watermarkEveryRecord(0))
    .keyBy((reading) => reading.key)
    .window(TumblingEventTimeWindows.of(1_000))
    .allowedLateness(1_000)
    .process<Reading>((_key, _ctx, elements, collector) => {
      for (const element of elements) collector.collect(element);
    })
    .map((reading) => {
      reading.value *= 100; // the consumer owns what it receives
      return `${reading.ts}:${reading.value}`;
    });
  for await (const value of stream.executeAndCollect()) out.push(value);
  t.deepEqual(out, ['100:100', '100:100', '200:300', '1500:200']);
});

test('a window function that throws after writing a side output fails naming the window operator, not the side output\'s consumer', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  const notes = new OutputTag<string>('notes');
  const windowed = env
    .fromCollection([r('a', 1_000, 1)])
    .assignTimestampsAndWatermarks(watermarkEveryRecord(0))
    .keyBy((reading) => reading.key)
    .window(TumblingEventTimeWindows.of(1_000))
    .process<string>((_key, ctx, _elements, _out) => {
      ctx.output(notes, 'note');
      throw new Error('boom');
    });
  const stream = windowed.getSideOutput(notes).map((note) => note.toUpperCase()).name('Shout');
  const error = await t.throwsAsync(async () => {
    for await (const _ of stream.executeAndCollect()) void _;
  }, { instanceOf: WeirError });
  t.is(error?.code, 'JOB_FAILED');
  t.regex(error?.message ?? '', /: operator "Window Process" \(id "window-\d+"\) failed on a record: boom$/);
});

test('a reduce that throws on a late record fails naming the window operator, even after an earlier window of the record fired again', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  const stream = env
    .fromCollection([r('a', 5, 1), r('b', 31, 1), r('a', 15, 2)])
    .assignTimestampsAndWatermarks(watermarkEveryRecord(0))
    .keyBy((reading) => reading.key)
    .window(SlidingEventTimeWindows.of(20, 10))
    .allowedLateness(100)
    .reduce((sum, reading) => {
      // a@15 goes to [10,30) (fired again at once, holding it alone) and then to [0,20), which holds a@5.
      if (reading.value === 2) throw new Error('no twos');
      return { ...sum, value: sum.value + reading.value };
    })
    .map((reading) => reading.value)
    .name('Values');
  const error = await t.throwsAsync(async () => {
    for await (const _ of stream.executeAndCollect()) void _;
  }, { instanceOf: WeirError });
  t.regex(error?.message ?? '', /: operator "Window Reduce" \(id "window-\d+"\) failed on a record: no twos$/);
});
