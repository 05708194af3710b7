// The in-flight input of an unaligned checkpoint: which channels' batches are recorded, when a channel
// stops, and what of a batch is kept (the rest of one being read; never a barrier at its end).
import test from 'ava';
import { InFlightRecorder, remainderOf, withoutBarrier } from '../../../../api/runtime/checkpointing/in-flight-recorder.ts';
import { decodeBatch } from '../../../../api/runtime/checkpointing/snapshot-codec.ts';
import type { RecordBatch } from '../../../../api/runtime/subtask.ts';
import { barrier } from './barrier-recorder.ts';

const batch = (records: unknown[], events: RecordBatch['events'] = null): RecordBatch => ({ records, timestamps: null, events });

test('every channel but the caught-up ones is recorded until it stops; a stopping channel adds what its barrier overtook', (t) => {
  const recorder = new InFlightRecorder();
  t.false(recorder.active);
  recorder.start(new Set([1]));
  recorder.record(0, batch(['a']));
  recorder.record(1, batch(['caught up']));
  recorder.record(2, batch(['c']));
  recorder.stop(0, [batch(['overtaken'])]);
  recorder.record(0, batch(['after its barrier']));
  recorder.stop(2, []);
  const recorded = recorder.take();
  t.deepEqual(
    recorded.map(({ channel, batches }) => [channel, batches.map((bytes) => decodeBatch(bytes, 'spec').records)]),
    [
      [0, [['a'], ['overtaken']]],
      [2, [['c']]],
    ],
  );
  t.false(recorder.active, 'idle again after take()');
});

test('a dropped recording keeps nothing, and an idle recorder records nothing', (t) => {
  const recorder = new InFlightRecorder();
  recorder.record(0, batch(['idle']));
  recorder.start(new Set());
  recorder.record(0, batch(['dropped']));
  recorder.drop();
  t.deepEqual(recorder.take(), []);
});

test('a barrier ending a batch is left out, and a batch of nothing else is not recorded', (t) => {
  t.deepEqual(withoutBarrier(batch(['x'], [0, 7, 1, barrier(2)])), batch(['x'], [0, 7]));
  t.deepEqual(withoutBarrier(batch(['x'], [1, barrier(2)])), batch(['x']));
  const recorder = new InFlightRecorder();
  recorder.start(new Set());
  recorder.record(0, batch([], [0, barrier(2)]));
  t.deepEqual(recorder.take(), []);
});

test('the rest of a batch being read keeps its records, timestamps and events from where reading stopped', (t) => {
  const read: RecordBatch = { records: ['a', 'b', 'c'], timestamps: [1, 2, 3], events: [0, 10, 2, 20, 3, 'idle'] };
  t.deepEqual(remainderOf(read, 2, 2), { records: ['c'], timestamps: [3], events: [0, 20, 1, 'idle'] });
  t.is(remainderOf(read, 0, 0), read);
  t.deepEqual(remainderOf(read, 3, 6), { records: [], timestamps: [], events: null });
});
