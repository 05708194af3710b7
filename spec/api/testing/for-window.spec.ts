// forWindow (and forPipeline with a window): the real window operators driven by hand. Processing-time
// tumbling windows fire on setProcessingTime; event-time sliding windows fire on the watermark, fire
// again for a late record within the allowed lateness, and send later ones to the late side output;
// session windows merge; a count trigger with an evictor; the aligned operator of plain event-time sums.
import test from 'ava';
import {
  type Collector,
  CountEvictor,
  CountTrigger,
  type DataStream,
  EventTimeSessionWindows,
  GlobalWindows,
  OutputTag,
  type ProcessWindowContext,
  SlidingEventTimeWindows,
  type TimeWindow,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  WeirError,
  type Window,
} from '../../../index.ts';
import { ProcessFunctionTestHarnesses, record, watermark } from '../../../api/testing/index.ts';

interface Reading {
  readonly key: string;
  readonly value: number;
}

const r = (key: string, value: number): Reading => ({ key, value });
const byKey = (reading: Reading): string => reading.key;

/** `a [0,10) 1,2`: the key, the window and its values in the order the window holds them. */
function listWindow<W extends Window>(key: string, ctx: ProcessWindowContext<W>, elements: Iterable<Reading>, out: Collector<string>): void {
  const window = ctx.window() as unknown as TimeWindow;
  const span = typeof window.start === 'number' ? `[${window.start},${window.end})` : 'global';
  out.collect(`${key} ${span} ${[...elements].map((reading) => reading.value).join(',')}`);
}

test('processing-time tumbling windows fire when setProcessingTime reaches their end; results carry the window\'s maxTimestamp', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forWindow(byKey, TumblingProcessingTimeWindows.of(1_000), (windowed) => windowed.process(listWindow));
  await harness.open();
  harness.setProcessingTime(100);
  harness.processElement(r('a', 1));
  harness.processElement(r('b', 2));
  harness.setProcessingTime(700);
  harness.processElement(r('a', 3));
  t.is(harness.numKeyedStateEntries('window-contents'), 2);
  t.is(harness.numProcessingTimeTimers(), 2, 'one timer per key and window: the trigger\'s and the cleanup share it');
  harness.setProcessingTime(998);
  t.deepEqual(harness.getOutput(), []);
  harness.setProcessingTime(999);
  t.deepEqual(harness.getOutput(), [record('a [0,1000) 1,3', 999), record('b [0,1000) 2', 999)]);
  t.is(harness.numKeyedStateEntries('window-contents'), 0);
  harness.setProcessingTime(1_500);
  harness.processElement(r('a', 4));
  harness.setProcessingTime(2_500);
  t.deepEqual(harness.extractOutputValues(), ['a [0,1000) 1,3', 'b [0,1000) 2', 'a [1000,2000) 4']);
  t.is(harness.numProcessingTimeTimers(), 0);
  await harness.close();
});

test('event-time sliding windows fire on the watermark, fire again for a record within the allowed lateness, and side-output later ones', async (t) => {
  const late = new OutputTag<Reading>('late');
  const harness = ProcessFunctionTestHarnesses.forWindow(byKey, SlidingEventTimeWindows.of(10, 5), (windowed) =>
    windowed.allowedLateness(5).sideOutputLateData(late).process(listWindow),
  );
  await harness.open();
  harness.processElement(r('a', 1), 3); // [-5,5) and [0,10)
  harness.processElement(r('a', 2), 7); // [0,10) and [5,15)
  t.is(harness.numKeyedStateEntries('window-contents'), 3);
  t.is(harness.numEventTimeTimers(), 6, 'per window: the trigger\'s timer at maxTimestamp, the cleanup timer 5 ms later');
  harness.processWatermark(9);
  t.deepEqual(harness.getOutput(), [record('a [-5,5) 1', 4), record('a [0,10) 1,2', 9), watermark(9)]);
  harness.clearOutput();
  harness.processElement(r('a', 3), 8); // late for [0,10), within its lateness: it fires again at once
  t.deepEqual(harness.getOutput(), [record('a [0,10) 1,2,3', 9)]);
  harness.processWatermark(14);
  t.deepEqual(harness.getOutput(), [record('a [0,10) 1,2,3', 9), record('a [5,15) 2,3', 14), watermark(14)]);
  t.is(harness.numKeyedStateEntries('window-contents'), 1, '[0,10) was dropped at 9 + 5; [5,15) waits for 19');
  harness.processElement(r('a', 4), 2); // every window of 2 is past its lateness
  t.deepEqual(harness.getSideOutput(late), [record(r('a', 4), 2)]);
  t.deepEqual(harness.extractOutputValues(), ['a [0,10) 1,2,3', 'a [5,15) 2,3']);
  harness.endInput();
  t.is(harness.numKeyedStateEntries(), 0);
  t.is(harness.numEventTimeTimers(), 0);
});

