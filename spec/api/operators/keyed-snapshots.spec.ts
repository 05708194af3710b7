// Keyed operators in a checkpoint (api/operators/keyed-snapshots.ts): a snapshot taken mid-stream,
// sent through msgpack as the Task writes it, and restored into a fresh operator continues exactly
// as the first one did: the same state, the same timers, the same watermark (so the same records are
// late), the same results.
import test, { type ExecutionContext } from 'ava';
import { pack, unpack } from 'msgpackr';
import { EventTimeSessionWindows, type KeyedProcessFunction, OutputTag, TumblingEventTimeWindows, type ValueState, ValueStateDescriptor } from '../../../index.ts';
import { type OneInputOperatorTestHarness, type OperatorSnapshot, type StreamElement, record, watermark } from '../../../api/testing/index.ts';
import { ProcessFunctionTestHarnesses } from '../../../api/testing/index.ts';
import { WeirError } from '../../../messages/errors.ts';

interface Reading {
  readonly key: string;
  readonly value: number;
}

const r = (key: string, value: number): Reading => ({ key, value });
const byKey = (reading: Reading): string => reading.key;
const late = new OutputTag<Reading>('late');

/**
 * Runs `before`, snapshots, runs `after` on the same harness, then on a fresh one restored from the
 * snapshot (through msgpack): both must emit the same after the snapshot. Returns that output.
 */
async function continuesExactly<IN, OUT>(
  t: ExecutionContext,
  make: () => OneInputOperatorTestHarness<IN, OUT>,
  before: (harness: OneInputOperatorTestHarness<IN, OUT>) => void,
  after: (harness: OneInputOperatorTestHarness<IN, OUT>) => void,
): Promise<{ readonly output: StreamElement<OUT>[]; readonly late: IN[]; readonly snapshot: OperatorSnapshot }> {
  const original = make();
  await original.open();
  before(original);
  const snapshot = unpack(pack(original.snapshot(1))) as OperatorSnapshot;
  original.clearOutput();
  after(original);
  const expected = original.getOutput();
  const expectedLate = original.extractSideOutputValues(late as OutputTag<IN>);
  await original.close();

  const restored = make();
  restored.initializeState(snapshot);
  await restored.open();
  after(restored);
  t.deepEqual(restored.getOutput(), expected, 'the restored operator emits what the original emitted after the snapshot');
  t.deepEqual(restored.extractSideOutputValues(late as OutputTag<IN>), expectedLate, 'and finds the same records late');
  await restored.close();
  return { output: expected, late: expectedLate, snapshot };
}

class Counting implements KeyedProcessFunction<string, Reading, string> {
  private count!: ValueState<number>;

  open(context: { getState<V>(descriptor: ValueStateDescriptor<V>): ValueState<V> }): void {
    this.count = context.getState(new ValueStateDescriptor<number>('count'));
  }

  processElement(value: Reading, ctx: Parameters<KeyedProcessFunction<string, Reading, string>['processElement']>[1], out: { collect(value: string): void }): void {
    const count = (this.count.value() ?? 0) + 1;
    this.count.update(count);
    out.collect(`${value.key}#${count} (wm ${ctx.timerService().currentWatermark()})`);
    ctx.timerService().registerEventTimeTimer((ctx.timestamp() as number) + 10);
  }

  onTimer(timestamp: number, ctx: { getCurrentKey(): string }, out: { collect(value: string): void }): void {
    out.collect(`${ctx.getCurrentKey()} timer ${timestamp} at count ${this.count.value()}`);
  }
}

test('a keyed process function restored from a snapshot has its ValueState, its timers and its watermark', async (t) => {
  const { output, snapshot } = await continuesExactly(
    t,
    () => ProcessFunctionTestHarnesses.forKeyedProcessFunction(Counting, byKey),
    (harness) => {
      harness.processElement(r('a', 1), 1);
      harness.processElement(r('b', 1), 2);
      harness.processElement(r('a', 1), 5);
      harness.processWatermark(11);
    },
    (harness) => {
      harness.processElement(r('a', 1), 20);
      harness.processWatermark(15);
      harness.processWatermark(40);
    },
  );
  t.is(snapshot.watermark, 11);
  t.deepEqual(output, [
    record('a#3 (wm 11)', 20),
    record('b timer 12 at count 1', 12),
    record('a timer 15 at count 3', 15),
    watermark(15),
    record('a timer 30 at count 3', 30),
    watermark(40),
  ]);
});

