import test from 'ava';
import { BoundedOutOfOrdernessWatermarks, NoWatermarksGenerator } from '../../../api/eventtime/watermark-generators.ts';
import { RecordingWatermarkOutput } from './recording-output.ts';

test('bounded out-of-orderness emits the highest timestamp minus the bound minus 1, only periodically', (t) => {
  const generator = new BoundedOutOfOrdernessWatermarks<string>(100);
  const output = new RecordingWatermarkOutput();
  generator.onEvent('a', 1000, output);
  generator.onEvent('b', 1500, output);
  generator.onEvent('late', 1200, output);
  t.deepEqual(output.take(), [], 'onEvent emits nothing');
  generator.onPeriodicEmit(output);
  t.deepEqual(output.take(), ['wm 1399']);
  generator.onEvent('c', 1450, output);
  generator.onPeriodicEmit(output);
  t.deepEqual(output.take(), ['wm 1399'], 'a lower timestamp does not move the maximum; the emitter drops the repeat');
});

test('before the first record the bounded generator emits -Infinity, which no consumer forwards', (t) => {
  const generator = new BoundedOutOfOrdernessWatermarks<string>(5);
  const output = new RecordingWatermarkOutput();
  generator.onPeriodicEmit(output);
  t.deepEqual(output.take(), ['wm -Infinity']);
});

test('a bound of 0 is the monotonous generator: watermark = highest timestamp - 1', (t) => {
  const generator = new BoundedOutOfOrdernessWatermarks<number>(0);
  const output = new RecordingWatermarkOutput();
  generator.onEvent(1, 7, output);
  generator.onPeriodicEmit(output);
  t.deepEqual(output.take(), ['wm 6']);
});

test('the no-watermarks generator never emits', (t) => {
  const generator = new NoWatermarksGenerator<number>();
  const output = new RecordingWatermarkOutput();
  generator.onEvent(1, 7, output);
  generator.onPeriodicEmit(output);
  t.deepEqual(output.take(), []);
});
