// A restore at another parallelism (api/runtime/checkpointing/rescale.ts): each new subtask takes
// whole key groups from the old subtasks whose ranges overlap its own, operator list state is split
// evenly (union: all; broadcast: one copy), source readers take over the positions of the splits
// handed to them, extras move by kind, and watermarks resume at the minimum of the old subtasks'.
import test from 'ava';
import { TumblingEventTimeWindows } from '../../../../index.ts';
import { type OneInputOperatorTestHarness, ProcessFunctionTestHarnesses } from '../../../../api/testing/index.ts';
import { type RescaleTarget, mergeRescaledSnapshots, overlappingSubtasks, readRescaledState } from '../../../../api/runtime/checkpointing/rescale.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../../api/runtime/checkpointing/snapshot-codec.ts';
import type { OperatorSnapshot, SubtaskSnapshot } from '../../../../api/runtime/checkpointing/snapshot.ts';
import { keyGroupOf, keyGroupRangeFor, operatorIndexForKeyGroup } from '../../../../api/runtime/key-groups.ts';
import { WeirError } from '../../../../messages/errors.ts';

const MAX_PARALLELISM = 8;

function target(subtaskIndex: number, parallelism: number, extra: Partial<RescaleTarget> = {}): RescaleTarget {
  return { subtaskIndex, parallelism, maxParallelism: MAX_PARALLELISM, keyGroups: keyGroupRangeFor(subtaskIndex, MAX_PARALLELISM, parallelism), operatorKinds: {}, ...extra };
}

/** A subtask snapshot of one operator `op`, through the codec as the Task writes and reads it. */
function subtask(op: OperatorSnapshot, source?: SubtaskSnapshot['source']): SubtaskSnapshot {
  return decodeSnapshot(encodeSnapshot({ checkpointId: 7, operators: { op }, ...(source ? { source } : {}) }), 'spec');
}

interface Reading {
  readonly key: string;
  readonly value: number;
}

const KEYS = Array.from({ length: 24 }, (_, index) => `k${index}`);

/** A keyed tumbling-window sum, as subtask `index` of `parallelism`. */
function windowSum(index: number, parallelism: number): OneInputOperatorTestHarness<Reading, Reading> {
  return ProcessFunctionTestHarnesses.forWindow((reading: Reading) => reading.key, TumblingEventTimeWindows.of(10), (windowed) => windowed.sum('value'), {
    parallelism,
    maxParallelism: MAX_PARALLELISM,
    subtaskIndex: index,
  });
}

/** Feeds each record to the harness that owns its key, as the hash partitioner routes it. */
function route(harnesses: readonly OneInputOperatorTestHarness<Reading, Reading>[], readings: readonly [Reading, number][]): void {
  for (const [reading, timestamp] of readings) harnesses[operatorIndexForKeyGroup(keyGroupOf(reading.key, MAX_PARALLELISM), MAX_PARALLELISM, harnesses.length)].processElement(reading, timestamp);
}

const sorted = (readings: Reading[]): string[] => readings.map(({ key, value }) => `${key}=${value}`).sort();

test('each new subtask takes from the old subtasks whose key-group ranges overlap its own', (t) => {
  // 8 key groups: at 2, 0..3 and 4..7; at 3, 0..2, 3..5 and 6..7.
  t.deepEqual(overlappingSubtasks(2, target(0, 3)), [0]);
  t.deepEqual(overlappingSubtasks(2, target(1, 3)), [0, 1]);
  t.deepEqual(overlappingSubtasks(2, target(2, 3)), [1]);
  t.deepEqual(overlappingSubtasks(3, target(0, 1)), [0, 1, 2]);
});

test('window contents and timers move by key group: a job rescaled from 2 to 3 subtasks fires the same windows as one that never was', async (t) => {
  const before: [Reading, number][] = KEYS.flatMap((key, index) => [[{ key, value: index }, 3], [{ key, value: 100 }, 12], [{ key, value: 1000 + index }, 15]]);
  const after: [Reading, number][] = KEYS.flatMap((key) => [[{ key, value: 10_000 }, 18], [{ key, value: 5 }, 25]]);

  const reference = windowSum(0, 1);
  await reference.open();
  route([reference], [...before]);
  reference.processWatermark(9);
  route([reference], after);
  reference.processWatermark(40);
  const expected = sorted(reference.extractOutputValues());
  await reference.close();

  const old = [windowSum(0, 2), windowSum(1, 2)];
  for (const harness of old) await harness.open();
  route(old, before);
  for (const harness of old) harness.processWatermark(9);
  const firedBefore = old.flatMap((harness) => harness.extractOutputValues());
  const snapshots = old.map((harness) => subtask(harness.snapshot(7)));
  for (const harness of old) await harness.close();

  const rescaled = [0, 1, 2].map((index) => windowSum(index, 3));
  rescaled.forEach((harness, index) => harness.initializeState(mergeRescaledSnapshots(snapshots, target(index, 3)).operators.op));
  for (const harness of rescaled) await harness.open();
  route(rescaled, after);
  for (const harness of rescaled) harness.processWatermark(40);
  const firedAfter = rescaled.flatMap((harness) => harness.extractOutputValues());
  for (const harness of rescaled) await harness.close();

  t.deepEqual(sorted([...firedBefore, ...firedAfter]), expected);
  t.true(firedAfter.length >= KEYS.length, 'the [10,20) windows were in the savepoint and fired after the rescale');
});

