// The independent answer for examples/custom-source.ts: every line of every .jsonl file of a
// directory, summed per customer, as the `customer<TAB>total` lines the example writes (sorted).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function orderTotals(directory: string): string[] {
  const sums = new Map<string, number>();
  for (const name of readdirSync(directory).filter((file) => file.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(directory, name), 'utf8').split('\n')) {
      if (line === '') continue;
      const { customer, amount } = JSON.parse(line) as { customer: string; amount: number };
      sums.set(customer, (sums.get(customer) ?? 0) + amount);
    }
  }
  return [...sums].map(([customer, total]) => `${customer}\t${total}`).sort();
}
