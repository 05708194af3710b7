// Enriching a stream through an asynchronous lookup (mapAsync; Flink's async I/O). Orders are keyed
// by customer, and each one is enriched with its customer's name and tier from a customer service:
// here a fake one that answers after a few milliseconds, some customers slower than others. Up to
// `capacity` lookups per subtask are in flight at once, so a slow customer does not hold the others
// back; yet an order never overtakes an earlier order of its own customer (mapAsync on a keyed
// stream keeps each key's input order), so each customer's running total is right.
//
// Embedded, on a mini cluster in this process:
//   npx tsx examples/async-enrich.ts                       # 40 orders
//   npx tsx examples/async-enrich.ts --orders 200
// On a standalone cluster (bin/start-cluster.sh): printed by the TaskManagers.
//   bin/weir run examples/async-enrich.ts -p 2 -- --orders 200
import { type AsyncMapFunction, type JobModule, StreamExecutionEnvironment, isMainModule } from '../index.ts';

export interface Order {
  readonly id: number;
  readonly customer: number;
  readonly cents: number;
}

export interface Customer {
  readonly name: string;
  readonly tier: 'gold' | 'silver';
}

export interface EnrichedOrder extends Order, Customer {}

export const CUSTOMERS = 5;

/** The n-th order: customers take turns in an irregular pattern; amounts from 1.00 to 9.99. */
export function order(n: number): Order {
  return { id: n, customer: (n * 3 + Math.floor(n / 4)) % CUSTOMERS, cents: 100 + ((n * 617) % 900) };
}

/** What the customer service knows. */
export function customer(id: number): Customer {
  return { name: ['Ada', 'Brian', 'Chen', 'Dana', 'Emeka'][id], tier: id % 2 === 0 ? 'gold' : 'silver' };
}

export function orderCount(args: readonly string[]): number {
  if (args.length === 0) return 40;
  const [flag, value] = args;
  if (args.length === 2 && flag === '--orders' && value && /^[1-9]\d*$/.test(value)) return Number(value);
  throw new Error(`unexpected arguments ${args.join(' ')}; usage: async-enrich.ts [--orders <n>]`);
}

/** A stand-in for a remote service: each answer takes 1-5 ms, the same customer always as long. */
class FakeCustomerService {
  private open = true;

  lookup(id: number): Promise<Customer> {
    if (!this.open) return Promise.reject(new Error('the customer service connection is closed'));
    return new Promise((resolve) => setTimeout(() => resolve(customer(id)), 1 + ((id * 7) % 5)));
  }

  close(): void {
    this.open = false;
  }
}

/** One connection per subtask, opened and closed with it (a rich function). */
class EnrichWithCustomer implements AsyncMapFunction<Order, EnrichedOrder> {
  private service: FakeCustomerService | null = null;

  open(): void {
    this.service = new FakeCustomerService();
  }

  async map(value: Order): Promise<EnrichedOrder> {
    const found = await (this.service as FakeCustomerService).lookup(value.customer);
    return { ...value, ...found };
  }

  close(): void {
    this.service?.close();
  }
}

const asyncEnrich: JobModule = async (env, args) => {
  env
    .fromSequence(0, orderCount(args) - 1)
    .map(order)
    .name('Orders')
    .keyBy((value) => value.customer)
    .mapAsync(EnrichWithCustomer, { capacity: 10, timeoutMs: 5_000 })
    .name('Enrich With Customer')
    .keyBy((value) => value.customer)
    .reduce((total, value) => ({ ...value, cents: total.cents + value.cents }))
    .name('Running Total')
    .map((value) => `${value.name}\t${value.tier}\torder ${value.id}\ttotal ${(value.cents / 100).toFixed(2)}`)
    .name('Format')
    .print();
  await env.execute('Async Enrich');
};

export default asyncEnrich;

if (isMainModule(import.meta.url)) await asyncEnrich(StreamExecutionEnvironment.getExecutionEnvironment(), process.argv.slice(2));
