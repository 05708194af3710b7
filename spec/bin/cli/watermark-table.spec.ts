// The watermarks part of `weir info`, exactly as a user reads it: a row per subtask, then the
// channels of the subtask holding event time back and the upstream subtask (or split) behind it.
import test from 'ava';
import { describeWatermarks, formatWatermark } from '../../../bin/cli/watermark-table.ts';
import type { VertexDetails } from '../../../messages/dispatcher.ts';
import type { SubtaskWatermarkReport } from '../../../messages/watermarks.ts';

const NONE = Number.NEGATIVE_INFINITY;
const T0 = Date.UTC(2024, 4, 1, 12);

const vertices: VertexDetails[] = [
  { id: 'src', name: 'Source: Clicks', parallelism: 2, subtasks: ['RUNNING', 'RUNNING'] },
  { id: 'win', name: 'Window', parallelism: 1, subtasks: ['RUNNING'] },
];

test('a watermark is "-" before the first, "end" at the end of event time, an ISO time as epoch ms, else a number', (t) => {
  t.is(formatWatermark(NONE), '-');
  t.is(formatWatermark(Number.POSITIVE_INFINITY), 'end');
  t.is(formatWatermark(T0 - 1), '2024-05-01T11:59:59.999Z');
  t.is(formatWatermark(4_999), '4999');
  t.is(formatWatermark(-3), '-3');
});

test('an idle channel is left out and named; the upstream subtask with the lowest watermark holds the input back', (t) => {
  const reports: SubtaskWatermarkReport[] = [
    { vertexId: 'src', subtaskIndex: 0, watermarks: { inputWatermark: null, outputWatermark: T0, outputIdle: false, inputs: [], splits: null } },
    { vertexId: 'src', subtaskIndex: 1, watermarks: { inputWatermark: null, outputWatermark: 17, outputIdle: true, inputs: [], splits: null } },
    {
      vertexId: 'win',
      subtaskIndex: 0,
      watermarks: {
        inputWatermark: T0,
        outputWatermark: null,
        outputIdle: false,
        inputs: [
          {
            input: 0,
            watermark: T0,
            idle: false,
            channels: [
              { upstreamVertexId: 'src', upstreamSubtask: 0, watermark: T0, idle: false, aligned: true },
              { upstreamVertexId: 'src', upstreamSubtask: 1, watermark: 17, idle: true, aligned: false },
            ],
          },
        ],
        splits: null,
      },
    },
  ];
  t.deepEqual(describeWatermarks(vertices, reports), [
    '  watermarks:',
    '    VERTEX          SUBTASK  INPUT                     OUTPUT',
    '    Source: Clicks  1/2      (source)                  2024-05-01T12:00:00.000Z',
    '    Source: Clicks  2/2      (source)                  idle',
    '    Window          1/1      2024-05-01T12:00:00.000Z  (no outputs)',
    '  lowest input watermark: Window (1/1), at 2024-05-01T12:00:00.000Z; its input channels:',
    '    CHANNEL  UPSTREAM              WATERMARK                 STATUS',
    '    0        Source: Clicks (1/2)  2024-05-01T12:00:00.000Z  active',
    '    1        Source: Clicks (2/2)  17                        idle',
    '  held back by Source: Clicks (1/2), at 2024-05-01T12:00:00.000Z.',
    '  idle, so left out of the minimum: Source: Clicks (2/2).',
  ]);
});

test('a subtask that does not run says why, a channel catching up says so, and the lowest split of the upstream reader is named', (t) => {
  const reports: SubtaskWatermarkReport[] = [
    { vertexId: 'src', subtaskIndex: 0, watermarks: { inputWatermark: null, outputWatermark: 900, outputIdle: false, inputs: [], splits: [{ split: 'orders-3', watermark: 900, idle: false }] } },
    { vertexId: 'src', subtaskIndex: 1, watermarks: null, unavailable: 'FINISHED' },
    {
      vertexId: 'win',
      subtaskIndex: 0,
      watermarks: {
        inputWatermark: 900,
        outputWatermark: 900,
        outputIdle: false,
        inputs: [
          {
            input: 1,
            watermark: 900,
            idle: false,
            channels: [
              { upstreamVertexId: 'src', upstreamSubtask: 0, watermark: 900, idle: false, aligned: true },
              { upstreamVertexId: 'src', upstreamSubtask: 1, watermark: 800, idle: false, aligned: false },
            ],
          },
        ],
        splits: null,
      },
    },
  ];
  t.deepEqual(describeWatermarks(vertices, reports), [
    '  watermarks:',
    '    VERTEX          SUBTASK  INPUT         OUTPUT',
    '    Source: Clicks  1/2      (source)      900',
    '    Source: Clicks  2/2      ? (FINISHED)',
    '    Window          1/1      900           900',
    '  lowest input watermark: Window (1/1), at 900; its second input\'s channels:',
    '    CHANNEL  UPSTREAM              WATERMARK  STATUS',
    '    0        Source: Clicks (1/2)  900        active',
    '    1        Source: Clicks (2/2)  800        active, catching up',
    '  held back by Source: Clicks (1/2), at 900; of its splits, "orders-3" is the lowest, at 900.',
  ]);
});

test('a job of sources only names the source subtask with the lowest output watermark; no running subtask says so', (t) => {
  const only: VertexDetails[] = [vertices[0]];
  const reports: SubtaskWatermarkReport[] = [
    { vertexId: 'src', subtaskIndex: 0, watermarks: { inputWatermark: null, outputWatermark: 50, outputIdle: false, inputs: [], splits: null } },
    { vertexId: 'src', subtaskIndex: 1, watermarks: { inputWatermark: null, outputWatermark: NONE, outputIdle: false, inputs: [], splits: null } },
  ];
  t.deepEqual(describeWatermarks(only, reports).slice(-1), ['  lowest output watermark: Source: Clicks (2/2), none yet.']);
  t.deepEqual(describeWatermarks(only, []), ['  watermarks:  none (no subtask is running)']);
});

test('when every source is idle, nothing is named', (t) => {
  const idleSource = (subtaskIndex: number): SubtaskWatermarkReport => ({
    vertexId: 'src',
    subtaskIndex,
    watermarks: { inputWatermark: null, outputWatermark: 8, outputIdle: true, inputs: [], splits: null },
  });
  t.deepEqual(describeWatermarks([vertices[0]], [idleSource(0), idleSource(1)]), [
    '  watermarks:',
    '    VERTEX          SUBTASK  INPUT     OUTPUT',
    '    Source: Clicks  1/2      (source)  idle',
    '    Source: Clicks  2/2      (source)  idle',
    '  nothing holds event time back: every input and source is idle or at its end.',
  ]);
});
