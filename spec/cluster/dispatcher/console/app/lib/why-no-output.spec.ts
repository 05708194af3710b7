import test from 'ava';
import { reportsOfVertex, whyNoOutput } from '../../../../../../cluster/dispatcher/console/app/lib/why-no-output.ts';
import { watermarkFrom } from '../../../../../../cluster/dispatcher/console/app/lib/rest-shapes.ts';

test('watermarks from JSON: Flink\'s long bounds and null are the infinities', (t) => {
  t.deepEqual(
    ['-9223372036854775808', '9223372036854775807', null, 1234, '1234', Number.MAX_SAFE_INTEGER, undefined, 'x'].map(watermarkFrom),
    [-Infinity, Infinity, -Infinity, 1234, 1234, Infinity, null, null],
  );
});

test('Flink\'s watermark metrics name the subtask with the lowest input watermark, and no more', (t) => {
  const map = reportsOfVertex('map', [
    { id: '0.currentInputWatermark', value: '2000' },
    { id: '1.currentInputWatermark', value: '1000' },
    { id: '1.currentOutputWatermark', value: '1000' },
  ]);
  const sink = reportsOfVertex('sink', [{ id: '0.currentInputWatermark', value: '1500' }]);
  t.false(map.detailed);
  const why = whyNoOutput([...map.reports, ...sink.reports], false);
  t.like(why.holdingBack, { kind: 'input', vertexId: 'map', subtaskIndex: 1, inputWatermark: 1000, lowest: null });
  t.deepEqual(why.idle, []);
  t.false(why.detailed);
});

test('with inputs and channels, it names the upstream subtask holding the input back and the idle inputs', (t) => {
  const channel = (upstreamSubtask: number, watermark: number | null, idle: boolean) => ({ upstreamVertexId: 'source', upstreamSubtask, watermark, idle, aligned: !idle });
  const { reports, detailed } = reportsOfVertex('window', {
    subtasks: [
      {
        subtaskIndex: 0,
        watermarks: {
          inputWatermark: 1000,
          outputWatermark: 1000,
          inputs: [{ input: 0, watermark: 1000, idle: false, channels: [channel(0, 1000, false), channel(1, 5000, false), channel(2, null, true)] }],
        },
      },
      { subtaskIndex: 1, watermarks: null, unavailable: 'DEPLOYING' },
    ],
  });
  t.true(detailed);
  const why = whyNoOutput(reports, detailed);
  t.like(why.holdingBack, { kind: 'input', vertexId: 'window', subtaskIndex: 0, inputWatermark: 1000, lowest: { upstreamVertexId: 'source', upstreamSubtask: 0, watermark: 1000 } });
  t.deepEqual(why.idle, [{ vertexId: 'window', subtaskIndex: 0, input: 0, whole: false, channels: [channel(2, -Infinity, true)] }]);
  t.deepEqual(why.unavailable, [{ vertexId: 'window', subtaskIndex: 1, reason: 'DEPLOYING' }]);
});

test('when every input has ended, nothing holds event time back', (t) => {
  const { reports } = reportsOfVertex('sink', [{ id: '0.currentInputWatermark', value: '9223372036854775807' }]);
  t.is(whyNoOutput(reports, false).holdingBack, null);
});
