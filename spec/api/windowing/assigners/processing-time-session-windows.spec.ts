import test from 'ava';
import { DynamicProcessingTimeSessionWindows } from '../../../../api/windowing/assigners/dynamic-processing-time-session-windows.ts';
import { isMergingWindowAssigner } from '../../../../api/windowing/assigners/merging-window-assigner.ts';
import { ProcessingTimeSessionWindows } from '../../../../api/windowing/assigners/processing-time-session-windows.ts';
import { NO_TIMESTAMP } from '../../../../api/windowing/assigners/window-assigner.ts';
import { ProcessingTimeTrigger } from '../../../../api/windowing/triggers/processing-time-trigger.ts';
import { clockAt, spans, throwsWeir } from '../harness/windows.ts';

test('a record opens [now, now + gap) on the operator\'s clock, whatever its timestamp', (t) => {
  const assigner = ProcessingTimeSessionWindows.withGap(5000);
  t.deepEqual(spans(assigner.assignWindows('a', NO_TIMESTAMP, clockAt(0))), [[0, 5000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 1, clockAt(4999))), [[4999, 9999]]);
  t.true(isMergingWindowAssigner(assigner));
  t.false(assigner.isEventTime());
  t.is(assigner.getDefaultTrigger(), ProcessingTimeTrigger.create());
  t.is(String(assigner), 'ProcessingTimeSessionWindows(5000)');
});

test('a dynamic processing-time gap comes from each record', (t) => {
  const assigner = ProcessingTimeSessionWindows.withDynamicGap<{ gap: number }>({ extract: (record) => record.gap });
  t.true(assigner instanceof DynamicProcessingTimeSessionWindows);
  t.deepEqual(spans(assigner.assignWindows({ gap: 250 }, NO_TIMESTAMP, clockAt(1000))), [[1000, 1250]]);
  t.false(assigner.isEventTime());
  t.is(assigner.getDefaultTrigger(), ProcessingTimeTrigger.create());
  throwsWeir(t, () => assigner.assignWindows({ gap: 0 }, 0, clockAt(0)), 'INVALID_ARGUMENT', 'DynamicProcessingTimeSessionWindows(): the gap extractor returned 0 for a record; a session gap must be a number of ms above 0');
});

test('a gap of 0 or less fails at planning with INVALID_ARGUMENT', (t) => {
  throwsWeir(t, () => ProcessingTimeSessionWindows.withGap(0), 'INVALID_ARGUMENT', 'ProcessingTimeSessionWindows.withGap needs a gap above 0 ms; got 0');
  throwsWeir(t, () => ProcessingTimeSessionWindows.withGap(2.5), 'INVALID_ARGUMENT', 'ProcessingTimeSessionWindows.withGap needs a whole number of ms as its gap; got 2.5');
});
