// The broadcast state pattern, run embedded at parallelism 1 and 3: a stream connected to a
// BroadcastStream, processed by a (Keyed)BroadcastProcessFunction. Every subtask gets every broadcast
// record and keeps the broadcast states read-write on that side, read-only on the other; a keyed
// function reaches every key's state through applyToKeyedState; timers wait for the watermark of
// both inputs. In STREAMING the two sides interleave arbitrarily (as in Flink), so the expected
// outputs here do not depend on the interleaving, or a gate makes the order certain; in BATCH the
// broadcast side comes first, whole (as in Flink).
import test from 'ava';
import { Observable } from 'rxjs';
import {
  type BroadcastContext,
  type BroadcastProcessFunction,
  type Collector,
  type DataStream,
  type KeyedBroadcastContext,
  type KeyedBroadcastOnTimerContext,
  type KeyedBroadcastProcessFunction,
  type KeyedReadOnlyBroadcastContext,
  type ListState,
  ListStateDescriptor,
  type MapState,
  MapStateDescriptor,
  OutputTag,
  type ReadOnlyBroadcastContext,
  type RuntimeContext,
  type RuntimeExecutionMode,
  StreamExecutionEnvironment,
  type ValueState,
  ValueStateDescriptor,
  WatermarkStrategy,
} from '../../index.ts';

const PARALLELISMS = [1, 3] as const;

async function collect<T>(parallelism: number, mode: RuntimeExecutionMode, build: (env: StreamExecutionEnvironment) => DataStream<T>): Promise<T[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(parallelism).setRuntimeMode(mode);
  const out: T[] = [];
  for await (const value of build(env).executeAndCollect()) out.push(value);
  return out;
}

