import test from 'ava';
import { RateTracker } from '../../../../../../cluster/dispatcher/console/app/lib/rates.ts';
import type { JobDetails } from '../../../../../../cluster/dispatcher/console/app/lib/rest-shapes.ts';
import { jobEdges, vertexFigures } from '../../../../../../cluster/dispatcher/console/app/lib/vertex-figures.ts';

const job = (source: Record<string, number> | null, sink: Record<string, number> | null): JobDetails => ({
  jid: 'j',
  name: 'job',
  state: 'RUNNING',
  'start-time': 0,
  vertices: [
    { id: 'source', name: 'Source', parallelism: 1, metrics: source },
    { id: 'sink', name: 'Sink', parallelism: 2, metrics: sink },
  ],
  plan: { nodes: [{ id: 'source' }, { id: 'sink', inputs: [{ id: 'source', ship_strategy: 'REBALANCE' }] }] },
});

test('a vertex box shows the job\'s counts and rates, or derives the rates between polls when only counts come', (t) => {
  const rates = new RateTracker();
  const sink = { 'read-records': 800, 'read-records-per-second': 80, 'busy-time-ms-per-second': 900, 'backpressured-time-ms-per-second': 0, 'idle-time-ms-per-second': 100 };
  const first = vertexFigures(job({ 'write-records': 1000 }, sink), 10_000, rates);
  t.like(first.get('sink'), { recordsIn: 800, recordsInPerSecond: 80, load: 'busy' });
  t.like(first.get('source'), { recordsOut: 1000, recordsOutPerSecond: null, load: 'unknown' });
  t.like(vertexFigures(job({ 'write-records': 3000 }, sink), 12_000, rates).get('source'), { recordsOut: 3000, recordsOutPerSecond: 1000 });
  t.like(vertexFigures(job(null, null), 13_000, rates).get('sink'), { recordsIn: null, recordsInPerSecond: null, load: 'unknown' });
});

test('the graph\'s edges come from the plan\'s inputs, named by how records cross', (t) => {
  t.deepEqual(jobEdges(job(null, null)), [{ source: 'source', target: 'sink', label: 'REBALANCE' }]);
  t.deepEqual(jobEdges({ ...job(null, null), plan: undefined }), []);
});
