// Record ownership: a function owns the records it receives (it may change them) and must not change
// a record after emitting it. Weir keeps its side: one record never reaches two owners, so a job's
// result does not depend on chaining or placement. env.enableObjectReuse() turns the copies off.
import test from 'ava';
import { type DataStream, type KeyedStream, StreamExecutionEnvironment } from '../../index.ts';

interface Total {
  n: number;
  parts: number[];
}

/** A reduce that updates its first argument in place and returns it, as Flink users often write. */
const mutatingSum = (total: Total, next: Total): Total => {
  total.n += next.n;
  total.parts.push(...next.parts);
  return total;
};

async function runningTotals(between: (stream: DataStream<Total>) => DataStream<Total>, objectReuse = false): Promise<number[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  if (objectReuse) env.enableObjectReuse();
  const totals = env
    .fromElements(1, 2, 3, 4, 5)
    .map((n): Total => ({ n, parts: [n] }))
    .keyBy(() => 'all')
    .reduce(mutatingSum);
  const seen: number[] = [];
  for await (const total of between(totals).map((total) => total.n).executeAndCollect()) seen.push(total);
  return seen;
}

test('a reduce that changes its first argument gives the same running totals chained and after rebalance()', async (t) => {
  t.deepEqual(await runningTotals((stream) => stream), [1, 3, 6, 10, 15]);
  t.deepEqual(await runningTotals((stream) => stream.rebalance()), [1, 3, 6, 10, 15]);
  t.deepEqual(await runningTotals((stream) => stream.map((total) => total).startNewChain()), [1, 3, 6, 10, 15]);
});

test('with object reuse the reduce emits its running value itself, which later updates change', async (t) => {
  t.deepEqual(await runningTotals((stream) => stream.rebalance(), true), [15, 15, 15, 15, 15]);
});

test('each operator reading one stream gets its own copy: one changing a record does not change what the other sees', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  const source = env.fromElements({ id: 1, tags: ['a'] }, { id: 2, tags: ['b'] });
  const changed = source.map((record) => {
    record.tags.push('changed');
    return record.tags.join('+');
  });
  const untouched = source.map((record) => record.tags.join('+'));
  const seen: string[] = [];
  for await (const value of changed.union(untouched).executeAndCollect()) seen.push(value);
  t.deepEqual(seen.sort(), ['a', 'a+changed', 'b', 'b+changed']);
});

test('a broadcast gives every subtask its own copy', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const seen: string[] = [];
  for await (const value of env
    .fromElements({ tags: ['x'] })
    .broadcast()
    .map((record) => {
      record.tags.push('seen');
      return record.tags.join('+');
    })
    .setParallelism(3)
    .executeAndCollect()) {
    seen.push(value);
  }
  t.deepEqual(seen, ['x+seen', 'x+seen', 'x+seen']);
});

interface Reading {
  k: string;
  v: number;
}

/** A keyed aggregation of three readings of one key, followed (chained) by a map that changes what it receives. */
async function aggregatedThenChanged(aggregate: (keyed: KeyedStream<Reading, string>) => DataStream<Reading>): Promise<number[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  const keyed = env.fromElements<Reading>({ k: 'a', v: 5 }, { k: 'a', v: 3 }, { k: 'a', v: 4 }).keyBy((reading) => reading.k);
  const changed = aggregate(keyed).map((reading) => {
    reading.v *= 10;
    return reading.v;
  });
  const seen: number[] = [];
  for await (const value of changed.executeAndCollect()) seen.push(value);
  return seen;
}

test('the built-in keyed aggregations never emit a record they still hold: a consumer changing it does not change the next result', async (t) => {
  t.deepEqual(await aggregatedThenChanged((keyed) => keyed.sum('v')), [50, 80, 120]);
  t.deepEqual(await aggregatedThenChanged((keyed) => keyed.max('v')), [50, 50, 50]);
  t.deepEqual(await aggregatedThenChanged((keyed) => keyed.min('v')), [50, 30, 30]);
  t.deepEqual(await aggregatedThenChanged((keyed) => keyed.maxBy('v')), [50, 50, 50]);
  t.deepEqual(await aggregatedThenChanged((keyed) => keyed.minBy('v')), [50, 30, 30]);
});
