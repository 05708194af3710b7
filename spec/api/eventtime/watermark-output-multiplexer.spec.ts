import test from 'ava';
import { WatermarkOutputMultiplexer } from '../../../api/eventtime/watermark-output-multiplexer.ts';
import { WeirError } from '../../../messages/errors.ts';
import { RecordingWatermarkOutput } from './recording-output.ts';

function multiplexer(...splits: (string | number)[]) {
  const reader = new RecordingWatermarkOutput();
  const mux = new WatermarkOutputMultiplexer(reader);
  for (const split of splits) mux.registerNewOutput(split);
  return { reader, mux };
}

test('the reader emits the minimum over its splits, when that minimum rises', (t) => {
  const { reader, mux } = multiplexer('a', 'b');
  mux.getImmediateOutput('a').emitWatermark(100);
  t.deepEqual(reader.take(), [], 'split b is still at -Infinity');
  mux.getImmediateOutput('b').emitWatermark(50);
  t.deepEqual(reader.take(), ['wm 50']);
  mux.getImmediateOutput('b').emitWatermark(150);
  t.deepEqual(reader.take(), ['wm 100']);
  mux.getImmediateOutput('a').emitWatermark(90);
  mux.getImmediateOutput('b').emitWatermark(120);
  t.deepEqual(reader.take(), [], 'a split watermark going back is ignored');
  t.is(mux.combinedWatermark, 100);
});

test('an idle split is left out of the minimum; the reader is idle only when all splits are', (t) => {
  const { reader, mux } = multiplexer(1, 2);
  mux.getImmediateOutput(1).emitWatermark(10);
  mux.getImmediateOutput(2).emitWatermark(40);
  t.deepEqual(reader.take(), ['wm 10']);
  mux.getImmediateOutput(1).markIdle();
  t.deepEqual(reader.take(), ['wm 40']);
  mux.getImmediateOutput(2).markIdle();
  mux.getImmediateOutput(2).markIdle();
  t.deepEqual(reader.take(), ['idle'], 'once');
  mux.getImmediateOutput(1).markActive();
  t.deepEqual(reader.take(), ['active'], 'split 1 (at 10) is active again but does not lower the watermark');
  mux.getImmediateOutput(1).emitWatermark(60);
  t.deepEqual(reader.take(), ['wm 60'], 'split 2 is still idle');
});

test('a watermark on an idle split makes it active again', (t) => {
  const { reader, mux } = multiplexer('a');
  mux.getImmediateOutput('a').markIdle();
  mux.getImmediateOutput('a').emitWatermark(5);
  t.deepEqual(reader.take(), ['idle', 'active', 'wm 5']);
});

test('deferred outputs only record; onPeriodicEmit combines them into at most one watermark', (t) => {
  const { reader, mux } = multiplexer('a', 'b', 'c');
  mux.getDeferredOutput('a').emitWatermark(30);
  mux.getDeferredOutput('b').emitWatermark(20);
  mux.getDeferredOutput('c').markIdle();
  t.deepEqual(reader.take(), []);
  mux.onPeriodicEmit();
  t.deepEqual(reader.take(), ['wm 20']);
  mux.getDeferredOutput('a').markIdle();
  mux.getDeferredOutput('b').markIdle();
  mux.onPeriodicEmit();
  t.deepEqual(reader.take(), ['idle']);
  mux.getDeferredOutput('a').markActive();
  mux.onPeriodicEmit();
  t.deepEqual(reader.take(), ['active', 'wm 30']);
});

test('a finished split is unregistered and stops holding the watermark back at once', (t) => {
  const { reader, mux } = multiplexer('slow', 'fast');
  mux.getImmediateOutput('fast').emitWatermark(500);
  mux.getImmediateOutput('slow').emitWatermark(100);
  t.deepEqual(reader.take(), ['wm 100']);
  t.true(mux.unregisterOutput('slow'));
  t.false(mux.unregisterOutput('slow'));
  t.deepEqual(reader.take(), ['wm 500']);
  mux.registerNewOutput('new');
  mux.getImmediateOutput('fast').emitWatermark(700);
  t.deepEqual(reader.take(), [], 'a new split starts at -Infinity and holds the minimum until it emits');
  mux.getImmediateOutput('new').emitWatermark(600);
  t.deepEqual(reader.take(), ['wm 600']);
});

test('a reader without splits emits nothing, and the combined watermark never goes back', (t) => {
  const { reader, mux } = multiplexer('a');
  mux.getImmediateOutput('a').emitWatermark(100);
  mux.unregisterOutput('a');
  mux.onPeriodicEmit();
  mux.registerNewOutput('b');
  mux.getImmediateOutput('b').emitWatermark(80);
  t.deepEqual(reader.take(), ['wm 100']);
  t.is(mux.combinedWatermark, 100);
});

test('registering a split twice, or using one never registered, is an INVALID_SPLIT error', (t) => {
  const { mux } = multiplexer('a');
  const twice = t.throws(() => mux.registerNewOutput('a'), { instanceOf: WeirError });
  t.is(twice?.code, 'INVALID_SPLIT');
  t.is(twice?.message, 'watermark multiplexer: split a already has an output');
  const unknown = t.throws(() => mux.getImmediateOutput(7), { instanceOf: WeirError });
  t.is(unknown?.code, 'INVALID_SPLIT');
  t.is(unknown?.message, 'watermark multiplexer: split 7 has no output; register it first');
});
