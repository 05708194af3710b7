import test from 'ava';
import { NO_TIMESTAMP } from '../../../../api/windowing/assigners/window-assigner.ts';
import { SlidingEventTimeWindows } from '../../../../api/windowing/assigners/sliding-event-time-windows.ts';
import { EventTimeTrigger } from '../../../../api/windowing/triggers/event-time-trigger.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { clockAt, spans, throwsWeir } from '../harness/windows.ts';

const clock = clockAt(0);

test('a record goes into size / slide windows, latest start first (Flink\'s cases)', (t) => {
  const assigner = SlidingEventTimeWindows.of(5000, 1000);
  t.deepEqual(spans(assigner.assignWindows('a', 0, clock)), [[0, 5000], [-1000, 4000], [-2000, 3000], [-3000, 2000], [-4000, 1000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 4999, clock)), [[4000, 9000], [3000, 8000], [2000, 7000], [1000, 6000], [0, 5000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 5000, clock)), [[5000, 10000], [4000, 9000], [3000, 8000], [2000, 7000], [1000, 6000]]);
});

test('an offset shifts the sliding windows (Flink\'s cases)', (t) => {
  const assigner = SlidingEventTimeWindows.of(5000, 1000, 100);
  t.deepEqual(spans(assigner.assignWindows('a', 100, clock)), [[100, 5100], [-900, 4100], [-1900, 3100], [-2900, 2100], [-3900, 1100]]);
  t.deepEqual(spans(assigner.assignWindows('a', 5099, clock)), [[4100, 9100], [3100, 8100], [2100, 7100], [1100, 6100], [100, 5100]]);
  t.deepEqual(spans(assigner.assignWindows('a', 5100, clock)), [[5100, 10100], [4100, 9100], [3100, 8100], [2100, 7100], [1100, 6100]]);
});

test('timestamps before the epoch and sizes that are no multiple of the slide', (t) => {
  t.deepEqual(spans(SlidingEventTimeWindows.of(3000, 1000).assignWindows('a', -1, clock)), [[-1000, 2000], [-2000, 1000], [-3000, 0]]);
  t.deepEqual(spans(SlidingEventTimeWindows.of(2500, 1000).assignWindows('a', 0, clock)), [[0, 2500], [-1000, 1500], [-2000, 500]]);
  t.deepEqual(spans(SlidingEventTimeWindows.of(2500, 1000, -300).assignWindows('a', -301, clock)), [[-1300, 1200], [-2300, 200]]);
});

test('with a slide larger than the size, a record between windows belongs to none', (t) => {
  const assigner = SlidingEventTimeWindows.of(1000, 5000);
  t.deepEqual(spans(assigner.assignWindows('a', 500, clock)), [[0, 1000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 1500, clock)), []);
  t.deepEqual(spans(assigner.assignWindows('a', 5000, clock)), [[5000, 6000]]);
});

test('the result array is reused: each call overwrites it, also when the count changes', (t) => {
  const assigner = SlidingEventTimeWindows.of(1000, 5000);
  const first = assigner.assignWindows('a', 500, clock);
  const second = assigner.assignWindows('a', 1500, clock);
  t.is(first, second);
  t.is(second.length, 0);
});

test('it is an event-time assigner with EventTimeTrigger by default, and windows keyed by their start', (t) => {
  const assigner = SlidingEventTimeWindows.of(5000, 1000, -10);
  t.true(assigner.isEventTime());
  t.is(assigner.getDefaultTrigger(), EventTimeTrigger.create());
  t.deepEqual(assigner.getNamespaceCodec().fromNamespace(-4000), new TimeWindow(-4000, 1000));
  t.is(String(assigner), 'SlidingEventTimeWindows(5000, 1000, offset -10)');
});

test('a record without a timestamp fails with MISSING_TIMESTAMP', (t) => {
  const error = t.throws(() => SlidingEventTimeWindows.of(5000, 1000).assignWindows('a', NO_TIMESTAMP, clock));
  t.is((error as { code?: string }).code, 'MISSING_TIMESTAMP');
  t.true(error?.message.startsWith('SlidingEventTimeWindows(5000, 1000) got a record without a timestamp: '));
});

test('bad sizes, slides and offsets fail with INVALID_ARGUMENT; the offset is bounded by the slide, as in Flink', (t) => {
  throwsWeir(t, () => SlidingEventTimeWindows.of(0, 1000), 'INVALID_ARGUMENT', 'SlidingEventTimeWindows.of needs a size above 0 ms; got 0');
  throwsWeir(t, () => SlidingEventTimeWindows.of(5000, 0), 'INVALID_ARGUMENT', 'SlidingEventTimeWindows.of needs a slide above 0 ms; got 0');
  throwsWeir(t, () => SlidingEventTimeWindows.of(5000, -1000), 'INVALID_ARGUMENT', 'SlidingEventTimeWindows.of needs a slide above 0 ms; got -1000');
  throwsWeir(t, () => SlidingEventTimeWindows.of(5000, 1000, 1000), 'INVALID_ARGUMENT', 'SlidingEventTimeWindows.of needs |offset| < slide (1000 ms); got offset 1000');
  throwsWeir(t, () => SlidingEventTimeWindows.of(5000, 1000, -2000), 'INVALID_ARGUMENT', 'SlidingEventTimeWindows.of needs |offset| < slide (1000 ms); got offset -2000');
});
