import test from 'ava';
import { SplitWatermarks } from '../../../api/eventtime/split-watermarks.ts';
import { NO_TIMESTAMP } from '../../../api/eventtime/timestamp-assigner.ts';
import { WatermarkEmitter } from '../../../api/eventtime/watermark-emitter.ts';
import { WatermarkStrategy } from '../../../api/eventtime/watermark-strategy.ts';
import { RecordingStreamOutput } from './recording-output.ts';

const OPERATOR = 'operator "Kafka" (id "source-1")';

interface Reading {
  readonly at: number;
}

function reader(strategy: WatermarkStrategy<Reading>) {
  const clock = { now: 0, currentProcessingTime: () => clock.now };
  const stream = new RecordingStreamOutput();
  const watermarks = new SplitWatermarks(strategy, clock, new WatermarkEmitter(stream), OPERATOR);
  return { clock, stream, watermarks };
}

test('each split has its own generator; the reader emits the minimum of their periodic watermarks', (t) => {
  const { stream, watermarks } = reader(WatermarkStrategy.forBoundedOutOfOrderness<Reading>(10).withTimestampAssigner((reading) => reading.at));
  const first = watermarks.addSplit('p0');
  const second = watermarks.addSplit('p1');
  for (const [split, at] of [
    [first, 1000],
    [second, 400],
    [first, 1200],
    [second, 300],
  ] as const) {
    const reading = { at };
    split.generator.onEvent(reading, split.assignTimestamp(reading, NO_TIMESTAMP), split.output);
  }
  watermarks.emitPeriodicWatermark();
  t.deepEqual(stream.take(), ['wm 389'], 'min(1200, 400) - 10 - 1');
  watermarks.removeSplit('p1');
  t.deepEqual(stream.take(), ['wm 1189'], 'the finished split no longer holds it back');
});

test('an idle split is left out, and the reader goes idle when all splits are', (t) => {
  const { clock, stream, watermarks } = reader(WatermarkStrategy.forMonotonousTimestamps<Reading>().withTimestampAssigner((reading) => reading.at).withIdleness(300));
  const busy = watermarks.addSplit(0);
  const quiet = watermarks.addSplit(1);
  quiet.generator.onEvent({ at: 50 }, 50, quiet.output);
  for (let now = 200; now <= 800; now += 200) {
    clock.now = now;
    busy.generator.onEvent({ at: now }, now, busy.output);
    watermarks.emitPeriodicWatermark();
  }
  t.deepEqual(stream.take(), ['wm 49', 'wm 599', 'wm 799'], 'split 1 is idle at 600, 300+ ms after the emission at 200 that saw its event');
  for (let now = 1000; now <= 1200; now += 200) {
    clock.now = now;
    watermarks.emitPeriodicWatermark();
  }
  t.deepEqual(stream.take(), ['idle']);
  quiet.generator.onEvent({ at: 900 }, 900, quiet.output);
  t.deepEqual(stream.take(), ['active'], 'an event on one split makes the reader active at once');
});
