// The windowed-totals example, run as its top comment says and in this process at parallelism 1 and
// 2 for every kind of window, its totals and late lines checked against the window model
// (event-time-windows.ts) over the same seeded readings; small hand-made inputs with their output
// written out; the same pipeline with aggregate() alone (the aligned-window fast path); the --rate
// throttle; and the job planned as `weir run` plans it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { planJob } from '../../api/internal.ts';
import { generateReadings, toJsonLines } from '../../examples/window-readings.ts';
import windowedTotals, {
  type Reading,
  fileLines,
  parseReading,
  parseWindowSpec,
  parseWindowedTotalsArgs,
  watermarkAfterEveryRecord,
  windowAssigner,
} from '../../examples/windowed-totals.ts';
import { type AggregateFunction, OutputTag, StreamExecutionEnvironment } from '../../index.ts';
import { writtenLines } from './fraud-alerts.ts';
import { lines, runExample } from './run-example.ts';
import { expectedWindowedTotals } from './windowed-totals-expected.ts';

const OUT_OF_ORDERNESS_MS = 300;
const INPUT = toJsonLines(generateReadings({ seed: 11, count: 3_000, outOfOrdernessMs: OUT_OF_ORDERNESS_MS }));

interface Files {
  readonly input: string;
  readonly output: string;
  readonly lateOutput: string;
}

