// The heap watch names the job whose steps grew the heap most, once the heap (or the process's resident
// set) passes its share of the limit; it waits out a cooldown before naming another, and older growth
// weighs less.
import test from 'ava';
import { COOLDOWN_MS, DECAY_MS, HeapWatch, type HeapPressure, type HeapReading } from '../../../cluster/taskmanager/heap-watch.ts';
import { jobId } from '../../../messages/ids.ts';

const MB = 1024 * 1024;
const A = jobId('job-a');
const B = jobId('job-b');

function watch(): { watch: HeapWatch; heap: { used: number }; clock: { now: number }; named: HeapPressure[] } {
  const heap = { used: 100 * MB };
  const clock = { now: 0 };
  const named: HeapPressure[] = [];
  const read = (): HeapReading => ({ usedBytes: heap.used, limitBytes: 200 * MB, rssBytes: 300 * MB });
  return { watch: new HeapWatch({ heapMb: 256 }, (pressure) => named.push(pressure), read, () => clock.now), heap, clock, named };
}

test('under pressure the job that grew the heap most is named, with the figures and the key', (t) => {
  const { watch: w, heap, named } = watch();
  w.record(A, 80 * MB);
  w.record(B, 30 * MB);
  w.record(B, -10 * MB); // a collection ran during one of its steps
  t.is(w.check(), undefined, 'half full: nobody');
  heap.used = 175 * MB;
  const pressure = w.check();
  t.deepEqual(named, [pressure]);
  t.is(pressure?.jobId, A);
  t.is(
    pressure?.reason,
    `the TaskManager's heap is at 175 MB of its 200 MB limit (taskmanager.memory.heap.size: 256 MB), and job ${A} grew it most (80 MB lately): its tasks here fail before the process runs out of memory`,
  );
  t.is(w.failed, 1);
});

test('after naming a job the watch waits out the cooldown, then names the next', (t) => {
  const { watch: w, heap, clock } = watch();
  heap.used = 190 * MB;
  w.record(A, 50 * MB);
  w.record(B, 20 * MB);
  t.is(w.check()?.jobId, A);
  clock.now += COOLDOWN_MS - 1;
  t.is(w.check(), undefined, 'cooling down');
  clock.now += 1;
  t.is(w.check()?.jobId, B);
  clock.now += COOLDOWN_MS;
  t.is(w.check(), undefined, 'no job left to name');
});

test('growth decays by half every period, and a released job is no candidate', (t) => {
  const { watch: w, heap, clock } = watch();
  w.record(A, 64 * MB);
  clock.now = 2 * DECAY_MS;
  w.record(B, 20 * MB); // recent: more than A's 64 MB halved twice
  heap.used = 190 * MB;
  t.is(w.check()?.jobId, B);
  const other = watch();
  other.watch.record(A, 10 * MB);
  other.watch.forget(A);
  other.heap.used = 190 * MB;
  t.is(other.watch.check(), undefined);
});

test('the limit is the configured size when V8 reports more (its young generation on top)', (t) => {
  const named: HeapPressure[] = [];
  const w = new HeapWatch({ heapMb: 100 }, (pressure) => named.push(pressure), () => ({ usedBytes: 90 * MB, limitBytes: 140 * MB, rssBytes: 200 * MB }), () => 0);
  w.record(A, MB);
  t.is(w.check()?.jobId, A, '90 MB is past 85 % of the configured 100 MB, though not of 140 MB');
  t.regex(named[0]!.reason, /^the TaskManager's heap is at 90 MB of its 100 MB limit/);
});

test('with taskmanager.memory.process.size the resident set is watched too: off-heap growth names a job', (t) => {
  const named: HeapPressure[] = [];
  const memory = { heap: 50 * MB, rss: 300 * MB };
  const w = new HeapWatch({ processMb: 512 }, (pressure) => named.push(pressure), () => ({ usedBytes: memory.heap, limitBytes: 2048 * MB, rssBytes: memory.rss }), () => 0);
  w.record(A, 5 * MB);
  w.record(B, 160 * MB); // Buffers: the heap barely moved, its external memory did
  t.is(w.check(), undefined, 'the resident set is below 85 % of 512 MB');
  memory.rss = 440 * MB;
  t.is(w.check()?.jobId, B);
  t.is(
    named[0]?.reason,
    `the TaskManager's memory (resident set, heap and off-heap) is at 440 MB of its 512 MB limit (taskmanager.memory.process.size), and job ${B} grew it most (160 MB lately): its tasks here fail before the process runs out of memory`,
  );
});

test('without taskmanager.memory.process.size a large resident set names nobody; with both, the heap is named first', (t) => {
  const reading = () => ({ usedBytes: 190 * MB, limitBytes: 2048 * MB, rssBytes: 4096 * MB });
  const heapOnly = new HeapWatch({ heapMb: 1024 }, () => undefined, reading, () => 0);
  heapOnly.record(A, MB);
  t.is(heapOnly.check(), undefined, '190 MB of a 1024 MB heap; the resident set is not watched');
  const both = new HeapWatch({ heapMb: 200, processMb: 1024 }, () => undefined, reading, () => 0);
  both.record(A, MB);
  t.regex(both.check()?.reason ?? '', /^the TaskManager's heap is at 190 MB of its 200 MB limit/);
});
