// fromSource(source, strategy): records leave with the strategy's timestamps; each split has a
// generator of its own and the reader emits the minimum over its splits, periodically on the task's
// processing-time service (a manual clock here); idleness per split and for a reader without a
// split; BATCH assigns timestamps only. One source subtask, driven step by step; its only output is
// an ElementWriter that records `record@timestamp`, `wm:<w>` and `status:<s>` in order.
import test, { type ExecutionContext } from 'ava';
import { type JobModule, type Source, WatermarkStrategy } from '../../../api/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { stepToEnd } from '../helpers.ts';
import { Feed, SplitDesk, connectorSubtask, runUntilQuiet } from './source-fixtures.ts';

interface Reading {
  readonly id: string;
  readonly ts: number;
}

const at = (id: string, ts: number): Reading => ({ id, ts });

/** Split i is `splits[i]`: an array (read at once) or a Feed. */
function readingSource(desk: SplitDesk<number>, splits: readonly (readonly Reading[] | Feed<Reading>)[], options: { concurrentSplits?: number; bounded?: boolean } = {}): Source<Reading, number> {
  return {
    boundedness: options.bounded ? 'bounded' : 'unbounded',
    ...(options.concurrentSplits !== undefined ? { concurrentSplits: options.concurrentSplits } : {}),
    createEnumerator: () => ({ nextSplit: () => desk.next() }),
    createReader: () => ({ read: (index) => splits[index] }),
  };
}

/** A bounded source of array splits, handed out in order. */
function arraySource(...splits: Reading[][]): Source<Reading, number> {
  const desk = new SplitDesk<number>();
  desk.offer(...splits.map((_, index) => index), null);
  return readingSource(desk, splits, { bounded: true });
}

async function sourceSubtask(t: ExecutionContext, source: Source<Reading, number>, strategy: WatermarkStrategy<Reading>, options: { batch?: boolean; interval?: number } = {}) {
  const module: JobModule = (env) => {
    if (options.batch) env.setRuntimeMode('BATCH');
    env.setAutoWatermarkInterval(options.interval ?? 200);
    env.fromSource(source, strategy).rebalance().print();
  };
  return connectorSubtask(t, module, (record) => (record as Reading).id);
}

const byTimestamp = WatermarkStrategy.forBoundedOutOfOrderness<Reading>(500).withTimestampAssigner((reading) => reading.ts);

test('each record leaves with the assigner\'s timestamp; the end of a bounded input ends the channel, which is the end of event time', async (t) => {
  const { subtask, writer } = await sourceSubtask(t, arraySource([at('a', 1_000), at('b', 3_000)], [at('c', 2_000)]), byTimestamp, { interval: 0 });
  await stepToEnd(subtask);
  // Each split's generator emits once more as it ends: 2499 after split 0; split 1's 1499 is lower.
  t.deepEqual(writer.elements, ['a@1000', 'b@3000', 'wm:2499', 'c@2000']);
  t.is(writer.finishCalls, 1);
});

test('without a timestamp assigner a record carries no timestamp', async (t) => {
  const { subtask, writer } = await sourceSubtask(t, arraySource([at('a', 1_000)]), WatermarkStrategy.forMonotonousTimestamps<Reading>(), { interval: 0 });
  await stepToEnd(subtask);
  t.deepEqual(writer.elements, ['a@undefined']);
});

test('periodic emission sends the split\'s watermark every auto-watermark interval of processing time, and stops at the end of input', async (t) => {
  const desk = new SplitDesk<number>();
  const feed = new Feed<Reading>();
  const { subtask, writer, clock } = await sourceSubtask(t, readingSource(desk, [feed]), byTimestamp, { interval: 200 });
  desk.offer(0);
  feed.push(at('a', 1_000), at('b', 3_000));
  t.is(await runUntilQuiet(subtask), 'waiting');
  clock.advance(199);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000'], 'nothing before the interval');
  clock.advance(200);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000', 'wm:2499']);
  feed.push(at('c', 2_000), at('d', 4_000));
  await runUntilQuiet(subtask);
  clock.advance(400);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000', 'wm:2499', 'c@2000', 'd@4000', 'wm:3499'], 'the late record lowers nothing');
  feed.end();
  desk.offer(null);
  t.is(await runUntilQuiet(subtask), 'finished');
  t.is(clock.pendingCount, 0, 'the periodic timer is cancelled at the end of input');
});

