// A program that runs its pipeline on a standalone cluster (two TaskManager processes): results come
// back to it through the collect receiver actor, a failed job rejects with its cause, and the word
// count example runs under `weir run` with parallelism 2, checked against an independent count.
import test from 'ava';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamExecutionEnvironment } from '../../index.ts';
import { writeSampleOrders } from '../../examples/custom-source.ts';
import { orderTotals } from '../examples/order-totals.ts';
import { collectWordCounts, lines } from './fixtures/collect-job.ts';
import { REPO_ROOT, runCommand as run, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const COLLECT_JOB = fileURLToPath(new URL('./fixtures/collect-job.ts', import.meta.url));

function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  return counts;
}

const sorted = (counts: Map<string, number>): [string, number][] => [...counts].sort(([a], [b]) => (a < b ? -1 : 1));

test('a program runs its jobs on a standalone cluster and reads their results', async (t) => {
  const { address: cluster, root, env } = await startStandaloneCluster(t, { name: 'weir-execution', logLevel: 'warn', settings: ['rest.port: 0'] });

  // Results travel from the sink subtasks of both TaskManagers to this process's receiver actor.
  const args = ['count', '20000'];
  const remote = StreamExecutionEnvironment.getExecutionEnvironment({ cluster, jobModule: COLLECT_JOB, args, parallelism: 2 });
  const counts = await within(collectWordCounts(remote, args), 30_000, 'the remote word count');
  t.deepEqual(sorted(counts), sorted(countWords(lines(20_000).join('\n'))));

  // A failure on a TaskManager reaches the program as the rejection of its collect loop.
  const failArgs = ['fail', '100'];
  const failing = StreamExecutionEnvironment.getExecutionEnvironment({ cluster, jobModule: COLLECT_JOB, args: failArgs, parallelism: 2 });
  const error = await within(
    collectWordCounts(failing, failArgs).then(
      () => undefined,
      (rejected: Error) => rejected,
    ),
    30_000,
    'the failing job',
  );
  t.like(error, { code: 'JOB_FAILED' });
  t.regex(error?.message ?? '', /operator "Refuse Keys" \(id "map-\d+"\) failed on a record: no keys here: key/);

  // The example, as its top comment runs it on a cluster.
  const input = join(root, 'input.txt');
  const text = lines(5_000).join('\n') + '\nÜber den Fluss — the river, THE RIVER.\n';
  writeFileSync(input, text);
  const output = join(root, 'out');
  const weirRun = await run(join(REPO_ROOT, 'bin', 'weir'), ['run', 'examples/wordcount.ts', '-p', '2', '--', '--input', input, '--output', output], env);
  t.is(weirRun.code, 0, weirRun.stderr);
  t.regex(weirRun.stdout, /job "Word Count" \(\S+\) is FINISHED/);
  const written = readdirSync(output).flatMap((file) => readFileSync(join(output, file), 'utf8').split('\n').filter((line) => line !== ''));
  t.is(readdirSync(output).length, 2, 'one part file per sink subtask');
  t.deepEqual(written.sort(), sorted(countWords(text)).map(([word, count]) => `${word}\t${count}`).sort());

  // A connector's Source: its enumerator runs in the JobManager process (which imports the bundle),
  // its readers in both TaskManagers.
  const orders = join(root, 'orders');
  mkdirSync(orders);
  writeSampleOrders(orders, 8, 500);
  const totalsDir = join(root, 'totals');
  const sourceRun = await run(join(REPO_ROOT, 'bin', 'weir'), ['run', 'examples/custom-source.ts', '-p', '2', '--', '--input', orders, '--output', totalsDir], env);
  t.is(sourceRun.code, 0, sourceRun.stderr);
  const totals = readdirSync(totalsDir).flatMap((file) => readFileSync(join(totalsDir, file), 'utf8').split('\n').filter((line) => line !== ''));
  t.deepEqual(totals.sort(), orderTotals(orders));
});
