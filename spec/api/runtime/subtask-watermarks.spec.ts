// RunnableSubtask.inspectWatermarks on hand-driven gates: what `weir info` shows of one subtask —
// the head operator's watermark, the last watermark sent downstream, and per input its valve and
// every channel (watermark, idle, aligned, which upstream subtask it is).
import test from 'ava';
import { type JobModule, WatermarkStrategy } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import type { InputGate, RecordBatch, RunnableSubtask } from '../../../api/runtime/subtask.ts';
import { ManualProcessingTimeService } from '../../../api/runtime/time/manual-processing-time-service.ts';
import { LocalInputGate } from '../../../cluster/taskmanager/network/input-gate.ts';
import type { ChannelWatermark } from '../../../messages/watermarks.ts';
import { FakeWriter } from '../harness/fakes.ts';
import { subtaskOf, within } from '../helpers.ts';

/** The opened subtask of vertex `vertexId` (as planned here), reading `inputs` and writing `outputs`. */
async function openSubtask(module: JobModule, vertexId: string, inputs: InputGate[], outputs: FakeWriter[]): Promise<RunnableSubtask> {
  const plan = await planJob(module, []);
  const subtask = subtaskOf(plan, { vertexIndex: plan.graph.vertices.findIndex((vertex) => vertex.id === vertexId), inputs, outputs });
  await subtask.open();
  return subtask;
}

/** A batch of events only: [position 0, event, ...]. */
const events = (...items: (number | string)[]): RecordBatch => ({ records: [], timestamps: null, events: items.flatMap((event) => [0, event]) });

const channel = (upstreamVertexId: string, upstreamSubtask: number, watermark: number, idle: boolean, aligned: boolean): ChannelWatermark => ({
  upstreamVertexId,
  upstreamSubtask,
  watermark,
  idle,
  aligned,
});

// Vertex ids as this module plans them: two collection sources feeding map-3.
const unionThenMap: JobModule = (env) => void env.fromElements('a').union(env.fromElements('b')).map((s) => s).rebalance().print();

test('a union input reports every channel of both gates, numbered by upstream subtask, under one valve', async (t) => {
  const first = new LocalInputGate(2);
  const second = new LocalInputGate(1);
  const writer = new FakeWriter();
  const subtask = await openSubtask(unionThenMap, 'map-3', [first, second], [writer]);
  t.deepEqual(subtask.inspectWatermarks(), {
    inputWatermark: Number.NEGATIVE_INFINITY,
    outputWatermark: Number.NEGATIVE_INFINITY,
    outputIdle: false,
    inputs: [
      {
        input: 0,
        watermark: Number.NEGATIVE_INFINITY,
        idle: false,
        channels: [
          channel('source-collection-0', 0, Number.NEGATIVE_INFINITY, false, true),
          channel('source-collection-0', 1, Number.NEGATIVE_INFINITY, false, true),
          channel('source-collection-1', 0, Number.NEGATIVE_INFINITY, false, true),
        ],
      },
    ],
    splits: null,
  }, 'before any watermark');

  first.inputChannels[0].deliver(events(30));
  first.inputChannels[1].deliver(events(10));
  second.inputChannels[0].deliver(events(20));
  subtask.step(10);
  t.like(subtask.inspectWatermarks(), { inputWatermark: 10, outputWatermark: 10 });

  // The channel holding the minimum goes idle: the minimum rises to the next one.
  first.inputChannels[1].deliver(events('idle'));
  subtask.step(10);
  const { inputWatermark, outputWatermark, inputs } = subtask.inspectWatermarks();
  t.is(inputWatermark, 20);
  t.is(outputWatermark, 20);
  t.deepEqual(inputs[0].channels, [
    channel('source-collection-0', 0, 30, false, true),
    channel('source-collection-0', 1, 10, true, false),
    channel('source-collection-1', 0, 20, false, true),
  ]);
  t.is(inputs[0].watermark, 20);
  await subtask.close();
});

test('a channel that turns active below the input watermark is active but not aligned until it catches up', async (t) => {
  const gate = new LocalInputGate(2);
  const other = new LocalInputGate(1);
  const subtask = await openSubtask(unionThenMap, 'map-3', [gate, other], [new FakeWriter()]);
  gate.inputChannels[0].deliver(events('idle'));
  gate.inputChannels[1].deliver(events(50));
  other.inputChannels[0].deliver(events(100));
  subtask.step(10);
  t.is(subtask.inspectWatermarks().inputWatermark, 50);
  gate.inputChannels[0].deliver(events('active', 40));
  subtask.step(10);
  t.deepEqual(subtask.inspectWatermarks().inputs[0].channels.slice(0, 2), [
    channel('source-collection-0', 0, 40, false, false),
    channel('source-collection-0', 1, 50, false, true),
  ]);
  gate.inputChannels[0].deliver(events(60));
  subtask.step(10);
  t.true(subtask.inspectWatermarks().inputs[0].channels[0].aligned);
  await subtask.close();
});