test('the reader\'s watermark is the minimum over its splits; a split that ends no longer holds it back', async (t) => {
  const desk = new SplitDesk<number>();
  const slow = new Feed<Reading>();
  const fast = new Feed<Reading>();
  const { subtask, writer, clock } = await sourceSubtask(t, readingSource(desk, [slow, fast], { concurrentSplits: 2 }), byTimestamp);
  desk.offer(0, 1, null);
  slow.push(at('a', 1_000));
  fast.push(at('x', 5_000));
  await runUntilQuiet(subtask);
  clock.advance(200);
  t.deepEqual(writer.elements, ['a@1000', 'x@5000', 'wm:499'], 'min(1000, 5000) - 500 - 1');
  slow.push(at('b', 3_000));
  await runUntilQuiet(subtask);
  clock.advance(400);
  t.deepEqual(writer.elements.slice(3), ['b@3000', 'wm:2499']);
  slow.end();
  await runUntilQuiet(subtask);
  t.deepEqual(writer.elements.slice(5), ['wm:4499'], 'the slow split ended: the fast one\'s watermark (5000 - 501) is the reader\'s at once');
  fast.end();
  t.is(await runUntilQuiet(subtask), 'finished');
});

test('a punctuated generator\'s watermark follows the record that caused it', async (t) => {
  const punctuated = WatermarkStrategy.forGenerator<Reading>(() => ({
    onEvent: (_reading, timestamp, output) => output.emitWatermark(timestamp),
    onPeriodicEmit: () => {},
  })).withTimestampAssigner((reading) => reading.ts);
  const { subtask, writer } = await sourceSubtask(t, arraySource([at('a', 1_000), at('b', 3_000), at('c', 2_000)]), punctuated);
  await stepToEnd(subtask);
  t.deepEqual(writer.elements, ['a@1000', 'wm:1000', 'b@3000', 'wm:3000', 'c@2000']);
});

const idleAfter500 = byTimestamp.withIdleness(500);

/** A reader with idleness 500 ms, interval 200 ms, reading one fed split; `a@1000` was read at time 0. */
async function oneFedSplit(t: ExecutionContext) {
  const desk = new SplitDesk<number>();
  const feed = new Feed<Reading>();
  const run = await sourceSubtask(t, readingSource(desk, [feed]), idleAfter500, { interval: 200 });
  desk.offer(0);
  feed.push(at('a', 1_000));
  await runUntilQuiet(run.subtask);
  return { ...run, feed };
}

test('withIdleness: a split without records is idle ceil(T/I)·I after the first emission that followed its last record, and active again with its next record', async (t) => {
  const { subtask, writer, clock, feed } = await oneFedSplit(t);
  clock.advance(200);
  clock.advance(799);
  t.deepEqual(writer.elements, ['a@1000', 'wm:499'], 'the emissions at 400 and 600 are less than 500 ms after the one at 200');
  clock.advance(800);
  t.deepEqual(writer.elements, ['a@1000', 'wm:499', 'status:idle']);
  feed.push(at('b', 3_000));
  await runUntilQuiet(subtask);
  clock.advance(1_000);
  t.deepEqual(writer.elements, ['a@1000', 'wm:499', 'status:idle', 'status:active', 'b@3000', 'wm:2499']);
});

test('withIdleness: a reader still waiting for its first split is idle after the timeout, and active again when the split comes', async (t) => {
  const desk = new SplitDesk<number>();
  const feed = new Feed<Reading>();
  const { subtask, writer, clock } = await sourceSubtask(t, readingSource(desk, [feed]), idleAfter500, { interval: 200 });
  t.is(await runUntilQuiet(subtask), 'waiting');
  clock.advance(799);
  t.deepEqual(writer.elements, []);
  clock.advance(800);
  t.deepEqual(writer.elements, ['status:idle'], 'a reader without a split holds no watermark back');
  feed.push(at('a', 1_000));
  desk.offer(0);
  await runUntilQuiet(subtask);
  clock.advance(1_000);
  t.deepEqual(writer.elements, ['status:idle', 'status:active', 'a@1000', 'wm:499']);
});