/** A temporary directory with `text` as input.jsonl; out/ and late/ are where the example writes. */
function files(t: ExecutionContext, text: string): Files {
  const root = mkdtempSync(join(tmpdir(), 'weir-windowed-totals-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'input.jsonl'), text);
  return { input: join(root, 'input.jsonl'), output: join(root, 'out'), lateOutput: join(root, 'late') };
}

const argsFor = ({ input, output, lateOutput }: Files, window: string, outOfOrdernessMs: number, allowedLatenessMs: number, more: string[] = []): string[] => [
  ...['--input', input, '--output', output, '--late-output', lateOutput, '--window', window],
  ...['--out-of-orderness', String(outOfOrdernessMs), '--allowed-lateness', String(allowedLatenessMs), ...more],
];

/** The example's module run in this process on an embedded mini cluster at `parallelism`: its totals and late lines, sorted. */
async function runInProcess(t: ExecutionContext, text: string, window: string, outOfOrdernessMs: number, allowedLatenessMs: number, parallelism: number): Promise<{ totals: string[]; late: string[] }> {
  const at = files(t, text);
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
  await windowedTotals(env, argsFor(at, window, outOfOrdernessMs, allowedLatenessMs));
  return { totals: writtenLines(at.output), late: writtenLines(at.lateOutput) };
}

const expected = (text: string, window: string, outOfOrdernessMs: number, allowedLatenessMs: number): { totals: string[]; late: string[] } => {
  const { totals, late } = expectedWindowedTotals(text.split('\n'), parseWindowSpec(window), outOfOrdernessMs, allowedLatenessMs);
  return { totals, late };
};

test('windowed-totals, run as its top comment says, writes the totals and late lines of the window model', async (t) => {
  const at = files(t, INPUT);
  const run = await runExample('windowed-totals.ts', argsFor(at, 'tumbling:1000', OUT_OF_ORDERNESS_MS, 2_000));
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, '', 'nothing printed');
  t.is(run.stderr, '', 'nothing logged');
  const model = expected(INPUT, 'tumbling:1000', OUT_OF_ORDERNESS_MS, 2_000);
  t.deepEqual({ totals: writtenLines(at.output), late: writtenLines(at.lateOutput) }, model);
});

for (const window of ['tumbling:1000', 'sliding:1000:250', 'sliding:700:300', 'session:200']) {
  test(`${window}: at parallelism 1 and 2, with and without allowed lateness, the output is the window model's`, async (t) => {
    for (const [parallelism, allowedLatenessMs] of [[1, 1_000], [2, 1_000], [2, 0]]) {
      const model = expected(INPUT, window, OUT_OF_ORDERNESS_MS, allowedLatenessMs);
      t.true(model.totals.length > 500 && model.late.length > 20, `${model.totals.length} firings, ${model.late.length} late`);
      t.deepEqual(await runInProcess(t, INPUT, window, OUT_OF_ORDERNESS_MS, allowedLatenessMs, parallelism), model, `parallelism ${parallelism}, allowed lateness ${allowedLatenessMs}`);
    }
  });
}

/** The example's pipeline with aggregate() alone (the aligned-window fast path for tumbling and sliding): the window from the result's timestamp. */
async function runWithoutWindowFunction(text: string, window: string, allowedLatenessMs: number): Promise<{ totals: string[]; late: string[] }> {
  const size = (parseWindowSpec(window) as { size: number }).size;
  const late = new OutputTag<Reading>('late');
  type Totals = { key: string; count: number; sum: number };
  const totals: AggregateFunction<Reading, Totals, Totals> = {
    createAccumulator: () => ({ key: '', count: 0, sum: 0 }),
    add: (reading, { count, sum }) => ({ key: reading.key, count: count + 1, sum: sum + reading.value }),
    getResult: (accumulator) => accumulator,
    merge: (a, b) => ({ key: a.key || b.key, count: a.count + b.count, sum: a.sum + b.sum }),
  };
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  const windowed = env
    .fromCollection(text.split('\n').filter((line) => line !== ''))
    .setParallelism(1)
    .map(parseReading)
    .setParallelism(1)
    .assignTimestampsAndWatermarks(watermarkAfterEveryRecord(OUT_OF_ORDERNESS_MS, (reading) => reading.ts))
    .setParallelism(1)
    .keyBy((reading) => reading.key)
    .window(windowAssigner(parseWindowSpec(window)))
    .allowedLateness(allowedLatenessMs)
    .sideOutputLateData(late)
    .aggregate(totals);
  const lines = windowed.process<string>(({ key, count, sum }, ctx, out) => out.collect(`${key}\t${(ctx.timestamp() as number) + 1 - size}\t${(ctx.timestamp() as number) + 1}\t${count}\t${sum}`));
  const out = { totals: [] as string[], late: [] as string[] };
  for await (const line of lines.union(windowed.getSideOutput(late).map((reading) => `late ${reading.line}`)).executeAndCollect()) {
    if (line.startsWith('late ')) out.late.push(line.slice('late '.length));
    else out.totals.push(line);
  }
  return { totals: out.totals.sort(), late: out.late.sort() };
}

test('aggregate() without a window function (the aligned fast path) gives the window model\'s totals too', async (t) => {
  for (const [window, allowedLatenessMs] of [['tumbling:1000', 1_000], ['sliding:700:300', 1_000], ['sliding:1000:250', 0]] as const) {
    t.deepEqual(await runWithoutWindowFunction(INPUT, window, allowedLatenessMs), expected(INPUT, window, OUT_OF_ORDERNESS_MS, allowedLatenessMs), `${window}, allowed lateness ${allowedLatenessMs}`);
  }
});

test('the generated input reaches every edge: out of order, late within and beyond the lateness, window edges, bridged sessions', (t) => {
  const lines = INPUT.split('\n');
  const { run: tumbling } = expectedWindowedTotals(lines, parseWindowSpec('tumbling:1000'), OUT_OF_ORDERNESS_MS, 1_000);
  t.true(tumbling.outOfOrder > 500, `${tumbling.outOfOrder} out of order within the bound`);
  t.true(tumbling.lateButTaken > 20, `${tumbling.lateButTaken} behind the watermark yet taken`);
  t.true(tumbling.lateFirings > 20, `${tumbling.lateFirings} windows fired again by a late record`);
  t.true(tumbling.late.length > 20, `${tumbling.late.length} late beyond the lateness`);
  t.true(lines.filter((line) => line !== '' && (JSON.parse(line) as { ts: number }).ts % 1_000 === 0).length > 5, 'readings on a window start');
  const { run: sessions } = expectedWindowedTotals(lines, parseWindowSpec('session:200'), OUT_OF_ORDERNESS_MS, 1_000);
  t.true(sessions.bridges > 5, `${sessions.bridges} readings join two live sessions into one`);
  t.true(sessions.lateFirings > 5, `${sessions.lateFirings} sessions fired again by a late record`);
});

/** JSON lines of hand-made readings: `[key, ts, value]`. */
const readings = (...list: [string, number, number][]): string => list.map(([key, ts, value]) => JSON.stringify({ key, ts, value }) + '\n').join('');

test('tumbling windows by hand: a window fires at the watermark, again for a late record within the lateness, and later records are late lines', async (t) => {
  const input = readings(
    ['a', 100, 1],
    ['a', 999, 2], // watermark 998
    ['b', 1_000, 4], // watermark 999: a [0,1000) fires
    ['a', 500, 8], // late, within the lateness: a [0,1000) fires again
    ['b', 2_000, 16], // watermark 1999: b [1000,2000) fires; a [0,1000) is past its lateness
    ['a', 999, 32], // late beyond the lateness
    ['a', 1_000, 64], // late, within: a [1000,2000) fires at once
  );
  const out = {
    totals: ['a\t0\t1000\t2\t3', 'a\t0\t1000\t3\t11', 'a\t1000\t2000\t1\t64', 'b\t1000\t2000\t1\t4', 'b\t2000\t3000\t1\t16'],
    late: ['{"key":"a","ts":999,"value":32}'],
  };
  t.deepEqual(expected(input, 'tumbling:1000', 0, 1_000), out);
  t.deepEqual(await runInProcess(t, input, 'tumbling:1000', 0, 1_000, 2), out);
});

test('with no out-of-orderness the watermark is 1 ms behind: a record at the largest timestamp is not late, one behind it at a window end is', async (t) => {
  const input = readings(
    ['a', 999, 1], // watermark 998: [0,1000) stays open
    ['a', 999, 2], // not late: joins it
    ['b', 1_999, 4], // watermark 1998: a [0,1000) fires
    ['a', 1_998, 8], // behind the largest timestamp, but [1000,2000) is open
    ['a', 998, 16], // late
  );
  const out = { totals: ['a\t0\t1000\t2\t3', 'a\t1000\t2000\t1\t8', 'b\t1000\t2000\t1\t4'], late: ['{"key":"a","ts":998,"value":16}'] };
  t.deepEqual(expected(input, 'tumbling:1000', 0, 0), out);
  t.deepEqual(await runInProcess(t, input, 'tumbling:1000', 0, 0, 2), out);
});

test('session windows by hand: a late record bridges two sessions, another fires a fired session again, a third is late', async (t) => {
  const input = readings(
    ['a', 0, 1],
    ['a', 180, 2], // watermark 179: a [0,100) fires
    ['a', 90, 4], // [90,190) touches [0,100) and [180,280): one session [0,280)
    ['a', 600, 8], // watermark 599: a [0,280) fires
    ['a', 50, 16], // within [0,280), within the lateness: fires it again
    ['b', 900, 32], // watermark 899: a [600,700) fires; a [0,280) is past its lateness
    ['a', 200, 64], // [200,300) would end past the lateness: late
    ['a', 400, 128], // [400,500) is within the lateness: a new session, fired at once
  );
  const out = {
    totals: ['a\t0\t100\t1\t1', 'a\t0\t280\t3\t7', 'a\t0\t280\t4\t23', 'a\t400\t500\t1\t128', 'a\t600\t700\t1\t8', 'b\t900\t1000\t1\t32'],
    late: ['{"key":"a","ts":200,"value":64}'],
  };
  t.deepEqual(expected(input, 'session:100', 0, 500), out);
  t.deepEqual(await runInProcess(t, input, 'session:100', 0, 500, 2), out);
});

test('--rate N paces the reader to N lines a second, from its first line, and the totals stay the same', async (t) => {
  const at = files(t, INPUT.split('\n').slice(0, 40).join('\n') + '\n');
  const reader = fileLines(at.input, 100).createReader({} as never);
  const started = Date.now();
  const arrivals: number[] = [];
  for await (const _line of reader.read({ path: at.input }) as AsyncIterable<string>) arrivals.push(Date.now() - started);
  t.is(arrivals.length, 40);
  t.true(arrivals.every((ms, index) => ms >= index * 10 - 2), `line n no earlier than n * 10 ms: ${arrivals.join(' ')}`);
  t.true(arrivals[39] < 390 + 1_000, 'and not much later');

  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  await windowedTotals(env, argsFor(at, 'sliding:1000:500', OUT_OF_ORDERNESS_MS, 500, ['--rate', '400', '--checkpoint-interval', '1000']));
  const model = expected(INPUT.split('\n').slice(0, 40).join('\n'), 'sliding:1000:500', OUT_OF_ORDERNESS_MS, 500);
  t.deepEqual({ totals: writtenLines(at.output), late: writtenLines(at.lateOutput) }, model);
});

test('windowed-totals fails naming the Parse operator and the line of a malformed reading', async (t) => {
  const at = files(t, '{"key":"a","ts":1,"value":2}\n{"key":"a","ts":"soon","value":2}\n');
  const run = await runExample('windowed-totals.ts', argsFor(at, 'tumbling:10', 0, 0));
  t.not(run.code, 0);
  t.regex(run.stderr, /operator "Parse" \(id "map-\d+"\) failed on a record: expected \{"key": string, "ts": ms, "value": number\}, got \{"key":"a","ts":"soon","value":2\}/);
});

test('as `weir run` plans it, the reader, parsing and watermarks chain at parallelism 1 before the windows', async (t) => {
  const at = files(t, INPUT);
  const plan = await planJob(windowedTotals, argsFor(at, 'session:200', 0, 0), { parallelism: 2 });
  t.is(plan.graph.name, 'Windowed Totals');
  t.is(plan.graph.runtimeMode, 'STREAMING');
  t.deepEqual(
    plan.graph.vertices.map((vertex) => [vertex.name, vertex.parallelism]),
    [
      ['Readings -> Parse -> Timestamps', 1],
      ['Totals -> Totals File -> Late Lines -> Late File', 2],
    ],
  );
});

test('windowed-totals takes the window spec and whole numbers of ms as issue 8 gives them, and names what is wrong', (t) => {
  const required = ['--input', 'in', '--output', 'out', '--late-output', 'late', '--window', 'sliding:10:5', '--out-of-orderness', '0', '--allowed-lateness', '7'];
  t.deepEqual(parseWindowedTotalsArgs(required), {
    input: 'in',
    output: 'out',
    lateOutput: 'late',
    window: { kind: 'sliding', size: 10, slide: 5 },
    outOfOrdernessMs: 0,
    allowedLatenessMs: 7,
  });
  t.like(parseWindowedTotalsArgs([...required, '--checkpoint-interval', '5000', '--rate', '100']), { checkpointIntervalMs: 5_000, rate: 100 });
  t.deepEqual(parseWindowSpec('tumbling:60000'), { kind: 'tumbling', size: 60_000 });
  t.deepEqual(parseWindowSpec('session:3'), { kind: 'session', gap: 3 });
  for (const spec of ['tumbling', 'tumbling:0', 'tumbling:1.5', 'sliding:10', 'session:5:1', 'hopping:10', 'tumbling:-5']) {
    t.throws(() => parseWindowSpec(spec), { message: new RegExp(`^--window expects tumbling:<ms>, sliding:<ms>:<ms> or session:<ms> \\(positive whole ms\\), got "${spec}"; usage`) });
  }
  t.throws(() => parseWindowedTotalsArgs(required.slice(2)), { message: /^--input is missing; usage: windowed-totals\.ts/ });
  t.throws(() => parseWindowedTotalsArgs(required.slice(0, -2)), { message: /^--allowed-lateness is missing; usage/ });
  t.throws(() => parseWindowedTotalsArgs([...required, '--checkpoint-interval', '0']), { message: /^--checkpoint-interval expects a positive whole number, got "0"; usage/ });
  t.throws(() => parseWindowedTotalsArgs([...required, '--rate', '2.5']), { message: /^--rate expects a positive whole number, got "2\.5"; usage/ });
  t.throws(() => parseWindowedTotalsArgs([...required.slice(0, -1), '-1']), { message: /^--allowed-lateness expects a non-negative whole number, got "-1"; usage/ });
  t.throws(() => parseWindowedTotalsArgs([...required, '--parallelism', '2']), { message: /^unexpected argument --parallelism 2; usage/ });
  t.throws(() => parseWindowedTotalsArgs([...required, '--rate']), { message: /^--rate needs a value; usage/ });
});

test('window-readings, as the top comment runs it, prints seeded readings as JSON lines', async (t) => {
  const run = await runExample('window-readings.ts', ['--count', '50', '--seed', '3', '--out-of-orderness', '200']);
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, toJsonLines(generateReadings({ seed: 3, count: 50, outOfOrdernessMs: 200 })));
  t.is(lines(run.stdout).length, 50);
  const refused = await runExample('window-readings.ts', ['--count', 'many']);
  t.not(refused.code, 0);
  t.regex(refused.stderr, /--count needs a whole number; usage: window-readings\.ts/);
});