/** A promise and its resolve: gates a broadcast source until the other side has been processed. */
function gate(): { readonly opened: Promise<void>; readonly open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Emits `values` once `opened` resolved, then completes. */
function afterGate<T>(opened: Promise<void>, values: readonly T[]): Observable<T> {
  return new Observable<T>((subscriber) => {
    void opened.then(() => {
      for (const value of values) subscriber.next(value);
      subscriber.complete();
    });
  });
}

// Flink's "pattern evaluation" example: items keyed by colour, rules (a shape followed by a shape) broadcast.
type Shape = 'rectangle' | 'triangle' | 'circle';
interface Item {
  readonly id: number;
  readonly color: string;
  readonly shape: Shape;
}
interface Rule {
  readonly name: string;
  readonly first: Shape;
  readonly second: Shape;
}

const shapes: Record<string, Shape> = { r: 'rectangle', t: 'triangle', c: 'circle' };
/** `red r1` is item 1, a red rectangle. */
const items = (...specs: string[]): Item[] =>
  specs.map((spec) => {
    const [color, shape] = spec.split(' ');
    return { id: Number(shape.slice(1)), color, shape: shapes[shape[0]] };
  });
const ITEMS = items('red r1', 'blue t7', 'red r2', 'green c11', 'blue r8', 'red t3', 'green r12', 'yellow t15', 'red c4', 'blue c9', 'green t13', 'red c5', 'blue t10', 'yellow t16', 'red c6', 'green r14');
const RULES: Rule[] = [
  { name: 'rect-then-tri', first: 'rectangle', second: 'triangle' },
  { name: 'two-circles', first: 'circle', second: 'circle' },
];
const rulesState = new MapStateDescriptor<string, Rule>('rules');

/** Flink's example function as its documentation writes it: items of a rule's first shape wait per colour for its second. */
class PatternEvaluator implements KeyedBroadcastProcessFunction<string, Item, Rule, string> {
  private waiting!: MapState<string, Item[]>;

  open(context: RuntimeContext): void {
    this.waiting = context.getMapState(new MapStateDescriptor<string, Item[]>('waiting'));
  }

  processBroadcastElement(rule: Rule, ctx: KeyedBroadcastContext<string>): void {
    ctx.getBroadcastState(rulesState).put(rule.name, rule);
  }

  processElement(item: Item, ctx: KeyedReadOnlyBroadcastContext<string>, out: Collector<string>): void {
    for (const [name, rule] of ctx.getBroadcastState(rulesState).entries()) {
      const stored = this.waiting.get(name) ?? [];
      if (item.shape === rule.second && stored.length > 0) {
        for (const first of stored) out.collect(`${name}: ${ctx.getCurrentKey()} ${first.id}-${item.id}`);
        stored.length = 0;
      }
      if (item.shape === rule.first) stored.push(item);
      if (stored.length === 0) this.waiting.remove(name);
      else this.waiting.put(name, stored);
    }
  }
}

test('rules broadcast to items keyed by colour find the pairs of Flink\'s pattern evaluation example (BATCH: rules first)', async (t) => {
  for (const parallelism of PARALLELISMS) {
    const out = await collect(parallelism, 'BATCH', (env) =>
      env
        .fromCollection(ITEMS)
        .keyBy((item) => item.color)
        .connect(env.fromCollection(RULES).broadcast(rulesState))
        .process(PatternEvaluator),
    );
    t.deepEqual(
      out.sort(),
      ['rect-then-tri: blue 8-10', 'rect-then-tri: green 12-13', 'rect-then-tri: red 1-3', 'rect-then-tri: red 2-3', 'two-circles: red 4-5', 'two-circles: red 5-6'],
      `parallelism ${parallelism}`,
    );
  }
});

/**
 * Rules match consecutive items of one colour. Whatever the interleaving, each match is found once:
 * by processElement when the rule came first, else by the rule's applyToKeyedState over the history.
 */
class ConsecutivePairs implements KeyedBroadcastProcessFunction<string, Item, Rule, string> {
  private readonly historyState = new ListStateDescriptor<Item>('history');
  private history!: ListState<Item>;

  open(context: RuntimeContext): void {
    this.history = context.getListState(this.historyState);
  }

  processBroadcastElement(rule: Rule, ctx: KeyedBroadcastContext<string>, out: Collector<string>): void {
    ctx.getBroadcastState(rulesState).put(rule.name, rule);
    ctx.applyToKeyedState(this.historyState, (color, history) => {
      const list = history.get();
      for (let index = 1; index < list.length; index++) emitIfMatch(rule, color, list[index - 1], list[index], out);
    });
  }

  processElement(item: Item, ctx: KeyedReadOnlyBroadcastContext<string>, out: Collector<string>): void {
    const list = this.history.get();
    const previous = list[list.length - 1];
    if (previous !== undefined) for (const [, rule] of ctx.getBroadcastState(rulesState).entries()) emitIfMatch(rule, ctx.getCurrentKey(), previous, item, out);
    this.history.add(item);
  }
}

function emitIfMatch(rule: Rule, color: string, previous: Item, item: Item, out: Collector<string>): void {
  if (previous.shape === rule.first && item.shape === rule.second) out.collect(`${rule.name}: ${color} ${previous.id}-${item.id}`);
}

test('in STREAMING rules and items interleave in any order; applyToKeyedState finds what came before a rule', async (t) => {
  for (const parallelism of PARALLELISMS) {
    const out = await collect(parallelism, 'STREAMING', (env) =>
      env
        .fromCollection(ITEMS)
        .keyBy((item) => item.color)
        .connect(env.fromCollection(RULES).broadcast(rulesState))
        .process(ConsecutivePairs),
    );
    t.deepEqual(out.sort(), ['rect-then-tri: green 12-13', 'rect-then-tri: red 2-3', 'two-circles: red 4-5', 'two-circles: red 5-6'], `parallelism ${parallelism}`);
  }
});

test('applyToKeyedState visits every key with an entry on every subtask, once, and may update or clear its state', async (t) => {
  const counts = new ValueStateDescriptor<number>('count');
  const commands = new MapStateDescriptor<string, number>('commands');
  const words = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].flatMap((word, index) => Array.from({ length: index + 1 }, () => word));
  for (const parallelism of PARALLELISMS) {
    // The commands leave once every word was counted, on whichever subtask: so they find every count.
    const counted = gate();
    let seen = 0;
    class Counter implements KeyedBroadcastProcessFunction<string, string, string, string> {
      private count!: ValueState<number>;
      open(context: RuntimeContext): void {
        this.count = context.getState(counts);
      }
      processElement(): void {
        this.count.update((this.count.value() ?? 0) + 1);
        if (++seen === words.length) counted.open();
      }
      processBroadcastElement(command: string, ctx: KeyedBroadcastContext<string>, out: Collector<string>): void {
        ctx.getBroadcastState(commands).put(command, (ctx.getBroadcastState(commands).get(command) ?? 0) + 1);
        ctx.applyToKeyedState(counts, (word, count) => {
          const value = count.value() as number;
          out.collect(`${command} ${word}=${value}`);
          if (command === 'clear odd' && value % 2 === 1) count.clear();
          if (command === 'double') count.update(value * 2);
        });
      }
    }
    const out = await collect(parallelism, 'STREAMING', (env) =>
      env
        .fromCollection(words)
        .keyBy((word) => word)
        .connect(env.fromObservable(() => afterGate(counted.opened, ['clear odd', 'double', 'report'])).broadcast(commands))
        .process(Counter),
    );
    t.deepEqual(
      out.sort(),
      [
        ...['a=1', 'b=2', 'c=3', 'd=4', 'e=5', 'f=6', 'g=7', 'h=8'].map((count) => `clear odd ${count}`),
        ...['b=2', 'd=4', 'f=6', 'h=8'].map((count) => `double ${count}`),
        ...['b=4', 'd=8', 'f=12', 'h=16'].map((count) => `report ${count}`),
      ],
      `parallelism ${parallelism}`,
    );
  }
});

