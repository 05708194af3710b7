// The barrier handler of a subtask is chosen by the checkpointing mode its barriers carry.
import test from 'ava';
import { BarrierAligner } from '../../../../api/runtime/checkpointing/barrier-aligner.ts';
import { createBarrierHandler } from '../../../../api/runtime/checkpointing/barrier-handler.ts';
import { BarrierTracker } from '../../../../api/runtime/checkpointing/barrier-tracker.ts';
import { BarrierRecorder, barrier } from './barrier-recorder.ts';

test('EXACTLY_ONCE aligns (blocks channels), AT_LEAST_ONCE only counts', (t) => {
  const recorder = new BarrierRecorder();
  const aligned = createBarrierHandler('EXACTLY_ONCE', recorder, 2, recorder);
  const counted = createBarrierHandler('AT_LEAST_ONCE', recorder, 2, recorder);
  t.true(aligned instanceof BarrierAligner);
  t.true(counted instanceof BarrierTracker);
  aligned.barrierReceived(barrier(1), 0);
  counted.barrierReceived(barrier(1, 'AT_LEAST_ONCE'), 0);
  t.deepEqual(recorder.take(), ['block 0']);
});

test('the handler starts from the channels still open', (t) => {
  const recorder = new BarrierRecorder();
  for (const mode of ['EXACTLY_ONCE', 'AT_LEAST_ONCE'] as const) {
    const handler = createBarrierHandler(mode, recorder, 1, recorder);
    handler.barrierReceived(barrier(1, mode), 1);
    t.deepEqual(recorder.take(), ['snapshot 1'], mode);
  }
});
