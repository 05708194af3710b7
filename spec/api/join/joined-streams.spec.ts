// Window joins end to end (embedded): each result is checked against a nested loop over the inputs
// per key and window (two-inputs.ts), for every assigner kind, many records per key, parallelism 2,
// BATCH, the function forms, and a trigger and an evictor passed on to the window (key-steps.spec.ts
// checks that allowedLateness reaches it too).
import test from 'ava';
import {
  CountTrigger,
  type Collector,
  EventTimeSessionWindows,
  type FlatJoinFunction,
  type JoinFunction,
  type RuntimeContext,
  SlidingEventTimeWindows,
  TimeEvictor,
  TumblingEventTimeWindows,
} from '../../../index.ts';
import { type Rec, generate, joinByKey, nestedLoopJoin, rec, runTwoInputs, sessions, sliding, tumbling } from './two-inputs.ts';

const ORDERS = [rec('x', 100, 'a1'), rec('y', 200, 'a2'), rec('x', 900, 'a3'), rec('x', 1_500, 'a4'), rec('z', 2_100, 'a5'), rec('y', 3_600, 'a6')];
const PAYMENTS = [rec('x', 300, 'b1'), rec('x', 400, 'b2'), rec('y', 1_200, 'b3'), rec('x', 1_999, 'b4'), rec('y', 3_000, 'b5'), rec('w', 3_100, 'b6')];

const pair = (a: Rec, b: Rec): string => `${a.id}+${b.id}`;

test('join pairs each record with every record of the other input of its key and tumbling window; results carry the window\'s maxTimestamp', async (t) => {
  const out = await runTwoInputs(ORDERS, PAYMENTS, (orders, payments) =>
    orders
      .join(payments)
      .where((order) => order.key)
      .equalTo((payment) => payment.key)
      .window(TumblingEventTimeWindows.of(1_000))
      .apply((order, payment) => `${order.id}+${payment.id}`),
  );
  t.deepEqual(out, ['a1+b1 @999', 'a1+b2 @999', 'a3+b1 @999', 'a3+b2 @999', 'a4+b4 @1999', 'a6+b5 @3999']);
  t.deepEqual(out, nestedLoopJoin(ORDERS, PAYMENTS, tumbling(1_000)));
});

test('join over sliding windows emits a pair once for every window that holds both records', async (t) => {
  const out = await runTwoInputs(ORDERS, PAYMENTS, (orders, payments) => joinByKey(orders, payments, SlidingEventTimeWindows.of(2_000, 500)).apply(pair));
  t.true(out.includes('a1+b4 @1999'));
  t.deepEqual(out, nestedLoopJoin(ORDERS, PAYMENTS, sliding(2_000, 500)));
});

test('join over session windows: records of either input extend and merge a key\'s sessions', async (t) => {
  // b2 at 1_600 bridges a1's and a2's sessions (gap 1_000) into one; a3 stays alone and joins nothing.
  const first = [rec('k', 1_000, 'a1'), rec('k', 2_500, 'a2'), rec('k', 9_000, 'a3')];
  const second = [rec('k', 1_200, 'b1'), rec('k', 1_600, 'b2'), rec('k', 5_000, 'b3')];
  const out = await runTwoInputs(first, second, (a, b) => joinByKey(a, b, EventTimeSessionWindows.withGap(1_000)).apply(pair));
  t.deepEqual(out, ['a1+b1 @3499', 'a1+b2 @3499', 'a2+b1 @3499', 'a2+b2 @3499']);
  t.deepEqual(out, nestedLoopJoin(first, second, sessions(1_000)));
  const generated = [generate('a', 60, ['p', 'q'], 700), generate('b', 50, ['p', 'q', 'r'], 900)] as const;
  const many = await runTwoInputs(...generated, (a, b) =>
    joinByKey(a, b, EventTimeSessionWindows.withGap(1_500)).apply(pair),
  );
  t.deepEqual(many, nestedLoopJoin(...generated, sessions(1_500)));
});

