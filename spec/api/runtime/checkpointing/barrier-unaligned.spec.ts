// CollectingBarriersUnaligned: an unaligned checkpoint snapshots at its first barrier without blocking
// anything, records each other channel until its barrier (or its end), and completes the recording
// with the last. The log shows every call on the channels and the listener, in order.
import test from 'ava';
import { BarrierAligner } from '../../../../api/runtime/checkpointing/barrier-aligner.ts';
import { CollectingBarriersUnaligned } from '../../../../api/runtime/checkpointing/barrier-unaligned.ts';
import { BarrierRecorder, barrier, unalignedBarrier } from './barrier-recorder.ts';

function aligner(openChannels: number): { handler: BarrierAligner; recorder: BarrierRecorder } {
  const recorder = new BarrierRecorder();
  return { handler: new BarrierAligner(recorder, openChannels, recorder, recorder), recorder };
}

test('the first barrier snapshots at once and blocks nothing; each channel is recorded until its barrier, and the last completes the recording', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(unalignedBarrier(1), 1);
  t.deepEqual(recorder.take(), ['record 1', 'snapshot 1 unaligned', 'stop 1']);
  t.is(handler.pendingCheckpointId, 1);
  handler.barrierReceived(unalignedBarrier(1), 0);
  handler.barrierReceived(unalignedBarrier(1), 0);
  t.deepEqual(recorder.take(), ['stop 0'], 'a channel stops once');
  handler.barrierReceived(unalignedBarrier(1), 2);
  t.deepEqual(recorder.take(), ['stop 2', 'recorded 1']);
  t.is(handler.pendingCheckpointId, null);
});

test('with one open channel the snapshot and its recording complete at once', (t) => {
  const { handler, recorder } = aligner(1);
  handler.barrierReceived(unalignedBarrier(1), 0);
  t.deepEqual(recorder.take(), ['record 1', 'snapshot 1 unaligned', 'stop 0', 'recorded 1']);
});

test('a channel that ends owes no barrier: its recording ends with it and may complete the checkpoint', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(unalignedBarrier(2), 0);
  recorder.take();
  handler.channelEnded(2);
  t.deepEqual(recorder.take(), ['stop 2']);
  handler.channelEnded(1);
  t.deepEqual(recorder.take(), ['stop 1', 'recorded 2']);
});

test('a channel that delivered its barrier and then ended leaves the count with the open channels', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(unalignedBarrier(2), 0);
  handler.channelEnded(0);
  t.deepEqual(recorder.take(), ['record 2', 'snapshot 2 unaligned', 'stop 0'], 'its recording had ended with its barrier');
  handler.barrierReceived(unalignedBarrier(2), 1);
  t.deepEqual(recorder.take(), ['stop 1'], 'channel 2 still owes its barrier');
  handler.barrierReceived(unalignedBarrier(2), 2);
  t.deepEqual(recorder.take(), ['stop 2', 'recorded 2']);
});

test('a newer barrier gives the checkpoint up: its recording is dropped, it is declined, and the newer one starts', (t) => {
  const { handler, recorder } = aligner(2);
  handler.barrierReceived(unalignedBarrier(1), 0);
  recorder.take();
  handler.barrierReceived(unalignedBarrier(2), 0);
  t.deepEqual(recorder.take(), ['drop', 'abort 1: the barrier of checkpoint 2 arrived before every barrier of unaligned checkpoint 1', 'record 2', 'snapshot 2 unaligned', 'stop 0']);
  handler.barrierReceived(unalignedBarrier(1), 1);
  t.deepEqual(recorder.take(), [], 'a late barrier of the checkpoint given up is ignored');
  t.is(handler.pendingCheckpointId, 2);
});

test('abort() drops the recording without telling the listener, and its later barriers are ignored', (t) => {
  const { handler, recorder } = aligner(2);
  handler.barrierReceived(unalignedBarrier(3), 1);
  recorder.take();
  t.true(handler.abort(3));
  t.deepEqual(recorder.take(), ['drop']);
  handler.barrierReceived(unalignedBarrier(3), 0);
  t.deepEqual(recorder.take(), []);
  t.is(handler.pendingCheckpointId, null);
});

test('started with channels already caught up (an alignment that timed out), only the others are recorded and awaited', (t) => {
  const { handler, recorder } = aligner(3);
  const state = CollectingBarriersUnaligned.start(barrier(4), new Set([0, 2]), handler);
  t.deepEqual(recorder.take(), ['record 4 but 0,2', 'snapshot 4 unaligned'], 'the barrier goes on as unaligned');
  t.is(state.checkpointId, 4);
  const next = state.barrierReceived(barrier(4), 1, handler);
  t.deepEqual(recorder.take(), ['stop 1', 'recorded 4']);
  t.is(next, handler.waitingForFirstBarrier);
});

test('a timer of any checkpoint changes nothing: the checkpoint is unaligned already', (t) => {
  const { handler, recorder } = aligner(2);
  const state = CollectingBarriersUnaligned.start(unalignedBarrier(5), new Set(), handler);
  recorder.take();
  t.is(state.alignmentTimedOut(5, handler), state);
  t.deepEqual(recorder.take(), []);
});
