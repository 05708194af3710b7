// WaitingForFirstBarrier: between checkpoints nothing is blocked or recorded; the first barrier of a
// newer checkpoint starts the kind of collection it asks for, so a savepoint in a job with unaligned
// checkpoints still aligns.
import test from 'ava';
import { BarrierAligner } from '../../../../api/runtime/checkpointing/barrier-aligner.ts';
import { WAITING_FOR_FIRST_BARRIER } from '../../../../api/runtime/checkpointing/barrier-waiting.ts';
import type { CheckpointBarrier } from '../../../../api/runtime/checkpointing/snapshot.ts';
import { BarrierRecorder, barrier, timeoutableBarrier, unalignedBarrier } from './barrier-recorder.ts';

function context(): { handler: BarrierAligner; recorder: BarrierRecorder } {
  const recorder = new BarrierRecorder();
  recorder.time = barrier(1).timestamp;
  return { handler: new BarrierAligner(recorder, 2, recorder, recorder), recorder };
}

const firstBarrier = (received: CheckpointBarrier): string[] => {
  const { handler, recorder } = context();
  const next = WAITING_FOR_FIRST_BARRIER.barrierReceived(received, 0, handler);
  return [...recorder.take(), `collecting ${String(next.checkpointId)}`];
};

test('the first barrier starts the collection its checkpoint asks for: aligned, unaligned, or aligned with a timeout', (t) => {
  t.deepEqual(firstBarrier(barrier(1)), ['block 0', 'collecting 1']);
  t.deepEqual(firstBarrier(unalignedBarrier(1)), ['record 1', 'snapshot 1 unaligned', 'stop 0', 'collecting 1']);
  t.deepEqual(firstBarrier(timeoutableBarrier(1, 500)), ['timer in 500', 'block 0', 'collecting 1']);
  t.deepEqual(firstBarrier({ ...barrier(1), savepoint: true }), ['block 0', 'collecting 1'], 'a savepoint aligns');
});

test('a barrier of a checkpoint up to the newest seen is ignored; channel ends, aborts and timers change nothing', (t) => {
  const { handler, recorder } = context();
  handler.latestCheckpointId = 3;
  t.is(WAITING_FOR_FIRST_BARRIER.barrierReceived(unalignedBarrier(3), 0, handler), WAITING_FOR_FIRST_BARRIER);
  t.is(WAITING_FOR_FIRST_BARRIER.channelEnded(0, handler), WAITING_FOR_FIRST_BARRIER);
  t.is(WAITING_FOR_FIRST_BARRIER.abort(handler, 'why'), WAITING_FOR_FIRST_BARRIER);
  t.is(WAITING_FOR_FIRST_BARRIER.alignmentTimedOut(3, handler), WAITING_FOR_FIRST_BARRIER);
  t.deepEqual(recorder.take(), []);
  t.is(handler.latestCheckpointId, 3);
});
