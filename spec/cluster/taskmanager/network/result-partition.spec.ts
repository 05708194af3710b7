// A result partition is the producer's OutputWriter: available while no subpartition is blocked, and
// its whenAvailable() settles when the last blocked one frees up.
import test from 'ava';
import { ResultPartition } from '../../../../cluster/taskmanager/network/result-partition.ts';
import { MAX_BACKLOG_BATCHES } from '../../../../cluster/taskmanager/network/subpartition.ts';
import { RecordingReader, within } from './helpers.ts';

function partition(channels: number, batchRecords = 1, flushEachStep = false) {
  const result = new ResultPartition('job-1/a/0/b/0', channels, batchRecords, flushEachStep);
  const readers = result.subpartitions.map((subpartition) => {
    const reader = new RecordingReader();
    subpartition.attach(reader, 0);
    return reader;
  });
  return { result, readers };
}

test('available turns false when any subpartition is blocked, and true when all are free again', async (t) => {
  const { result } = partition(2);
  for (let n = 0; n < MAX_BACKLOG_BATCHES; n++) result.emit(0, n, undefined);
  for (let n = 0; n < MAX_BACKLOG_BATCHES; n++) result.emit(1, n, undefined);
  t.false(result.available);
  let woken = false;
  const waiting = result.whenAvailable().then(() => (woken = true));
  result.subpartitions[0].addCredit(1);
  await Promise.resolve();
  t.false(result.available, 'channel 1 is still blocked');
  t.false(woken);
  result.subpartitions[1].addCredit(1);
  t.true(result.available);
  await within(waiting, 1000, 'whenAvailable to settle');
  t.true(woken);
  await within(result.whenAvailable(), 100, 'an available partition to answer at once');
});

test('emit goes to one subpartition, broadcast to every one', (t) => {
  const { result, readers } = partition(3, 2);
  result.subpartitions.forEach((subpartition) => subpartition.addCredit(10));
  result.emit(1, 'only', undefined);
  result.broadcast('all', undefined);
  result.flush();
  t.deepEqual(
    readers.map((reader) => reader.batches),
    [[['all']], [['only', 'all']], [['all']]],
  );
});

test('with a buffer timeout of 0 a flush sends the open batch where credit allows; elsewhere the next credit takes it', (t) => {
  const { result, readers } = partition(2, 1000, true);
  t.true(result.flushEachStep);
  result.subpartitions[0].addCredit(1);
  result.emit(0, 'a', undefined);
  result.emit(0, 'b', undefined);
  result.emit(1, 'x', undefined);
  t.deepEqual(readers[0].batches, [], 'records wait for the end of the step');
  result.flush();
  t.deepEqual(readers[0].batches, [['a', 'b']], 'one batch for the step, not one per record');
  t.deepEqual(readers[1].batches, [], 'no credit: nothing sent, nothing sealed');
  result.emit(1, 'y', undefined);
  result.flush();
  result.subpartitions[1].addCredit(1);
  t.deepEqual(readers[1].batches, [['x', 'y']], 'the credit takes everything flushed meanwhile');
  t.true(result.available);
});

test('finish ends every subpartition; the partition is drained once every reader got its end', (t) => {
  const { result, readers } = partition(2, 10);
  result.emit(0, 'x', undefined);
  result.finish();
  t.true(result.isFinished);
  t.true(readers[1].ended, 'an empty subpartition ends at once');
  t.false(readers[0].ended, 'the end waits behind the batch');
  t.false(result.isDrained);
  result.subpartitions[0].addCredit(1);
  t.true(readers[0].ended);
  t.true(result.isDrained);
});

test('release wakes a producer waiting for availability and drops what was queued', async (t) => {
  const { result, readers } = partition(1);
  for (let n = 0; n < MAX_BACKLOG_BATCHES; n++) result.emit(0, n, undefined);
  t.false(result.available);
  const waiting = result.whenAvailable();
  result.release();
  await within(waiting, 1000, 'the waiting producer to wake');
  t.true(result.available);
  result.subpartitions[0].addCredit(10);
  t.deepEqual(readers[0].batches, []);
});