test('a tumbling event-time window (window operator) restored mid-window fires with every record, and finds late records as before', async (t) => {
  const { output, late: lateRecords } = await continuesExactly(
    t,
    () =>
      ProcessFunctionTestHarnesses.forWindow(byKey, TumblingEventTimeWindows.of(10), (windowed) =>
        windowed
          .allowedLateness(5)
          .sideOutputLateData(late)
          .process<string>({ process: (key, context, elements, out) => out.collect(`${key}:${context.window().start}:${[...elements].map((e) => e.value).join('+')}`) }),
      ),
    (harness) => {
      harness.processElement(r('a', 1), 1);
      harness.processElement(r('a', 2), 12);
      harness.processWatermark(10);
    },
    (harness) => {
      harness.processElement(r('a', 0), -10); // [-10,0) was late at watermark 10 already
      harness.processElement(r('a', 3), 4); // [0,10) fired at 9, still within its lateness: fires again
      harness.processElement(r('a', 4), 15);
      harness.processWatermark(16); // [0,10) is gone: 9 + 5 <= 16
      harness.processElement(r('a', 5), 3);
      harness.processWatermark(30);
    },
  );
  t.deepEqual(output, [record('a:0:1+3', 9), watermark(16), record('a:10:2+4', 19), watermark(30)]);
  t.deepEqual(lateRecords, [r('a', 0), r('a', 5)]);
});

test('a tumbling event-time sum on the aligned fast path restored mid-window finds its pending windows again', async (t) => {
  const { output, late: lateRecords } = await continuesExactly(
    t,
    () => ProcessFunctionTestHarnesses.forWindow(byKey, TumblingEventTimeWindows.of(10), (windowed) => windowed.allowedLateness(5).sideOutputLateData(late).sum('value')),
    (harness) => {
      harness.processElement(r('a', 1), 1);
      harness.processElement(r('b', 10), 2);
      harness.processElement(r('a', 2), 12);
      harness.processWatermark(10); // fires [0,10), keeps it for late records until 14
    },
    (harness) => {
      harness.processElement(r('b', 0), -10); // [-10,0) was late at watermark 10 already
      harness.processElement(r('a', 3), 4); // late within the lateness: fires again at once
      harness.processWatermark(16); // [0,10) is dropped
      harness.processElement(r('b', 5), 3);
      harness.processWatermark(30); // [10,20) fires: no record reached it since the restore
    },
  );
  t.deepEqual(output, [record(r('a', 4), 9), watermark(16), record(r('a', 2), 19), watermark(30)]);
  t.deepEqual(lateRecords, [r('b', 0), r('b', 5)]);
});

test('a session window restored mid-session merges later records into it', async (t) => {
  const { output } = await continuesExactly(
    t,
    () =>
      ProcessFunctionTestHarnesses.forWindow(byKey, EventTimeSessionWindows.withGap(10), (windowed) =>
        windowed.process<string>({ process: (key, context, elements, out) => out.collect(`${key}:[${context.window().start},${context.window().end}):${[...elements].map((e) => e.value).join('+')}`) }),
      ),
    (harness) => {
      harness.processElement(r('a', 1), 1);
      harness.processElement(r('a', 2), 8);
      harness.processElement(r('b', 7), 3);
      harness.processWatermark(5);
    },
    (harness) => {
      harness.processElement(r('a', 3), 16); // joins [1,18) into [1,26)
      harness.processWatermark(20); // b's [3,13) fires
      harness.processWatermark(40);
    },
  );
  t.deepEqual(output, [record('b:[3,13):7', 12), watermark(20), record('a:[1,26):1+2+3', 25), watermark(40)]);
});

test('a snapshot holding keyed state restored into an operator that is not keyed fails naming it', async (t) => {
  const keyed = ProcessFunctionTestHarnesses.forKeyedProcessFunction(Counting, byKey);
  await keyed.open();
  keyed.processElement(r('a', 1), 1);
  const snapshot = keyed.snapshot();
  await keyed.close();
  const plain = ProcessFunctionTestHarnesses.forPipeline<Reading, Reading>((input) => input.map((reading) => reading));
  const error = t.throws(() => plain.initializeState(snapshot), { instanceOf: WeirError });
  t.is(error?.code, 'STATE_RESTORE_FAILED');
  t.is(error?.message, 'operator "Map" (id "map-1"): the snapshot holds keyed state, but the operator is not keyed (was keyBy() removed?)');
  await plain.close();
});
