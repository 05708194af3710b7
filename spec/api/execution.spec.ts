// Running a pipeline from the program that declares it, on the embedded mini cluster the package
// entry wires in: execute(), executeAndCollect() and toObservable() against independent results.
import test from 'ava';
import { interval, lastValueFrom, map, take, toArray } from 'rxjs';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OutputTag, StreamExecutionEnvironment, WeirError } from '../../index.ts';
import { within } from '../cluster/helpers.ts';
import { collectWordCounts } from '../e2e/fixtures/collect-job.ts';
import { sourcePosition } from '../testkit/source-position.ts';

const TEXT = ['The weir holds the river back,', 'and the river runs over the weir.', 'Über den Wehr, über den Fluss: 2 rivers, 2 weirs!'];

const tokenize = (line: string): string[] => line.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');

/** The independent count: a plain loop. */
function expectedCounts(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) for (const word of tokenize(line)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

const byWord = (pairs: Iterable<readonly [string, number]>): [string, number][] => [...pairs].map(([w, c]): [string, number] => [w, c]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Bounded: a job of the embedded mini cluster ends in well under a second. */
const JOB_MS = 10_000;

for (const parallelism of [1, 2]) {
  test(`env.executeAndCollect() yields the final word counts of a BATCH word count at parallelism ${parallelism}`, async (t) => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism });
    env.setRuntimeMode('BATCH');
    env
      .fromCollection(TEXT)
      .flatMap(tokenize)
      .map((word): [string, number] => [word, 1])
      .keyBy(([word]) => word)
      .sum(1);
    const results: [string, number][] = [];
    await within(
      (async () => {
        for await (const pair of env.executeAndCollect<[string, number]>('collected word count')) results.push(pair);
      })(),
      'the collected word count',
      JOB_MS,
    );
    t.deepEqual(byWord(results), byWord(expectedCounts(TEXT)));
  });
}

test('stream.executeAndCollect() yields that stream only, even with other sinks in the pipeline', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const numbers = env.fromSequence(1, 5_000);
  const printed: number[] = [];
  numbers.filter((n) => n % 1000 === 0).sinkTo((n) => void printed.push(n));
  const squares: number[] = [];
  for await (const square of numbers.map((n) => n * n).executeAndCollect()) squares.push(square);
  t.deepEqual(
    squares.sort((a, b) => a - b),
    Array.from({ length: 5_000 }, (_, index) => (index + 1) ** 2),
  );
  t.deepEqual(printed, [1000, 2000, 3000, 4000, 5000], 'the other sink ran in the same job');
});

test('a collect reader slower than the job holds it back, and still gets every record in order', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  let read = 0;
  let outOfOrder = 0;
  for await (const n of env.fromSequence(1, 100_000).executeAndCollect()) {
    if (n !== read + 1) outOfOrder++;
    read = n;
    if (read % 20_000 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.is(read, 100_000);
  t.is(outOfOrder, 0);
});

test('execute() resolves once the job FINISHED, with its id, name and run time', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const out: number[] = [];
  env.fromSequence(1, 100).sinkTo((n) => void out.push(n));
  const result = await within(env.execute('hundred'), 'the job', JOB_MS);
  t.is(result.jobName, 'hundred');
  t.regex(String(result.jobId), /^[0-9a-f-]{36}$/);
  t.true(result.netRuntimeMs >= 0);
  t.is(out.length, 100);
});

test('execute() rejects with JOB_FAILED naming the operator and the cause when a user function throws', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromSequence(1, 10)
    .map((n) => {
      if (n === 7) throw new Error('seven is unlucky');
      return n;
    })
    .name('Picky')
    .sinkTo(() => {});
  const error = await within(
    env.execute('picky job').then(
      () => undefined,
      (rejected: unknown) => rejected,
    ),
    'the job to fail',
    JOB_MS,
  );
  t.true(error instanceof WeirError);
  t.is((error as WeirError).code, 'JOB_FAILED');
  t.regex((error as Error).message, /job "picky job" .* failed: .*operator "Picky" \(id "map-1"\) failed on a record: seven is unlucky/);
  t.like((error as Error).cause, { code: 'USER_FUNCTION_FAILED' });
});

const COLLECT_JOB = fileURLToPath(new URL('../e2e/fixtures/collect-job.ts', import.meta.url));
/** Where the fixture's map function throws, as its frame names it. */
const REFUSE_KEYS_THROW = sourcePosition(COLLECT_JOB, 'new Error(`no keys here');

test('the rejection of a job whose function throws has the file:line of the throw as its stack', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const error = await within(
    collectWordCounts(env, ['fail', '100']).then(
      () => undefined,
      (rejected: Error) => rejected,
    ),
    'the job to fail',
    JOB_MS,
  );
  t.is((error as WeirError).code, 'JOB_FAILED');
  t.deepEqual(error?.stack?.split('\n').slice(1), [`    at Object.refuseKeys (${REFUSE_KEYS_THROW})`]);
});

