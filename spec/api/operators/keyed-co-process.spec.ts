// KeyedCoProcessFunction on two connected keyed streams, run embedded: each input keyed by its own
// selector, records of equal keys on one subtask, keyed state shared by both inputs, timers from
// either input firing onTimer with their key current, side outputs; STREAMING and BATCH.
import test from 'ava';
import {
  type CoProcessFunction,
  type Collector,
  type DataStream,
  type KeyedCoProcessFunction,
  type KeyedProcessContext,
  type ListState,
  ListStateDescriptor,
  type OnTimerContext,
  OutputTag,
  type ProcessContext,
  type RuntimeContext,
  StreamExecutionEnvironment,
  type ValueState,
  ValueStateDescriptor,
  WatermarkStrategy,
  WeirError,
} from '../../../index.ts';
import { KeyedCoProcessOperator } from '../../../api/operators/keyed-co-process.ts';
import { OperatorHarness } from '../harness/operator-harness.ts';

interface User {
  readonly userId: string;
  readonly name: string;
  readonly ts: number;
}

interface Order {
  readonly customer: string;
  readonly amount: number;
  readonly ts: number;
}

/** A watermark right after each record: its timestamp (each list is in timestamp order). */
function punctuated<T extends { readonly ts: number }>(): WatermarkStrategy<T> {
  return WatermarkStrategy.forGenerator<T>(() => ({
    onEvent: (_event, timestamp, output) => output.emitWatermark(timestamp),
    onPeriodicEmit: () => {},
  })).withTimestampAssigner((event) => event.ts);
}

const users: User[] = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((userId, index) => ({ userId, name: `name-${userId}`, ts: index * 10 }));
const orders: Order[] = [
  { customer: 'u3', amount: 30, ts: 1 },
  { customer: 'u1', amount: 10, ts: 2 },
  { customer: 'u6', amount: 60, ts: 3 },
  { customer: 'u3', amount: 31, ts: 44 },
  { customer: 'u2', amount: 20, ts: 45 },
  { customer: 'u5', amount: 50, ts: 70 },
  { customer: 'u4', amount: 40, ts: 71 },
];

/** users keyed by userId connected with orders keyed by customer, processed by `fn`; parallelism 2. */
function connected<R>(
  fn: KeyedCoProcessFunction<string, User, Order, R> | (new () => KeyedCoProcessFunction<string, User, Order, R>),
  mode: 'STREAMING' | 'BATCH' = 'STREAMING',
): DataStream<R> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(2).setRuntimeMode(mode);
  const userStream = env.fromCollection(users).setParallelism(1).assignTimestampsAndWatermarks(punctuated<User>()).setParallelism(1);
  const orderStream = env.fromCollection(orders).setParallelism(1).assignTimestampsAndWatermarks(punctuated<Order>()).setParallelism(1);
  return userStream
    .keyBy((user) => user.userId)
    .connect(orderStream.keyBy((order) => order.customer))
    .process(fn);
}

async function collect<T>(stream: DataStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of stream.executeAndCollect()) out.push(value);
  return out;
}

/** Each user's name in ValueState; orders that came first wait in ListState; every record reports its subtask. */
class Enrich implements KeyedCoProcessFunction<string, User, Order, string> {
  private name!: ValueState<string>;
  private pending!: ListState<number>;
  private subtask = -1;

  open(context: RuntimeContext): void {
    this.name = context.getState(new ValueStateDescriptor<string>('name'));
    this.pending = context.getListState(new ListStateDescriptor<number>('pending'));
    this.subtask = context.subtaskIndex;
  }

  processElement1(user: User, ctx: KeyedProcessContext<string>, out: Collector<string>): void {
    this.name.update(user.name);
    for (const amount of this.pending.get()) out.collect(`${ctx.getCurrentKey()} ${user.name}:${amount}`);
    this.pending.clear();
    out.collect(`subtask ${ctx.getCurrentKey()} ${this.subtask}`);
  }

  processElement2(order: Order, ctx: KeyedProcessContext<string>, out: Collector<string>): void {
    const name = this.name.value();
    if (name === undefined) this.pending.add(order.amount);
    else out.collect(`${ctx.getCurrentKey()} ${name}:${order.amount}`);
    out.collect(`subtask ${ctx.getCurrentKey()} ${this.subtask}`);
  }
}

test('records of equal keys from both inputs meet on one subtask and share its keyed state', async (t) => {
  const out = await collect(connected(Enrich));
  t.deepEqual(out.filter((line) => !line.startsWith('subtask')).sort(), [
    'u1 name-u1:10',
    'u2 name-u2:20',
    'u3 name-u3:30',
    'u3 name-u3:31',
    'u4 name-u4:40',
    'u5 name-u5:50',
    'u6 name-u6:60',
  ]);
  const subtasksOfKey = new Map<string, Set<string>>();
  for (const line of out.filter((entry) => entry.startsWith('subtask'))) {
    const [, key, subtask] = line.split(' ');
    subtasksOfKey.set(key, (subtasksOfKey.get(key) ?? new Set()).add(subtask));
  }
  t.deepEqual([...subtasksOfKey.keys()].sort(), ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
  for (const [key, subtasks] of subtasksOfKey) t.is(subtasks.size, 1, `key ${key} reached subtasks ${[...subtasks].join(', ')}`);
  t.deepEqual(new Set([...subtasksOfKey.values()].flatMap((subtasks) => [...subtasks])), new Set(['0', '1']));
});

/** Each input registers an event-time timer for its key: users at ts + 100, orders at ts + 5; a timer twice is once. */
class Reminders implements KeyedCoProcessFunction<string, User, Order, string> {
  private name!: ValueState<string>;

  open(context: RuntimeContext): void {
    this.name = context.getState(new ValueStateDescriptor<string>('name'));
  }

  processElement1(user: User, ctx: KeyedProcessContext<string>): void {
    this.name.update(user.name);
    ctx.timerService().registerEventTimeTimer(user.ts + 100);
  }

  processElement2(order: Order, ctx: KeyedProcessContext<string>): void {
    ctx.timerService().registerEventTimeTimer(order.ts + 5);
    ctx.timerService().registerEventTimeTimer(order.ts + 5);
  }

  onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    const named = timestamp >= 100 ? ` ${this.name.value()}` : '';
    out.collect(`${ctx.getCurrentKey()}@${timestamp} ${ctx.timeDomain()} ts=${ctx.timestamp()}${named}`);
  }
}