test('a new subtask keeps exactly the key groups of its range and resumes at the minimum watermark of the old subtasks it takes them from', (t) => {
  const groups = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, offset) => ({ keyGroup: from + offset, state: null, timers: { keyGroup: from + offset, eventTimeTimers: [['k', 'w', from + offset] as const], processingTimeTimers: [] } }));
  const old = [subtask({ keyGroups: groups(0, 3), watermark: 40 }), subtask({ keyGroups: groups(4, 7), watermark: 30 })];
  const merged = [0, 1, 2].map((index) => mergeRescaledSnapshots(old, target(index, 3)).operators.op);
  t.deepEqual(
    merged.map((op) => op.keyGroups?.map(({ keyGroup }) => keyGroup)),
    [[0, 1, 2], [3, 4, 5], [6, 7]],
  );
  t.deepEqual(
    merged.map((op) => op.watermark),
    [40, 30, 30],
  );
  const down = mergeRescaledSnapshots(old, target(0, 1)).operators.op;
  t.deepEqual(down.keyGroups?.map(({ keyGroup }) => keyGroup), [0, 1, 2, 3, 4, 5, 6, 7]);
  t.is(down.watermark, 30);
});

test('operator list state is split evenly over the new subtasks, union list state goes to each, broadcast state one copy each', (t) => {
  const operatorState = (items: number[], index: number) => ({
    lists: { buffer: { mode: 'split' as const, items }, offsets: { mode: 'union' as const, items: [`offset-${index}`] } },
    broadcast: { rules: [['rule', `copy-${index}`] as const] },
  });
  const old = [subtask({ operatorState: operatorState([1, 2, 3, 4], 0) }), subtask({ operatorState: operatorState([5, 6, 7], 1) })];
  const merged = [0, 1, 2].map((index) => mergeRescaledSnapshots(old, target(index, 3)).operators.op.operatorState);
  t.deepEqual(
    merged.map((state) => state?.lists.buffer.items),
    [[1, 2, 3], [4, 5], [6, 7]],
  );
  for (const state of merged) t.deepEqual(state?.lists.offsets, { mode: 'union', items: ['offset-0', 'offset-1'] });
  t.deepEqual(
    merged.map((state) => state?.broadcast.rules),
    [[['rule', 'copy-0']], [['rule', 'copy-1']], [['rule', 'copy-0']]],
  );
  t.deepEqual(mergeRescaledSnapshots(old, target(0, 1)).operators.op.operatorState?.lists.buffer.items, [1, 2, 3, 4, 5, 6, 7]);
});

test('a source reader takes over the positions of the splits handed to it, counts every one as received, and resumes at the minimum watermark', (t) => {
  const old = [
    subtask({ watermark: 50 }, { splitsReceived: 3, splits: [{ split: 2, payload: 'c', offset: 7 }], watermark: 50 }),
    subtask({ watermark: 20 }, { splitsReceived: 2, splits: [{ split: 3, payload: 'd', offset: 1 }, { split: 4, payload: 'e', offset: 0 }], watermark: 20 }),
  ];
  // The JobManager handed out the old readers' received splits 0, 1, 2 and 3, 4 over three subtasks.
  const handed = [[0, 3], [1, 4], [2]];
  const merged = [0, 1, 2].map((index) => mergeRescaledSnapshots(old, target(index, 3, { splits: handed[index] })));
  t.deepEqual(
    merged.map(({ source }) => source),
    [
      { splitsReceived: 2, splits: [{ split: 3, payload: 'd', offset: 1 }], watermark: 20 },
      { splitsReceived: 2, splits: [{ split: 4, payload: 'e', offset: 0 }], watermark: 20 },
      // Its key groups come from old subtask 1 only, but it reads a split old subtask 0 left: the minimum of both.
      { splitsReceived: 1, splits: [{ split: 2, payload: 'c', offset: 7 }], watermark: 20 },
    ],
  );
  t.is(merged[0].operators.op.watermark, 20, 'its chained operators resume at the same minimum');
  const error = t.throws(() => mergeRescaledSnapshots(old, target(0, 3)), { instanceOf: WeirError });
  t.is(error?.code, 'STATE_RESTORE_FAILED');
  t.is(error?.message, "subtask 0 of 3: the old subtasks' snapshots hold source positions, but its restore names no splits to take over");
});