interface Event {
  readonly key: string;
  readonly ts: number;
}
const EVENTS: Event[] = [
  { key: 'a', ts: 1 },
  { key: 'b', ts: 2 },
  { key: 'a', ts: 5 },
  { key: 'c', ts: 30 },
  { key: 'b', ts: 40 },
];
/** A watermark right after each event: its timestamp. */
const punctuated = WatermarkStrategy.forGenerator<Event>(() => ({
  onEvent: (_event, timestamp, output) => output.emitWatermark(timestamp),
  onPeriodicEmit: () => {},
})).withTimestampAssigner((event) => event.ts);
const limits = new MapStateDescriptor<string, number>('limits');

/**
 * Counts events per key; an event-time timer 10 ms after each reports the count and the broadcast
 * limit. `onEvent` runs after each event, `onTimer` before each report (it may emit too).
 */
function countWithLimit(hooks: { onEvent?: () => void; onTimer?: (report: string, out: Collector<string>) => void } = {}) {
  return class CountWithLimit implements KeyedBroadcastProcessFunction<string, Event, number, string> {
    private count!: ValueState<number>;

    open(context: RuntimeContext): void {
      this.count = context.getState(new ValueStateDescriptor<number>('count'));
    }

    processBroadcastElement(limit: number, ctx: KeyedBroadcastContext<string>): void {
      ctx.getBroadcastState(limits).put('limit', limit);
    }

    processElement(event: Event, ctx: KeyedReadOnlyBroadcastContext<string>): void {
      this.count.update((this.count.value() ?? 0) + 1);
      ctx.timerService().registerEventTimeTimer(event.ts + 10);
      hooks.onEvent?.();
    }

    onTimer(timestamp: number, ctx: KeyedBroadcastOnTimerContext<string>, out: Collector<string>): void {
      const limit = ctx.getBroadcastState(limits).get('limit');
      const reached = ctx.currentWatermark() >= timestamp ? 'reached' : `not reached (${ctx.currentWatermark()})`;
      const report = `${ctx.getCurrentKey()}@${timestamp} ${ctx.timeDomain()} ts=${ctx.timestamp()} watermark ${reached} count=${this.count.value()} limit=${limit}`;
      hooks.onTimer?.(report, out);
      out.collect(report);
    }
  };
}

const TIMERS_FIRED = [
  'a@11 EVENT_TIME ts=11 watermark reached count=2 limit=3',
  'a@15 EVENT_TIME ts=15 watermark reached count=2 limit=3',
  'b@12 EVENT_TIME ts=12 watermark reached count=2 limit=3',
  'b@50 EVENT_TIME ts=50 watermark reached count=2 limit=3',
  'c@40 EVENT_TIME ts=40 watermark reached count=1 limit=3',
];

test('keyed timers wait for the watermark of both inputs: none fires while the broadcast side holds it back', async (t) => {
  for (const parallelism of PARALLELISMS) {
    // The broadcast side sends no watermark and stays open until every event was processed; only its
    // end lets the operator's watermark (the minimum of both inputs) move, so every count is complete.
    const processed = gate();
    let seen = 0;
    let broadcastEnded = false;
    const limitThenWait = (): Observable<number> =>
      new Observable<number>((subscriber) => {
        subscriber.next(3);
        void processed.opened.then(() => {
          broadcastEnded = true;
          subscriber.complete();
        });
      });
    const CountWithLimit = countWithLimit({
      onEvent: () => void (++seen === EVENTS.length && processed.open()),
      onTimer: (report, out) => void (broadcastEnded || out.collect(`${report} fired before the broadcast side ended`)),
    });
    const out = await collect(parallelism, 'STREAMING', (env) =>
      env
        .fromCollection(EVENTS)
        .assignTimestampsAndWatermarks(punctuated)
        .keyBy((event) => event.key)
        .connect(env.fromObservable(limitThenWait).broadcast(limits))
        .process(CountWithLimit),
    );
    t.deepEqual(out.sort(), TIMERS_FIRED, `parallelism ${parallelism}`);
  }
});

test('in BATCH every timer fires at the end of input, with the broadcast state complete', async (t) => {
  for (const parallelism of PARALLELISMS) {
    const out = await collect(parallelism, 'BATCH', (env) =>
      env
        .fromCollection(EVENTS)
        .assignTimestampsAndWatermarks(punctuated)
        .keyBy((event) => event.key)
        .connect(env.fromElements(1, 2, 3).broadcast(limits))
        .process(countWithLimit()),
    );
    t.deepEqual(out.sort(), TIMERS_FIRED, `parallelism ${parallelism}`);
  }
});