test('withIdleness: a reader whose split ended is idle while the enumerator has no next one', async (t) => {
  const desk = new SplitDesk<number>();
  const { subtask, writer, clock } = await sourceSubtask(t, readingSource(desk, [[at('a', 1_000)]]), idleAfter500, { interval: 200 });
  desk.offer(0);
  await runUntilQuiet(subtask);
  clock.advance(799);
  t.deepEqual(writer.elements, ['a@1000', 'wm:499'], 'the ended split emitted once more');
  clock.advance(800);
  t.deepEqual(writer.elements, ['a@1000', 'wm:499', 'status:idle']);
});

test('withIdleness: a reader whose idle split ends stays idle while it waits for the next one', async (t) => {
  const { subtask, writer, clock, feed } = await oneFedSplit(t);
  clock.advance(800);
  feed.end();
  t.is(await runUntilQuiet(subtask), 'waiting');
  clock.advance(2_000);
  t.deepEqual(writer.elements, ['a@1000', 'wm:499', 'status:idle'], 'no active/idle flap between the split and the wait');
});

test('BATCH assigns timestamps and generates no watermark, with no timer', async (t) => {
  const { subtask, writer, clock } = await sourceSubtask(t, arraySource([at('a', 1_000), at('b', 3_000)], [at('c', 2_000)]), idleAfter500, { batch: true, interval: 200 });
  t.is(clock.pendingCount, 0);
  await stepToEnd(subtask);
  clock.advance(1_000);
  t.deepEqual(writer.elements, ['a@1000', 'b@3000', 'c@2000']);
});

test('closing the subtask cancels the periodic timer', async (t) => {
  const desk = new SplitDesk<number>();
  const { subtask, clock } = await sourceSubtask(t, readingSource(desk, [new Feed<Reading>()]), byTimestamp, { interval: 200 });
  desk.offer(0);
  await runUntilQuiet(subtask);
  t.is(clock.pendingCount, 1);
  subtask.cancel();
  await subtask.close();
  t.is(clock.pendingCount, 0);
});

test('an assigner that returns no finite number fails the subtask naming the source', async (t) => {
  const broken = WatermarkStrategy.forMonotonousTimestamps<Reading>().withTimestampAssigner((reading) => Number(reading.id));
  const { subtask } = await sourceSubtask(t, arraySource([at('a', 1_000)]), broken);
  const error = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
  t.is(error?.code, 'USER_FUNCTION_FAILED');
  t.is(error?.message, 'operator "Source: Custom Source" (id "source-0"): the timestamp assigner returned NaN; a timestamp must be a whole number of milliseconds');
});

test('an assigner that throws fails the subtask naming the source', async (t) => {
  const throwing = WatermarkStrategy.forMonotonousTimestamps<Reading>().withTimestampAssigner(() => {
    throw new Error('no clock on this reading');
  });
  const { subtask } = await sourceSubtask(t, arraySource([at('a', 1_000)]), throwing);
  const error = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
  t.is(error?.code, 'USER_FUNCTION_FAILED');
  t.is(error?.message, 'operator "Source: Custom Source" (id "source-0") failed on a record: no clock on this reading');
});

test('weir info reads each split\'s watermark from the reader: the split holding the minimum back is named', async (t) => {
  const desk = new SplitDesk<number>();
  const fast = new Feed<Reading>();
  const slow = new Feed<Reading>();
  const { subtask, clock } = await sourceSubtask(t, readingSource(desk, [fast, slow], { concurrentSplits: 2 }), byTimestamp, { interval: 200 });
  t.deepEqual(subtask.inspectWatermarks().splits, [{ split: 'waiting for a split', watermark: Number.NEGATIVE_INFINITY, idle: false }]);
  desk.offer(0, 1);
  fast.push(at('a', 5_000));
  slow.push(at('b', 1_000));
  await runUntilQuiet(subtask);
  clock.advance(200);
  t.deepEqual(subtask.inspectWatermarks().splits, [
    { split: 'split 0', watermark: 4_499, idle: false },
    { split: 'split 1', watermark: 499, idle: false },
  ]);
});
