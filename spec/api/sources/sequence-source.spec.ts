import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import { type SequenceRange, sequenceSplits } from '../../../api/sources/sequence-source.ts';
import { WeirError } from '../../../messages/errors.ts';
import { SplitQueue, fakeContext, stepInRounds, subtaskOf, within } from '../helpers.ts';

const ranges = (from: number, to: number, parallelism: number): SequenceRange[] => sequenceSplits(from, to, parallelism).map((split) => split.payload as SequenceRange);

test('sequence splits cover the range exactly once, as contiguous ascending ranges whose sizes differ by at most one', (t) => {
  const cases: [number, number, number][] = [
    [1, 1000, 1],
    [1, 1000, 3],
    [-7, 7, 2],
    [0, 0, 4],
    [1, 5, 8],
    [10, 10_000_019, 7],
    [Number.MAX_SAFE_INTEGER - 100, Number.MAX_SAFE_INTEGER, 2],
  ];
  for (const [from, to, parallelism] of cases) {
    const cut = ranges(from, to, parallelism);
    const sizes = cut.map((range) => range.to - range.from + 1);
    t.is(cut[0].from, from, `${from}..${to} / ${parallelism}`);
    t.is(cut.at(-1)?.to, to);
    for (let index = 1; index < cut.length; index++) t.is(cut[index].from, cut[index - 1].to + 1);
    t.true(Math.max(...sizes) - Math.min(...sizes) <= 1);
    t.is(cut.length, Math.min(to - from + 1, 4 * parallelism));
  }
  t.deepEqual(
    sequenceSplits(1, 10, 1).map((split) => split.index),
    [0, 1, 2, 3],
  );
});

test('one subtask reads its splits in order, asks for the next split when one is exhausted, and finishes after a null', async (t) => {
  const seen: number[] = [];
  const plan = await planJob((env) => void env.fromSequence(1, 10).sinkTo((n: number) => void seen.push(n)), []);
  const vertex = plan.graph.vertices[0];
  const queue = new SplitQueue(vertex.splits);
  const subtask = plan.createSubtask(vertex, fakeContext({ requestSplit: () => queue.request(0) }));
  await subtask.open();
  const results: string[] = [];
  for (let step = 0; step < 20; step++) {
    const result = subtask.step(2);
    results.push(result.kind);
    if (result.kind === 'finished') break;
    if (result.kind === 'wait') await within(result.until);
  }
  await subtask.close();
  t.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  t.deepEqual(vertex.splits?.map((split) => split.payload), [{ from: 1, to: 3 }, { from: 4, to: 6 }, { from: 7, to: 8 }, { from: 9, to: 10 }]);
  // 2 records a step: [1 2] [3, then ask] [4 5] [6, then ask] [7 8] [ask] [9 10] [ask: null]
  t.deepEqual(results, ['wait', 'more', 'wait', 'more', 'wait', 'more', 'wait', 'more', 'wait', 'finished']);
  t.is(queue.handedOut.length, 4);
});

test('subtasks sharing the split queue read every number exactly once, and a faster subtask takes more splits', async (t) => {
  const plan = await planJob((env) => {
    env.setParallelism(2).fromSequence(1, 1000).sinkTo({ invoke: (n: number) => void seen.push(n) });
  }, []);
  const seen: number[] = [];
  const vertex = plan.graph.vertices[0];
  t.is(vertex.splits?.length, 8);
  const queue = new SplitQueue(vertex.splits);
  const fast = plan.createSubtask(vertex, fakeContext({ subtaskIndex: 0, parallelism: 2, requestSplit: () => queue.request(0) }));
  const slow = plan.createSubtask(vertex, fakeContext({ subtaskIndex: 1, parallelism: 2, requestSplit: () => queue.request(1) }));
  await Promise.all([fast.open(), slow.open()]);
  await stepInRounds([
    { subtask: fast, maxRecords: 1000 },
    { subtask: slow, maxRecords: 10 },
  ]);
  await Promise.all([fast.close(), slow.close()]);
  t.deepEqual(
    [...seen].sort((a, b) => a - b),
    Array.from({ length: 1000 }, (_, index) => index + 1),
  );
  const taken = (subtaskIndex: number): number => queue.handedOut.filter((entry) => entry.subtaskIndex === subtaskIndex).length;
  t.is(taken(0) + taken(1), 8);
  t.true(taken(0) > taken(1), `the fast subtask took ${taken(0)} splits, the slow one ${taken(1)}`);
});

test('a split the source cannot read fails the step with INVALID_SPLIT naming the source', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 10).uid('numbers').print(), []);
  const subtask = subtaskOf(plan, { requestSplit: () => Promise.resolve({ index: 3, payload: { from: 'one' } }) });
  await subtask.open();
  const waiting = subtask.step(10);
  if (waiting.kind === 'wait') await within(waiting.until);
  const error = t.throws(() => subtask.step(10), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_SPLIT');
  t.is(error.message, 'operator "Source: Sequence" (id "numbers") cannot read split 3: expected { from, to } with integers from <= to, got {"from":"one"}');
  t.is(t.throws(() => subtask.step(10)), error, 'a failed subtask keeps failing with the same error');
  await subtask.close();
});

test('a split request that fails fails the next step with SPLIT_REQUEST_FAILED', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 10).print(), []);
  const subtask = subtaskOf(plan, { requestSplit: () => Promise.reject(new Error('ask timed out')) });
  await subtask.open();
  const waiting = subtask.step(10);
  t.is(waiting.kind, 'wait');
  if (waiting.kind === 'wait') await t.notThrowsAsync(within(waiting.until), 'the wait itself never rejects');
  const error = t.throws(() => subtask.step(10), { instanceOf: WeirError });
  t.is(error.code, 'SPLIT_REQUEST_FAILED');
  t.is(error.message, 'operator "Source: Sequence" (id "source-sequence-0"): requesting the next input split failed: ask timed out');
  await subtask.close();
});
