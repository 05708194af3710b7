import test from 'ava';
import type { DataStream, JobModule, KeyedStream, RuntimeExecutionMode, StreamExecutionEnvironment } from '../../../api/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runModule } from '../harness/run-plan.ts';

interface Sale {
  readonly shop: string;
  readonly item: string;
  readonly amount: number;
}

const SALES: Sale[] = [
  { shop: 'north', item: 'tea', amount: 3 },
  { shop: 'south', item: 'cake', amount: 5 },
  { shop: 'north', item: 'bread', amount: 1 },
  { shop: 'north', item: 'jam', amount: 7 },
  { shop: 'south', item: 'milk', amount: 5 },
  { shop: 'south', item: 'eggs', amount: 2 },
];

/** Runs `aggregate` over the sales keyed by shop and returns what reached the sink, in order. */
async function aggregated<R>(
  mode: RuntimeExecutionMode,
  aggregate: (byShop: KeyedStream<Sale, string>) => DataStream<R>,
  parallelism = 1,
): Promise<R[]> {
  const out: R[] = [];
  const module: JobModule = (env: StreamExecutionEnvironment) => {
    aggregate(env.setRuntimeMode(mode).fromCollection(SALES).keyBy((sale) => sale.shop)).sinkTo((value) => void out.push(value));
  };
  await runModule(module, { parallelism });
  return out;
}

const byShop = <T extends { shop: string }>(values: T[]): T[] => values.slice().sort((a, b) => a.shop.localeCompare(b.shop));

test('in STREAMING mode reduce emits the running value after every record', async (t) => {
  const out = await aggregated('STREAMING', (sales) => sales.reduce((total, sale) => ({ ...total, amount: total.amount + sale.amount })));
  t.deepEqual(
    out.map((sale) => `${sale.shop} ${sale.amount}`),
    ['north 3', 'south 5', 'north 4', 'north 11', 'south 10', 'south 12'],
  );
});

test('in BATCH mode reduce emits only the final value of each key, at end of input, at any parallelism', async (t) => {
  for (const parallelism of [1, 2]) {
    const out = await aggregated('BATCH', (sales) => sales.reduce((total, sale) => ({ ...total, amount: total.amount + sale.amount })), parallelism);
    t.deepEqual(
      byShop(out).map((sale) => `${sale.shop} ${sale.amount}`),
      ['north 11', 'south 12'],
      `parallelism ${parallelism}`,
    );
  }
});

test('AUTOMATIC mode with bounded sources aggregates like BATCH', async (t) => {
  const out = await aggregated('AUTOMATIC', (sales) => sales.sum('amount'));
  t.deepEqual(byShop(out).map((sale) => sale.amount), [11, 12]);
});

test('sum(field) replaces the field with the running sum and keeps the first record\'s other fields', async (t) => {
  t.deepEqual(byShop(await aggregated('BATCH', (sales) => sales.sum('amount'))), [
    { shop: 'north', item: 'tea', amount: 11 },
    { shop: 'south', item: 'cake', amount: 12 },
  ]);
});

test('min and max replace the field only; minBy and maxBy keep the whole record, the earlier one on a tie', async (t) => {
  t.deepEqual(byShop(await aggregated('BATCH', (sales) => sales.min('amount'))), [
    { shop: 'north', item: 'tea', amount: 1 },
    { shop: 'south', item: 'cake', amount: 2 },
  ]);
  t.deepEqual(byShop(await aggregated('BATCH', (sales) => sales.max('amount'))), [
    { shop: 'north', item: 'tea', amount: 7 },
    { shop: 'south', item: 'cake', amount: 5 },
  ]);
  t.deepEqual(byShop(await aggregated('BATCH', (sales) => sales.minBy('amount'))), [
    { shop: 'north', item: 'bread', amount: 1 },
    { shop: 'south', item: 'eggs', amount: 2 },
  ]);
  t.deepEqual(byShop(await aggregated('BATCH', (sales) => sales.maxBy('amount'))), [
    { shop: 'north', item: 'jam', amount: 7 },
    { shop: 'south', item: 'cake', amount: 5 },
  ]);
  t.deepEqual(
    (await aggregated('STREAMING', (sales) => sales.maxBy('amount'))).map((sale) => sale.item),
    ['tea', 'cake', 'tea', 'jam', 'cake', 'cake'],
  );
});