test('a key with many records on both inputs joins as the full cross product per window', async (t) => {
  const first = generate('a', 120, ['p', 'q', 'r'], 50);
  const second = generate('b', 90, ['p', 'q', 'r', 's'], 70);
  const out = await runTwoInputs(first, second, (a, b) => joinByKey(a, b, TumblingEventTimeWindows.of(2_000)).apply(pair));
  const expected = nestedLoopJoin(first, second, tumbling(2_000));
  t.true(expected.length > 500, `only ${expected.length} pairs`);
  t.deepEqual(out, expected);
});

test('at parallelism 2 each key is joined in one subtask, and the subtasks share the keys', async (t) => {
  const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
  const first = generate('a', 80, keys, 40);
  const second = generate('b', 80, keys, 45);
  class PairWithSubtask implements JoinFunction<Rec, Rec, string> {
    private subtask = -1;

    open(context: RuntimeContext): void {
      this.subtask = context.subtaskIndex;
    }

    join(a: Rec, b: Rec): string {
      return `${a.id}+${b.id} ${String(a.key)}:${this.subtask}`;
    }
  }
  const out = await runTwoInputs(first, second, (a, b) => joinByKey(a, b, TumblingEventTimeWindows.of(1_000)).apply(PairWithSubtask), { parallelism: 2 });
  t.deepEqual(
    out.map((line) => line.replace(/ \S+:\d /, ' ')),
    nestedLoopJoin(first, second, tumbling(1_000)),
  );
  const subtasksOfKey = new Map<string, Set<string>>();
  for (const line of out) {
    const [key, subtask] = (/ (\S+):(\d) /.exec(line) as RegExpExecArray).slice(1);
    subtasksOfKey.set(key, (subtasksOfKey.get(key) ?? new Set()).add(subtask));
  }
  t.true([...subtasksOfKey.values()].every((subtasks) => subtasks.size === 1));
  t.deepEqual(new Set([...subtasksOfKey.values()].flatMap((subtasks) => [...subtasks])), new Set(['0', '1']));
});

test('in BATCH every window joins its final contents, records out of order included', async (t) => {
  const first = [rec('x', 1_500, 'a1'), rec('x', 200, 'a2'), rec('y', 100, 'a3')];
  const second = [rec('x', 1_700, 'b1'), rec('y', 900, 'b2'), rec('x', 50, 'b3')];
  const out = await runTwoInputs(first, second, (a, b) => joinByKey(a, b, TumblingEventTimeWindows.of(1_000)).apply(pair), { mode: 'BATCH', parallelism: 2 });
  t.deepEqual(out, ['a1+b1 @1999', 'a2+b3 @999', 'a3+b2 @999']);
  t.deepEqual(out, nestedLoopJoin(first, second, tumbling(1_000)));
});

test('a FlatJoinFunction emits any number of results per pair, as a function, an object or a class', async (t) => {
  // Pairs whose first record is not in a later 100 ms than the second.
  const notLater = (a: Rec, b: Rec, out: Collector<string>): void => {
    if (Math.floor(a.ts / 100) <= Math.floor(b.ts / 100)) out.collect(`${a.id}<=${b.id}`);
  };
  class Twice implements FlatJoinFunction<Rec, Rec, string> {
    join(a: Rec, b: Rec, out: Collector<string>): void {
      out.collect(pair(a, b));
      out.collect(pair(a, b));
    }
  }
  const joined = (fn: 'function' | 'object' | 'class') =>
    runTwoInputs(ORDERS, PAYMENTS, (a, b) => {
      const windowed = joinByKey(a, b, TumblingEventTimeWindows.of(1_000));
      if (fn === 'function') return windowed.apply<string>(notLater);
      if (fn === 'object') return windowed.apply<string>({ join: notLater });
      return windowed.apply<string>(Twice);
    });
  t.deepEqual(await joined('function'), ['a1<=b1 @999', 'a1<=b2 @999', 'a4<=b4 @1999']);
  t.deepEqual(await joined('object'), ['a1<=b1 @999', 'a1<=b2 @999', 'a4<=b4 @1999']);
  t.deepEqual(
    await joined('class'),
    nestedLoopJoin(ORDERS, PAYMENTS, tumbling(1_000)).flatMap((line) => [line, line]),
  );
});

