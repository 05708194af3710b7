// The WindowOperator's bookkeeping (api/operators/window-operator.ts): what it keeps per key and
// window must go once the windows are cleaned up, or a long-running job grows without bound.
import test from 'ava';
import { type Collector, EventTimeSessionWindows, type ProcessWindowContext, type TimeWindow, ValueStateDescriptor, WeirError } from '../../../index.ts';
import { ProcessFunctionTestHarnesses, record, watermark } from '../../../api/testing/index.ts';

interface Reading {
  readonly key: string;
  readonly value: number;
}

const r = (key: string, value: number): Reading => ({ key, value });
const byKey = (reading: Reading): string => reading.key;

function listWindow(key: string, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<Reading>, out: Collector<string>): void {
  const window = ctx.window();
  out.collect(`${key} [${window.start},${window.end}) ${[...elements].map((reading) => reading.value).join(',')}`);
}

test('a key whose sessions were all cleaned up keeps no state: its merging-window set goes too, as Flink clears its list state', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forWindow(byKey, EventTimeSessionWindows.withGap(10), (windowed) => windowed.process(listWindow));
  await harness.open();
  harness.processElement(r('a', 1), 1);
  harness.processElement(r('b', 2), 2);
  t.is(harness.numKeyedStateEntries('merging-window-set'), 2);
  harness.processWatermark(20);
  t.deepEqual(harness.getOutput(), [record('a [1,11) 1', 10), record('b [2,12) 2', 11), watermark(20)]);
  t.is(harness.numKeyedStateEntries(), 0);
  t.is(harness.numEventTimeTimers(), 0);
  await harness.close();
});

test('session windows refuse windowState(), as Flink does: the state of a window that merges away would stay behind', async (t) => {
  const fires = new ValueStateDescriptor<number>('fires');
  const harness = ProcessFunctionTestHarnesses.forWindow(byKey, EventTimeSessionWindows.withGap(10), (windowed) =>
    windowed.allowedLateness(100).process((key: string, ctx: ProcessWindowContext<TimeWindow>, _elements: Iterable<Reading>, out: Collector<string>) => {
      const state = ctx.windowState().getState(fires);
      state.update((state.value() ?? 0) + 1);
      out.collect(`${key} fired ${state.value()} times`);
    }),
  );
  await harness.open();
  harness.processElement(r('a', 1), 1);
  const error = t.throws(() => harness.processWatermark(20), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_FUNCTION');
  t.is(
    error.message,
    'operator "Window Process" (id "window-2"): windowState() is not allowed with merging (session) windows, as in Flink: a window\'s state cannot follow it when it merges; use globalState() or the window\'s contents',
  );
  await harness.close();
});
