import test from 'ava';
import { MAX_WATERMARK } from '../../../../api/eventtime/watermark.ts';
import { StatusWatermarkValve } from '../../../../api/runtime/time/status-watermark-valve.ts';
import { RecordingStreamOutput } from '../../eventtime/recording-output.ts';

function valve(channels: number) {
  const output = new RecordingStreamOutput();
  return { output, valve: new StatusWatermarkValve(channels, output) };
}

test('one channel: every higher watermark goes through, a lower or equal one does not', (t) => {
  const { output, valve: single } = valve(1);
  for (const watermark of [5, 5, 3, 8]) single.inputWatermark(watermark, 0);
  t.deepEqual(output.take(), ['wm 5', 'wm 8']);
  t.is(single.currentWatermark, 8);
});

test('the valve emits the minimum over its channels whenever that minimum rises', (t) => {
  const { output, valve: three } = valve(3);
  three.inputWatermark(10, 0);
  t.deepEqual(output.take(), [], 'channels 1 and 2 are still at -Infinity');
  three.inputWatermark(5, 1);
  three.inputWatermark(7, 2);
  t.deepEqual(output.take(), ['wm 5']);
  three.inputWatermark(12, 1);
  t.deepEqual(output.take(), ['wm 7']);
  three.inputWatermark(20, 2);
  t.deepEqual(output.take(), ['wm 10']);
  three.inputWatermark(9, 0);
  t.deepEqual(output.take(), [], "a channel's watermark never goes back");
});

test('an idle channel leaves the minimum, which may then rise; its watermarks are ignored while idle', (t) => {
  const { output, valve: two } = valve(2);
  two.inputWatermark(10, 0);
  two.inputWatermark(40, 1);
  t.deepEqual(output.take(), ['wm 10']);
  two.inputWatermarkStatus('idle', 0);
  t.deepEqual(output.take(), ['wm 40']);
  two.inputWatermark(100, 0);
  two.inputWatermark(50, 1);
  t.deepEqual(output.take(), ['wm 50'], "the idle channel's 100 was ignored");
  t.is(two.status, 'active');
});

test('when all channels are idle the valve flushes the highest watermark and turns idle', (t) => {
  const { output, valve: two } = valve(2);
  two.inputWatermark(10, 0);
  two.inputWatermark(20, 1);
  two.inputWatermarkStatus('idle', 1);
  t.deepEqual(output.take(), ['wm 10']);
  two.inputWatermarkStatus('idle', 0);
  t.deepEqual(output.take(), ['wm 20', 'idle']);
  t.is(two.status, 'idle');
  two.inputWatermarkStatus('idle', 0);
  t.deepEqual(output.take(), [], 'a repeated status changes nothing');
});

test('no flush when the last channel to go idle was behind the emitted watermark (as Flink)', (t) => {
  const { output, valve: three } = valve(3);
  for (const channel of [0, 1, 2]) three.inputWatermark(50, channel);
  three.inputWatermarkStatus('idle', 0);
  three.inputWatermark(80, 1);
  three.inputWatermark(120, 2);
  three.inputWatermarkStatus('active', 0);
  t.deepEqual(output.take(), ['wm 50', 'wm 80'], 'channel 0 is active again but at 50, not aligned');
  three.inputWatermarkStatus('idle', 2);
  three.inputWatermarkStatus('idle', 1);
  three.inputWatermarkStatus('idle', 0);
  t.deepEqual(output.take(), ['idle'], 'channel 2 reached 120, but channel 0 went idle last at 50');
});

test('a channel active again rejoins the minimum only once its watermark reaches the emitted one', (t) => {
  const { output, valve: two } = valve(2);
  two.inputWatermark(10, 0);
  two.inputWatermark(10, 1);
  two.inputWatermarkStatus('idle', 0);
  two.inputWatermark(30, 1);
  two.inputWatermarkStatus('active', 0);
  two.inputWatermark(40, 1);
  t.deepEqual(output.take(), ['wm 10', 'wm 30', 'wm 40'], 'channel 0 at 10 does not hold the valve back');
  two.inputWatermark(35, 0);
  t.deepEqual(output.take(), [], 'still behind 40: not aligned yet');
  two.inputWatermark(45, 0);
  two.inputWatermark(60, 1);
  t.deepEqual(output.take(), ['wm 45'], 'aligned at 45, channel 0 holds the minimum again');
});

test('an idle valve ignores watermarks and turns active with the first active channel', (t) => {
  const { output, valve: two } = valve(2);
  two.inputWatermarkStatus('idle', 0);
  two.inputWatermarkStatus('idle', 1);
  t.deepEqual(output.take(), ['idle']);
  two.inputWatermark(5, 0);
  t.deepEqual(output.take(), []);
  two.inputWatermarkStatus('active', 1);
  two.inputWatermarkStatus('active', 1);
  t.deepEqual(output.take(), ['active']);
  two.inputWatermark(7, 1);
  t.deepEqual(output.take(), ['wm 7'], 'channel 0 is idle, so channel 1 alone is the minimum');
});

test('a channel that ended (MAX_WATERMARK) never holds the others back', (t) => {
  const { output, valve: two } = valve(2);
  two.inputWatermark(MAX_WATERMARK, 0);
  two.inputWatermark(5, 1);
  t.deepEqual(output.take(), ['wm 5']);
  two.inputWatermark(MAX_WATERMARK, 1);
  t.deepEqual(output.take(), ['wm Infinity']);
});