test('only the files of overlapping old subtasks are read for keyed state; every file once operator state needs redistributing', async (t) => {
  const keyedOnly = (index: number) => subtask({ keyGroups: [{ keyGroup: index * 2, state: null, timers: null }] });
  const files = ['old-0', 'old-1', 'old-2', 'old-3'];
  const reads: string[] = [];
  const read = async (path: string) => {
    reads.push(path);
    return keyedOnly(files.indexOf(path));
  };
  const merged = await readRescaledState(files, target(0, 3), read);
  t.deepEqual(reads, ['old-0', 'old-1'], 'key groups 0..2 were held by old subtasks 0 (0..1) and 1 (2..3)');
  t.deepEqual(merged?.operators.op.keyGroups, [{ keyGroup: 0, state: null, timers: null }, { keyGroup: 2, state: null, timers: null }]);

  reads.length = 0;
  const withList = async (path: string) => {
    reads.push(path);
    return subtask({ keyGroups: [], operatorState: { lists: { seen: { mode: 'split', items: [path] } }, broadcast: {} } });
  };
  const all = await readRescaledState(['old-0', null, 'old-2', 'old-3'], target(0, 2), withList);
  t.deepEqual(reads, ['old-0', 'old-2', 'old-3'], 'overlapping first, then the others with state');
  t.deepEqual(all?.operators.op.operatorState?.lists.seen.items, ['old-0', 'old-2']);
  t.is(await readRescaledState([null, null], target(0, 3), withList), undefined, 'no old subtask had state');
});

test('handed-over work goes whole to one new subtask: two-phase-commit transactions and held async records are merged, once each', (t) => {
  const sink = (index: number) => subtask({ extra: { pending: [{ checkpointId: 7 - index, transaction: `pending-${index}` }], current: `open-${index}` } });
  const old = [sink(0), sink(1), sink(2)];
  const kinds = { operatorKinds: { op: 'sink-file' } };
  const merged = [0, 1].map((index) => mergeRescaledSnapshots(old, target(index, 2, kinds)).operators.op.extra);
  t.deepEqual(merged, [
    { pending: [{ checkpointId: 6, transaction: 'pending-1' }, { checkpointId: 7, transaction: 'pending-0' }], current: 'open-0', otherCurrents: ['open-1'] },
    { pending: [{ checkpointId: 5, transaction: 'pending-2' }], current: 'open-2' },
  ]);
  const up = [0, 1, 2, 3].map((index) => mergeRescaledSnapshots(old.slice(0, 2), target(index, 4, kinds)).operators.op.extra);
  t.deepEqual(up.map((extra) => (extra as { current?: string } | undefined)?.current), ['open-0', undefined, 'open-1', undefined]);

  const held = [subtask({ extra: { elements: [['record', 1, null]] } }), subtask({ extra: { elements: [['record', 2, 5]] } })];
  t.deepEqual(mergeRescaledSnapshots(held, target(0, 1, { operatorKinds: { op: 'async-map' } })).operators.op.extra, { elements: [['record', 1, null], ['record', 2, 5]] });

  const error = t.throws(() => mergeRescaledSnapshots(held, target(0, 1, { operatorKinds: { op: 'mystery' } })), { instanceOf: WeirError });
  t.is(error?.code, 'STATE_RESTORE_FAILED');
  t.is(error?.message, 'operator "op": its state of 2 old subtasks would go to one subtask, and its kind cannot merge them: restore it at a parallelism no lower than before');
});

test("an interval join's right-side cleanup timers move by key group like its state", (t) => {
  const timers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, offset) => ({ keyGroup: from + offset, eventTimeTimers: [], processingTimeTimers: [] }));
  const old = [subtask({ extra: { rightCleanupTimers: timers(0, 3) } }), subtask({ extra: { rightCleanupTimers: timers(4, 7) } })];
  const merged = mergeRescaledSnapshots(old, target(1, 3, { operatorKinds: { op: 'interval-join' } })).operators.op.extra as { rightCleanupTimers: { keyGroup: number }[] };
  t.deepEqual(merged.rightCleanupTimers.map(({ keyGroup }) => keyGroup), [3, 4, 5]);
});

test('a restore that names key groups the subtask does not own is refused', (t) => {
  const error = t.throws(() => mergeRescaledSnapshots([subtask({})], { ...target(0, 3), keyGroups: { start: 0, end: 3 } }), { instanceOf: WeirError });
  t.is(error?.code, 'STATE_RESTORE_FAILED');
  t.is(error?.message, 'subtask 0 of 3 owns key groups 0..2 of 8, but its restore names 0..3');
});

test('a snapshot holding an unaligned checkpoint`s in-flight data is refused at another parallelism: the data would be lost', (t) => {
  const unaligned: SubtaskSnapshot = { ...subtask({}), inFlight: { input: [{ channel: 0, batches: [new Uint8Array([1])] }], output: [] } };
  const error = t.throws(() => mergeRescaledSnapshots([subtask({}), unaligned], target(0, 3)), { instanceOf: WeirError });
  t.is(error?.code, 'STATE_RESTORE_FAILED');
  t.is(error?.message, 'subtask 0 of 3: old subtask 1 was checkpointed unaligned, with data in flight, which cannot move to another parallelism; restore from a savepoint (always aligned) or at parallelism 2');
});
