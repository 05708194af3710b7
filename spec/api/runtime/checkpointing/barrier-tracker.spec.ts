// AT_LEAST_ONCE at a subtask's inputs: barriers are counted, nothing is blocked, and several
// checkpoints may be in flight at once. The log shows every call on the listener, in order.
import test from 'ava';
import { BarrierTracker, MAX_TRACKED_CHECKPOINTS } from '../../../../api/runtime/checkpointing/barrier-tracker.ts';
import { BarrierRecorder, barrier } from './barrier-recorder.ts';

const atLeastOnce = (checkpointId: number) => barrier(checkpointId, 'AT_LEAST_ONCE');

function tracker(openChannels: number): { handler: BarrierTracker; recorder: BarrierRecorder } {
  const recorder = new BarrierRecorder();
  return { handler: new BarrierTracker(openChannels, recorder), recorder };
}

test('nothing is blocked; the subtask snapshots when the last channel delivers the barrier', (t) => {
  const { handler, recorder } = tracker(3);
  handler.barrierReceived(atLeastOnce(1), 0);
  handler.barrierReceived(atLeastOnce(1), 2);
  t.deepEqual(recorder.take(), []);
  t.is(handler.pendingCheckpointId, 1);
  handler.barrierReceived(atLeastOnce(1), 1);
  t.deepEqual(recorder.take(), ['snapshot 1']);
  t.is(handler.pendingCheckpointId, null);
});

test('with one open channel every barrier snapshots at once', (t) => {
  const { handler, recorder } = tracker(1);
  handler.barrierReceived(atLeastOnce(1), 0);
  handler.barrierReceived(atLeastOnce(2), 0);
  t.deepEqual(recorder.take(), ['snapshot 1', 'snapshot 2']);
});

test('checkpoints overlap; when a newer one completes, the older ones are declined before it snapshots', (t) => {
  const { handler, recorder } = tracker(2);
  handler.barrierReceived(atLeastOnce(1), 0);
  handler.barrierReceived(atLeastOnce(2), 0);
  handler.barrierReceived(atLeastOnce(3), 0);
  t.is(handler.pendingCheckpointId, 3);
  handler.barrierReceived(atLeastOnce(2), 1);
  t.deepEqual(recorder.take(), ['abort 1: checkpoint 2 was complete at this subtask\'s inputs first', 'snapshot 2']);
  handler.barrierReceived(atLeastOnce(1), 1);
  t.deepEqual(recorder.take(), [], 'a late barrier of a checkpoint given up');
  handler.barrierReceived(atLeastOnce(3), 1);
  t.deepEqual(recorder.take(), ['snapshot 3']);
});

test('a channel end counts as delivered for every checkpoint in flight; the newest it completes wins', (t) => {
  const { handler, recorder } = tracker(3);
  handler.barrierReceived(atLeastOnce(1), 0);
  handler.barrierReceived(atLeastOnce(1), 1);
  handler.barrierReceived(atLeastOnce(2), 0);
  handler.channelEnded(2);
  t.deepEqual(recorder.take(), ['snapshot 1'], 'checkpoint 2 still waits for channel 1');
  handler.channelEnded(1);
  t.deepEqual(recorder.take(), ['snapshot 2']);
  handler.barrierReceived(atLeastOnce(3), 0);
  t.deepEqual(recorder.take(), ['snapshot 3'], 'one open channel is left');
});

test('a channel that delivered the barrier and then ended is counted once', (t) => {
  const { handler, recorder } = tracker(3);
  handler.barrierReceived(atLeastOnce(1), 0);
  handler.channelEnded(0);
  t.deepEqual(recorder.take(), []);
  handler.barrierReceived(atLeastOnce(1), 1);
  t.deepEqual(recorder.take(), [], 'channel 2 still owes its barrier');
  handler.barrierReceived(atLeastOnce(1), 2);
  t.deepEqual(recorder.take(), ['snapshot 1']);
});

test('abort() forgets that checkpoint without telling the listener; its late barriers are ignored', (t) => {
  const { handler, recorder } = tracker(2);
  handler.barrierReceived(atLeastOnce(1), 0);
  t.false(handler.abort(2));
  t.true(handler.abort(1));
  handler.barrierReceived(atLeastOnce(1), 1);
  handler.barrierReceived(atLeastOnce(2), 1);
  t.deepEqual(recorder.take(), []);
  t.is(handler.pendingCheckpointId, null);
});

test(`over ${MAX_TRACKED_CHECKPOINTS} checkpoints in flight, the oldest is declined`, (t) => {
  const { handler, recorder } = tracker(2);
  for (let id = 1; id <= MAX_TRACKED_CHECKPOINTS + 1; id++) handler.barrierReceived(atLeastOnce(id), 0);
  t.deepEqual(recorder.take(), [`abort 1: over ${MAX_TRACKED_CHECKPOINTS} checkpoints were in progress at once`]);
  handler.barrierReceived(atLeastOnce(1), 1);
  t.deepEqual(recorder.take(), []);
});
