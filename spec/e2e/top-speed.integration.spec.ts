// The top-speed example as its top comment runs it on a cluster: `weir run` with parallelism 2 on a
// standalone cluster of two TaskManager processes, so the ordered reader (parallelism 1) sits on one
// of them and each car's reports cross the keyBy to the window subtask that owns the car, one of them
// over the data connection, where its global window, DeltaTrigger and TimeEvictor run. The top speeds
// must be those of the independent loop (spec/examples/top-speeds-expected.ts).
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { carEvents, formatCarEvent } from '../../examples/top-speed.ts';
import { expectedTopSpeeds } from '../examples/top-speeds-expected.ts';
import { linesOfBothParts, weirRunExample } from './cluster-example.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

test('weir run examples/top-speed.ts -p 2 on two TaskManagers writes the top speeds of the independent loop', async (t) => {
  const { root, env } = await startStandaloneCluster(t, { name: 'weir-e2e-top-speed', logLevel: 'warn' });
  const reports = carEvents({ seed: 9, cars: 6, count: 4_000 }).map(formatCarEvent);
  const input = join(root, 'cars.txt');
  writeFileSync(input, reports.map((line) => line + '\n').join(''));
  const output = join(root, 'top-speeds');

  await weirRunExample(t, env, 'top-speed.ts', 'Car Top Speed Windowing', ['--input', input, '--output', output]);
  const expected = expectedTopSpeeds(reports);
  t.true(expected.length > 400, `${expected.length} top speeds`);
  t.deepEqual(linesOfBothParts(t, output), expected);
});
