// The connect example, run as its top comment says: a CoMap into one type, a CoProcess with side outputs.
import test from 'ava';
import { lines, runExample } from './run-example.ts';

test('connect-job converts to Celsius, passes plausible readings and sends the rest to side outputs', async (t) => {
  const run = await runExample('connect-job.ts', []);
  t.is(run.code, 0, run.stderr);
  t.deepEqual(lines(run.stdout).sort(), [
    'fault> broken: sensor reads paper burning',
    'fault> vostok: heater off',
    'implausible> broken\t233',
    'reading> boston\t10',
    'reading> lagos\t31',
    'reading> oslo\t4',
    'reading> phoenix\t45',
    'reading> vostok\t-89',
  ]);
});
