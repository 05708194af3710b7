// An async operator in a checkpoint (api/operators/async-wait.ts): the input records of its calls in
// flight, of results not emitted yet and of records waiting for room go into the snapshot in input
// order, and a restored operator calls them again before any new input (Flink's AsyncWaitOperator).
import test from 'ava';
import type { JobModule } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import type { AsyncWaitSnapshot } from '../../../api/operators/async-wait.ts';
import { RecordingResponder, barrier, sourceSubtask, throughMsgpack } from '../harness/checkpoints.ts';
import { stepToEnd, within } from '../helpers.ts';

test('an async map restored with calls in flight calls them again, in order, and continues with the source', async (t) => {
  let stall = true;
  let out: number[] = [];
  const module: JobModule = (env) =>
    void env
      .fromSequence(1, 20)
      .mapAsync((n: number) => (stall && n > 3 ? new Promise<number>(() => {}) : Promise.resolve(n * 10)), { capacity: 4 })
      .uid('lookup')
      .sinkTo((n) => void out.push(n));
  const plan = await planJob(module, []);
  const responder = new RecordingResponder();
  const first = sourceSubtask(plan, responder);
  await first.open();
  for (let step = 0; step < 2; step++) {
    const result = first.step(7);
    if (result.kind === 'wait') await within(result.until);
  }
  // Emits 10, 20, 30; calls 4 to 7 stay in flight, 8 to 10 (the rest of split 1) wait for room.
  t.is(first.step(7).kind, 'wait');
  t.deepEqual(out, [10, 20, 30]);
  first.triggerCheckpoint(barrier(1));
  first.cancel();
  await first.close();

  const { snapshot } = responder.acks[0];
  const held = (snapshot.operators.lookup?.extra as AsyncWaitSnapshot).elements;
  t.deepEqual(held, [4, 5, 6, 7, 8, 9, 10].map((n) => ['record', n, null]));
  t.deepEqual(snapshot.source, { splitsReceived: 2, splits: [] }, 'split 1 was read to its end; the request for split 2 is still in flight');

  stall = false;
  const before = out;
  out = [];
  const second = sourceSubtask(plan, responder, throughMsgpack(snapshot));
  await second.open();
  await stepToEnd(second, 7);
  await second.close();
  t.deepEqual([...before, ...out], Array.from({ length: 20 }, (_, index) => (index + 1) * 10));
});
