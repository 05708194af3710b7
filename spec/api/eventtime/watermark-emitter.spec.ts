import test from 'ava';
import { MAX_WATERMARK } from '../../../api/eventtime/watermark.ts';
import { WatermarkEmitter } from '../../../api/eventtime/watermark-emitter.ts';
import { RecordingStreamOutput } from './recording-output.ts';

test('the emitter forwards only watermarks higher than the highest so far', (t) => {
  const stream = new RecordingStreamOutput();
  const emitter = new WatermarkEmitter(stream);
  for (const watermark of [Number.NEGATIVE_INFINITY, 5, 5, 3, 9, Number.NaN, 8, MAX_WATERMARK, MAX_WATERMARK]) emitter.emitWatermark(watermark);
  t.deepEqual(stream.take(), ['wm 5', 'wm 9', 'wm Infinity']);
  t.is(emitter.currentWatermark, MAX_WATERMARK);
});

test('the emitter sends a status only when it changes, and turns active before a higher watermark', (t) => {
  const stream = new RecordingStreamOutput();
  const emitter = new WatermarkEmitter(stream);
  emitter.markActive();
  emitter.emitWatermark(10);
  emitter.markIdle();
  emitter.markIdle();
  t.true(emitter.isIdle);
  emitter.emitWatermark(7);
  t.deepEqual(stream.take(), ['wm 10', 'idle'], 'a lower watermark neither goes out nor turns the output active');
  emitter.emitWatermark(11);
  emitter.markActive();
  emitter.markIdle();
  emitter.markActive();
  t.deepEqual(stream.take(), ['active', 'wm 11', 'idle', 'active']);
});
