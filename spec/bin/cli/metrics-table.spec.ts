// The metrics part of `weir info` and the slots line of `weir list`, exactly as a user reads them.
import test from 'ava';
import { describeMetrics, describeSlots } from '../../../bin/cli/metrics-table.ts';
import type { VertexDetails } from '../../../messages/dispatcher.ts';
import type { SubtaskMetrics, SubtaskMetricsReport } from '../../../messages/metrics.ts';

const vertices: VertexDetails[] = [
  { id: 'src', name: 'Source: Clicks', parallelism: 2, subtasks: ['RUNNING', 'RUNNING'] },
  { id: 'sink', name: 'Slow Sink', parallelism: 1, subtasks: ['RUNNING'] },
];

const figures = (extra: Partial<SubtaskMetrics>): SubtaskMetrics => ({
  numRecordsIn: 0,
  numRecordsOut: 0,
  numBytesIn: 0,
  numBytesOut: 0,
  numRecordsInPerSecond: 0,
  numRecordsOutPerSecond: 0,
  busyTimeMsPerSecond: 1000,
  backPressuredTimeMsPerSecond: 0,
  idleTimeMsPerSecond: 0,
  inputBufferUsage: 0,
  outputBufferUsage: 0,
  currentInputWatermark: null,
  currentOutputWatermark: null,
  user: [],
  ...extra,
});

test('a row per subtask: records in and out with their rates, and busy / backpressured / idle in percent; then the user metrics', (t) => {
  const reports: SubtaskMetricsReport[] = [
    { vertexId: 'src', subtaskIndex: 0, attemptNumber: 0, taskManagerId: 'tm-1', status: 'RUNNING', metrics: figures({ numRecordsOut: 52_000, numRecordsOutPerSecond: 1733.33, busyTimeMsPerSecond: 24, backPressuredTimeMsPerSecond: 970.6, idleTimeMsPerSecond: 5.4 }) },
    { vertexId: 'src', subtaskIndex: 1, attemptNumber: 0, taskManagerId: null, status: 'DEPLOYING', metrics: null, unavailable: 'DEPLOYING' },
    {
      vertexId: 'sink',
      subtaskIndex: 0,
      attemptNumber: 0,
      taskManagerId: 'tm-1',
      status: 'RUNNING',
      metrics: figures({
        numRecordsIn: 48_000,
        numRecordsInPerSecond: 1600,
        busyTimeMsPerSecond: 990,
        idleTimeMsPerSecond: 10,
        user: [
          { operator: 'Slow Sink', name: 'written', kind: 'counter', value: 48_000 },
          { operator: 'Slow Sink', name: 'latency', kind: 'histogram', value: 1.25, count: 48_000, min: 1, max: 3, p50: 1, p95: 2, p99: 3 },
        ],
      }),
    },
  ];
  t.deepEqual(describeMetrics(vertices, reports), [
    '  metrics:',
    '    VERTEX          SUBTASK  RECORDS IN  IN/S  RECORDS OUT  OUT/S   BUSY  BACKPRESSURED  IDLE',
    '    Source: Clicks  1/2      0           0     52000        1733.3  2%    97%            1%',
    '    Source: Clicks  2/2      -           -     -            -       -     -              - (DEPLOYING)',
    '    Slow Sink       1/1      48000       1600  0            0       99%   0%             1%',
    '    Slow Sink (1/1) Slow Sink.written (counter): 48000',
    '    Slow Sink (1/1) Slow Sink.latency (histogram): 1.3 (count 48000)',
  ]);
});

test('before any subtask ran there are no figures to show', (t) => {
  t.deepEqual(describeMetrics(vertices, [{ vertexId: 'src', subtaskIndex: 0, attemptNumber: 0, taskManagerId: null, status: 'CREATED', metrics: null, unavailable: 'CREATED' }]), [
    '  metrics:     none (no subtask has run yet)',
  ]);
});

test('the slots line says how many are free of how many, on how many TaskManagers', (t) => {
  t.is(describeSlots({ type: 'ClusterInfo', taskManagers: 1, slotsTotal: 4, slotsFree: 3, runningJobs: 1 }), 'Slots: 3 free of 4 on 1 TaskManager');
  t.is(describeSlots({ type: 'ClusterInfo', taskManagers: 0, slotsTotal: 0, slotsFree: 0, runningJobs: 0 }), 'Slots: 0 free of 0 on 0 TaskManagers');
});