test('a script whose embedded job fails prints one error: the failure, the throw\'s file:line and the cause\'s code', async (t) => {
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', COLLECT_JOB, 'fail', '100'], { timeout: 30_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
  t.is(run.code, 1, run.stderr);
  t.is(run.stdout, '');
  // Node's own lines around it (where the rejection surfaced, its version) are Node's to choose.
  const printed = run.stderr.slice(run.stderr.indexOf('WeirError: '), run.stderr.lastIndexOf('}') + 1);
  const jobId = /\(([0-9a-f-]{36})\)/.exec(printed)?.[1] ?? '';
  const failure = `Source: Collection -> Flat Map -> Refuse Keys -> Map -> Sum (combiner) (1/1): failed: operator "Refuse Keys" (id "map-2") failed on a record: no keys here: key`;
  t.is(
    printed,
    [
      `WeirError: job "collected word count" (${jobId}) failed: ${failure}`,
      `    at Object.refuseKeys (${REFUSE_KEYS_THROW}) {`,
      "  code: 'JOB_FAILED',",
      '  [cause]: {',
      "    name: 'WeirError',",
      `    message: '${failure}',`,
      "    code: 'USER_FUNCTION_FAILED'",
      '  }',
      '}',
    ].join('\n'),
  );
  // Nothing else: no unhandled rejection, no second copy of the stack, only Node's few lines around it.
  t.is(run.stderr.match(/WeirError/g)?.length, 2, run.stderr);
  t.false(/unhandled/i.test(run.stderr), run.stderr);
  t.true(run.stderr.split('\n').length <= printed.split('\n').length + 8, run.stderr);
});

test('a failing job makes executeAndCollect() reject with the cause', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromSequence(1, 10).map((n) => {
    if (n === 3) throw new Error('three');
    return n;
  });
  const read = async (): Promise<void> => {
    for await (const _ of env.executeAndCollect()) {
      // records before the failure may or may not arrive
    }
  };
  const error = await within(
    read().then(
      () => undefined,
      (rejected: unknown) => rejected,
    ),
    'the read to fail',
    JOB_MS,
  );
  t.is((error as WeirError).code, 'JOB_FAILED');
  t.regex((error as Error).message, /failed on a record: three/);
});

test('toObservable() emits the stream on the client when subscribed, then completes', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const labels$ = env
    .fromObservable(() => interval(1).pipe(take(20)))
    .map((n) => `tick ${n}`)
    .toObservable('ticks');
  const labels = await within(lastValueFrom(labels$.pipe(toArray())), 'the observable to complete', JOB_MS);
  t.deepEqual(
    labels,
    Array.from({ length: 20 }, (_, n) => `tick ${n}`),
  );
  // Cold: a second subscription runs the job again.
  const again = await within(lastValueFrom(labels$.pipe(map((label) => label.toUpperCase()), toArray())), 'the second run', JOB_MS);
  t.is(again.length, 20);
  t.is(again[19], 'TICK 19');
});

test('breaking out of the collect loop of an unbounded job cancels it', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const firsts: number[] = [];
  await within(
    (async () => {
      // return() settles only once the job has ended and its mini cluster is closed.
      for await (const n of env.fromSequence(1, Number.MAX_SAFE_INTEGER).executeAndCollect()) {
        firsts.push(n);
        if (firsts.length === 3) break;
      }
    })(),
    'the loop to end and the job to be cancelled',
    JOB_MS,
  );
  t.deepEqual(firsts, [1, 2, 3]);
});

test('unsubscribing from toObservable() of an unbounded job cancels it', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const values = await within(lastValueFrom(env.fromSequence(1, Number.MAX_SAFE_INTEGER).toObservable().pipe(take(5), toArray())), 'five values', JOB_MS);
  t.deepEqual(values, [1, 2, 3, 4, 5]);
});

test('a remote environment names its cluster, and an unreachable one fails execute() naming the address', async (t) => {
  const env = StreamExecutionEnvironment.createRemoteEnvironment('127.0.0.1', 1, { jobModule: 'unused.ts' });
  env.fromSequence(1, 3).print();
  const error = await within(
    env.execute().then(
      () => undefined,
      (rejected: unknown) => rejected,
    ),
    'the connection to fail',
    JOB_MS,
  );
  t.is((error as WeirError).code, 'JOBMANAGER_UNREACHABLE');
  t.regex((error as Error).message, /127\.0\.0\.1:1/);
  t.throws(() => StreamExecutionEnvironment.createRemoteEnvironment('', 6123), { code: 'INVALID_ARGUMENT' } as never);
});

test('env.executeAndCollect() yields an operator\'s main output even when its side output is read too', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 1 });
  const odd = new OutputTag<string>('odd');
  const evens = env.fromSequence(1, 6).process<number>((n, ctx, out) => (n % 2 === 0 ? out.collect(n) : ctx.output(odd, `odd ${n}`)));
  evens.getSideOutput(odd).map((text) => text.toUpperCase());
  const results: unknown[] = [];
  await within(
    (async () => {
      for await (const record of env.executeAndCollect('main and side')) results.push(record);
    })(),
    'the collected job',
    JOB_MS,
  );
  t.deepEqual(
    results.map(String).sort(),
    ['2', '4', '6', 'ODD 1', 'ODD 3', 'ODD 5'],
  );
});
