// The fraud-detection example, run as its top comment says and in this process at parallelism 3,
// its alerts checked against an independent loop over the same transactions (fraud-alerts.ts);
// small hand-made inputs show the edge of the minute exactly; and planned as `weir run` plans it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { planJob } from '../../api/internal.ts';
import fraudDetection, { type Transaction, parseFraudDetectionArgs } from '../../examples/fraud-detection.ts';
import { generateTransactions, toJsonLines } from '../../examples/fraud-transactions.ts';
import { StreamExecutionEnvironment } from '../../index.ts';
import { detectFraud, expectedAlertLines, writtenLines } from './fraud-alerts.ts';
import { runExample } from './run-example.ts';

const OUT_OF_ORDERNESS_MS = 5_000;
const TRANSACTIONS = generateTransactions({ seed: 8, count: 3_000, outOfOrdernessMs: OUT_OF_ORDERNESS_MS });

/** A temporary directory with `transactions` as input.jsonl; out/ is where the alerts go. */
function inputFile(t: ExecutionContext, transactions: readonly Transaction[]): { input: string; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'weir-fraud-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'input.jsonl'), toJsonLines(transactions));
  return { input: join(root, 'input.jsonl'), output: join(root, 'out') };
}

/** The example's module run in this process, on an embedded mini cluster at `parallelism`; the alert lines. */
async function runInProcess(t: ExecutionContext, transactions: readonly Transaction[], outOfOrdernessMs: number, parallelism: number): Promise<string[]> {
  const { input, output } = inputFile(t, transactions);
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
  await fraudDetection(env, ['--input', input, '--output', output, '--out-of-orderness', String(outOfOrdernessMs)]);
  return writtenLines(output);
}

test('fraud-detection --input --output --out-of-orderness writes the alerts an independent loop finds', async (t) => {
  const { input, output } = inputFile(t, TRANSACTIONS);
  const run = await runExample('fraud-detection.ts', ['--input', input, '--output', output, '--out-of-orderness', String(OUT_OF_ORDERNESS_MS)]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, '', 'nothing printed when the alerts go to files');
  const expected = expectedAlertLines(TRANSACTIONS, OUT_OF_ORDERNESS_MS);
  t.true(expected.length > 100, `${expected.length} alerts`);
  t.deepEqual(writtenLines(output), expected);
});

test('at parallelism 3, each account on one of three detectors, the alerts are the same; and with no out-of-orderness', async (t) => {
  t.deepEqual(await runInProcess(t, TRANSACTIONS, OUT_OF_ORDERNESS_MS, 3), expectedAlertLines(TRANSACTIONS, OUT_OF_ORDERNESS_MS));
  const inOrderish = generateTransactions({ seed: 9, count: 2_000, outOfOrdernessMs: 0 });
  t.deepEqual(await runInProcess(t, inOrderish, 0, 3), expectedAlertLines(inOrderish, 0));
});

test('the generated input reaches every edge: out of order, late, alerts at, after and before the timer', (t) => {
  const { alerts, late, outOfOrder } = detectFraud(TRANSACTIONS, OUT_OF_ORDERNESS_MS);
  t.true(outOfOrder > 100, `${outOfOrder} out of order within the bound`);
  t.true(late > 5, `${late} late`);
  const past = alerts.map((alert) => alert.pastTimerMs);
  t.true(past.some((ms) => ms < 0), 'an alert within the minute');
  t.true(past.includes(0), 'an alert exactly at the timer');
  t.true(past.includes(OUT_OF_ORDERNESS_MS + 1), 'an alert that itself raises the watermark to the timer');
  t.true(['0.99', '1.00', '500.00', '500.01'].every((amount) => TRANSACTIONS.some((transaction) => transaction.amount.toFixed(2) === amount)));
});

/** Hand-made transactions: `[account, ts, amount]`. */
const transactions = (...list: [string, number, number][]): Transaction[] => list.map(([account, ts, amount]) => ({ account, ts, amount }));

