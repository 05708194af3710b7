// The client's warnings before it submits a checkpointing job: stateful operators without uid(), and
// sources that cannot replay.
import test from 'ava';
import { of } from 'rxjs';
import { submitWarnings } from '../../../api/client/submit-warnings.ts';
import { TumblingEventTimeWindows, WatermarkStrategy } from '../../../api/index.ts';
import { planJob } from '../../../api/runtime/plan.ts';

const windowed = (checkpoint: boolean, uid: boolean) =>
  planJob((env) => {
    if (checkpoint) env.enableCheckpointing(1_000);
    env.setJobName('totals');
    const totals = env
      .fromSequence(1, 10)
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((n) => n))
      .keyBy((n) => n % 2)
      .window(TumblingEventTimeWindows.of(5))
      .reduce((a, b) => a + b)
      .name('Totals');
    if (uid) totals.uid('totals');
    totals.print();
  }, []);

test('a job that does not checkpoint gets no warning', async (t) => {
  t.deepEqual(submitWarnings((await windowed(false, false)).graph), []);
});

test('a checkpointing job names its stateful operators without uid(): the source and the window', async (t) => {
  t.deepEqual(submitWarnings((await windowed(true, false)).graph), [
    'job "totals": stateful operators without uid(): "Source: Sequence" (source-sequence-0), "Totals" (window-3); their state restores from a savepoint only into this very pipeline: give each a stable .uid("...")',
  ]);
  t.deepEqual(submitWarnings((await windowed(true, true)).graph), [
    'job "totals": stateful operators without uid(): "Source: Sequence" (source-sequence-0); their state restores from a savepoint only into this very pipeline: give each a stable .uid("...")',
  ]);
});

test('a checkpointing job reading an Observable is told it is at-most-once for that source', async (t) => {
  const plan = await planJob((env) => {
    env.enableCheckpointing(1_000);
    env.setJobName('observed');
    env.fromObservable(() => of(1, 2, 3)).uid('numbers').print();
  }, []);
  t.deepEqual(submitWarnings(plan.graph), ['job "observed" checkpoints, but source "Source: Observable" (numbers) cannot replay its records: after a failure the job is at-most-once for them']);
});