test('a JoinFunction object is rich: open() before the first pair, close() after the last', async (t) => {
  const calls: string[] = [];
  const withPrefix = {
    prefix: '',
    open() {
      calls.push('open');
      this.prefix = 'joined ';
    },
    join(x: Rec, y: Rec) {
      return `${this.prefix}${pair(x, y)}`;
    },
    close() {
      calls.push('close');
    },
  };
  const out = await runTwoInputs(ORDERS, PAYMENTS, (a, b) => joinByKey(a, b, TumblingEventTimeWindows.of(1_000)).apply(withPrefix));
  t.deepEqual(out, nestedLoopJoin(ORDERS, PAYMENTS, tumbling(1_000)).map((line) => `joined ${line}`));
  t.deepEqual(calls, ['open', 'close']);
});

test('a function downstream that changes a record inside a join result changes no other result', async (t) => {
  interface Counted extends Rec {
    seen: number;
  }
  const first: Counted[] = [{ ...rec('k', 100, 'a1'), seen: 0 }];
  const second: Counted[] = [{ ...rec('k', 200, 'b1'), seen: 0 }, { ...rec('k', 300, 'b2'), seen: 0 }, { ...rec('k', 400, 'b3'), seen: 0 }];
  const out = await runTwoInputs(first, second, (a, b) =>
    joinByKey(a, b, TumblingEventTimeWindows.of(1_000))
      .apply((x, y) => ({ order: x as Counted, payment: y as Counted }))
      .map((joined) => {
        joined.order.seen++;
        joined.payment.seen++;
        return `${pair(joined.order, joined.payment)} ${joined.order.seen},${joined.payment.seen}`;
      }),
  );
  t.deepEqual(out, ['a1+b1 1,1 @999', 'a1+b2 1,1 @999', 'a1+b3 1,1 @999']);
});

test('keys join when they are equal as Map keys: the number 1 and the string "1" do not', async (t) => {
  const first = [rec(1, 100, 'a1'), rec('1', 200, 'a2')];
  const second = [rec(1, 300, 'b1')];
  const out = await runTwoInputs(first, second, (a, b) => joinByKey(a, b, TumblingEventTimeWindows.of(1_000)).apply(pair));
  t.deepEqual(out, ['a1+b1 @999']);
});

test('a trigger reaches the window: CountTrigger.of(3) fires a window at its third tagged record and never on time', async (t) => {
  // Window [0,1000) gets three records (fires once, whatever order the inputs interleave in); [5000,6000) two (never fires).
  const first = [rec('k', 100, 'a1'), rec('k', 200, 'a2'), rec('k', 5_000, 'a3')];
  const second = [rec('k', 300, 'b1'), rec('k', 5_100, 'b2')];
  const out = await runTwoInputs(first, second, (a, b) =>
    joinByKey(a, b, TumblingEventTimeWindows.of(1_000))
      .trigger(CountTrigger.of(3))
      .apply(pair),
  );
  t.deepEqual(out, ['a1+b1 @999', 'a2+b1 @999']);
});

test('an evictor reaches the window: TimeEvictor.of(500) leaves the records of the window\'s last 500 ms to the join', async (t) => {
  const first = [rec('k', 100, 'a1'), rec('k', 1_600, 'a2')];
  const second = [rec('k', 1_200, 'b1'), rec('k', 1_800, 'b2')];
  const out = await runTwoInputs(first, second, (a, b) =>
    joinByKey(a, b, TumblingEventTimeWindows.of(2_000))
      .evictor(TimeEvictor.of(500))
      .apply(pair),
  );
  t.deepEqual(out, ['a2+b2 @1999']);
});

test('trigger(), evictor() and allowedLateness() each return a new step: the one they were called on keeps its settings', async (t) => {
  const first = [rec('k', 100, 'a1'), rec('k', 1_600, 'a2')];
  const second = [rec('k', 1_200, 'b1'), rec('k', 1_800, 'b2')];
  const out = await runTwoInputs(first, second, (a, b) => {
    const windowed = joinByKey(a, b, TumblingEventTimeWindows.of(2_000));
    t.not(windowed.evictor(TimeEvictor.of(500)), windowed);
    t.not(windowed.trigger(CountTrigger.of(3)), windowed);
    t.not(windowed.allowedLateness(1_000), windowed);
    return windowed.apply(pair);
  });
  t.deepEqual(out, nestedLoopJoin(first, second, tumbling(2_000)));
});
