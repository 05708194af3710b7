// Test input for examples/fraud-detection.ts: deterministic (seeded) transactions as JSON lines
// `{"account","ts","amount"}`, in the order they "arrive", which is not quite event-time order.
//
//   npx tsx examples/fraud-transactions.ts > /tmp/transactions.jsonl
//   npx tsx examples/fraud-transactions.ts --count 5000 --seed 7 --out-of-orderness 5000 > /tmp/transactions.jsonl
//
// About one transaction a second over 20 accounts: 15 % small (under 1.00), 15 % large (over
// 500.00), a few exactly at the thresholds (0.99, 1.00, 500.00, 500.01), the rest in between. After
// some small transactions the account stays quiet until a large one near the end of the minute
// (60 s + -1 s, 0, 1 ms, the bound, the bound + 1 ms, the bound + 2 ms; or just after another
// account's transaction that raises the watermark to 1 ms below the timer, or to it), so that the
// fraud detector meets the edge of its timer. Each transaction arrives after a delay: none for most, up to
// `outOfOrdernessMs` for a third (out of order, within the bound), and for 1 % more than the bound,
// up to 90 s more (late: the watermark may have passed them).
import { isMainModule } from '../index.ts';
import type { Transaction } from './fraud-detection.ts';
import { seededRandom } from './seeded-random.ts';

export interface TransactionOptions {
  readonly seed: number;
  readonly count: number;
  /** The delay within which transactions arrive out of order; more is late. */
  readonly outOfOrdernessMs: number;
  /** Default 20. */
  readonly accounts?: number;
}

/** 2025-01-01T00:00:00Z: the first transaction's time. */
const START_TS = Date.UTC(2025, 0, 1);
const ONE_MINUTE = 60_000;
const EDGE_AMOUNTS = [0.99, 1, 500, 500.01];
const LATE_BY_AT_MOST_MS = 90_000;

/** `count` transactions in arrival order. */
export function generateTransactions(options: TransactionOptions): Transaction[] {
  const { seed, count, outOfOrdernessMs, accounts = 20 } = options;
  const random = seededRandom(seed);
  const below = (bound: number): number => Math.floor(random() * bound);
  const cents = (from: number, to: number): number => (from + below(to - from + 1)) / 100;
  const names = Array.from({ length: accounts }, (_, index) => `acct-${String(index + 1).padStart(2, '0')}`);
  const endOfMinute = [-1_000, 0, 1, outOfOrdernessMs, outOfOrdernessMs + 1, outOfOrdernessMs + 2];
  /** Large transactions due at the end of a small one's minute; their accounts are quiet until then. */
  const scheduled: Transaction[] = [];
  const inEventTime: Transaction[] = [];
  let clock = START_TS;
  while (inEventTime.length < count) {
    clock += 1 + below(2_000);
    scheduled.sort((a, b) => a.ts - b.ts);
    while (scheduled.length > 0 && scheduled[0].ts <= clock && inEventTime.length < count) inEventTime.push(scheduled.shift() as Transaction);
    const free = names.filter((name) => !scheduled.some((due) => due.account === name));
    if (free.length === 0 || inEventTime.length === count) continue;
    const account = free[below(free.length)];
    const kind = random();
    const amount = kind < 0.15 ? cents(1, 99) : kind < 0.3 ? cents(50_001, 200_000) : kind < 0.33 ? EDGE_AMOUNTS[below(4)] : cents(100, 50_000);
    inEventTime.push({ account, ts: clock, amount });
    if (amount < 1 && random() < 0.3) {
      const variant = below(endOfMinute.length + 2);
      const timer = clock + ONE_MINUTE;
      const large = { account, amount: cents(50_001, 200_000) };
      if (variant < endOfMinute.length) scheduled.push({ ...large, ts: timer + endOfMinute[variant] });
      else {
        // Another account's transaction first raises the watermark to just below the timer or to it, then the large one comes.
        const ts = timer + outOfOrdernessMs + variant - endOfMinute.length;
        const other = names[(names.indexOf(account) + 1 + below(accounts - 1)) % accounts];
        scheduled.push({ account: other, ts, amount: cents(100, 50_000) }, { ...large, ts });
      }
    }
  }
  const arrivals = inEventTime.map((transaction) => {
    const roll = random();
    const delay = roll < 0.66 ? 0 : roll < 0.99 ? below(outOfOrdernessMs + 1) : outOfOrdernessMs + 1 + below(LATE_BY_AT_MOST_MS);
    return { transaction, arrival: transaction.ts + delay };
  });
  // A stable sort: equal arrivals keep event-time order.
  return arrivals.sort((a, b) => a.arrival - b.arrival).map(({ transaction }) => transaction);
}

export const toJsonLines = (transactions: readonly Transaction[]): string => transactions.map((transaction) => JSON.stringify(transaction) + '\n').join('');

const USAGE = 'usage: fraud-transactions.ts [--count <n>] [--seed <n>] [--out-of-orderness <ms>]';

function parseArgs(args: readonly string[]): TransactionOptions {
  const options = { seed: 1, count: 3_000, outOfOrdernessMs: 5_000 };
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${flag} needs a whole number; ${USAGE}`);
    if (flag === '--count') options.count = Number(value);
    else if (flag === '--seed') options.seed = Number(value);
    else if (flag === '--out-of-orderness') options.outOfOrdernessMs = Number(value);
    else throw new Error(`unexpected argument ${flag} ${value}; ${USAGE}`);
  }
  return options;
}

if (isMainModule(import.meta.url)) process.stdout.write(toJsonLines(generateTransactions(parseArgs(process.argv.slice(2)))));
