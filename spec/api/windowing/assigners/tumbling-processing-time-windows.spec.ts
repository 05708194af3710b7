import test from 'ava';
import { NO_TIMESTAMP } from '../../../../api/windowing/assigners/window-assigner.ts';
import { TumblingProcessingTimeWindows } from '../../../../api/windowing/assigners/tumbling-processing-time-windows.ts';
import { ProcessingTimeTrigger } from '../../../../api/windowing/triggers/processing-time-trigger.ts';
import { clockAt, spans, throwsWeir } from '../harness/windows.ts';

test('a record goes into the window of the clock at its arrival, whatever its own timestamp', (t) => {
  const assigner = TumblingProcessingTimeWindows.of(5000);
  t.deepEqual(spans(assigner.assignWindows('a', 123_456, clockAt(0))), [[0, 5000]]);
  t.deepEqual(spans(assigner.assignWindows('a', NO_TIMESTAMP, clockAt(7000))), [[5000, 10000]], 'a record without a timestamp is fine');
  t.deepEqual(spans(assigner.assignWindows('a', 0, clockAt(-1))), [[-5000, 0]]);
});

test('an offset shifts the processing-time windows', (t) => {
  const assigner = TumblingProcessingTimeWindows.of(5000, 1000);
  t.deepEqual(spans(assigner.assignWindows('a', 0, clockAt(999))), [[-4000, 1000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 0, clockAt(1000))), [[1000, 6000]]);
});

test('it is a processing-time assigner with ProcessingTimeTrigger by default', (t) => {
  const assigner = TumblingProcessingTimeWindows.of(1000, 500);
  t.false(assigner.isEventTime());
  t.is(assigner.getDefaultTrigger(), ProcessingTimeTrigger.create());
  t.is(String(assigner), 'TumblingProcessingTimeWindows(1000, offset 500)');
});

test('bad sizes and offsets fail with INVALID_ARGUMENT naming the assigner', (t) => {
  throwsWeir(t, () => TumblingProcessingTimeWindows.of(0), 'INVALID_ARGUMENT', 'TumblingProcessingTimeWindows.of needs a size above 0 ms; got 0');
  throwsWeir(t, () => TumblingProcessingTimeWindows.of(100, 200), 'INVALID_ARGUMENT', 'TumblingProcessingTimeWindows.of needs |offset| < size (100 ms); got offset 200');
  throwsWeir(t, () => TumblingProcessingTimeWindows.of(100, 0.5), 'INVALID_ARGUMENT', 'TumblingProcessingTimeWindows.of needs a whole number of ms as its offset; got 0.5');
});
