import test from 'ava';
import {
  type CoFlatMapFunction,
  type CoMapFunction,
  type CoProcessFunction,
  type Collector,
  ConnectedStreams,
  KeyedConnectedStreams,
  OutputTag,
  type ProcessContext,
  type RuntimeContext,
  StreamExecutionEnvironment,
  type ValueState,
  ValueStateDescriptor,
} from '../../api/index.ts';
import { WeirError } from '../../messages/errors.ts';
import { runModule } from './harness/run-plan.ts';

test('connect with a CoMap maps each input with its own function into one stream', async (t) => {
  const out: string[] = [];
  await runModule((env) => {
    const words = env.fromElements('a', 'b', 'c');
    const numbers = env.fromSequence(1, 3);
    words
      .connect(numbers)
      .map({ map1: (word) => `word ${word}`, map2: (n) => `number ${n}` })
      .sinkTo((line) => void out.push(line));
  });
  t.deepEqual(
    out.filter((line) => line.startsWith('word')),
    ['word a', 'word b', 'word c'],
  );
  t.deepEqual(
    out.filter((line) => line.startsWith('number')),
    ['number 1', 'number 2', 'number 3'],
  );
});

test('a CoFlatMap emits through the collector or returns an iterable, per input', async (t) => {
  const out: string[] = [];
  await runModule((env) => {
    env
      .fromElements('x y')
      .connect(env.fromElements(2))
      .flatMap<string>({
        flatMap1: (line, collector: Collector<string>) => line.split(' ').forEach((word) => collector.collect(word)),
        flatMap2: (n) => Array.from({ length: n }, (_, index) => `#${index}`),
      })
      .sinkTo((value) => void out.push(value));
  });
  t.deepEqual(out.slice().sort(), ['#0', '#1', 'x', 'y']);
});

test('a CoProcess function joins two keyed streams on one subtask per key, with side outputs', async (t) => {
  const unmatched = new OutputTag<string>('unmatched');
  class Join implements CoProcessFunction<{ id: number; name: string }, { id: number; total: number }, string> {
    private readonly names = new Map<number, string>();
    private readonly totals = new Map<number, number>();
    processElement1(user: { id: number; name: string }, _ctx: ProcessContext, out: Collector<string>): void {
      this.names.set(user.id, user.name);
      const total = this.totals.get(user.id);
      if (total !== undefined) out.collect(`${user.name}=${total}`);
    }
    processElement2(order: { id: number; total: number }, ctx: ProcessContext, out: Collector<string>): void {
      const name = this.names.get(order.id);
      if (order.id > 2) ctx.output(unmatched, `order of ${order.id}`);
      this.totals.set(order.id, order.total);
      if (name !== undefined) out.collect(`${name}=${order.total}`);
    }
  }
  const joined: string[] = [];
  const side: string[] = [];
  await runModule(
    (env) => {
      const users = env.fromElements({ id: 1, name: 'ann' }, { id: 2, name: 'bob' }).keyBy((user) => user.id);
      const orders = env.fromElements({ id: 2, total: 20 }, { id: 1, total: 10 }, { id: 3, total: 30 }).keyBy((order) => order.id);
      const result = users.connect(orders).process(Join);
      result.sinkTo((line) => void joined.push(line));
      result.getSideOutput(unmatched).sinkTo((line) => void side.push(line));
    },
    { parallelism: 2 },
  );
  t.deepEqual(joined.sort(), ['ann=10', 'bob=20']);
  t.deepEqual(side, ['order of 3']);
});

test('connected streams need an object or a class with both methods', (t) => {
  return runModule((env) => {
    const connected = env.fromElements(1).connect(env.fromElements('a'));
    const error = t.throws(() => connected.map({ map1: (n: number) => n } as never), { instanceOf: WeirError });
    t.is(error.code, 'INVALID_FUNCTION');
    t.is(error.message, 'operator "Co-Map" (id "co-map-2") needs an object with map1() and map2() methods or a class with them; got an object without a map2() method');
    const plain = t.throws(() => connected.process((() => {}) as never), { instanceOf: WeirError });
    t.regex(plain.message, /needs an object with processElement1\(\) and processElement2\(\) methods or a class with them; got a function$/);
    connected.map({ map1: String, map2: String }).print();
  }).then(() => undefined);
});