test('on a stream of numbers sum(), min() and max() aggregate the records themselves', async (t) => {
  const run = async (aggregate: (numbers: KeyedStream<number, boolean>) => DataStream<number>): Promise<number[]> => {
    const out: number[] = [];
    await runModule((env) => void aggregate(env.fromSequence(1, 10).keyBy((n) => n % 2 === 0)).sinkTo((n) => void out.push(n)));
    return out;
  };
  t.deepEqual((await run((numbers) => numbers.sum())).slice(-2), [25, 30]);
  t.deepEqual((await run((numbers) => numbers.min())).slice(-2), [1, 2]);
  t.deepEqual((await run((numbers) => numbers.max())).slice(-2), [9, 10]);
});

test('a tuple field is given by its index; the record is copied, never mutated', async (t) => {
  const pairs: [string, number][] = [
    ['a', 1],
    ['a', 2],
  ];
  const out: [string, number][] = [];
  await runModule((env) => void env.fromCollection(pairs).keyBy((pair) => pair[0]).sum(1).sinkTo((pair) => void out.push(pair)));
  t.deepEqual(out, [
    ['a', 1],
    ['a', 3],
  ]);
});

test('the field of sum, min and max is checked at compile time', (t) => {
  const typeCheckOnly = (sales: KeyedStream<Sale, string>, pairs: KeyedStream<[string, number], string>, words: KeyedStream<string, string>): void => {
    // @ts-expect-error: item holds strings, not numbers
    sales.sum('item');
    // @ts-expect-error: no such field
    sales.max('price');
    // @ts-expect-error: sum() without a field needs a stream of numbers
    words.sum();
    sales.min('item');
    pairs.sum(1);
    // @ts-expect-error: field 0 holds strings
    pairs.sum(0);
  };
  t.is(typeof typeCheckOnly, 'function');
});

test('sum over a field that is not a number fails naming the operator', async (t) => {
  const error = await t.throwsAsync(
    runModule((env) => {
      env.fromElements({ k: 'a', v: 1 }, { k: 'a', v: 'two' as unknown as number }).keyBy((r) => r.k).sum('v').name('Total').print();
    }),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Total" (id "sum-2") failed on a record: sum needs numbers in field "v", got string');
});

test('a key selector returning undefined fails the job with INVALID_KEY naming the keyed operator', async (t) => {
  const error = await t.throwsAsync(
    runModule((env) => {
      env
        .fromElements<{ id?: string }>({ id: 'a' }, {})
        .keyBy((record) => record.id as string)
        .reduce((a) => a)
        .name('Latest')
        .print();
    }),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'INVALID_KEY');
  t.is(error.message, 'operator "Latest" (id "reduce-2"): the key selector returned undefined; a key must be a string, number, boolean or bigint');
});

test('in BATCH mode the combiner before the shuffle fails with INVALID_KEY on a key selector returning an object', async (t) => {
  const error = await t.throwsAsync(
    runModule((env) => {
      env
        .setRuntimeMode('BATCH')
        .fromElements<{ id: unknown }>({ id: 'a' }, { id: 'a' }, { id: { nested: true } })
        .keyBy((record) => record.id as string)
        .reduce((a) => a)
        .name('Latest')
        .print();
    }),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'INVALID_KEY');
  t.is(error.message, 'operator "Latest (combiner)" (id "reduce-2-combiner"): the key selector returned an object {"nested":true}; a key must be a string, number, boolean or bigint');
});

test('a reduce function that throws fails the job naming the reduce operator', async (t) => {
  const error = await t.throwsAsync(
    runModule((env) => {
      env
        .fromElements(1, 2)
        .keyBy(() => 'all')
        .reduce(() => {
          throw new Error('cannot combine');
        })
        .print();
    }),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Reduce" (id "reduce-2") failed on a record: cannot combine');
});
