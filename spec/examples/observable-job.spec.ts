// The RxJS example, run as its top comment says: fromObservable in, toObservable out.
import test from 'ava';
import { planJob } from '../../api/internal.ts';
import observableJob, { reading } from '../../examples/observable-job.ts';
import { lines, runExample } from './run-example.ts';

/** The independent answer: the highest reading of each sensor among the first `count`. */
function maxima(count: number): string[] {
  const highest = new Map<string, number>();
  for (let n = 0; n < count; n++) {
    const { sensor, celsius } = reading(n);
    highest.set(sensor, Math.max(highest.get(sensor) ?? -Infinity, celsius));
  }
  return [...highest].sort().map(([sensor, celsius]) => `${sensor}\t${celsius}`);
}

test('observable-job prints the highest reading per sensor, read back through toObservable()', async (t) => {
  const run = await runExample('observable-job.ts', ['--readings', '40']);
  t.is(run.code, 0, run.stderr);
  t.deepEqual(lines(run.stdout), maxima(40));
});

test('as `weir run` plans it, the observable job is one bounded-by-completion source and a keyed maximum', async (t) => {
  const plan = await planJob(observableJob, ['--readings', '40']);
  t.is(plan.graph.name, 'Observable Job');
  t.deepEqual(
    plan.graph.vertices.map((vertex) => vertex.name),
    ['Thermometers', 'Maximum -> Format -> Sink: Print'],
  );
});
