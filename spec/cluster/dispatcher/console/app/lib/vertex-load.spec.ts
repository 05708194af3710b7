import test from 'ava';
import { classifyLoad, loadShares } from '../../../../../../cluster/dispatcher/console/app/lib/vertex-load.ts';

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
