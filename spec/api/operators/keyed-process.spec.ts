// KeyedProcessFunction with keyed state and timers, run embedded: state is per key, event-time
// timers fire once the watermark reaches them (once per key and timestamp), deleted timers do not
// fire, processing-time timers fire on the task's clock, and BATCH fires every timer at the end.
import test from 'ava';
import { NEVER, concat, of } from 'rxjs';
import {
  type Collector,
  type KeyedProcessContext,
  type KeyedProcessFunction,
  type OnTimerContext,
  type RuntimeContext,
  StreamExecutionEnvironment,
  type ValueState,
  ValueStateDescriptor,
  WatermarkStrategy,
  WeirError,
} from '../../../index.ts';

interface Event {
  readonly key: string;
  readonly ts: number;
}

const events = (...list: [string, number][]): Event[] => list.map(([key, ts]) => ({ key, ts }));

/** A watermark right after each record: its timestamp (records arrive in order per the spec's lists). */
const punctuated = WatermarkStrategy.forGenerator<Event>(() => ({
  onEvent: (_event, timestamp, output) => output.emitWatermark(timestamp),
  onPeriodicEmit: () => {},
})).withTimestampAssigner((event) => event.ts);

async function run<O>(input: Event[], fn: KeyedProcessFunction<string, Event, O> | (new () => KeyedProcessFunction<string, Event, O>), mode: 'STREAMING' | 'BATCH' = 'STREAMING'): Promise<O[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(2).setRuntimeMode(mode);
  const out: O[] = [];
  const stream = env.fromCollection(input).setParallelism(1).assignTimestampsAndWatermarks(punctuated).setParallelism(1).keyBy((event) => event.key).process(fn);
  for await (const value of stream.executeAndCollect()) out.push(value);
  return out;
}

/** Counts records per key in ValueState; an event-time timer 10 ms after each record reports the count. */
class CountWithTimeout implements KeyedProcessFunction<string, Event, string> {
  private count!: ValueState<number>;

  open(context: RuntimeContext): void {
    this.count = context.getState(new ValueStateDescriptor<number>('count'));
  }

  processElement(event: Event, ctx: KeyedProcessContext<string>, _out: Collector<string>): void {
    this.count.update((this.count.value() ?? 0) + 1);
    ctx.timerService().registerEventTimeTimer(event.ts + 10);
    ctx.timerService().registerEventTimeTimer(event.ts + 10); // twice is once
  }

  onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.getCurrentKey()}@${timestamp} ${ctx.timeDomain()} count=${this.count.value()} ts=${ctx.timestamp()} wm=${ctx.timerService().currentWatermark()}`);
  }
}

test('event-time timers fire once the watermark reaches them, with their key current and its state', async (t) => {
  const out = await run(events(['a', 1], ['b', 2], ['a', 5], ['c', 30], ['b', 40]), CountWithTimeout);
  t.deepEqual(out.sort(), [
    'a@11 EVENT_TIME count=2 ts=11 wm=30',
    'a@15 EVENT_TIME count=2 ts=15 wm=30',
    'b@12 EVENT_TIME count=1 ts=12 wm=30',
    'b@50 EVENT_TIME count=2 ts=50 wm=Infinity',
    'c@40 EVENT_TIME count=1 ts=40 wm=40',
  ]);
});

test('in BATCH every event-time timer fires at the end of input, after every record', async (t) => {
  const out = await run(events(['a', 1], ['b', 2], ['a', 5], ['c', 30], ['b', 40]), CountWithTimeout, 'BATCH');
  t.deepEqual(out.sort(), [
    'a@11 EVENT_TIME count=2 ts=11 wm=Infinity',
    'a@15 EVENT_TIME count=2 ts=15 wm=Infinity',
    'b@12 EVENT_TIME count=2 ts=12 wm=Infinity',
    'b@50 EVENT_TIME count=2 ts=50 wm=Infinity',
    'c@40 EVENT_TIME count=1 ts=40 wm=Infinity',
  ]);
});

test('a deleted timer does not fire; state is per key', async (t) => {
  class Cancelling implements KeyedProcessFunction<string, Event, string> {
    private pending!: ValueState<number>;
    open(context: RuntimeContext): void {
      this.pending = context.getState(new ValueStateDescriptor<number>('pending'));
    }
    processElement(event: Event, ctx: KeyedProcessContext<string>): void {
      const previous = this.pending.value();
      if (previous !== undefined) ctx.timerService().deleteEventTimeTimer(previous);
      this.pending.update(event.ts + 100);
      ctx.timerService().registerEventTimeTimer(event.ts + 100);
    }
    onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
      out.collect(`${ctx.getCurrentKey()}@${timestamp}`);
    }
  }
  t.deepEqual((await run(events(['a', 1], ['b', 2], ['a', 50], ['b', 500]), Cancelling)).sort(), ['a@150', 'b@600']);
});

test('a processing-time timer fires on the task clock with no timestamp, between records', async (t) => {
  class Delayed implements KeyedProcessFunction<string, Event, string> {
    processElement(_event: Event, ctx: KeyedProcessContext<string>): void {
      ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 5);
    }
    onTimer(_timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
      out.collect(`${ctx.getCurrentKey()} ${ctx.timeDomain()} ts=${ctx.timestamp()}`);
    }
  }
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const out: string[] = [];
  // An unbounded source keeps the job running while the timer waits; the job is cancelled once it fired.
  const stream = env
    .fromObservable(() => concat(of<Event>({ key: 'k', ts: 1 }), NEVER))
    .keyBy((event) => event.key)
    .process(new Delayed());
  for await (const value of stream.executeAndCollect()) {
    out.push(value);
    break;
  }
  t.deepEqual(out, ['k PROCESSING_TIME ts=undefined']);
});

test('an onTimer that throws fails the job naming the operator', async (t) => {
  const failing: KeyedProcessFunction<string, Event, string> = {
    processElement: (event, ctx) => ctx.timerService().registerEventTimeTimer(event.ts),
    onTimer: () => {
      throw new Error('timer boom');
    },
  };
  const error = await t.throwsAsync(run(events(['a', 1]), failing), { instanceOf: WeirError });
  t.regex(error?.message ?? '', /operator "Keyed Process" \(id "keyed-process-\d+"\) failed on a record: timer boom/);
});
