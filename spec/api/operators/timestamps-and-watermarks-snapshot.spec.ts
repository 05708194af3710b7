// assignTimestampsAndWatermarks in a checkpoint: the operator writes the watermark it emitted, and a
// restored one (whose generator starts afresh) emits nothing at or below it, so downstream event
// time never goes back after a restore.
import test from 'ava';
import { pack, unpack } from 'msgpackr';
import { WatermarkStrategy } from '../../../api/index.ts';
import { type OperatorSnapshot, ProcessFunctionTestHarnesses, record, watermark } from '../../../api/testing/index.ts';

const harnessOf = () =>
  ProcessFunctionTestHarnesses.forPipeline<number, number>((input) => input.assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<number>(10).withTimestampAssigner((n) => n)), {
    autoWatermarkIntervalMs: 100,
  });

test('a restored timestamps-and-watermarks operator emits no watermark at or below the one it had emitted', async (t) => {
  const original = harnessOf();
  await original.open();
  original.processElement(500);
  original.setProcessingTime(100);
  t.deepEqual(original.getOutput(), [record(500, 500), watermark(489)]);
  const snapshot = unpack(pack(original.snapshot())) as OperatorSnapshot;
  t.is(snapshot.watermark, 489);
  await original.close();

  const restored = harnessOf();
  restored.initializeState(snapshot);
  await restored.open();
  restored.processElement(300);
  restored.setProcessingTime(100);
  restored.processElement(600);
  restored.setProcessingTime(200);
  t.deepEqual(restored.getOutput(), [record(300, 300), record(600, 600), watermark(589)], 'its generator\'s 289 is dropped');
  await restored.close();
});
