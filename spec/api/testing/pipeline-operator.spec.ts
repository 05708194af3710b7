// What a harness's declaration must be: one operator on the harness's input(s), not a sink, not an
// async operator; options that name a subtask that exists; and the operator gets the declared name,
// uid, parallelism and runtime settings.
import test from 'ava';
import { type DataStream, type RuntimeContext, WatermarkStrategy, WeirError } from '../../../index.ts';
import { ProcessFunctionTestHarnesses, record, watermark } from '../../../api/testing/index.ts';

interface Item {
  readonly key: string;
  value: number;
}

const item = (key: string, value: number): Item => ({ key, value });

test('the operator keeps the name and uid its declaration gives it, and runs as the subtask the options name', async (t) => {
  const contexts: string[] = [];
  const harness = ProcessFunctionTestHarnesses.forPipeline(
    (input: DataStream<number>) =>
      input
        .map({
          map: (value: number): number => {
            if (value < 0) throw new Error(`negative: ${value}`);
            return value * 2;
          },
          open: (context: RuntimeContext) => void contexts.push(`${context.operatorName} ${context.subtaskIndex}/${context.parallelism}/${context.maxParallelism}`),
        })
        .name('Double')
        .uid('double')
        .setParallelism(4),
    { subtaskIndex: 3, maxParallelism: 16 },
  );
  await harness.open();
  t.deepEqual(contexts, ['Double 3/4/16']);
  harness.processElement(1, 5);
  t.deepEqual(harness.getOutput(), [record(2, 5)]);
  const error = t.throws(() => harness.processElement(-1), { instanceOf: WeirError });
  t.is(error.message, 'operator "Double" (id "double") failed on a record: negative: -1');
});

test('a running reduce emits copies of its value, as in a job; with objectReuse it emits the value itself', async (t) => {
  const summed = async (objectReuse: boolean): Promise<number[]> => {
    const harness = ProcessFunctionTestHarnesses.forPipeline(
      (input: DataStream<Item>) =>
        input.keyBy((value) => value.key).reduce((sum, value) => {
          sum.value += value.value;
          return sum;
        }),
      { objectReuse },
    );
    await harness.open();
    for (const value of [1, 2, 3]) harness.processElement(item('a', value));
    return harness.extractOutputValues().map((value) => value.value);
  };
  t.deepEqual(await summed(false), [1, 3, 6]);
  t.deepEqual(await summed(true), [6, 6, 6]);
});

test('in BATCH a keyed sum holds its results back: endInput() emits each key\'s final value, then the end of event time', async (t) => {
  const harness = ProcessFunctionTestHarnesses.forPipeline((input: DataStream<Item>) => input.keyBy((value) => value.key).sum('value'), { runtimeMode: 'BATCH' });
  await harness.open();
  for (const [key, value] of [['a', 1], ['b', 2], ['a', 3]] as const) harness.processElement(item(key, value));
  t.deepEqual(harness.getOutput(), []);
  harness.endInput();
  t.deepEqual(harness.getOutput(), [record(item('b', 2)), record(item('a', 4)), watermark(Number.POSITIVE_INFINITY)]);
});

test('watermark generators emit periodically on the harness\'s processing-time clock (every autoWatermarkIntervalMs)', async (t) => {
  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Item>(10).withTimestampAssigner((value) => value.value);
  const harness = ProcessFunctionTestHarnesses.forPipeline((input: DataStream<Item>) => input.assignTimestampsAndWatermarks(strategy), { autoWatermarkIntervalMs: 100 });
  await harness.open();
  harness.processElement(item('a', 1_000));
  harness.setProcessingTime(99);
  t.deepEqual(harness.getOutput(), [record(item('a', 1_000), 1_000)]);
  harness.setProcessingTime(100);
  harness.processElement(item('a', 1_500));
  harness.setProcessingTime(300);
  t.deepEqual(harness.getOutput(), [record(item('a', 1_000), 1_000), watermark(989), record(item('a', 1_500), 1_500), watermark(1_489)]);
});

