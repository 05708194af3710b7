// KeyedStream.intervalJoin(...).between(...).process(fn), run embedded at parallelism 2 over several
// keys and checked against a nested loop over both inputs; plus the checks made where a join is
// declared. Which pairs join at the edges of the bounds, late data and the cleanup of buffered state
// are specced record by record on the operator (spec/api/operators/interval-join.spec.ts).
import test from 'ava';
import {
  type Collector,
  type DataStream,
  type KeyedStream,
  OutputTag,
  type ProcessJoinContext,
  type ProcessJoinFunction,
  type RuntimeContext,
  StreamExecutionEnvironment,
  type ValueState,
  ValueStateDescriptor,
  WatermarkStrategy,
  WeirError,
} from '../../index.ts';

interface Event {
  readonly key: string;
  readonly id: string;
  readonly ts: number;
}

/** `count` events over keys k0..k4, timestamps rising by 0..3 ms each, from a fixed seed. */
function events(side: string, count: number, seed: number): Event[] {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const list: Event[] = [];
  let ts = 0;
  for (let index = 0; index < count; index++) {
    ts += Math.floor(next() * 4);
    list.push({ key: `k${Math.floor(next() * 5)}`, id: `${side}${index}`, ts });
  }
  return list;
}

const LEFT = events('L', 80, 7);
const RIGHT = events('R', 80, 11);

interface JoinOptions {
  readonly lowerExclusive?: boolean;
  readonly upperExclusive?: boolean;
}

/** Every pair with equal keys and r.ts - l.ts within the bounds, as the join emits it: `l+r@max(ts)`. */
function nestedLoop(left: Event[], right: Event[], lower: number, upper: number, options: JoinOptions = {}): string[] {
  const out: string[] = [];
  for (const l of left) {
    for (const r of right) {
      const delta = r.ts - l.ts;
      const aboveLower = options.lowerExclusive ? delta > lower : delta >= lower;
      const belowUpper = options.upperExclusive ? delta < upper : delta <= upper;
      if (l.key === r.key && aboveLower && belowUpper) out.push(`${l.id}+${r.id}@${Math.max(l.ts, r.ts)}`);
    }
  }
  return out.sort();
}

function keyedInputs(env: StreamExecutionEnvironment, left: Event[], right: Event[]): [KeyedStream<Event, string>, KeyedStream<Event, string>] {
  const strategy = WatermarkStrategy.forMonotonousTimestamps<Event>().withTimestampAssigner((event) => event.ts);
  const keyed = (list: Event[]): KeyedStream<Event, string> =>
    env
      .fromCollection(list)
      .setParallelism(1)
      .assignTimestampsAndWatermarks(strategy)
      .setParallelism(1)
      .keyBy((event) => event.key);
  return [keyed(left), keyed(right)];
}

/** Emits `l+r`; the operator after it appends the record's timestamp, which must be the pair's. */
const pairs: ProcessJoinFunction<Event, Event, string> = { processElement: (l, r, _ctx, out) => out.collect(`${l.id}+${r.id}`) };

async function collect<T>(stream: DataStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of stream.executeAndCollect()) out.push(value);
  return out;
}

async function join(mode: 'STREAMING' | 'BATCH', left: Event[], right: Event[], lower: number, upper: number, options: JoinOptions = {}): Promise<string[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(2).setRuntimeMode(mode);
  const [a, b] = keyedInputs(env, left, right);
  const joined = a.intervalJoin(b).between(lower, upper);
  if (options.lowerExclusive) joined.lowerBoundExclusive();
  if (options.upperExclusive) joined.upperBoundExclusive();
  const stamped = joined.process(pairs).process<string>((pair, ctx, out) => out.collect(`${pair}@${ctx.timestamp()}`));
  return (await collect(stamped)).sort();
}

test('in STREAMING every pair within the bounds joins once, over several keys at parallelism 2', async (t) => {
  const expected = nestedLoop(LEFT, RIGHT, -4, 6);
  t.true(expected.length > 100, `only ${expected.length} pairs: the data set is too thin`);
  t.deepEqual(await join('STREAMING', LEFT, RIGHT, -4, 6), expected);
});

test('exclusive bounds leave out the pairs exactly at them', async (t) => {
  const expected = nestedLoop(LEFT, RIGHT, -3, 3, { lowerExclusive: true, upperExclusive: true });
  t.notDeepEqual(expected, nestedLoop(LEFT, RIGHT, -3, 3));
  t.deepEqual(await join('STREAMING', LEFT, RIGHT, -3, 3, { lowerExclusive: true, upperExclusive: true }), expected);
});

test('swapping the inputs and mirroring the bounds joins the same pairs', async (t) => {
  const mirrored = (await join('STREAMING', RIGHT, LEFT, -6, 4)).map((line) => {
    const [pair, ts] = line.split('@');
    const [r, l] = pair.split('+');
    return `${l}+${r}@${ts}`;
  });
  t.deepEqual(mirrored.sort(), nestedLoop(LEFT, RIGHT, -4, 6));
});

test('in BATCH inputs out of timestamp order join every pair within the bounds', async (t) => {
  const shuffle = (list: Event[]): Event[] => list.map((event, index) => ({ event, rank: (index * 37) % list.length })).sort((x, y) => x.rank - y.rank).map(({ event }) => event);
  t.deepEqual(await join('BATCH', shuffle(LEFT), shuffle(RIGHT), -4, 6), nestedLoop(LEFT, RIGHT, -4, 6));
});

