// The one-input harness on a ProcessFunction with a side output: every method (open, processElement,
// processWatermark, processWatermarkStatus, setProcessingTime, endInput, close, and the readers), the
// order of what the output gets, the valve's rules for watermarks, the lifecycle, and failures as the
// job would report them.
import test from 'ava';
import { type Collector, type Counter, type DataStream, type Histogram, OutputTag, type ProcessContext, type ProcessFunction, type RuntimeContext, WeirError } from '../../../index.ts';
import { ProcessFunctionTestHarnesses, record, watermark, watermarkStatus } from '../../../api/testing/index.ts';

const small = new OutputTag<string>('small');

/** Doubles values of 10 and more; sends smaller ones to the side output `small`, with their timestamps. */
function splitter(log: string[] = []): ProcessFunction<number, number> {
  return {
    open(context: RuntimeContext): void {
      log.push(`open ${context.operatorName} ${context.subtaskIndex + 1}/${context.parallelism}`);
    },
    processElement(value: number, ctx: ProcessContext, out: Collector<number>): void {
      if (value < 10) ctx.output(small, `small ${value}@${String(ctx.timestamp())}`);
      else out.collect(value * 2);
    },
    close(): void {
      log.push('close');
    },
  };
}

test('records, watermarks and statuses reach the main output in order; side output records are read apart', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forProcessFunction(splitter());
  await harness.open();
  harness.processElement(20, 1);
  harness.processElement(3, 2);
  harness.processWatermark(2);
  harness.processElement(40);
  harness.processWatermarkStatus('idle');
  harness.processWatermarkStatus('active');
  harness.processElement(5, 7);
  t.deepEqual(harness.getOutput(), [record(40, 1), watermark(2), record(80), watermarkStatus('idle'), watermarkStatus('active')]);
  t.deepEqual(harness.getRecordOutput(), [record(40, 1), record(80)]);
  t.deepEqual(harness.extractOutputValues(), [40, 80]);
  t.deepEqual(harness.getSideOutput(small), [record('small 3@2', 2), record('small 5@7', 7)]);
  t.deepEqual(harness.extractSideOutputValues(small), ['small 3@2', 'small 5@7']);
  t.deepEqual(harness.getSideOutput(new OutputTag<string>('unused')), []);
  await harness.close();
});

test('open() and close() run the function\'s own, with a RuntimeContext naming the operator', async (t) => {
  const log: string[] = [];
  const harness = ProcessFunctionTestHarnesses.forPipeline((input: DataStream<number>) => input.process(splitter(log)).name('Split'));
  await harness.open();
  t.deepEqual(log, ['open Split 1/1']);
  await harness.close();
  t.deepEqual(log, ['open Split 1/1', 'close']);
});

test('clearOutput() forgets what every output got so far', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forProcessFunction(splitter());
  await harness.open();
  harness.processElement(10, 1);
  harness.processElement(1, 1);
  harness.clearOutput();
  harness.processElement(11, 2);
  t.deepEqual(harness.getOutput(), [record(22, 2)]);
  t.deepEqual(harness.getSideOutput(small), []);
});

test('a watermark not above the input\'s last or on an idle input, or a repeated status, is dropped as the input\'s valve drops it', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forProcessFunction(splitter());
  await harness.open();
  harness.processWatermark(5);
  harness.processWatermark(5);
  harness.processWatermark(3);
  harness.processWatermarkStatus('active');
  harness.processWatermarkStatus('idle');
  harness.processWatermarkStatus('idle');
  harness.processWatermark(6);
  harness.processWatermarkStatus('active');
  harness.processWatermark(7);
  t.deepEqual(harness.getOutput(), [watermark(5), watermarkStatus('idle'), watermarkStatus('active'), watermark(7)]);
});

test('endInput() gives the end of event time, which the operator passes on; nothing may follow it but close()', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forProcessFunction(splitter());
  await harness.open();
  harness.processElement(10, 1);
  harness.endInput();
  t.deepEqual(harness.getOutput(), [record(20, 1), watermark(Number.POSITIVE_INFINITY)]);
  const late = t.throws(() => harness.processElement(11, 2), { instanceOf: WeirError });
  t.is(late.code, 'ILLEGAL_SUBTASK_STATE');
  t.is(late.message, 'the harness of operator "Process" (id "process-1"): processElement() needs an open harness, but it is ended: the input has ended');
  const timer = t.throws(() => harness.setProcessingTime(5), { instanceOf: WeirError });
  t.is(timer.message, 'the harness of operator "Process" (id "process-1"): setProcessingTime() needs an open harness, but it is ended: the input has ended');
  await harness.close();
});

