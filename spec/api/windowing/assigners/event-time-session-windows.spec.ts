import test from 'ava';
import { DynamicEventTimeSessionWindows } from '../../../../api/windowing/assigners/dynamic-event-time-session-windows.ts';
import { EventTimeSessionWindows } from '../../../../api/windowing/assigners/event-time-session-windows.ts';
import { isMergingWindowAssigner } from '../../../../api/windowing/assigners/merging-window-assigner.ts';
import { NO_TIMESTAMP } from '../../../../api/windowing/assigners/window-assigner.ts';
import { EventTimeTrigger } from '../../../../api/windowing/triggers/event-time-trigger.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';
import { clockAt, spans, throwsWeir } from '../harness/windows.ts';

const clock = clockAt(0);

test('a record opens the session window [timestamp, timestamp + gap), before the epoch too', (t) => {
  const assigner = EventTimeSessionWindows.withGap(5000);
  t.deepEqual(spans(assigner.assignWindows('a', 0, clock)), [[0, 5000]]);
  t.deepEqual(spans(assigner.assignWindows('a', 4999, clock)), [[4999, 9999]]);
  t.deepEqual(spans(assigner.assignWindows('a', -3000, clock)), [[-3000, 2000]]);
});

test('session windows merge when they overlap or touch, into the window covering them', (t) => {
  const assigner = EventTimeSessionWindows.withGap(5000);
  const merges: [[number, number][], [number, number]][] = [];
  assigner.mergeWindows([new TimeWindow(0, 5000), new TimeWindow(5000, 10000), new TimeWindow(12000, 17000), new TimeWindow(16000, 21000)], (merged, result) =>
    merges.push([spans(merged), [result.start, result.end]]),
  );
  t.deepEqual(merges, [
    [[[0, 5000], [5000, 10000]], [0, 10000]],
    [[[12000, 17000], [16000, 21000]], [12000, 21000]],
  ]);
});

test('it merges, keys windows as "start:end" and fires with EventTimeTrigger by default', (t) => {
  const assigner = EventTimeSessionWindows.withGap(5000);
  t.true(isMergingWindowAssigner(assigner));
  t.true(assigner.isEventTime());
  t.is(assigner.getDefaultTrigger(), EventTimeTrigger.create());
  t.is(assigner.getNamespaceCodec().toNamespace(new TimeWindow(-3000, 2000)), '-3000:2000');
  t.is(String(assigner), 'EventTimeSessionWindows(5000)');
});

test('a dynamic gap is a function of each record, or an object with extract()', (t) => {
  const byField = EventTimeSessionWindows.withDynamicGap<{ gap: number }>((record) => record.gap);
  t.true(byField instanceof DynamicEventTimeSessionWindows);
  t.deepEqual(spans(byField.assignWindows({ gap: 10 }, 100, clock)), [[100, 110]]);
  t.deepEqual(spans(byField.assignWindows({ gap: 3000 }, -100, clock)), [[-100, 2900]]);
  const extractor = EventTimeSessionWindows.withDynamicGap<string>({ extract: (word) => word.length * 1000 });
  t.deepEqual(spans(extractor.assignWindows('abc', 0, clock)), [[0, 3000]]);
  t.true(isMergingWindowAssigner(extractor));
  t.true(extractor.isEventTime());
  t.is(extractor.getDefaultTrigger(), EventTimeTrigger.create());
});

test('a dynamic gap of 0 or less, or not a number, fails the record with INVALID_ARGUMENT', (t) => {
  const assigner = EventTimeSessionWindows.withDynamicGap<number>((gap) => gap);
  throwsWeir(t, () => assigner.assignWindows(0, 100, clock), 'INVALID_ARGUMENT', 'DynamicEventTimeSessionWindows(): the gap extractor returned 0 for a record; a session gap must be a number of ms above 0');
  throwsWeir(t, () => assigner.assignWindows(-5, 100, clock), 'INVALID_ARGUMENT', 'DynamicEventTimeSessionWindows(): the gap extractor returned -5 for a record; a session gap must be a number of ms above 0');
  throwsWeir(t, () => assigner.assignWindows(Number.NaN, 100, clock), 'INVALID_ARGUMENT', 'DynamicEventTimeSessionWindows(): the gap extractor returned NaN for a record; a session gap must be a number of ms above 0');
  throwsWeir(t, () => assigner.assignWindows('5' as unknown as number, 100, clock), 'INVALID_ARGUMENT', 'DynamicEventTimeSessionWindows(): the gap extractor returned "5" for a record; a session gap must be a number of ms above 0');
});

test('records without timestamps fail with MISSING_TIMESTAMP, for static and dynamic gaps', (t) => {
  for (const assigner of [EventTimeSessionWindows.withGap(1000), EventTimeSessionWindows.withDynamicGap(() => 1000)]) {
    const error = t.throws(() => assigner.assignWindows('a', NO_TIMESTAMP, clock));
    t.is((error as { code?: string }).code, 'MISSING_TIMESTAMP');
    t.true(error?.message.startsWith(`${String(assigner)} got a record without a timestamp: `));
  }
});

test('a gap of 0 or less, or a gap extractor that is no function, fails at planning', (t) => {
  throwsWeir(t, () => EventTimeSessionWindows.withGap(0), 'INVALID_ARGUMENT', 'EventTimeSessionWindows.withGap needs a gap above 0 ms; got 0');
  throwsWeir(t, () => EventTimeSessionWindows.withGap(-10), 'INVALID_ARGUMENT', 'EventTimeSessionWindows.withGap needs a gap above 0 ms; got -10');
  throwsWeir(
    t,
    () => EventTimeSessionWindows.withDynamicGap(5000 as unknown as () => number),
    'INVALID_FUNCTION',
    'DynamicEventTimeSessionWindows.withDynamicGap needs a function of the record returning a gap in ms, or an object with an extract() method; got 5000',
  );
});