// A non-keyed stream of payments priced by broadcast rates and fees (two broadcast states).
interface Payment {
  readonly id: number;
  readonly currency: string;
  readonly amount: number;
  readonly at: number;
}
type Pricing = { readonly kind: 'rate'; readonly currency: string; readonly rate: number } | { readonly kind: 'fee'; readonly name: string; readonly amount: number };
const rates = new MapStateDescriptor<string, number>('rates');
const fees = new MapStateDescriptor<string, number>('fees');
const PAYMENTS: Payment[] = [
  { id: 1, currency: 'EUR', amount: 10, at: 100 },
  { id: 2, currency: 'GBP', amount: 5, at: 200 },
  { id: 3, currency: 'USD', amount: 7, at: 300 },
  { id: 4, currency: 'EUR', amount: 1, at: 400 },
  { id: 5, currency: 'GBP', amount: 2, at: 500 },
  { id: 6, currency: 'EUR', amount: 3, at: 600 },
];
const PRICING: Pricing[] = [
  { kind: 'rate', currency: 'EUR', rate: 2 },
  { kind: 'fee', name: 'flat', amount: 1 },
  { kind: 'rate', currency: 'GBP', rate: 3 },
  { kind: 'fee', name: 'wire', amount: 4 },
];

test('a BroadcastProcessFunction on a non-keyed stream: every subtask gets every broadcast record and holds the same states', async (t) => {
  const unpriced = new OutputTag<string>('unpriced');
  const received = new OutputTag<string>('received');
  for (const parallelism of PARALLELISMS) {
    class Pricer implements BroadcastProcessFunction<Payment, Pricing, string> {
      private subtask = -1;
      open(context: RuntimeContext): void {
        this.subtask = context.subtaskIndex;
      }
      processBroadcastElement(pricing: Pricing, ctx: BroadcastContext): void {
        if (pricing.kind === 'rate') ctx.getBroadcastState(rates).put(pricing.currency, pricing.rate);
        else ctx.getBroadcastState(fees).put(pricing.name, pricing.amount);
        ctx.output(received, `${this.subtask} got ${pricing.kind} ${pricing.kind === 'rate' ? pricing.currency : pricing.name}`);
      }
      processElement(payment: Payment, ctx: ReadOnlyBroadcastContext, out: Collector<string>): void {
        const rate = ctx.getBroadcastState(rates).get(payment.currency);
        if (rate === undefined) return ctx.output(unpriced, `payment ${payment.id} at ${ctx.timestamp()}: no rate for ${payment.currency}`);
        let total = payment.amount * rate;
        for (const [, fee] of ctx.getBroadcastState(fees).entries()) total += fee;
        const known = [...ctx.getBroadcastState(rates).entries()].map(([currency]) => currency).join(',');
        out.collect(`payment ${payment.id} at ${ctx.timestamp()}: ${total} (rates ${known}) on ${this.subtask}`);
      }
    }
    const priced: string[] = [];
    const side: string[] = [];
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism).setRuntimeMode('BATCH');
    const result = env
      .fromCollection(PAYMENTS)
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Payment>().withTimestampAssigner((payment) => payment.at))
      .rebalance()
      .connect(env.fromCollection(PRICING).broadcast(rates, fees))
      .process(Pricer);
    result.sinkTo((line) => void priced.push(line));
    result.getSideOutput(unpriced).sinkTo((line) => void side.push(line));
    result.getSideOutput(received).sinkTo((line) => void side.push(line));
    await env.execute();

    const subtasks = Array.from({ length: parallelism }, (_, index) => index);
    t.deepEqual(
      priced.map((line) => line.replace(/ on \d$/, '')).sort(),
      ['payment 1 at 100: 25 (rates EUR,GBP)', 'payment 2 at 200: 20 (rates EUR,GBP)', 'payment 4 at 400: 7 (rates EUR,GBP)', 'payment 5 at 500: 11 (rates EUR,GBP)', 'payment 6 at 600: 11 (rates EUR,GBP)'],
      `parallelism ${parallelism}`,
    );
    t.deepEqual([...new Set(priced.map((line) => Number(line.slice(-1))))].sort(), subtasks, 'payments reach every subtask');
    t.deepEqual(
      side.sort(),
      [
        ...subtasks.flatMap((subtask) => ['fee flat', 'fee wire', 'rate EUR', 'rate GBP'].map((what) => `${subtask} got ${what}`)),
        'payment 3 at 300: no rate for USD',
      ].sort(),
    );
  }
});
