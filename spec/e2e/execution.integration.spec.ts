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
import { sourcePosition } from '../testkit/source-position.ts';
import { REPO_ROOT, runCommand as run, within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const COLLECT_JOB = fileURLToPath(new URL('./fixtures/collect-job.ts', import.meta.url));
/** The throw of the failing word count, as the user's frame names it (V8 points at the `new`). */
const REFUSE_KEYS_THROW = sourcePosition(COLLECT_JOB, 'new Error(`no keys here');

function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  return counts;
}

const sorted = (counts: Map<string, number>): [string, number][] => [...counts].sort(([a], [b]) => (a < b ? -1 : 1));

test('a program runs its jobs on a standalone cluster and reads their results', async (t) => {
  const { address: cluster, root, env, restUrl, logDir } = await startStandaloneCluster(t, { name: 'weir-execution', logLevel: 'warn', settings: ['rest.port: 0'] });

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
  // The TaskManager ran the bundle: its source map names the fixture's line, in the rejection's stack.
  t.is(error?.stack?.split('\n')[1], `    at Object.refuseKeys (${REFUSE_KEYS_THROW})`, error?.stack);

  // weir run prints the failure and the user's frame; the REST API's exceptions have it too.
  const failedRun = await run(join(REPO_ROOT, 'bin', 'weir'), ['run', '--no-typecheck', '-p', '2', COLLECT_JOB, 'fail', '100'], env);
  t.is(failedRun.code, 1, failedRun.stderr);
  const failedJob = /JobID (\S+)/.exec(failedRun.stdout)?.[1] ?? '';
  const [failureLine, ...frames] = failedRun.stderr.trimEnd().split('\n');
  t.regex(failureLine ?? '', new RegExp(`^weir: job "collected word count" \\(${failedJob}\\) failed: .*operator "Refuse Keys" \\(id "map-\\d+"\\) failed on a record: no keys here: key$`));
  t.deepEqual(frames, [`    at Object.refuseKeys (${REFUSE_KEYS_THROW})`]);
  const exceptions = (await (await fetch(`${restUrl}/jobs/${failedJob}/exceptions`, { signal: AbortSignal.timeout(10_000) })).json()) as { 'root-exception': string };
  t.true(exceptions['root-exception'].includes(`\n    at Object.refuseKeys (${REFUSE_KEYS_THROW})\n`), exceptions['root-exception']);
  // The TaskManager that ran it logs the failure with the user's frames.
  const failures = readdirSync(logDir)
    .filter((file) => /^weir-taskmanager.*\.log$/.test(file))
    .flatMap((file) => readFileSync(join(logDir, file), 'utf8').split('\n'))
    .filter((line) => line.includes(failedJob) && line.includes('"userFrames"'))
    .map((line) => JSON.parse(line) as { level: string; msg: string; userFrames: string[] });
  t.like(failures[0], { level: 'warn', userFrames: [`at Object.refuseKeys (${REFUSE_KEYS_THROW})`] });
  t.regex(failures[0]?.msg ?? '', /failed: .*no keys here: key$/);

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
