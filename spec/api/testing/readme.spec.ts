// The README's "Testing your functions" example, as written there (imports from the package names).
import test from 'ava';
import { type Collector, type KeyedProcessContext, type KeyedProcessFunction, type OnTimerContext, type RuntimeContext, type ValueState, ValueStateDescriptor } from 'weir';
import { ProcessFunctionTestHarnesses, record, watermark } from 'weir/testing';

/** Counts each word's records for a minute of event time from its first, then emits the count. */
class CountPerMinute implements KeyedProcessFunction<string, string, string> {
  private count!: ValueState<number>;

  open(context: RuntimeContext): void {
    this.count = context.getState(new ValueStateDescriptor<number>('count'));
  }

  processElement(word: string, ctx: KeyedProcessContext<string>): void {
    const count = this.count.value() ?? 0;
    if (count === 0) ctx.timerService().registerEventTimeTimer((ctx.timestamp() ?? 0) + 60_000);
    this.count.update(count + 1);
  }

  onTimer(_timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.getCurrentKey()}: ${this.count.value()}`);
    this.count.clear();
  }
}

test('a word\'s records of a minute are counted once the watermark passes the minute', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(CountPerMinute, (word: string) => word);
  await harness.open();
  harness.processElement('to', 1_000);
  harness.processElement('be', 2_000);
  harness.processElement('to', 30_000);
  harness.processWatermark(61_000);
  t.deepEqual(harness.getOutput(), [record('to: 2', 61_000), watermark(61_000)]);
  t.is(harness.numKeyedStateEntries(), 1); // "be" waits for 62 000
  t.is(harness.numEventTimeTimers(), 1);
  await harness.close();
});
