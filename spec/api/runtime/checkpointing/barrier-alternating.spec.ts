// AlternatingCollectingBarriers (execution.checkpointing.aligned-checkpoint-timeout): a checkpoint
// aligns until its timeout has passed since its trigger, then switches to unaligned: the subtask
// snapshots at once, the blocked channels resume and the others are recorded until their barriers.
import test from 'ava';
import { BarrierAligner } from '../../../../api/runtime/checkpointing/barrier-aligner.ts';
import { BarrierRecorder, timeoutableBarrier, unalignedBarrier } from './barrier-recorder.ts';

const TIMEOUT_MS = 500;

/** An aligner whose clock stands `elapsedMs` after checkpoint `checkpointId`'s trigger. */
function aligner(openChannels: number, checkpointId = 1, elapsedMs = 100): { handler: BarrierAligner; recorder: BarrierRecorder } {
  const recorder = new BarrierRecorder();
  recorder.time = timeoutableBarrier(checkpointId, TIMEOUT_MS).timestamp + elapsedMs;
  return { handler: new BarrierAligner(recorder, openChannels, recorder, recorder), recorder };
}

test('within its timeout it aligns as an aligned checkpoint does, and its timer is cancelled once aligned', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 0);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 2);
  t.deepEqual(recorder.take(), ['timer in 400', 'block 0', 'block 2'], 'the timer runs for what is left of the timeout since the trigger');
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 1);
  t.deepEqual(recorder.take(), ['timer cancelled', 'snapshot 1', 'resume 0', 'resume 2']);
  t.is(handler.pendingCheckpointId, null);
});

test('when its timer goes off it switches: an unaligned snapshot, the blocked channels resume, the others are recorded until their barriers', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 1);
  recorder.take();
  recorder.fire();
  t.deepEqual(recorder.take(), ['record 1 but 1', 'snapshot 1 unaligned', 'resume 1']);
  t.is(handler.pendingCheckpointId, 1);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 0);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 2);
  t.deepEqual(recorder.take(), ['stop 0', 'stop 2', 'recorded 1']);
});

test('a first barrier that arrives after the timeout has passed snapshots unaligned at once', (t) => {
  const { handler, recorder } = aligner(2, 1, TIMEOUT_MS);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 0);
  t.deepEqual(recorder.take(), ['record 1', 'snapshot 1 unaligned', 'stop 0']);
});

test('a barrier of it that comes unaligned (an upstream subtask switched) switches at once', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 0);
  recorder.take();
  handler.barrierReceived(unalignedBarrier(1), 2);
  t.deepEqual(recorder.take(), ['timer cancelled', 'record 1 but 0', 'snapshot 1 unaligned', 'resume 0', 'stop 2']);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 1);
  t.deepEqual(recorder.take(), ['stop 1', 'recorded 1']);
});

test('a newer barrier aborts it and cancels its timer; abort() does too', (t) => {
  const { handler, recorder } = aligner(2);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 0);
  recorder.take();
  handler.barrierReceived(timeoutableBarrier(2, TIMEOUT_MS), 1);
  t.deepEqual(recorder.take(), ['timer cancelled', 'resume 0', 'abort 1: the barrier of checkpoint 2 arrived before checkpoint 1 was aligned', 'timer in 401', 'block 1']);
  t.true(handler.abort(2));
  t.deepEqual(recorder.take(), ['timer cancelled', 'resume 1']);
  t.is(handler.pendingCheckpointId, null);
});

test('a channel that ends while it aligns counts as delivered: it completes aligned, and its timer is cancelled', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 0);
  handler.channelEnded(2);
  t.deepEqual(recorder.take(), ['timer in 400', 'block 0'], 'channel 1 still owes its barrier');
  handler.channelEnded(1);
  t.deepEqual(recorder.take(), ['timer cancelled', 'snapshot 1', 'resume 0']);
  t.is(handler.pendingCheckpointId, null);
});

test('switched to unaligned, a channel that ends owes no barrier: its recording ends with it, and the last end completes the checkpoint', (t) => {
  const { handler, recorder } = aligner(3);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 1);
  recorder.fire();
  recorder.take();
  handler.channelEnded(0);
  t.deepEqual(recorder.take(), ['stop 0']);
  t.is(handler.pendingCheckpointId, 1);
  handler.channelEnded(2);
  t.deepEqual(recorder.take(), ['stop 2', 'recorded 1']);
  t.is(handler.pendingCheckpointId, null);
});

test('switched to unaligned, the channel that had delivered its barrier ending leaves the others owing theirs', (t) => {
  const { handler, recorder } = aligner(2);
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 1);
  recorder.fire();
  recorder.take();
  handler.channelEnded(1);
  t.deepEqual(recorder.take(), [], 'its recording had ended with its barrier');
  handler.barrierReceived(timeoutableBarrier(1, TIMEOUT_MS), 0);
  t.deepEqual(recorder.take(), ['stop 0', 'recorded 1']);
});
