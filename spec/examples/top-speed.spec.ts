// The top-speed example (Flink's TopSpeedWindowing), run as its top comment says and in this process
// at parallelism 1 and 2, its output checked against an independent loop (top-speeds-expected.ts)
// over seeded car reports; a hand-made input shows the trigger's and the evictor's edges exactly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { planJob } from '../../api/internal.ts';
import topSpeed, { carEvents, formatCarEvent, parseCarEvent, parseTopSpeedArgs } from '../../examples/top-speed.ts';
import { StreamExecutionEnvironment } from '../../index.ts';
import { writtenLines } from './fraud-alerts.ts';
import { lines, runExample } from './run-example.ts';
import { expectedTopSpeeds, topSpeeds } from './top-speeds-expected.ts';

const REPORTS = carEvents({ seed: 5, cars: 5, count: 3_000 }).map(formatCarEvent);

/** A temporary directory with `reports` as cars.txt; out/ is where the top speeds go. */
function files(t: ExecutionContext, reports: readonly string[]): { input: string; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'weir-top-speed-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'cars.txt'), reports.map((line) => line + '\n').join(''));
  return { input: join(root, 'cars.txt'), output: join(root, 'out') };
}

async function runInProcess(t: ExecutionContext, reports: readonly string[], parallelism: number): Promise<string[]> {
  const { input, output } = files(t, reports);
  await topSpeed(StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism), ['--input', input, '--output', output]);
  return writtenLines(output);
}

test('top-speed without arguments prints the top speeds of its 100 built-in reports of 2 cars', async (t) => {
  const run = await runExample('top-speed.ts', []);
  t.is(run.code, 0, run.stderr);
  const builtIn = carEvents({ seed: 1, cars: 2, count: 100 }).map(formatCarEvent);
  const expected = expectedTopSpeeds(builtIn);
  t.true(expected.length > 10, `${expected.length} top speeds`);
  t.deepEqual(lines(run.stdout).sort(), expected);
});

test('top-speed --input --output writes the top speeds of the independent loop, at parallelism 1 and 2 too', async (t) => {
  const { input, output } = files(t, REPORTS);
  const run = await runExample('top-speed.ts', ['--input', input, '--output', output]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, '', 'nothing printed');
  t.is(run.stderr, '', 'nothing logged');
  const expected = expectedTopSpeeds(REPORTS);
  t.true(expected.length > 300, `${expected.length} top speeds`);
  t.deepEqual(writtenLines(output), expected);
  t.deepEqual(await runInProcess(t, REPORTS, 1), expected, 'parallelism 1');
  t.deepEqual(await runInProcess(t, REPORTS, 2), expected, 'parallelism 2');
});

test('the generated reports reach the edges: every car fires often, reports are evicted, top speeds tie', (t) => {
  const run = topSpeeds(REPORTS);
  for (const car of [0, 1, 2, 3, 4]) t.true(run.fired.filter((line) => line.startsWith(`(${car},`)).length > 50, `car ${car} fires`);
  t.true(run.evicted > 1_000, `${run.evicted} evicted`);
  t.true(run.ties > 50, `${run.ties} firings with a tie for the top speed`);
});

test('by hand: no firing on the first report nor at exactly 50 m; the evictor drops a report exactly 10 s older; a tie keeps the first', async (t) => {
  const input = [
    '(0,50,0.0,0)', // the trigger's first reference
    '(0,60,50.0,1000)', // 50 m: not more than 50
    '(0,70,50.5,2000)', // fires: 70 is the top speed of the last 10 s
    '(0,60,60.0,11000)',
    '(0,60,101.0,12000)', // fires: the report at 2000 is exactly 10 s older and goes; 60 twice, the first wins
    '(1,100,0.0,12001)', // another car's first report: no firing
  ];
  const expected = ['(0,60,60.0,11000)', '(0,70,50.5,2000)'];
  t.deepEqual(expectedTopSpeeds(input), expected);
  t.deepEqual(await runInProcess(t, input, 2), expected);
});

test('reports are Flink\'s Tuple4 lines, the distance printed as Java prints a double', (t) => {
  t.deepEqual(parseCarEvent('(1,40,50.0,1424951921634)'), { carId: 1, speed: 40, distance: 50, timestamp: 1_424_951_921_634 });
  t.is(formatCarEvent(parseCarEvent('(1,40,50.0,1424951921634)')), '(1,40,50.0,1424951921634)');
  t.is(formatCarEvent(parseCarEvent('(0,55,15.277777777777777,1424951918630)')), '(0,55,15.277777777777777,1424951918630)');
  t.throws(() => parseCarEvent('(0,55,fast,1)'), { message: 'expected (carId,speed,distance,timestamp), got (0,55,fast,1)' });
  t.throws(() => parseCarEvent('0,55,1.5,1'), { message: 'expected (carId,speed,distance,timestamp), got 0,55,1.5,1' });
  t.throws(() => parseTopSpeedArgs(['--cars', '3']), { message: /^unexpected argument --cars 3; usage: top-speed\.ts/ });
});

test('top-speed fails naming the Parse operator and a malformed report', async (t) => {
  const { input, output } = files(t, ['(0,50,0.0,0)', '(0,fifty,1.0,1000)']);
  const run = await runExample('top-speed.ts', ['--input', input, '--output', output]);
  t.not(run.code, 0);
  t.regex(run.stderr, /operator "Parse" \(id "map-\d+"\) failed on a record: expected \(carId,speed,distance,timestamp\), got \(0,fifty,1\.0,1000\)/);
});

test('as `weir run` plans it, the reports are read in order at parallelism 1 and the cars\' windows run at the job\'s', async (t) => {
  const { input, output } = files(t, REPORTS.slice(0, 10));
  const plan = await planJob(topSpeed, ['--input', input, '--output', output], { parallelism: 2 });
  t.is(plan.graph.name, 'Car Top Speed Windowing');
  t.deepEqual(
    plan.graph.vertices.map((vertex) => [vertex.name, vertex.parallelism]),
    [
      ['Car Data -> Parse -> Timestamps', 1],
      ['Top Speed -> Format -> Top Speeds File', 2],
    ],
  );
});
