// The session-windowing example as its top comment runs it on a cluster: `weir run` with parallelism
// 2 on a standalone cluster of two TaskManager processes, so the ordered reader (parallelism 1) sits
// on one of them and the events and every watermark cross the keyBy to both session subtasks, one
// of them over the data connection. The sessions must be the window model's
// (spec/examples/sessions-expected.ts).
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedSessions, squeezedEventLines } from '../examples/sessions-expected.ts';
import { linesOfBothParts, weirRunExample } from './cluster-example.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

test('weir run examples/session-windowing.ts -p 2 on two TaskManagers writes the sessions of the window model', async (t) => {
  const { root, env } = await startStandaloneCluster(t, { name: 'weir-e2e-sessions', logLevel: 'warn' });
  const events = squeezedEventLines(31, 4_000);
  const input = join(root, 'events.txt');
  writeFileSync(input, events.map((line) => line + '\n').join(''));
  const output = join(root, 'sessions');

  await weirRunExample(t, env, 'session-windowing.ts', 'Session Windowing', ['--input', input, '--output', output]);
  const model = expectedSessions(events, 3);
  t.true(model.fired.length > 1_000 && model.late.length > 100, `${model.fired.length} sessions, ${model.late.length} events dropped`);
  t.deepEqual(linesOfBothParts(t, output), model.lines);
});