const REMINDERS = [
  'u1@100 EVENT_TIME ts=100 name-u1',
  'u1@7 EVENT_TIME ts=7',
  'u2@110 EVENT_TIME ts=110 name-u2',
  'u2@50 EVENT_TIME ts=50',
  'u3@120 EVENT_TIME ts=120 name-u3',
  'u3@49 EVENT_TIME ts=49',
  'u3@6 EVENT_TIME ts=6',
  'u4@130 EVENT_TIME ts=130 name-u4',
  'u4@76 EVENT_TIME ts=76',
  'u5@140 EVENT_TIME ts=140 name-u5',
  'u5@75 EVENT_TIME ts=75',
  'u6@150 EVENT_TIME ts=150 name-u6',
  'u6@8 EVENT_TIME ts=8',
];

test('timers registered by either input fire onTimer once, with their key current and its state', async (t) => {
  t.deepEqual((await collect(connected(Reminders))).sort(), REMINDERS);
});

test('in BATCH every timer fires at the end of input, with the same results', async (t) => {
  t.deepEqual((await collect(connected(Reminders, 'BATCH'))).sort(), REMINDERS);
});

test('built by hand: a timer fires once the smaller of both inputs watermarks reaches it, and state is per key', async (t) => {
  const harness = new OperatorHarness({ id: 'keyed-co-process-4', name: 'Keyed Co-Process' });
  class Timers implements KeyedCoProcessFunction<string, string, string, string> {
    private seen!: ValueState<string>;
    open(context: RuntimeContext): void {
      this.seen = context.getState(new ValueStateDescriptor<string>('seen'));
    }
    processElement1(value: string, ctx: KeyedProcessContext<string>): void {
      this.seen.update(`${this.seen.value() ?? ''}${value}`);
      ctx.timerService().registerEventTimeTimer(40);
    }
    processElement2(value: string): void {
      this.seen.update(`${this.seen.value() ?? ''}${value}`);
    }
    onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
      out.collect(`${ctx.getCurrentKey()}@${timestamp} ${this.seen.value()} wm=${ctx.timerService().currentWatermark()}`);
    }
  }
  const operator = new KeyedCoProcessOperator<string, string, string, string>(harness.runtime, () => new Timers(), (value) => (value as string)[0], (value) => (value as string)[0], harness.output as never);
  await operator.open();
  operator.collect('a1', 1);
  operator.collect2('b2', 2);
  operator.collect2('a3', 3);
  operator.collect('b4', 4);
  operator.emitWatermark(50);
  t.deepEqual(harness.elements, []);
  operator.secondInput.emitWatermark(39);
  t.deepEqual(harness.elements, ['wm:39']);
  operator.secondInput.emitWatermark(45);
  t.deepEqual(harness.elements, ['wm:39', 'a@40 a1a3 wm=45@40', 'b@40 b2b4 wm=45@40', 'wm:45']);
  await operator.close();
});

test('a plain CoProcessFunction runs keyed too, and side outputs carry their records', async (t) => {
  const big = new OutputTag<string>('big');
  class Count implements CoProcessFunction<User, Order, string> {
    private orders!: ValueState<number>;
    open(context: RuntimeContext): void {
      this.orders = context.getState(new ValueStateDescriptor<number>('orders'));
    }
    processElement1(): void {}
    processElement2(order: Order, ctx: ProcessContext, out: Collector<string>): void {
      const count = (this.orders.value() ?? 0) + 1;
      this.orders.update(count);
      out.collect(`${order.customer}#${count}`);
      if (order.amount > 40) ctx.output(big, `${order.customer}:${order.amount}@${ctx.timestamp()}`);
    }
  }
  const result = connected(Count);
  const side = result.getSideOutput(big);
  const sideOut: string[] = [];
  side.sinkTo((line) => void sideOut.push(line));
  t.deepEqual((await collect(result)).sort(), ['u1#1', 'u2#1', 'u3#1', 'u3#2', 'u4#1', 'u5#1', 'u6#1']);
  t.deepEqual(sideOut.sort(), ['u5:50@70', 'u6:60@3']);
});

test('a throw in processElement2 fails the job naming the keyed co-process operator', async (t) => {
  const failing: KeyedCoProcessFunction<string, User, Order, string> = {
    processElement1: () => {},
    processElement2: () => {
      throw new Error('order boom');
    },
  };
  const error = await t.throwsAsync(collect(connected(failing)), { instanceOf: WeirError });
  t.regex(error?.message ?? '', /operator "Keyed Co-Process" \(id "keyed-co-process-\d+"\) failed on a record: order boom/);
});