test('the end of event time comes only with endInput(): processWatermark(Infinity) and NaN fail naming the operator', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forProcessFunction(splitter());
  await harness.open();
  const end = t.throws(() => harness.processWatermark(Number.POSITIVE_INFINITY), { instanceOf: WeirError });
  t.is(end.code, 'INVALID_ARGUMENT');
  t.is(end.message, 'operator "Process" (id "process-1"): processWatermark() got the end of event time (Infinity); in Weir it comes with the end of input: call endInput()');
  const nan = t.throws(() => harness.processWatermark(Number.NaN), { instanceOf: WeirError });
  t.is(nan.message, 'operator "Process" (id "process-1"): processWatermark() needs a watermark in ms, got NaN');
  const status = t.throws(() => harness.processWatermarkStatus('asleep' as 'idle'), { instanceOf: WeirError });
  t.is(status.message, `operator "Process" (id "process-1"): processWatermarkStatus() needs 'idle' or 'active', got the string "asleep"`);
  t.deepEqual(harness.getOutput(), []);
});

test('calls before open() fail with ILLEGAL_SUBTASK_STATE; the clock may be set before, but never back', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forProcessFunction(splitter(), { processingTime: 100 });
  t.is(harness.getProcessingTime(), 100);
  const early = t.throws(() => harness.processElement(1), { instanceOf: WeirError });
  t.is(early.code, 'ILLEGAL_SUBTASK_STATE');
  t.is(early.message, 'the harness of operator "Process" (id "process-1"): processElement() needs an open harness, but it is created: call open() first');
  harness.setProcessingTime(150);
  t.is(harness.getProcessingTime(), 150);
  const back = t.throws(() => harness.setProcessingTime(149), { instanceOf: WeirError });
  t.is(back.code, 'INVALID_ARGUMENT');
  t.is(back.message, 'operator "Process" (id "process-1"): setProcessingTime(149) needs a finite time no earlier than the clock\'s 150; processing time does not go back');
  await harness.open();
  const twice = await t.throwsAsync(harness.open(), { instanceOf: WeirError });
  t.is(twice.message, 'the harness of operator "Process" (id "process-1"): open() needs a created harness, but it is open');
});

test('a throw from the function fails with the USER_FUNCTION_FAILED the job would get; later calls throw it again, close() still closes', async (t) => {
  const log: string[] = [];
  const failing: ProcessFunction<number, number> = {
    processElement(value: number): void {
      if (value === 13) throw new Error('unlucky');
    },
    close(): void {
      log.push('close');
    },
  };
  const harness = ProcessFunctionTestHarnesses.forProcessFunction(failing);
  await harness.open();
  harness.processElement(12);
  const error = t.throws(() => harness.processElement(13), { instanceOf: WeirError });
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Process" (id "process-1") failed on a record: unlucky');
  t.is((error.cause as Error).message, 'unlucky');
  t.is(t.throws(() => harness.processWatermark(1)), error);
  await harness.close();
  t.deepEqual(log, ['close']);
});

test('a throw in open() fails naming the operator, as the job would', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forProcessFunction<number, number>({
    open: () => {
      throw new Error('no connection');
    },
    processElement: () => {},
  });
  const error = await t.throwsAsync(harness.open(), { instanceOf: WeirError });
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Process" (id "process-1") failed in open(): no connection');
  t.is(t.throws(() => harness.processElement(1)), error);
});

test('state entries and timers are a keyed operator\'s: asking a ProcessFunction\'s fails with STATE_NOT_KEYED', (t) => {
  const harness = ProcessFunctionTestHarnesses.forProcessFunction(splitter());
  const error = t.throws(() => harness.numKeyedStateEntries(), { instanceOf: WeirError });
  t.is(error.code, 'STATE_NOT_KEYED');
  t.is(error.message, 'operator "Process" (id "process-1"): numKeyedStateEntries() reads a keyed operator\'s state and timers (a keyed process function, a window, a join after keyBy()); this one has none');
  t.is(t.throws(() => harness.numEventTimeTimers(), { instanceOf: WeirError }).code, 'STATE_NOT_KEYED');
});

test('getMetrics() reads what the function registered through its RuntimeContext\'s metric group', async (t) => {
  let dropped: Counter | undefined;
  let sizes: Histogram | undefined;
  const harness = ProcessFunctionTestHarnesses.forProcessFunction<string, string>({
    open(context: RuntimeContext): void {
      dropped = context.getMetricGroup().counter('dropped');
      sizes = context.getMetricGroup().addGroup('input').histogram('length');
    },
    processElement(value: string, _ctx: ProcessContext, out: Collector<string>): void {
      sizes?.update(value.length);
      if (value.length === 0) dropped?.inc();
      else out.collect(value);
    },
  });
  t.deepEqual(harness.getMetrics(), [], 'nothing before open() registers it');
  await harness.open();
  for (const value of ['a', '', 'abc', '']) harness.processElement(value, 1);
  t.deepEqual(harness.getMetrics(), [
    { operator: 'Process', name: 'dropped', kind: 'counter', value: 2 },
    { operator: 'Process', name: 'input.length', kind: 'histogram', value: 1, count: 4, min: 0, max: 3, p50: 0, p95: 3, p99: 3 },
  ]);
});
