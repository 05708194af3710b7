// The fraud-detection example as its top comment runs it on a cluster: `weir run` with parallelism
// 2 on a standalone cluster of two TaskManager processes, so the ordered source (parallelism 1) sits
// on one of them and the transactions and every watermark cross the keyBy to both detectors, one of
// them over the data connection. The alerts must be those of the independent loop
// (spec/examples/fraud-alerts.ts) over the same seeded transactions.
import test from 'ava';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTransactions, toJsonLines } from '../../examples/fraud-transactions.ts';
import { expectedAlertLines, writtenLines } from '../examples/fraud-alerts.ts';
import { REPO_ROOT, runCommand } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const OUT_OF_ORDERNESS_MS = 3_000;
/** `weir run` type-checks the module, submits it and waits for the end: bounded, loudly. */
const RUN_TIMEOUT_MS = 60_000;

test('weir run examples/fraud-detection.ts -p 2 on two TaskManagers writes the alerts an independent loop finds', async (t) => {
  const { root, env } = await startStandaloneCluster(t, { name: 'weir-e2e-fraud', logLevel: 'warn' });
  const transactions = generateTransactions({ seed: 21, count: 4_000, outOfOrdernessMs: OUT_OF_ORDERNESS_MS });
  const input = join(root, 'transactions.jsonl');
  writeFileSync(input, toJsonLines(transactions));
  const output = join(root, 'alerts');

  const args = ['--input', input, '--output', output, '--out-of-orderness', String(OUT_OF_ORDERNESS_MS)];
  const run = await runCommand(process.execPath, [join(REPO_ROOT, 'bin', 'weir'), 'run', 'examples/fraud-detection.ts', '-p', '2', '--', ...args], env, RUN_TIMEOUT_MS);
  t.is(run.code, 0, `weir run exited with ${run.code}: ${run.stderr}`);
  t.regex(run.stdout, /job "Fraud Detection" \(\S+\) is FINISHED/);

  t.deepEqual(readdirSync(output).sort(), ['part-0', 'part-1'], 'one part file per detector subtask');
  for (const part of ['part-0', 'part-1']) t.not(readFileSync(join(output, part), 'utf8'), '', `${part} holds alerts: both detectors had accounts`);
  const expected = expectedAlertLines(transactions, OUT_OF_ORDERNESS_MS);
  t.true(expected.length > 100, `${expected.length} alerts`);
  t.deepEqual(writtenLines(output), expected);
});