test('when every channel is idle the input and the output report idle; an ended channel reports the end of event time', async (t) => {
  const first = new LocalInputGate(1);
  const second = new LocalInputGate(1);
  const subtask = await openSubtask(unionThenMap, 'map-3', [first, second], [new FakeWriter()]);
  first.inputChannels[0].deliver(events(5, 'idle'));
  second.inputChannels[0].deliver(events('idle'));
  subtask.step(10);
  const idle = subtask.inspectWatermarks();
  t.true(idle.inputs[0].idle);
  t.true(idle.outputIdle);
  t.is(idle.outputWatermark, 5, 'the valve flushed the highest watermark before it went idle');
  second.inputChannels[0].deliver(events('active'));
  second.inputChannels[0].end();
  subtask.step(10);
  const ended = subtask.inspectWatermarks();
  t.false(ended.outputIdle);
  t.deepEqual(ended.inputs[0].channels[1], channel('source-collection-1', 0, Number.POSITIVE_INFINITY, false, true));
  await subtask.close();
});

const connected: JobModule = (env) =>
  void env
    .fromElements('x')
    .connect(env.fromElements(1))
    .map({ map1: (word: string) => word, map2: (n: number) => String(n) })
    .rebalance()
    .print();

test('a two-input operator reports one valve per input, and its input watermark is the lower of the two', async (t) => {
  const words = new LocalInputGate(1);
  const numbers = new LocalInputGate(2);
  const subtask = await openSubtask(connected, 'co-map-2', [words, numbers], [new FakeWriter()]);
  words.inputChannels[0].deliver(events(70));
  numbers.inputChannels[0].deliver(events(40));
  numbers.inputChannels[1].deliver(events(45));
  subtask.step(10);
  const { inputWatermark, inputs } = subtask.inspectWatermarks();
  t.is(inputWatermark, 40);
  t.deepEqual(
    inputs.map(({ input, watermark, channels }) => ({ input, watermark, upstream: channels.map((c) => `${c.upstreamVertexId}/${c.upstreamSubtask}`) })),
    [
      { input: 0, watermark: 70, upstream: ['source-collection-0/0'] },
      { input: 1, watermark: 40, upstream: ['source-collection-1/0', 'source-collection-1/1'] },
    ],
  );
  await subtask.close();
});

test('a source subtask has no input watermark and reports the last watermark its chain sent downstream', async (t) => {
  const module: JobModule = (env) =>
    void env
      .fromCollection([{ ts: 1_000 }, { ts: 3_000 }])
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<{ ts: number }>().withTimestampAssigner((record) => record.ts))
      .rebalance()
      .print();
  const writer = new FakeWriter();
  const clock = new ManualProcessingTimeService(0);
  const subtask = subtaskOf(await planJob(module, []), { outputs: [writer], processingTimeService: clock });
  await subtask.open();
  for (let steps = 0; writer.all.length < 2; steps++) {
    if (steps > 100) return t.fail('the source did not emit its two records');
    const result = subtask.step(10);
    if (result.kind === 'wait') await within(result.until, 'the source');
  }
  t.deepEqual(subtask.inspectWatermarks(), { inputWatermark: null, outputWatermark: Number.NEGATIVE_INFINITY, outputIdle: false, inputs: [], splits: null });
  clock.advance(200);
  t.is(subtask.inspectWatermarks().outputWatermark, 2_999, 'the periodic watermark: the highest timestamp - 1');
  await subtask.close();
});

test('a subtask without output edges reports no output watermark', async (t) => {
  const sinkOnly: JobModule = (env) => void env.fromElements(1).rebalance().print();
  const gate = new LocalInputGate(1);
  const subtask = await openSubtask(sinkOnly, 'sink-print-2', [gate], []);
  gate.inputChannels[0].deliver(events(9));
  subtask.step(10);
  t.like(subtask.inspectWatermarks(), { inputWatermark: 9, outputWatermark: null, outputIdle: false });
  await subtask.close();
});
