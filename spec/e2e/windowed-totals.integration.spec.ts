// The windowed-totals example as its top comment runs it on a cluster: `weir run` with parallelism
// 2 on a standalone cluster of two TaskManager processes, so the ordered reader (parallelism 1) sits
// on one of them and the readings and every watermark cross the keyBy to both window subtasks, one
// of them over the data connection. Sessions (merging state) with allowed lateness: the totals and
// late lines must be the window model's (spec/examples/event-time-windows.ts).
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateReadings, toJsonLines } from '../../examples/window-readings.ts';
import { parseWindowSpec } from '../../examples/windowed-totals.ts';
import { writtenLines } from '../examples/fraud-alerts.ts';
import { expectedWindowedTotals } from '../examples/windowed-totals-expected.ts';
import { linesOfBothParts, weirRunExample } from './cluster-example.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const OUT_OF_ORDERNESS_MS = 300;
const ALLOWED_LATENESS_MS = 1_000;

test('weir run examples/windowed-totals.ts -p 2 on two TaskManagers writes the totals and late lines of the window model', async (t) => {
  const { root, env } = await startStandaloneCluster(t, { name: 'weir-e2e-windowed-totals', logLevel: 'warn' });
  const text = toJsonLines(generateReadings({ seed: 23, count: 4_000, outOfOrdernessMs: OUT_OF_ORDERNESS_MS }));
  const input = join(root, 'readings.jsonl');
  writeFileSync(input, text);

  const window = 'session:200';
  const [output, lateOutput] = [join(root, 'totals'), join(root, 'late')];
  const args = ['--input', input, '--output', output, '--late-output', lateOutput, '--window', window];
  args.push('--out-of-orderness', String(OUT_OF_ORDERNESS_MS), '--allowed-lateness', String(ALLOWED_LATENESS_MS));
  await weirRunExample(t, env, 'windowed-totals.ts', 'Windowed Totals', args);
  const expected = expectedWindowedTotals(text.split('\n'), parseWindowSpec(window), OUT_OF_ORDERNESS_MS, ALLOWED_LATENESS_MS);
  t.true(expected.totals.length > 1_000 && expected.late.length > 20, `${expected.totals.length} firings, ${expected.late.length} late lines`);
  t.true(expected.run.lateFirings > 20 && expected.run.bridges > 5, `${expected.run.lateFirings} late firings, ${expected.run.bridges} bridged sessions`);
  t.deepEqual(linesOfBothParts(t, output), expected.totals);
  t.deepEqual(writtenLines(lateOutput), expected.late);
});
