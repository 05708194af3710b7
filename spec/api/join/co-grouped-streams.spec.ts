// Window coGroups end to end (embedded), against the nested loop of two-inputs.ts: each key's and
// window's records of both inputs, either side possibly empty, in any assigner, at parallelism 2 and
// in BATCH, with the function given as a function, an object or a class.
import test from 'ava';
import {
  type CoGroupFunction,
  type Collector,
  EventTimeSessionWindows,
  type RuntimeContext,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
} from '../../../index.ts';
import { type Rec, coGroupByKey, generate, ids, nestedLoopCoGroup, rec, runTwoInputs, sessions, sliding, tumbling } from './two-inputs.ts';

const ORDERS = [rec('x', 100, 'a1'), rec('y', 200, 'a2'), rec('x', 900, 'a3'), rec('x', 1_500, 'a4'), rec('z', 2_100, 'a5'), rec('y', 3_600, 'a6')];
const PAYMENTS = [rec('x', 300, 'b1'), rec('x', 400, 'b2'), rec('y', 1_200, 'b3'), rec('x', 1_999, 'b4'), rec('y', 3_000, 'b5'), rec('w', 3_100, 'b6')];

/** `key first|second`, the key read from whichever side has a record. */
const listBoth = (first: Iterable<Rec>, second: Iterable<Rec>, out: Collector<string>): void => {
  const key = [...first, ...second][0].key;
  out.collect(`${String(key)} ${ids(first)}|${ids(second)}`);
};

test('coGroup gives each key\'s window records of both inputs at once; a side without records of the key is empty', async (t) => {
  const out = await runTwoInputs(ORDERS, PAYMENTS, (orders, payments) =>
    orders
      .coGroup(payments)
      .where((order) => order.key)
      .equalTo((payment) => payment.key)
      .window(TumblingEventTimeWindows.of(1_000))
      .apply(listBoth),
  );
  t.deepEqual(out, ['w |b6 @3999', 'x a1,a3|b1,b2 @999', 'x a4|b4 @1999', 'y a2| @999', 'y a6|b5 @3999', 'y |b3 @1999', 'z a5| @2999']);
  t.deepEqual(out, nestedLoopCoGroup(ORDERS, PAYMENTS, tumbling(1_000)));
});

test('coGroup over sliding and session windows matches the nested loop, many records per key', async (t) => {
  const first = generate('a', 90, ['p', 'q', 'r'], 300);
  const second = generate('b', 70, ['q', 'r', 's'], 400);
  const slid = await runTwoInputs(first, second, (a, b) => coGroupByKey(a, b, SlidingEventTimeWindows.of(3_000, 1_000)).apply(listBoth));
  t.deepEqual(slid, nestedLoopCoGroup(first, second, sliding(3_000, 1_000)));
  const merged = await runTwoInputs(first, second, (a, b) => coGroupByKey(a, b, EventTimeSessionWindows.withGap(1_000)).apply(listBoth));
  t.deepEqual(merged, nestedLoopCoGroup(first, second, sessions(1_000)));
  t.true(merged.some((line) => /^p \S+\| @/.test(line)), 'key p has records on the first input only');
  t.true(merged.some((line) => /^s \|\S+ @/.test(line)), 'key s has records on the second input only');
});

test('coGroup at parallelism 2 and in BATCH gives the same groups', async (t) => {
  const first = generate('a', 60, ['k0', 'k1', 'k2', 'k3', 'k4'], 100);
  const second = generate('b', 40, ['k1', 'k2', 'k3', 'k4', 'k5'], 150);
  const expected = nestedLoopCoGroup(first, second, tumbling(700));
  for (const mode of ['STREAMING', 'BATCH'] as const) {
    const out = await runTwoInputs(first, second, (a, b) => coGroupByKey(a, b, TumblingEventTimeWindows.of(700)).apply(listBoth), { mode, parallelism: 2 });
    t.deepEqual(out, expected, mode);
  }
});

test('a CoGroupFunction may be an object or a class, opened before the first window and closed after the last', async (t) => {
  const calls: string[] = [];
  class CountBoth implements CoGroupFunction<Rec, Rec, string> {
    private subtask = -1;

    open(context: RuntimeContext): void {
      this.subtask = context.subtaskIndex;
      calls.push(`open ${this.subtask}`);
    }

    coGroup(first: Iterable<Rec>, second: Iterable<Rec>, out: Collector<string>): void {
      out.collect(`${[...first].length}+${[...second].length}`);
    }

    close(): void {
      calls.push(`close ${this.subtask}`);
    }
  }
  const byClass = await runTwoInputs(ORDERS, PAYMENTS, (a, b) => coGroupByKey(a, b, TumblingEventTimeWindows.of(1_000)).apply(CountBoth), { parallelism: 2 });
  t.deepEqual(byClass, ['0+1 @3999', '1+0 @2999', '1+0 @999', '1+1 @1999', '1+1 @3999', '0+1 @1999', '2+2 @999'].sort());
  t.deepEqual(calls.sort(), ['close 0', 'close 1', 'open 0', 'open 1']);
  const byObject = await runTwoInputs(ORDERS, PAYMENTS, (a, b) => coGroupByKey(a, b, TumblingEventTimeWindows.of(1_000)).apply({ coGroup: listBoth }));
  t.deepEqual(byObject, nestedLoopCoGroup(ORDERS, PAYMENTS, tumbling(1_000)));
});