test('two keyed streams connect into keyed connected streams; with a non-keyed stream they stay plain', (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const numbers = env.fromElements(1, 2).keyBy((n) => n);
  t.true(numbers.connect(env.fromElements(3).keyBy((n) => n)) instanceof KeyedConnectedStreams);
  const plain = [numbers.connect(env.fromElements('x')), env.fromElements('x').connect(numbers)];
  for (const connected of plain) {
    t.true(connected instanceof ConnectedStreams);
    t.false(connected instanceof KeyedConnectedStreams);
  }
});

test('a keyed stream connected to a non-keyed one has no keyed state', async (t) => {
  class Stateful implements CoProcessFunction<number, string, string> {
    open(context: RuntimeContext): void {
      context.getState(new ValueStateDescriptor<number>('seen'));
    }
    processElement1(): void {}
    processElement2(): void {}
  }
  const error = await t.throwsAsync(
    runModule((env) => {
      env
        .fromElements(1)
        .keyBy((n) => n)
        .connect(env.fromElements('a'))
        .process(Stateful)
        .print();
    }),
    { instanceOf: WeirError },
  );
  t.is(error?.code, 'USER_FUNCTION_FAILED');
  t.regex(error?.message ?? '', /operator "Co-Process" \(id "co-process-\d+"\) failed in open\(\): operator "Co-Process" \(id "co-process-\d+"\): getState\("seen"\) needs a keyed stream/);
});

test('on two connected keyed streams, map and flatMap functions have keyed state shared by both inputs', async (t) => {
  /** Counts a key's records over both inputs: whatever the interleaving, key k's n records report 1..n. */
  class CountMap implements CoMapFunction<{ user: string }, { owner: string }, string> {
    private count!: ValueState<number>;
    open(context: RuntimeContext): void {
      this.count = context.getState(new ValueStateDescriptor<number>('count'));
    }
    map1(click: { user: string }): string {
      return this.next(click.user);
    }
    map2(order: { owner: string }): string {
      return this.next(order.owner);
    }
    next(key: string): string {
      const count = (this.count.value() ?? 0) + 1;
      this.count.update(count);
      return `${key}:${count}`;
    }
  }
  class CountFlatMap implements CoFlatMapFunction<{ user: string }, { owner: string }, string> {
    private readonly counter = Object.create(CountMap.prototype) as CountMap;
    open(context: RuntimeContext): void {
      this.counter.open(context);
    }
    flatMap1(click: { user: string }): string[] {
      return [this.counter.map1(click)];
    }
    flatMap2(order: { owner: string }, out: Collector<string>): void {
      out.collect(this.counter.map2(order));
    }
  }
  const mapped: string[] = [];
  const flatMapped: string[] = [];
  await runModule(
    (env) => {
      const clicks = env.fromElements(...['a', 'b', 'a', 'c', 'd', 'a'].map((user) => ({ user }))).keyBy((click) => click.user);
      const orders = env.fromElements(...['b', 'a', 'd', 'd'].map((owner) => ({ owner }))).keyBy((order) => order.owner);
      clicks.connect(orders).map(CountMap).sinkTo((line) => void mapped.push(line));
      clicks.connect(orders).flatMap(CountFlatMap).sinkTo((line) => void flatMapped.push(line));
    },
    { parallelism: 2 },
  );
  const expected = ['a:1', 'a:2', 'a:3', 'a:4', 'b:1', 'b:2', 'c:1', 'd:1', 'd:2', 'd:3'];
  t.deepEqual(mapped.sort(), expected);
  t.deepEqual(flatMapped.sort(), expected);
});
