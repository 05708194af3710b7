// The aligned window operator (api/operators/aligned-window-operator.ts): the fast path for plain
// event-time sums keeps one entry per window, and must drop every window it ever held contents for.
import test from 'ava';
import { TumblingEventTimeWindows } from '../../../index.ts';
import { ProcessFunctionTestHarnesses, record, watermark } from '../../../api/testing/index.ts';

interface Reading {
  readonly key: string;
  readonly value: number;
}

const r = (key: string, value: number): Reading => ({ key, value });
const byKey = (reading: Reading): string => reading.key;

test('a window whose first record comes after the watermark passed it, within the allowed lateness, fires at once and is dropped at its cleanup time', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forWindow(byKey, TumblingEventTimeWindows.of(10), (windowed) => windowed.allowedLateness(100).sum('value'));
  await harness.open();
  harness.processWatermark(50);
  harness.processElement(r('a', 1), 5); // [0,10): maxTimestamp 9 <= 50 < 9 + 100
  harness.processElement(r('a', 2), 6);
  t.deepEqual(harness.getOutput(), [watermark(50), record(r('a', 1), 9), record(r('a', 3), 9)]);
  t.is(harness.numKeyedStateEntries(), 1);
  harness.processWatermark(108);
  t.is(harness.numKeyedStateEntries(), 1, 'kept until maxTimestamp + allowedLateness');
  harness.processWatermark(109);
  t.is(harness.numKeyedStateEntries(), 0);
  harness.processElement(r('a', 4), 7);
  t.deepEqual(harness.extractOutputValues(), [r('a', 1), r('a', 3)]);
  await harness.close();
});
