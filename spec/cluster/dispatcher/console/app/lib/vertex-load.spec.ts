import test from 'ava';
import { classifyLoad, loadShares } from '../../../../../../cluster/dispatcher/console/app/lib/vertex-load.ts';
import { RateTracker } from '../../../../../../cluster/dispatcher/console/app/lib/rates.ts';
import { jobEdges, vertexFigures } from '../../../../../../cluster/dispatcher/console/app/lib/vertex-figures.ts';
import type { JobDetails } from '../../../../../../cluster/dispatcher/console/app/lib/rest-shapes.ts';

test('time shares come as ratios, or as Flink\'s ms per second', (t) => {
  t.deepEqual(loadShares({ 'busy-ratio': 0.2, 'backpressured-ratio': 0.7, 'idle-ratio': 0.1 }), { busy: 0.2, backpressured: 0.7, idle: 0.1 });
  t.deepEqual(loadShares({ busyTimeMsPerSecond: 250, backPressuredTimeMsPerSecond: 0, idleTimeMsPerSecond: 750 }), { busy: 0.25, backpressured: 0, idle: 0.75 });
  t.deepEqual(loadShares({ 'busy-time-ms-per-second': 1000, 'backpressured-time-ms-per-second': 0, 'idle-time-ms-per-second': 0 }), { busy: 1, backpressured: 0, idle: 0 });
  t.is(loadShares({ 'read-records': 5 }), null);
  t.is(loadShares(null), null);
});

test('over half the time backpressured is backpressured, over half busy is busy, else the largest share', (t) => {
  t.is(classifyLoad({ busy: 0.1, backpressured: 0.8, idle: 0.1 }), 'backpressured');
  t.is(classifyLoad({ busy: 0.5, backpressured: 0.5, idle: 0 }), 'backpressured');
  t.is(classifyLoad({ busy: 0.9, backpressured: 0, idle: 0.1 }), 'busy');
  t.is(classifyLoad({ busy: 0.3, backpressured: 0.1, idle: 0.6 }), 'idle');
  // Below the threshold the largest share decides.
  t.is(classifyLoad({ busy: 0.4, backpressured: 0.35, idle: 0.25 }), 'busy');
  t.is(classifyLoad({ busy: 0.1, backpressured: 0.45, idle: 0.45 }), 'backpressured');
  t.is(classifyLoad({ busy: 0, backpressured: 0, idle: 0 }), 'idle');
  t.is(classifyLoad(null), 'unknown');
});

test('a rate comes from two readings of a count; a count that went down starts over', (t) => {
  const rates = new RateTracker();
  t.is(rates.update('v', 100, 1_000), null);
  t.is(rates.update('v', 600, 2_000), 500);
  t.is(rates.update('v', 600, 2_000), 500);
  t.is(rates.update('v', 700, 2_500), 200);
  t.is(rates.update('v', 10, 3_000), null);
  t.is(rates.update('v', null, 3_500), null);
});

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