test('the join function has keyed state, scoped to the key of the pair', async (t) => {
  class CountPerKey implements ProcessJoinFunction<Event, Event, string> {
    private count!: ValueState<number>;
    open(context: RuntimeContext): void {
      this.count = context.getState(new ValueStateDescriptor<number>('count'));
    }
    processElement(_left: Event, right: Event, _ctx: ProcessJoinContext, out: Collector<string>): void {
      const count = (this.count.value() ?? 0) + 1;
      this.count.update(count);
      out.collect(`${right.key}:${count}`);
    }
  }
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(2);
  const left = [0, 1, 2].flatMap((ts) => ['a', 'b'].map((key) => ({ key, id: `${key}L${ts}`, ts })));
  const right = [
    { key: 'a', id: 'aR', ts: 1 },
    { key: 'b', id: 'bR', ts: 2 },
  ];
  const [a, b] = keyedInputs(env, left, right);
  const out = await collect(a.intervalJoin(b).between(-5, 5).process(CountPerKey));
  t.deepEqual(out.sort(), ['a:1', 'a:2', 'a:3', 'b:1', 'b:2', 'b:3']);
});

test('a join of records without timestamps fails the job with MISSING_TIMESTAMP naming the operator', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const a = env.fromElements({ key: 'a', id: 'L', ts: 1 }).keyBy((event) => event.key);
  const b = env.fromElements({ key: 'a', id: 'R', ts: 1 }).keyBy((event) => event.key);
  const error = await t.throwsAsync(collect(a.intervalJoin(b).between(0, 1).process(pairs)), { instanceOf: WeirError });
  t.is(error?.code, 'JOB_FAILED');
  t.is((error?.cause as WeirError | undefined)?.code, 'MISSING_TIMESTAMP');
  t.regex(error?.message ?? '', /: operator "Interval Join" \(id "interval-join-\d+"\) got a record without a timestamp on its (left|right) input: an interval join works in event time/);
});

test('bounds are checked where they are declared', (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const [a, b] = keyedInputs(env, [], []);
  const invalid = (run: () => unknown, message: string): void => {
    const error = t.throws(run, { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_ARGUMENT');
    t.is(error?.message, message);
  };
  invalid(() => a.intervalJoin(b).between(5, 1), 'intervalJoin().between(5, 1): the lower bound 5 is greater than the upper bound 1');
  invalid(() => a.intervalJoin(b).between(0.5, 1), 'intervalJoin().between(0.5, 1): the bounds are whole ms, got 0.5');
  invalid(() => a.intervalJoin(b).between(0, Number.NaN), 'intervalJoin().between(0, NaN): the bounds are whole ms, got NaN');
  invalid(() => a.intervalJoin(b).between('1' as never, 2), 'intervalJoin().between(the string "1", 2): the bounds are whole ms, got the string "1"');
  const empty = (run: () => unknown, bounds: string): void => {
    const error = t.throws(run, { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_ARGUMENT');
    t.regex(error?.message ?? '', new RegExp(`^operator "Interval Join" \\(id "interval-join-\\d+"\\): ${bounds} joins no pair: an exclusive bound leaves no whole ms between the bounds$`));
  };
  empty(() => a.intervalJoin(b).between(5, 5).lowerBoundExclusive().process(pairs), 'between\\(5, 5\\) with an exclusive lower bound');
  empty(() => a.intervalJoin(b).between(0, 1).lowerBoundExclusive().upperBoundExclusive().process(pairs), 'between\\(0, 1\\) with both bounds exclusive');
  invalid(() => a.intervalJoin(env.fromCollection<Event>([]) as never), 'intervalJoin() needs a KeyedStream: call keyBy() on the other stream first; got a stream that is not keyed');
  invalid(() => a.intervalJoin(b).between(0, 1).sideOutputLeftLateData(undefined as never), 'intervalJoin().sideOutputLeftLateData() needs an OutputTag, got undefined');
  invalid(() => a.intervalJoin(b).between(0, 1).sideOutputRightLateData('late' as never), 'intervalJoin().sideOutputRightLateData() needs an OutputTag, got the string "late"');
  t.notThrows(() => a.intervalJoin(b).between(0, 1).sideOutputLeftLateData(new OutputTag<Event>('late-left')).sideOutputRightLateData(new OutputTag<Event>('late-right')).upperBoundExclusive().process(pairs));
});

test('the join function gets copies of buffered records: changing what it emits changes no later pair', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  const strategy = <T extends { ts: number }>() => WatermarkStrategy.forMonotonousTimestamps<T>().withTimestampAssigner((record) => record.ts);
  const left = env.fromElements({ key: 'k', ts: 10, tags: ['l'] }).assignTimestampsAndWatermarks(strategy()).keyBy((record) => record.key);
  const right = env.fromElements({ key: 'k', ts: 11, n: 1 }, { key: 'k', ts: 12, n: 2 }).assignTimestampsAndWatermarks(strategy()).keyBy((record) => record.key);
  const out: string[] = [];
  const joined = left
    .intervalJoin(right)
    .between(0, 5)
    .process<{ tags: string[]; n: number }>((l, r, _ctx, collector) => collector.collect({ tags: l.tags, n: r.n }))
    .map((pair) => {
      pair.tags.push(`seen${pair.n}`); // the map owns what it receives
      return pair.tags.join('+');
    });
  for await (const value of joined.executeAndCollect()) out.push(value);
  t.deepEqual(out.sort(), ['l+seen1', 'l+seen2']);
});