test('a declaration of no operator, of several, or of a sink fails with INVALID_PIPELINE', (t) => {
  const none = t.throws(() => ProcessFunctionTestHarnesses.forPipeline((input: DataStream<Item>) => input.keyBy((value) => value.key)), { instanceOf: WeirError });
  t.is(none.code, 'INVALID_PIPELINE');
  t.is(none.message, 'forPipeline(): the pipeline declared no operator; declare the one to test, e.g. input => input.process(fn)');
  const two = t.throws(() => ProcessFunctionTestHarnesses.forPipeline((input: DataStream<number>) => input.map((value) => value + 1).filter((value) => value > 1)), { instanceOf: WeirError });
  t.is(two.code, 'INVALID_PIPELINE');
  t.is(two.message, 'forPipeline(): the pipeline declared 2 operators (operator "Map" (id "map-1"), operator "Filter" (id "filter-2")); a harness drives one, so test them one at a time');
  const sink = t.throws(
    () =>
      ProcessFunctionTestHarnesses.forPipeline((input: DataStream<number>) => {
        input.print();
        return input;
      }),
    { instanceOf: WeirError },
  );
  t.is(sink.message, 'forPipeline(): operator "Sink: Print" (id "sink-print-1") is a sink; a harness drives an operator and reads what it emits');
  const notStream = t.throws(() => ProcessFunctionTestHarnesses.forPipeline((() => 42) as never), { instanceOf: WeirError });
  t.is(notStream.code, 'INVALID_ARGUMENT');
  t.is(notStream.message, 'forPipeline() needs a function that declares one operator and returns its stream, got one that returned 42');
});

test('an async operator is refused: its calls complete between steps, which only a job runs', (t) => {
  const error = t.throws(() => ProcessFunctionTestHarnesses.forPipeline((input: DataStream<number>) => input.mapAsync(async (value) => value)), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_PIPELINE');
  t.is(error.message, 'operator "Async Map" (id "async-map-1") is asynchronous: its calls complete between a Task\'s steps, which a harness does not run; test it in a job with executeAndCollect()');
});

test('each input of the operator must be the matching harness input', (t) => {
  const same = (value: number): number => value;
  const swapped = t.throws(
    () => ProcessFunctionTestHarnesses.forTwoInputPipeline((first: DataStream<number>, second: DataStream<number>) => second.keyBy(same).connect(first.keyBy(same)).process({ processElement1: () => {}, processElement2: () => {} })),
    { instanceOf: WeirError },
  );
  t.is(swapped.code, 'INVALID_PIPELINE');
  t.is(swapped.message, 'forTwoInputPipeline(): operator "Keyed Co-Process" (id "keyed-co-process-4") must read the first harness input, then the second, each at most through keyBy() or a partitioning; it reads other streams');
  const oneOfTwo = t.throws(() => ProcessFunctionTestHarnesses.forTwoInputPipeline((first: DataStream<number>) => first.map(same)), { instanceOf: WeirError });
  t.regex(oneOfTwo.message, /^forTwoInputPipeline\(\): operator "Map" \(id "map-2"\) must read the first harness input, then the second/);
  const twoOfOne = t.throws(() => ProcessFunctionTestHarnesses.forPipeline((input: DataStream<number>) => input.connect(input).map({ map1: same, map2: same })), { instanceOf: WeirError });
  t.regex(twoOfOne.message, /^forPipeline\(\): operator "Co-Map" \(id "co-map-1"\) must read the harness input, each at most through keyBy\(\) or a partitioning/);
});

test('options are checked: the subtask must exist, the mode be STREAMING or BATCH, the parallelism positive', (t) => {
  const map = (input: DataStream<number>): DataStream<number> => input.map((value) => value);
  const subtask = t.throws(() => ProcessFunctionTestHarnesses.forPipeline(map, { parallelism: 2, subtaskIndex: 2 }), { instanceOf: WeirError });
  t.is(subtask.code, 'INVALID_ARGUMENT');
  t.is(subtask.message, 'forPipeline(): subtaskIndex must be an integer from 0 to 1 (the operator\'s parallelism is 2), got 2');
  const mode = t.throws(() => ProcessFunctionTestHarnesses.forPipeline(map, { runtimeMode: 'AUTOMATIC' as 'BATCH' }), { instanceOf: WeirError });
  t.is(mode.code, 'INVALID_RUNTIME_MODE');
  t.is(mode.message, 'forPipeline(): a harness runs STREAMING or BATCH, got AUTOMATIC');
  const parallelism = t.throws(() => ProcessFunctionTestHarnesses.forPipeline(map, { parallelism: 0 }), { instanceOf: WeirError });
  t.is(parallelism.code, 'INVALID_PARALLELISM');
  const clock = t.throws(() => ProcessFunctionTestHarnesses.forPipeline(map, { processingTime: Number.NaN }), { instanceOf: WeirError });
  t.is(clock.message, 'forPipeline(): processingTime must be a finite number of ms, got NaN');
});
