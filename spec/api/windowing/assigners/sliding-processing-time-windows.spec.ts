import test from 'ava';
import { SlidingProcessingTimeWindows } from '../../../../api/windowing/assigners/sliding-processing-time-windows.ts';
import { NO_TIMESTAMP } from '../../../../api/windowing/assigners/window-assigner.ts';
import { ProcessingTimeTrigger } from '../../../../api/windowing/triggers/processing-time-trigger.ts';
import { clockAt, spans, throwsWeir } from '../harness/windows.ts';

test('a record goes into the sliding windows of the clock at its arrival, whatever its timestamp', (t) => {
  const assigner = SlidingProcessingTimeWindows.of(5000, 1000);
  t.deepEqual(spans(assigner.assignWindows('a', NO_TIMESTAMP, clockAt(0))), [[0, 5000], [-1000, 4000], [-2000, 3000], [-3000, 2000], [-4000, 1000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 0, clockAt(5000))), [[5000, 10000], [4000, 9000], [3000, 8000], [2000, 7000], [1000, 6000]]);
  t.deepEqual(spans(SlidingProcessingTimeWindows.of(5000, 1000, 100).assignWindows('a', 0, clockAt(5099))), [[4100, 9100], [3100, 8100], [2100, 7100], [1100, 6100], [100, 5100]]);
});

test('it is a processing-time assigner with ProcessingTimeTrigger by default', (t) => {
  const assigner = SlidingProcessingTimeWindows.of(5000, 1000);
  t.false(assigner.isEventTime());
  t.is(assigner.getDefaultTrigger(), ProcessingTimeTrigger.create());
  t.is(String(assigner), 'SlidingProcessingTimeWindows(5000, 1000)');
});

test('bad arguments fail with INVALID_ARGUMENT naming the assigner', (t) => {
  throwsWeir(t, () => SlidingProcessingTimeWindows.of(-1, 1000), 'INVALID_ARGUMENT', 'SlidingProcessingTimeWindows.of needs a size above 0 ms; got -1');
  throwsWeir(t, () => SlidingProcessingTimeWindows.of(5000, 0), 'INVALID_ARGUMENT', 'SlidingProcessingTimeWindows.of needs a slide above 0 ms; got 0');
  throwsWeir(t, () => SlidingProcessingTimeWindows.of(5000, 1000, 1000), 'INVALID_ARGUMENT', 'SlidingProcessingTimeWindows.of needs |offset| < slide (1000 ms); got offset 1000');
});
