import test from 'ava';
import { classifyLoad, loadShares, vertexShares } from '../../../../../../cluster/dispatcher/console/app/lib/vertex-load.ts';
import { RateTracker } from '../../../../../../cluster/dispatcher/console/app/lib/rates.ts';
import { jobEdges, vertexFigures } from '../../../../../../cluster/dispatcher/console/app/lib/vertex-figures.ts';
import type { JobDetails } from '../../../../../../cluster/dispatcher/console/app/lib/rest-shapes.ts';

test('time shares come as ratios, or as Flink\'s ms per second', (t) => {
  t.deepEqual(loadShares({ 'busy-ratio': 0.2, 'backpressured-ratio': 0.7, 'idle-ratio': 0.1 }), { busy: 0.2, backpressured: 0.7, idle: 0.1 });
  t.deepEqual(loadShares({ busyTimeMsPerSecond: 250, backPressuredTimeMsPerSecond: 0, idleTimeMsPerSecond: 750 }), { busy: 0.25, backpressured: 0, idle: 0.75 });
  t.is(loadShares({ 'read-records': 5 }), null);
  t.is(loadShares(null), null);
});

test('a vertex is backpressured when any subtask is, busy when any is, idle otherwise', (t) => {
  const bp = vertexShares([{ 'busy-ratio': 0.1, 'backpressured-ratio': 0.05, 'idle-ratio': 0.85 }, { 'busy-ratio': 0.1, 'backpressured-ratio': 0.8, 'idle-ratio': 0.1 }]);
  t.is(classifyLoad(bp), 'backpressured');
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

const job: JobDetails = {
  jid: 'j',
  name: 'job',
  state: 'RUNNING',
  'start-time': 0,
  vertices: [
    { id: 'source', name: 'Source', parallelism: 1, metrics: null as never },
    { id: 'sink', name: 'Sink', parallelism: 2 },
  ],
  plan: { nodes: [{ id: 'source' }, { id: 'sink', inputs: [{ id: 'source', ship_strategy: 'REBALANCE' }] }] },
};

test('a vertex box sums its subtasks\' records, and takes their rates, or derives them between polls', (t) => {
  const rates = new RateTracker();
  const at1 = new Map([
    ['source', { details: { id: 'source', name: 'Source', parallelism: 1, subtasks: [{ subtask: 0, status: 'RUNNING', metrics: { 'write-records': 1000 } }] }, at: 10_000 }],
    ['sink', { details: { id: 'sink', name: 'Sink', parallelism: 2, subtasks: [0, 1].map((subtask) => ({ subtask, status: 'RUNNING', metrics: { 'read-records': 400, 'read-records-per-second': 40, 'busy-ratio': 0.9, 'backpressured-ratio': 0, 'idle-ratio': 0.1 } })) }, at: 10_000 }],
  ]);
  const first = vertexFigures(job, at1, rates);
  t.like(first.get('sink'), { recordsIn: 800, recordsInPerSecond: 80, load: 'busy' });
  t.like(first.get('source'), { recordsOut: 1000, recordsOutPerSecond: null, load: 'unknown' });
  const at2 = new Map(at1);
  at2.set('source', { details: { id: 'source', name: 'Source', parallelism: 1, subtasks: [{ subtask: 0, status: 'RUNNING', metrics: { 'write-records': 3000 } }] }, at: 12_000 });
  t.like(vertexFigures(job, at2, rates).get('source'), { recordsOut: 3000, recordsOutPerSecond: 1000 });
});

test('the graph\'s edges come from the plan\'s inputs, named by how records cross', (t) => {
  t.deepEqual(jobEdges(job), [{ source: 'source', target: 'sink', label: 'REBALANCE' }]);
  t.deepEqual(jobEdges({ ...job, plan: undefined }), []);
});
