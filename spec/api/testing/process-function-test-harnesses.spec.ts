// forKeyedProcessFunction on Flink's classic timeout function (a count per key in ValueState, a
// processing-time timer that reports a key gone quiet, an event-time deadline), with the keyed
// harness's state and timer counts, BATCH, key groups, and a throw from onTimer; and
// forKeyedCoProcessFunction, whose timers fire on the smaller of both inputs' watermarks (an idle one left out).
import test from 'ava';
import {
  type Collector,
  type KeyedCoProcessFunction,
  type KeyedProcessContext,
  type KeyedProcessFunction,
  type OnTimerContext,
  type RuntimeContext,
  type ValueState,
  ValueStateDescriptor,
  WeirError,
} from '../../../index.ts';
import { ProcessFunctionTestHarnesses, record, watermark, watermarkStatus } from '../../../api/testing/index.ts';

interface Click {
  readonly user: string;
  readonly page: string;
}

const click = (user: string, page = 'home'): Click => ({ user, page });

/** Quiet after this many ms of processing time without a click. */
const TIMEOUT_MS = 100;
/** Each click's event-time deadline, this many ms after it. */
const DEADLINE_MS = 50;

interface CountWithTimestamp {
  count: number;
  lastModified: number;
}

/**
 * Flink's CountWithTimeoutFunction: counts each user's clicks; once a user is quiet for TIMEOUT_MS of
 * processing time, emits the count. Each click also sets an event-time deadline, reported with the
 * count seen by then.
 */
class CountWithTimeout implements KeyedProcessFunction<string, Click, string> {
  private state!: ValueState<CountWithTimestamp>;

  open(context: RuntimeContext): void {
    this.state = context.getState(new ValueStateDescriptor<CountWithTimestamp>('count'));
  }

  processElement(value: Click, ctx: KeyedProcessContext<string>, _out: Collector<string>): void {
    const current = this.state.value() ?? { count: 0, lastModified: 0 };
    current.count++;
    current.lastModified = ctx.timerService().currentProcessingTime();
    this.state.update(current);
    ctx.timerService().registerProcessingTimeTimer(current.lastModified + TIMEOUT_MS);
    const timestamp = ctx.timestamp();
    if (timestamp !== undefined) ctx.timerService().registerEventTimeTimer(timestamp + DEADLINE_MS);
  }

  onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    const current = this.state.value() as CountWithTimestamp;
    if (ctx.timeDomain() === 'EVENT_TIME') out.collect(`${ctx.getCurrentKey()} deadline ${timestamp}: ${current.count}`);
    else if (timestamp === current.lastModified + TIMEOUT_MS) out.collect(`${ctx.getCurrentKey()} quiet: ${current.count}`);
  }
}

const byUser = (value: Click): string => value.user;

test('a processing-time timer fires at setProcessingTime, with its key current and no timestamp; a newer click postpones it', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(CountWithTimeout, byUser);
  await harness.open();
  harness.setProcessingTime(10);
  harness.processElement(click('ann'));
  harness.processElement(click('bob'));
  harness.setProcessingTime(60);
  harness.processElement(click('ann'));
  t.is(harness.numKeyedStateEntries(), 2);
  t.is(harness.numKeyedStateEntries('count'), 2);
  t.is(harness.numProcessingTimeTimers(), 3);
  t.is(harness.numEventTimeTimers(), 0);
  harness.setProcessingTime(110);
  // ann's timer at 110 fired too, but her last click was at 60: she is not quiet yet.
  t.deepEqual(harness.getOutput(), [record('bob quiet: 1')]);
  t.is(harness.numProcessingTimeTimers(), 1);
  harness.setProcessingTime(159);
  t.deepEqual(harness.extractOutputValues(), ['bob quiet: 1']);
  harness.setProcessingTime(160);
  t.deepEqual(harness.extractOutputValues(), ['bob quiet: 1', 'ann quiet: 2']);
  t.is(harness.numProcessingTimeTimers(), 0);
  await harness.close();
});

