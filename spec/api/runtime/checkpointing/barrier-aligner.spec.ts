// EXACTLY_ONCE at a subtask's inputs: which channels are blocked, when the subtask snapshots, and what
// ends an alignment. The log shows every call on the channels and the listener, in order.
import test from 'ava';
import { BarrierAligner } from '../../../../api/runtime/checkpointing/barrier-aligner.ts';
import { BarrierRecorder, barrier } from './barrier-recorder.ts';

function aligner(openChannels: number): { handler: BarrierAligner; recorder: BarrierRecorder } {
  const recorder = new BarrierRecorder();
  return { handler: new BarrierAligner(recorder, openChannels, recorder), recorder };
}

test('each barrier but the last blocks its channel; the last one snapshots, then the blocked channels resume', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(barrier(1), 2);
  t.is(handler.pendingCheckpointId, 1);
  handler.barrierReceived(barrier(1), 0);
  t.deepEqual(recorder.take(), ['block 2', 'block 0']);
  handler.barrierReceived(barrier(1), 1);
  t.deepEqual(recorder.take(), ['snapshot 1', 'resume 2', 'resume 0']);
  t.is(handler.pendingCheckpointId, null);
});

test('with one open channel in all a barrier snapshots at once and blocks nothing', (t) => {
  const { handler, recorder } = aligner(1);
  handler.barrierReceived(barrier(1), 0);
  handler.barrierReceived(barrier(2), 0);
  t.deepEqual(recorder.take(), ['snapshot 1', 'snapshot 2']);
});

test('a channel that ends during an alignment counts as delivered: its end completes the alignment', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(barrier(4), 0);
  handler.channelEnded(2);
  t.deepEqual(recorder.take(), ['block 0'], 'channel 1 still owes its barrier');
  handler.channelEnded(1);
  t.deepEqual(recorder.take(), ['snapshot 4', 'resume 0']);
});

test('an ended channel counts as delivered for every later checkpoint too', (t) => {
  const { handler, recorder } = aligner(2);
  handler.channelEnded(1);
  handler.barrierReceived(barrier(1), 0);
  handler.barrierReceived(barrier(2), 0);
  t.deepEqual(recorder.take(), ['snapshot 1', 'snapshot 2']);
});

test('a barrier of a newer checkpoint aborts the alignment in progress, resumes its channels and starts its own', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(barrier(1), 0);
  handler.barrierReceived(barrier(1), 1);
  handler.barrierReceived(barrier(2), 2);
  t.deepEqual(recorder.take(), [
    'block 0',
    'block 1',
    'resume 0',
    'resume 1',
    'abort 1: the barrier of checkpoint 2 arrived before checkpoint 1 was aligned',
    'block 2',
  ]);
  t.is(handler.pendingCheckpointId, 2);
  handler.barrierReceived(barrier(2), 0);
  handler.barrierReceived(barrier(2), 1);
  t.deepEqual(recorder.take(), ['block 0', 'snapshot 2', 'resume 2', 'resume 0']);
});

test('a barrier older than the one being aligned, or of a checkpoint already taken, is ignored', (t) => {
  const { handler, recorder } = aligner(2);
  handler.barrierReceived(barrier(1), 0);
  handler.barrierReceived(barrier(1), 1);
  t.deepEqual(recorder.take(), ['block 0', 'snapshot 1', 'resume 0']);
  handler.barrierReceived(barrier(1), 0);
  t.deepEqual(recorder.take(), [], 'checkpoint 1 was taken');
  handler.barrierReceived(barrier(3), 1);
  handler.barrierReceived(barrier(2), 0);
  t.deepEqual(recorder.take(), ['block 1'], 'barrier 2 comes after barrier 3 began aligning');
  t.is(handler.pendingCheckpointId, 3);
});

test('abort() ends the alignment of that checkpoint without telling the listener, and its late barriers are ignored', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(barrier(5), 1);
  handler.barrierReceived(barrier(5), 2);
  t.false(handler.abort(4), 'another checkpoint: the alignment goes on');
  t.deepEqual(recorder.take(), ['block 1', 'block 2']);
  t.true(handler.abort(5));
  t.deepEqual(recorder.take(), ['resume 1', 'resume 2']);
  t.is(handler.pendingCheckpointId, null);
  handler.barrierReceived(barrier(5), 0);
  t.deepEqual(recorder.take(), [], 'a late barrier of the aborted checkpoint');
  handler.barrierReceived(barrier(6), 0);
  t.deepEqual(recorder.take(), ['block 0']);
});

test('abort() of a checkpoint whose barriers have not come yet makes them ignored when they do', (t) => {
  const { handler, recorder } = aligner(2);
  t.false(handler.abort(7));
  handler.barrierReceived(barrier(7), 0);
  handler.barrierReceived(barrier(7), 1);
  t.deepEqual(recorder.take(), []);
});