test('with no out-of-orderness, a large transaction at the timer alerts; once another raised the watermark to it, not', async (t) => {
  const input = transactions(
    ['a', 0, 0.5], // flag, timer at 60 000
    ['b', 0, 0.99], // flag, timer at 60 000 (0.99 is small)
    ['c', 60_000, 20], // watermark 59 999
    ['a', 60_000, 600.5], // flag still set: alerts
    ['c', 60_001, 20], // watermark 60 000: b's timer fires
    ['b', 60_001, 700], // no flag: no alert
    ['d', 70_000, 1], // 1.00 is not small: no flag
    ['d', 70_001, 900],
    ['e', 70_002, 0.1],
    ['e', 70_003, 500], // 500.00 is not large, and clears the flag
    ['e', 70_004, 501],
  );
  t.deepEqual(await runInProcess(t, input, 0, 2), ['a\t60000\t600.50']);
  t.deepEqual(expectedAlertLines(input, 0), ['a\t60000\t600.50']);
});

test('a late large transaction alerts if its account is flagged; a late small one sets a flag its next transaction sees', async (t) => {
  const input = transactions(
    ['a', 100_000, 0.5], // flag a, timer at 160 000
    ['x', 150_000, 10], // watermark 149 999
    ['a', 90_000, 800], // late (behind the watermark), but a is flagged: alerts
    ['b', 120_000, 0.5], // late; timer at 180 000, still ahead of the watermark
    ['b', 121_000, 999.99], // late too: alerts
    ['c', 10_000, 0.5], // late by more than a minute: timer at 70 000, already behind the watermark
    ['c', 10_001, 750], // no watermark rose in between: the timer has not fired, so this alerts
  );
  t.deepEqual((await runInProcess(t, input, 0, 2)).sort(), ['a\t90000\t800.00', 'b\t121000\t999.99', 'c\t10001\t750.00']);
  t.deepEqual(expectedAlertLines(input, 0), ['a\t90000\t800.00', 'b\t121000\t999.99', 'c\t10001\t750.00']);
});

test('fraud-detection fails naming the Parse operator and the line of a malformed transaction', async (t) => {
  const { input, output } = inputFile(t, []);
  writeFileSync(input, '{"account":"a","ts":1,"amount":2}\n{"account":"a","ts":"soon","amount":2}\n');
  const run = await runExample('fraud-detection.ts', ['--input', input, '--output', output]);
  t.not(run.code, 0);
  t.regex(run.stderr, /operator "Parse" \(id "map-\d+"\) failed on a record: expected \{"account": string, "ts": ms, "amount": number\}, got \{"account":"a","ts":"soon","amount":2\}/);
});

test('as `weir run` plans it, the source, parsing and watermarks chain at parallelism 1 before the keyed detectors', async (t) => {
  const { input, output } = inputFile(t, TRANSACTIONS.slice(0, 10));
  const plan = await planJob(fraudDetection, ['--input', input, '--output', output], { parallelism: 2 });
  t.is(plan.graph.name, 'Fraud Detection');
  t.is(plan.graph.runtimeMode, 'STREAMING');
  t.deepEqual(
    plan.graph.vertices.map((vertex) => [vertex.name, vertex.parallelism]),
    [
      ['Transactions -> Parse -> Timestamps', 1],
      ['Fraud Detector -> Format -> Alerts File', 2],
    ],
  );
});

test('fraud-detection needs --input and takes a whole number of ms as --out-of-orderness', (t) => {
  t.throws(() => parseFraudDetectionArgs(['--output', 'x']), { message: /--input is missing; usage: fraud-detection\.ts/ });
  t.throws(() => parseFraudDetectionArgs(['--input', 'x', '--out-of-orderness', '5s']), { message: /unexpected argument --out-of-orderness 5s; usage/ });
  t.deepEqual(parseFraudDetectionArgs(['--input', 'x', '--out-of-orderness', '250']), { input: 'x', outOfOrdernessMs: 250 });
});