test('session windows merge when a record bridges them; the merged session fires once, with every record', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forWindow(byKey, EventTimeSessionWindows.withGap(10), (windowed) => windowed.process(listWindow));
  await harness.open();
  harness.processElement(r('a', 1), 1); // [1,11)
  harness.processElement(r('a', 25), 25); // [25,35)
  harness.processElement(r('b', 2), 2); // [2,12)
  t.is(harness.numKeyedStateEntries('window-contents'), 3);
  harness.processElement(r('a', 8), 8); // [8,18) merges with [1,11): [1,18)
  harness.processElement(r('a', 16), 16); // [16,26) bridges [1,18) and [25,35): [1,35)
  t.is(harness.numKeyedStateEntries('window-contents'), 2);
  harness.processWatermark(30);
  t.deepEqual(harness.getOutput(), [record('b [2,12) 2', 11), watermark(30)]);
  harness.processWatermark(34);
  t.deepEqual(harness.extractOutputValues(), ['b [2,12) 2', 'a [1,35) 1,8,25,16']);
  t.deepEqual(harness.getRecordOutput()[1], record('a [1,35) 1,8,25,16', 34));
  t.is(harness.numKeyedStateEntries('window-contents'), 0);
});

test('a count trigger with an evictor: every third record fires the window with the last two records, which it keeps', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forWindow(byKey, GlobalWindows.create(), (windowed) =>
    windowed.trigger(CountTrigger.of(3)).evictor(CountEvictor.of(2)).process(listWindow),
  );
  await harness.open();
  for (const value of [1, 2, 3, 4, 5, 6, 7]) harness.processElement(r('a', value));
  harness.processElement(r('b', 1));
  t.deepEqual(harness.getOutput(), [record('a global 2,3', Number.POSITIVE_INFINITY), record('a global 5,6', Number.POSITIVE_INFINITY)]);
  t.is(harness.numKeyedStateEntries('window-contents'), 2, 'a keeps 5,6,7 and b 1: one list each');
  t.is(harness.numEventTimeTimers(), 0, 'the global window has no cleanup timer');
  harness.endInput();
  t.deepEqual(harness.extractOutputValues(), ['a global 2,3', 'a global 5,6'], 'a count trigger does not fire at the end of input');
});

test('forPipeline takes any declaration of one operator: countWindow(3) fires and purges every third record per key', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forPipeline((input: DataStream<Reading>) => input.keyBy(byKey).countWindow(3).sum('value'));
  await harness.open();
  for (const value of [1, 2, 3, 4, 5, 6, 7]) harness.processElement(r('a', value));
  t.deepEqual(harness.extractOutputValues(), [r('a', 6), r('a', 15)]);
  t.is(harness.numKeyedStateEntries('window-contents'), 1);
});

test('plain event-time sums run on the aligned window operator: state entries read, but it keeps no timers per key', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forWindow(byKey, TumblingEventTimeWindows.of(10), (windowed) => windowed.sum('value'));
  await harness.open();
  harness.processElement(r('a', 1), 1);
  harness.processElement(r('b', 2), 2);
  harness.processElement(r('a', 3), 12);
  t.is(harness.numKeyedStateEntries(), 3);
  harness.processWatermark(9);
  // The aligned operator emits a window's keys in the order of its state table, not of arrival.
  t.deepEqual(harness.getOutput(), [record(r('b', 2), 9), record(r('a', 1), 9), watermark(9)]);
  const error = t.throws(() => harness.numEventTimeTimers(), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_ARGUMENT');
  t.is(error.message, 'operator "Window Sum" (id "window-2"): numEventTimeTimers(): this window operator keeps no timers per key; it fires each window for every key when the watermark reaches it');
});

test('an event-time window refuses a record without a timestamp with the MISSING_TIMESTAMP the job would get', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forWindow(byKey, TumblingEventTimeWindows.of(10), (windowed) => windowed.process(listWindow));
  await harness.open();
  const error = t.throws(() => harness.processElement(r('a', 1)), { instanceOf: WeirError });
  t.is(error.code, 'MISSING_TIMESTAMP');
  t.regex(error.message, /^operator "Window Process" \(id "window-2"\) got a record without a timestamp: event-time windows need records with timestamps/);
});
