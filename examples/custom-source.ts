// A connector written against Weir's Source interface (Flink's FLIP-27): every `.jsonl` file of a
// directory of order events is one split. The enumerator lists the directory on the JobManager and
// hands the files out as readers ask; each reader streams its file line by line (an async
// iterable), so a large file never sits in memory. The job sums the amount per customer (BATCH: one
// final `customer<TAB>total` line each).
//
// Embedded, on a mini cluster in this process (writes a small sample directory when --input is not given):
//   npx tsx examples/custom-source.ts
//   npx tsx examples/custom-source.ts --input /data/orders --output /tmp/totals
// On a standalone cluster (bin/start-cluster.sh); the JobManager and every TaskManager read the
// directory, so give an absolute path they all can read:
//   bin/weir run examples/custom-source.ts -p 2 -- --input /data/orders --output /tmp/totals
import { createReadStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type JobModule, type Source, StreamExecutionEnvironment, isMainModule } from '../index.ts';

export interface Order {
  readonly customer: string;
  readonly amount: number;
}

/** One split: a file of the directory. */
export interface OrderFile {
  readonly path: string;
}

/** The `.jsonl` files of `directory`, one split each, name order; bounded. */
export function orderFiles(directory: string): Source<Order, OrderFile> {
  return {
    boundedness: 'bounded',
    // On the JobManager: list once, then one file per request, whoever asks first.
    createEnumerator: () => {
      const files = readdirSync(directory)
        .filter((name) => name.endsWith('.jsonl'))
        .sort()
        .map((name): OrderFile => ({ path: join(directory, name) }));
      return { nextSplit: () => files.shift() ?? null };
    },
    // In each subtask: stream a file's lines, one order per non-empty line.
    createReader: () => ({
      async *read(file: OrderFile): AsyncGenerator<Order> {
        const lines = createInterface({ input: createReadStream(file.path), crlfDelay: Infinity });
        let number = 0;
        for await (const line of lines) {
          number++;
          if (line.trim() === '') continue;
          const order = JSON.parse(line) as Partial<Order>;
          if (typeof order.customer !== 'string' || typeof order.amount !== 'number') {
            throw new Error(`${file.path}:${number}: expected {"customer": string, "amount": number}`);
          }
          yield { customer: order.customer, amount: order.amount };
        }
      },
    }),
  };
}

const USAGE = 'usage: custom-source.ts --input <dir> [--output <dir>]';

function parseArgs(args: readonly string[]): { input?: string; output?: string } {
  const options: { input?: string; output?: string } = {};
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--input') options.input = value;
    else if (flag === '--output') options.output = value;
    else throw new Error(`unexpected argument ${flag} ${value}; ${USAGE}`);
  }
  return options;
}

const customerTotals: JobModule = async (env, args) => {
  const { input, output } = parseArgs(args);
  if (input === undefined) throw new Error(`--input is missing; ${USAGE}`);
  env.setRuntimeMode('AUTOMATIC'); // every source is bounded: BATCH
  const totals = env
    .fromSource(orderFiles(input), 'Source: Order Files')
    .map((order): [string, number] => [order.customer, order.amount])
    .name('Customer And Amount')
    .keyBy(([customer]) => customer)
    .sum(1)
    .name('Total Per Customer')
    .map(([customer, total]) => `${customer}\t${total}`)
    .name('Format');
  if (output === undefined) totals.print();
  else totals.writeAsText(output).name('Totals File');
  await env.execute('Customer Totals');
};

export default customerTotals;

/** A sample directory of order files (for a run without --input). */
export function writeSampleOrders(directory: string, files: number, ordersPerFile: number): void {
  const customers = ['ada', 'grace', 'edsger', 'barbara', 'donald'];
  for (let file = 0; file < files; file++) {
    const lines: string[] = [];
    for (let index = 0; index < ordersPerFile; index++) {
      const n = file * ordersPerFile + index;
      lines.push(JSON.stringify({ customer: customers[n % customers.length], amount: (n % 7) + 1 }));
    }
    writeFileSync(join(directory, `orders-${String(file).padStart(3, '0')}.jsonl`), lines.join('\n') + '\n');
  }
}

if (isMainModule(import.meta.url)) {
  const args = process.argv.slice(2);
  const sample = args.includes('--input') ? undefined : mkdtempSync(join(tmpdir(), 'weir-orders-'));
  try {
    if (sample !== undefined) {
      writeSampleOrders(sample, 4, 50);
      args.push('--input', sample);
    }
    await customerTotals(StreamExecutionEnvironment.getExecutionEnvironment(), args);
  } finally {
    if (sample !== undefined) rmSync(sample, { recursive: true, force: true });
  }
}
