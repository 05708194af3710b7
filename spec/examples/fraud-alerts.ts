// The independent answer for examples/fraud-detection.ts: a plain loop over the transactions in
// file order, from these rules (the example's top comment states the same):
//  1. One ordered source: transactions are processed in file order; after each one the watermark is
//     the largest ts read so far - outOfOrderness - 1, and it is delivered only when it rises.
//  2. Per account, a transaction first looks at the flag: if set, it alerts when over 500.00, and
//     clears flag and timer. Then, if under 1.00, it sets the flag with a timer at ts + 60 000.
//  3. A delivered watermark fires every timer at or below it (>=, as Flink), clearing its flag. A
//     transaction is processed before the watermark that follows it, so one at exactly the timer's
//     time sees the flag unless a transaction read earlier already raised the watermark that far.
// Late transactions (ts behind the watermark) are processed like the others.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Transaction } from '../../examples/fraud-detection.ts';

const SMALL = 1;
const LARGE = 500;
const MINUTE = 60_000;

export interface Alert {
  /** The `account<TAB>ts<TAB>amount` line, amount with two decimals. */
  readonly line: string;
  /** How far past the small transaction's timer it came (0: exactly at it; negative: within the minute). */
  readonly pastTimerMs: number;
}

export interface FraudRun {
  readonly alerts: Alert[];
  /** Transactions at or behind the watermark when read. */
  readonly late: number;
  /** Transactions read after one with a later ts, but not late. */
  readonly outOfOrder: number;
}

export function detectFraud(transactions: readonly Transaction[], outOfOrdernessMs: number): FraudRun {
  /** account -> its flag's timer; an account without an entry has no flag. */
  const timers = new Map<string, number>();
  const alerts: Alert[] = [];
  let maxTs = Number.NEGATIVE_INFINITY;
  let watermark = Number.NEGATIVE_INFINITY;
  let late = 0;
  let outOfOrder = 0;
  for (const { account, ts, amount } of transactions) {
    if (ts <= watermark) late++;
    else if (ts < maxTs) outOfOrder++;
    const timer = timers.get(account);
    if (timer !== undefined) {
      if (amount > LARGE) alerts.push({ line: `${account}\t${ts}\t${amount.toFixed(2)}`, pastTimerMs: ts - timer });
      timers.delete(account);
    }
    if (amount < SMALL) timers.set(account, ts + MINUTE);
    maxTs = Math.max(maxTs, ts);
    if (maxTs - outOfOrdernessMs - 1 > watermark) {
      watermark = maxTs - outOfOrdernessMs - 1;
      for (const [flagged, due] of timers) if (due <= watermark) timers.delete(flagged);
    }
  }
  return { alerts, late, outOfOrder };
}

/** The sorted alert lines the example should write for `transactions`. */
export const expectedAlertLines = (transactions: readonly Transaction[], outOfOrdernessMs: number): string[] =>
  detectFraud(transactions, outOfOrdernessMs)
    .alerts.map((alert) => alert.line)
    .sort();

/** Every non-empty line of every part file of `directory`, sorted. */
export function writtenLines(directory: string): string[] {
  return readdirSync(directory)
    .flatMap((file) => readFileSync(join(directory, file), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .sort();
}
