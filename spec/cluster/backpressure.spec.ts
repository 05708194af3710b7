// Backpressure end to end on the MiniCluster: a slow sink in its own task holds the source back. The
// records the source's chain has emitted but the sink has not taken yet can only sit in the
// producer's open batch, its subpartition's backlog (it stops taking input once MAX_BACKLOG_BATCHES
// batches wait, checked between steps, so a step may overshoot by STEP_RECORDS), the consumer's
// channel (CHANNEL_CREDITS batches) and the batch the consumer is working through. So the in-flight
// count has a bound that does not depend on timing, and neither does the memory the records hold.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import test from 'ava';
import type { JobModule } from '../../api/index.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { CHANNEL_CREDITS } from '../../cluster/taskmanager/network/input-gate.ts';
import { BATCH_RECORDS } from '../../cluster/taskmanager/network/network-environment.ts';
import { MAX_BACKLOG_BATCHES } from '../../cluster/taskmanager/network/subpartition.ts';
import { STEP_RECORDS } from '../../cluster/taskmanager/task.ts';
import { within } from './helpers.ts';

/** Enough that a source running ahead would hold many times the bound (it reads splits of RECORDS / 4). */
const RECORDS = 400_000;
/** Each record holds ~0.5 KB, so that records piling up would show in the heap (200 MB for all of them). */
const RECORD_NUMBERS = 64;
/** How long the sink spends on each record: ~20x what the source spends making one. */
const SINK_MICROS_PER_RECORD = 2;
/** Live heap samples (each a full collection), spread over the run. */
const HEAP_SAMPLES = 16;
/** Open batch + backlog + channel credits + the batch being consumed, plus one step of overshoot. */
const IN_FLIGHT_BOUND = (1 + MAX_BACKLOG_BATCHES + CHANNEL_CREDITS + 1) * BATCH_RECORDS + STEP_RECORDS;
/** Live heap the in-flight records may add: IN_FLIGHT_BOUND records of ~0.5 KB, with room for the runtime. */
const LIVE_HEAP_GROWTH_BOUND_BYTES = 24 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** The heap that is still reachable: after a full collection. */
function liveHeapBytes(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

test('a slow sink holds the source back: records in flight and the live heap stay bounded', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  let emitted = 0;
  let sunk = 0;
  let maxInFlight = 0;
  const heapSamples: number[] = [];

  const job: JobModule = (env) => {
    env.setRuntimeMode('STREAMING');
    env
      .fromSequence(1, RECORDS)
      .map((n) => {
        emitted++;
        if (emitted - sunk > maxInFlight) maxInFlight = emitted - sunk;
        return new Array<number>(RECORD_NUMBERS).fill(n);
      })
      .name('Make Record')
      .rebalance() // the sink runs in a task of its own, behind a network exchange
      .sinkTo((record) => {
        const until = performance.now() + SINK_MICROS_PER_RECORD / 1000;
        while (performance.now() < until); // a slow sink: busy, not asynchronous
        if (record.length !== RECORD_NUMBERS) throw new Error('a record lost its numbers');
        sunk++;
        if (sunk % (RECORDS / HEAP_SAMPLES) === 0) heapSamples.push(liveHeapBytes());
      })
      .name('Slow Sink');
  };

  const before = liveHeapBytes();
  const handle = await cluster.submit(job, { parallelism: 1 });
  t.is((await within(handle.result(), 'the job with the slow sink to finish', 30_000)).status, 'FINISHED');
  t.is(sunk, RECORDS, 'every record reached the sink');
  const growth = Math.max(...heapSamples) - before;
  t.log(`at most ${maxInFlight} records in flight (bound ${IN_FLIGHT_BOUND}); live heap growth ${Math.round(growth / 1024)} KB`);
  t.true(maxInFlight <= IN_FLIGHT_BOUND, `at most ${IN_FLIGHT_BOUND} records in flight, saw ${maxInFlight}`);
  t.true(maxInFlight >= CHANNEL_CREDITS * BATCH_RECORDS, `the sink was the bottleneck: the buffers filled (${maxInFlight} in flight at most)`);
  t.true(growth < LIVE_HEAP_GROWTH_BOUND_BYTES, `the live heap grew by ${Math.round(growth / 1024 / 1024)} MB; the bound is ${LIVE_HEAP_GROWTH_BOUND_BYTES / 1024 / 1024} MB`);
});
