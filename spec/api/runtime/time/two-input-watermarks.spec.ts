import test from 'ava';
import { TwoInputWatermarks } from '../../../../api/runtime/time/two-input-watermarks.ts';
import { RecordingStreamOutput } from '../../eventtime/recording-output.ts';

function combiner() {
  const output = new RecordingStreamOutput();
  return { output, inputs: new TwoInputWatermarks(output) };
}

test('a two-input operator sees the minimum of both inputs, when it rises', (t) => {
  const { output, inputs } = combiner();
  inputs.processWatermark(10, 0);
  t.deepEqual(output.take(), []);
  inputs.processWatermark(4, 1);
  inputs.processWatermark(20, 1);
  inputs.processWatermark(15, 0);
  t.deepEqual(output.take(), ['wm 4', 'wm 10', 'wm 15']);
  inputs.processWatermark(12, 0);
  t.deepEqual(output.take(), []);
  t.is(inputs.currentWatermark, 15);
});

test('an idle input is left out; both idle is idle; an input active again turns it active first', (t) => {
  const { output, inputs } = combiner();
  inputs.processWatermark(10, 0);
  inputs.processWatermark(30, 1);
  inputs.processWatermarkStatus('idle', 0);
  t.deepEqual(output.take(), ['wm 10', 'wm 30']);
  inputs.processWatermarkStatus('idle', 1);
  inputs.processWatermarkStatus('idle', 1);
  t.deepEqual(output.take(), ['idle']);
  inputs.processWatermark(50, 0);
  t.deepEqual(output.take(), ['active', 'wm 50'], 'a watermark on input 0 makes it active');
  inputs.processWatermarkStatus('active', 1);
  inputs.processWatermark(60, 0);
  t.deepEqual(output.take(), [], 'input 1 is back at 30 and holds the minimum');
  inputs.processWatermark(70, 1);
  t.deepEqual(output.take(), ['wm 60']);
});

test('when both inputs are idle and one turns active with a higher watermark, active goes out before it', (t) => {
  const { output, inputs } = combiner();
  inputs.processWatermark(100, 0);
  inputs.processWatermark(50, 1);
  inputs.processWatermarkStatus('idle', 1);
  inputs.processWatermarkStatus('idle', 0);
  t.deepEqual(output.take(), ['wm 50', 'wm 100', 'idle']);
  inputs.processWatermark(200, 1);
  t.deepEqual(output.take(), ['active', 'wm 200']);
});
