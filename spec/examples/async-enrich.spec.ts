// The async enrichment example, run as its top comment says: a keyed mapAsync through a fake
// customer service, then a running total per customer that is right only if no order overtook an
// earlier one of its customer.
import test from 'ava';
import { planJob } from '../../api/internal.ts';
import asyncEnrich, { customer, order } from '../../examples/async-enrich.ts';
import { lines, runExample } from './run-example.ts';

/** The independent answer: each order's line with its customer's running total, per customer in order. */
function expectedByCustomer(count: number): Map<string, string[]> {
  const totals = new Map<number, number>();
  const byCustomer = new Map<string, string[]>();
  for (let n = 0; n < count; n++) {
    const { id, customer: customerId, cents } = order(n);
    const total = (totals.get(customerId) ?? 0) + cents;
    totals.set(customerId, total);
    const { name, tier } = customer(customerId);
    byCustomer.set(name, [...(byCustomer.get(name) ?? []), `${name}\t${tier}\torder ${id}\ttotal ${(total / 100).toFixed(2)}`]);
  }
  return byCustomer;
}

test('async-enrich prints every order with its customer and running total, each customer in order', async (t) => {
  const run = await runExample('async-enrich.ts', ['--orders', '60']);
  t.is(run.code, 0, run.stderr);
  const printed = lines(run.stdout);
  const expected = expectedByCustomer(60);
  t.is(printed.length, 60);
  for (const [name, customerLines] of expected) {
    t.deepEqual(
      printed.filter((line) => line.startsWith(`${name}\t`)),
      customerLines,
      name,
    );
  }
});

test('as `weir run` plans it, the lookup is an Async Map chained after the first keyBy', async (t) => {
  const plan = await planJob(asyncEnrich, []);
  t.is(plan.graph.name, 'Async Enrich');
  t.deepEqual(
    plan.graph.vertices.map((vertex) => vertex.name),
    ['Source: Sequence -> Orders', 'Enrich With Customer', 'Running Total -> Format -> Sink: Print'],
  );
  t.like(plan.graph.vertices[1].operators[0], { kind: 'async-map', config: { capacity: 10, timeoutMs: 5_000, order: 'key' } });
});
