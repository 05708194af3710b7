// assignTimestampsAndWatermarks: each record leaves with the assigner's timestamp, the generator's
// watermarks follow in order (from onEvent at once, from onPeriodicEmit on processing time), upstream
// event time stops here, and BATCH assigns timestamps without generating watermarks.
import test from 'ava';
import { type JobModule, WatermarkStrategy } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import { ManualProcessingTimeService } from '../../../api/runtime/time/manual-processing-time-service.ts';
import type { RunnableSubtask, StreamEvent } from '../../../api/runtime/subtask.ts';
import { WeirError } from '../../../messages/errors.ts';
import { FakeWriter } from '../harness/fakes.ts';
import { stepToEnd, subtaskOf, within } from '../helpers.ts';

interface Reading {
  readonly id: string;
  readonly ts: number;
}

const READINGS: Reading[] = [
  { id: 'a', ts: 1_000 },
  { id: 'b', ts: 3_000 },
  { id: 'c', ts: 2_000 },
];

/** Records `record@timestamp` and `wm:<w>` / `status:<s>` in the order they were written. */
class ElementWriter extends FakeWriter {
  readonly elements: string[] = [];

  override emit(channel: number, record: unknown, timestamp?: number): void {
    super.emit(channel, record, timestamp);
    this.elements.push(`${(record as Reading).id}@${String(timestamp)}`);
  }

  override broadcastEvent(event: StreamEvent): void {
    super.broadcastEvent(event);
    this.elements.push(typeof event === 'number' ? `wm:${event}` : `status:${event}`);
  }
}

async function sourceSubtask(strategy: WatermarkStrategy<Reading>, options: { batch?: boolean; interval?: number } = {}) {
  const module: JobModule = (env) => {
    if (options.batch) env.setRuntimeMode('BATCH');
    if (options.interval !== undefined) env.setAutoWatermarkInterval(options.interval);
    env.fromCollection(READINGS).assignTimestampsAndWatermarks(strategy).rebalance().print();
  };
  const plan = await planJob(module, []);
  const writer = new ElementWriter();
  const clock = new ManualProcessingTimeService(0);
  const subtask = subtaskOf(plan, { outputs: [writer], processingTimeService: clock });
  await subtask.open();
  return { subtask, writer, clock };
}

/** Steps (awaiting waits: the source asks for its split first) until `count` records were written, one record per step. */
async function stepUntil(subtask: RunnableSubtask, writer: FakeWriter, count: number): Promise<void> {
  for (let steps = 0; writer.all.length < count; steps++) {
    if (steps > 100) throw new Error(`${count} records were not written in 100 steps`);
    const result = subtask.step(1);
    if (result.kind === 'wait') await within(result.until, 'the source');
    if (result.kind === 'finished') throw new Error(`finished after ${writer.all.length} records`);
  }
}

const byTimestamp = WatermarkStrategy.forBoundedOutOfOrderness<Reading>(500).withTimestampAssigner((reading) => reading.ts);

test('each record leaves with the assigner\'s timestamp; periodic emission sends max - bound - 1 every interval', async (t) => {
  const { subtask, writer, clock } = await sourceSubtask(byTimestamp, { interval: 200 });
  await stepUntil(subtask, writer, 2);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000']);
  clock.advance(199);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000'], 'nothing before the interval');
  clock.advance(200);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000', 'wm:2499']);
  await stepUntil(subtask, writer, 3);
  clock.advance(400);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000', 'wm:2499', 'c@2000'], 'the late record does not lower the watermark, and nothing new is emitted');
  await subtask.close();
});

test('a punctuated generator\'s watermark follows the record that caused it, before the next record', async (t) => {
  const punctuated = WatermarkStrategy.forGenerator<Reading>(() => ({
    onEvent: (_reading, timestamp, output) => output.emitWatermark(timestamp),
    onPeriodicEmit: () => {},
  })).withTimestampAssigner((reading) => reading.ts);
  const { subtask, writer } = await sourceSubtask(punctuated);
  await stepUntil(subtask, writer, 3);
  t.deepEqual(writer.elements, ['a@1000', 'wm:1000', 'b@3000', 'wm:3000', 'c@2000'], 'a lower watermark (2000) is dropped');
  await subtask.close();
});

test('at the end of input the generator emits once more; the end of event time is implied by the channel end', async (t) => {
  const { subtask, writer } = await sourceSubtask(byTimestamp, { interval: 0 });
  await stepToEnd(subtask);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000', 'c@2000', 'wm:2499']);
  t.is(writer.finishCalls, 1);
  await subtask.close();
});

test('BATCH assigns timestamps and generates no watermark', async (t) => {
  const { subtask, writer, clock } = await sourceSubtask(byTimestamp, { batch: true });
  await stepUntil(subtask, writer, 3);
  clock.advance(1_000);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000', 'c@2000']);
  await subtask.close();
});

test('an assigner that returns no finite number fails the subtask naming the operator', async (t) => {
  const broken = WatermarkStrategy.forMonotonousTimestamps<Reading>().withTimestampAssigner((reading) => Number(reading.id));
  const { subtask } = await sourceSubtask(broken);
  const error = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
  t.is(error?.code, 'USER_FUNCTION_FAILED');
  t.is(error?.message, 'operator "Timestamps/Watermarks" (id "timestamps-1"): the timestamp assigner returned NaN; a timestamp must be a whole number of milliseconds');
  await subtask.close();
});

test('a WatermarkStrategy of another copy of the API (a job bundle carries its own) is accepted by its shape', async (t) => {
  const strategy = WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((n) => n);
  const foreign = {
    createTimestampAssigner: strategy.createTimestampAssigner.bind(strategy),
    createWatermarkGenerator: strategy.createWatermarkGenerator.bind(strategy),
  } as unknown as WatermarkStrategy<number>;
  const module: JobModule = (env) => void env.fromElements(1).assignTimestampsAndWatermarks(foreign).print();
  await t.notThrowsAsync(planJob(module, []));
});

test('assignTimestampsAndWatermarks without a WatermarkStrategy fails at planning', async (t) => {
  const module: JobModule = (env) => void env.fromElements(1).assignTimestampsAndWatermarks({} as WatermarkStrategy<number>).print();
  const error = await t.throwsAsync(planJob(module, []), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  t.regex(error?.message ?? '', /assignTimestampsAndWatermarks\(\) needs a WatermarkStrategy, got an object/);
});

test('the generator sees each record before a chained function downstream changes it; its watermark still follows the record', async (t) => {
  interface Marked {
    id: string;
    ts: number;
    watermarkHint: number;
  }
  const module: JobModule = (env) => {
    env
      .fromCollection<Marked>([{ id: 'a', ts: 1_000, watermarkHint: 900 }])
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.forGenerator<Marked>(() => ({
          onEvent: (event, _timestamp, output) => output.emitWatermark(event.watermarkHint),
          onPeriodicEmit: () => {},
        })).withTimestampAssigner((event) => event.ts),
      )
      .map((event) => {
        event.watermarkHint = -1; // the map owns its input
        return event as unknown as Reading;
      })
      .rebalance()
      .print();
  };
  const plan = await planJob(module, []);
  const writer = new ElementWriter();
  const subtask = subtaskOf(plan, { outputs: [writer] });
  await subtask.open();
  await stepToEnd(subtask);
  t.deepEqual(writer.elements, ['a@1000', 'wm:900']);
  await subtask.close();
});
