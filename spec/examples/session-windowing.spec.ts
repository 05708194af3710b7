// The session-windowing example (Flink's SessionWindowing), run as its top comment says, and in this
// process at parallelism 1 and 2 over seeded events with gaps of 3 and 20 ms, its sessions checked
// against the window model (event-time-windows.ts); a hand-made input shows late events exactly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { planJob } from '../../api/internal.ts';
import sessionWindowing, { parseSessionEvent, parseSessionWindowingArgs } from '../../examples/session-windowing.ts';
import { StreamExecutionEnvironment } from '../../index.ts';
import { writtenLines } from './fraud-alerts.ts';
import { lines, runExample } from './run-example.ts';
import { expectedSessions as sessions, squeezedEventLines } from './sessions-expected.ts';

const EVENTS = squeezedEventLines(4, 3_000);

function files(t: ExecutionContext, eventLines: readonly string[]): { input: string; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'weir-sessions-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'events.txt'), eventLines.map((line) => line + '\n').join(''));
  return { input: join(root, 'events.txt'), output: join(root, 'out') };
}

async function runInProcess(t: ExecutionContext, eventLines: readonly string[], gap: number, parallelism: number): Promise<string[]> {
  const { input, output } = files(t, eventLines);
  await sessionWindowing(StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism), ['--input', input, '--output', output, '--gap', String(gap)]);
  return writtenLines(output);
}

test('session-windowing without arguments prints the five sessions of Flink\'s example', async (t) => {
  const run = await runExample('session-windowing.ts', []);
  t.is(run.code, 0, run.stderr);
  // Flink's SessionWindowingData.EXPECTED.
  t.deepEqual(lines(run.stdout).sort(), ['(a,1,1)', '(a,10,1)', '(b,1,3)', '(c,11,1)', '(c,6,1)']);
});

test('session-windowing --input --output writes the sessions of the window model, at parallelism 1 and 2, with gaps of 3 and 20 ms', async (t) => {
  const { input, output } = files(t, EVENTS);
  const run = await runExample('session-windowing.ts', ['--input', input, '--output', output]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, '', 'nothing printed');
  t.is(run.stderr, '', 'nothing logged');
  const gapOf3 = sessions(EVENTS, 3).lines;
  t.true(gapOf3.length > 1_000, `${gapOf3.length} sessions`);
  t.deepEqual(writtenLines(output), gapOf3);
  t.deepEqual(await runInProcess(t, EVENTS, 3, 1), gapOf3, 'gap 3, parallelism 1');
  t.deepEqual(await runInProcess(t, EVENTS, 20, 2), sessions(EVENTS, 20).lines, 'gap 20, parallelism 2');
});

test('the generated events reach the edges: late events that join a session, late events dropped, sessions of many events', (t) => {
  const run = sessions(EVENTS, 3);
  t.true(run.lateButTaken > 50, `${run.lateButTaken} events behind the watermark join a session`);
  t.true(run.late.length > 100, `${run.late.length} events dropped`);
  t.true(run.lines.some((line) => Number(line.split(',')[2].slice(0, -1)) > 300), 'a session of four events or more (a count is 100 at most)');
});

test('by hand: a late event joins the open session while its own gap reaches it, even behind a fired session, and is dropped after', async (t) => {
  const input = [
    '(a,10,1)', // watermark 9
    '(a,14,2)', // watermark 13: the session [10,13) fires
    '(a,12,4)', // [12,15) reaches [14,17): one session [12,17), its first event (a,14)
    '(a,11,8)', // [11,14) reaches it too
    '(a,9,16)', // [9,12) reaches [11,17)
    '(a,5,32)', // [5,8) reaches nothing and has ended: dropped
  ];
  const expected = ['(a,10,1)', '(a,14,30)'];
  t.deepEqual(sessions(input, 3).lines, expected);
  t.deepEqual(await runInProcess(t, input, 3, 2), expected);
});

test('events are Flink\'s Tuple3 lines; a malformed one, or a bad --gap, is named', (t) => {
  t.deepEqual(parseSessionEvent('(b,5,1)'), { id: 'b', timestamp: 5, count: 1 });
  t.throws(() => parseSessionEvent('(b,5)'), { message: 'expected (id,timestamp,count), got (b,5)' });
  t.deepEqual(parseSessionWindowingArgs([]), { gapMs: 3 });
  t.throws(() => parseSessionWindowingArgs(['--gap', '0']), { message: /^unexpected argument --gap 0; usage: session-windowing\.ts/ });
});

test('as `weir run` plans it, the events are read in order at parallelism 1 and the sessions run at the job\'s', async (t) => {
  const plan = await planJob(sessionWindowing, [], { parallelism: 2 });
  t.is(plan.graph.name, 'Session Windowing');
  t.deepEqual(
    plan.graph.vertices.map((vertex) => [vertex.name, vertex.parallelism]),
    [
      ['Events -> Parse -> Timestamps', 1],
      ['Sessions -> Format -> Sink: Print', 2],
    ],
  );
});