test('an event-time timer fires when the watermark reaches it: its output carries its timestamp and precedes the watermark', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(CountWithTimeout, byUser);
  await harness.open();
  harness.processElement(click('ann'), 1_000);
  harness.processElement(click('ann'), 1_020);
  harness.processElement(click('bob'), 1_030);
  t.is(harness.numEventTimeTimers(), 3);
  harness.processWatermark(1_049);
  t.deepEqual(harness.getOutput(), [watermark(1_049)]);
  harness.processWatermark(1_075);
  t.deepEqual(harness.getOutput(), [watermark(1_049), record('ann deadline 1050: 2', 1_050), record('ann deadline 1070: 2', 1_070), watermark(1_075)]);
  t.is(harness.numEventTimeTimers(), 1);
  harness.clearOutput();
  harness.endInput();
  t.deepEqual(harness.getOutput(), [record('bob deadline 1080: 1', 1_080), watermark(Number.POSITIVE_INFINITY)]);
  t.is(harness.numEventTimeTimers(), 0);
  // ann's two clicks at processing time 0 share one timer (per key and time).
  t.is(harness.numProcessingTimeTimers(), 2, 'in STREAMING the end of input fires no processing-time timer');
  await harness.close();
});

test('in BATCH, endInput() fires every timer of both kinds', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(CountWithTimeout, byUser, { runtimeMode: 'BATCH' });
  await harness.open();
  harness.processElement(click('ann'), 1_000);
  harness.processElement(click('bob'), 1_030);
  harness.endInput();
  t.deepEqual(harness.extractOutputValues(), ['ann deadline 1050: 1', 'bob deadline 1080: 1', 'ann quiet: 1', 'bob quiet: 1']);
  t.is(harness.numProcessingTimeTimers() + harness.numEventTimeTimers(), 0);
});

test('the harness is one subtask: with parallelism 2 it owns half the key groups, and another\'s key fails with INVALID_KEY', async (t) => {
  // With 128 key groups, "eve" is in group 24 (subtask 0 of 2) and "bob" in group 65 (subtask 1).
  const harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(CountWithTimeout, byUser, { parallelism: 2, subtaskIndex: 1 });
  await harness.open();
  harness.processElement(click('bob'));
  const error = t.throws(() => harness.processElement(click('eve')), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_KEY');
  t.is(
    error.message,
    'operator "Keyed Process" (id "keyed-process-2"): key "eve" is in key group 24, which this subtask does not own (64..127): ' +
      'the key selector must return the same key for the same record every time',
  );
});

test('a throw from onTimer at setProcessingTime fails naming the operator, as a failed mail fails the task', async (t) => {
  const failing: KeyedProcessFunction<string, Click, string> = {
    processElement: (_value, ctx) => ctx.timerService().registerProcessingTimeTimer(5),
    onTimer: () => {
      throw new Error('timer boom');
    },
  };
  const harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(failing, byUser);
  await harness.open();
  harness.processElement(click('ann'));
  const error = t.throws(() => harness.setProcessingTime(5), { instanceOf: WeirError });
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Keyed Process" (id "keyed-process-2") failed on a record: timer boom');
});

/** Registers an event-time timer at 40 for each first-input record's key; the timer reports the watermark. */
const remindAt40: KeyedCoProcessFunction<string, string, string, string> = {
  processElement1: (_value, ctx) => ctx.timerService().registerEventTimeTimer(40),
  processElement2: () => {},
  onTimer: (timestamp, ctx, out) => out.collect(`${ctx.getCurrentKey()}@${timestamp} wm=${ctx.timerService().currentWatermark()}`),
};

test('forKeyedCoProcessFunction: an idle input leaves the minimum, so the other input\'s watermark alone fires timers', async (t) => {
  const firstLetter = (value: string): string => value[0];
  const harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(remindAt40, firstLetter, firstLetter);
  await harness.open();
  harness.processElement1('a1', 1);
  harness.processWatermark1(41);
  t.deepEqual(harness.getOutput(), [], 'the second input holds the minimum back');
  harness.processWatermarkStatus2('idle');
  t.deepEqual(harness.getOutput(), [record('a@40 wm=41', 40), watermark(41)]);
  harness.processBothWatermarks(42); // the second input's 42 is dropped: it is idle
  harness.processWatermarkStatus1('idle');
  t.deepEqual(harness.getOutput(), [record('a@40 wm=41', 40), watermark(41), watermark(42), watermarkStatus('idle')]);
  t.is(harness.numEventTimeTimers(), 0);
});
