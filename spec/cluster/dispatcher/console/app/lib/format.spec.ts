import test from 'ava';
import {
  UNKNOWN,
  formatBytes,
  formatClock,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  formatTimestamp,
  formatWatermark,
  shortActor,
  shortId,
} from '../../../../../../cluster/dispatcher/console/app/lib/format.ts';

test('counts keep three significant figures with a unit, and unknown values are a dash', (t) => {
  t.deepEqual([0, 7, 999, 1000, 1234, 12_345, 123_456, 999_999, 1_500_000, 2e9, -4321].map(formatCount), ['0', '7', '999', '1.0k', '1.2k', '12.3k', '123k', '1.0M', '1.5M', '2.0G', '-4.3k']);
  t.deepEqual([null, undefined, NaN, Infinity].map(formatCount), [UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN]);
});

test('rates below ten keep a decimal so a slow stream does not read as zero', (t) => {
  t.deepEqual([0, 0.25, 9.94, 10, 12_345].map(formatRate), ['0/s', '0.3/s', '9.9/s', '10/s', '12.3k/s']);
  t.is(formatRate(null), UNKNOWN);
});

test('bytes are binary units with one decimal above a KiB', (t) => {
  t.deepEqual([0, 512, 1024, 1536, 20 * 1024 * 1024, 3 * 1024 ** 3].map(formatBytes), ['0 B', '512 B', '1.0 KiB', '1.5 KiB', '20.0 MiB', '3.0 GiB']);
});

test('percentages are whole and clamped to 0..100', (t) => {
  t.deepEqual([0, 0.004, 0.876, 1, 1.2, -0.1].map(formatPercent), ['0 %', '0 %', '88 %', '100 %', '100 %', '0 %']);
});

test('durations read at a glance at every scale; Flink\'s -1 for "not yet" is unknown', (t) => {
  t.deepEqual([850, 12_400, 185_000, 7_620_000, 273_600_000, -1].map(formatDuration), ['850 ms', '12.4 s', '3m 05s', '2h 07m', '3d 04h', UNKNOWN]);
});

test('times are UTC: the trace clock to the millisecond, timestamps to the second', (t) => {
  const at = Date.UTC(2026, 11, 3, 13, 5, 9, 42);
  t.is(formatClock(at), '13:05:09.042');
  t.is(formatTimestamp(at), '2026-12-03 13:05:09');
  t.is(formatTimestamp(-1), UNKNOWN);
});

test('watermarks name their extremes instead of printing infinities', (t) => {
  t.is(formatWatermark(-Infinity), 'no watermark');
  t.is(formatWatermark(Infinity), 'end of time');
  t.is(formatWatermark(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), '2026-01-02 03:04:05.006');
  t.is(formatWatermark(null), UNKNOWN);
});

test('actor addresses drop the scheme and host; job ids shorten to eight characters', (t) => {
  t.is(shortActor('weir://jobmanager@127.0.0.1:6123/user/dispatcher'), 'jobmanager/user/dispatcher');
  t.is(shortActor('weir://taskmanager-1@10.0.0.2:6124'), 'taskmanager-1');
  t.is(shortActor('weir://minicluster/user/taskmanager-0/task-1'), 'minicluster/user/taskmanager-0/task-1');
  t.is(shortActor('/user/resourcemanager'), '/user/resourcemanager');
  t.is(shortId('732570ce-c290-4bba-9e71-514f16bdcf22'), '732570ce');
  t.is(shortId(null), UNKNOWN);
});
