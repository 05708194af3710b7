// The IntervalJoinOperator built by hand and driven record by record: which pairs join (bounds,
// exclusivity, keys, arrival order), the timestamps of what it emits, late records, and the cleanup
// of its buffers as the watermark passes (observed through bufferedRecords()).
import test from 'ava';
import { MAX_WATERMARK } from '../../../api/eventtime/watermark.ts';
import type { Collector, ProcessJoinContext, ProcessJoinFunction } from '../../../api/functions.ts';
import { type IntervalJoinSettings, IntervalJoinOperator } from '../../../api/operators/interval-join.ts';
import type { RuntimeMode } from '../../../messages/job-graph.ts';
import { WeirError } from '../../../messages/errors.ts';
import { OperatorHarness } from '../harness/operator-harness.ts';

interface Rec {
  readonly key: string;
  readonly id: string;
}

const rec = (id: string, key = 'a'): Rec => ({ key, id });

/** Emits `left+right` for every pair. */
const pairs: ProcessJoinFunction<Rec, Rec, string> = {
  processElement: (left, right, _ctx, out) => out.collect(`${left.id}+${right.id}`),
};

interface Bounds extends Partial<IntervalJoinSettings> {
  readonly runtimeMode?: RuntimeMode;
  readonly fn?: ProcessJoinFunction<Rec, Rec, string>;
  /** The right input's key selector; the left's is `record.key`. */
  readonly rightKey?: (record: Rec) => string;
}

function joinOperator(lowerBound: number, upperBound: number, options: Bounds = {}): { harness: OperatorHarness; join: IntervalJoinOperator<string, Rec, Rec, string> } {
  const harness = new OperatorHarness({ id: 'interval-join-3', name: 'Interval Join', runtimeMode: options.runtimeMode ?? 'STREAMING' }, (record) =>
    typeof record === 'string' ? record : (record as Rec).id,
  );
  const settings: IntervalJoinSettings = {
    lowerBound,
    upperBound,
    lowerBoundInclusive: options.lowerBoundInclusive ?? true,
    upperBoundInclusive: options.upperBoundInclusive ?? true,
    leftLateDataTag: options.leftLateDataTag,
    rightLateDataTag: options.rightLateDataTag,
  };
  const fn = options.fn ?? pairs;
  const join = new IntervalJoinOperator<string, Rec, Rec, string>(harness.runtime, () => Object.create(fn) as ProcessJoinFunction<Rec, Rec, string>, [(r) => (r as Rec).key, (r) => (options.rightKey ?? ((record: Rec) => record.key))(r as Rec)], settings, harness.output as never);
  return { harness, join };
}

test('a left record joins the right records of its key within [t + lower, t + upper], whichever arrives first', (t) => {
  const { harness, join } = joinOperator(-2, 3);
  join.collect2(rec('R7'), 7);
  join.collect2(rec('R8'), 8);
  join.collect(rec('L10'), 10);
  join.collect2(rec('R13'), 13);
  join.collect2(rec('R14'), 14);
  join.collect2(rec('R10b', 'b'), 10);
  join.collect(rec('L12b', 'b'), 12);
  t.deepEqual(harness.takeRecords(), ['L10+R8@10', 'L10+R13@13', 'L12b+R10b@12']);
});

test('each input is keyed by its own key selector', (t) => {
  const { harness, join } = joinOperator(0, 0, { rightKey: (record) => record.id.slice(0, 1) });
  join.collect(rec('L', 'b'), 1);
  join.collect2(rec('bR', 'ignored'), 1);
  join.collect2(rec('aR', 'b'), 1);
  t.deepEqual(harness.takeRecords(), ['L+bR@1']);
});

test('every pair joins once, with each record of a timestamp, from either side', (t) => {
  const { harness, join } = joinOperator(0, 0);
  join.collect(rec('L1'), 5);
  join.collect(rec('L2'), 5);
  join.collect2(rec('R1'), 5);
  join.collect2(rec('R2'), 5);
  join.collect(rec('L3'), 5);
  t.deepEqual(harness.takeRecords(), ['L1+R1@5', 'L2+R1@5', 'L1+R2@5', 'L2+R2@5', 'L3+R1@5', 'L3+R2@5']);
});

test('an exclusive bound leaves out the right records exactly at that bound', (t) => {
  const joined = (options: Bounds): string[] => {
    const { harness, join } = joinOperator(-2, 2, options);
    for (const ts of [7, 8, 9, 10, 11, 12, 13]) join.collect2(rec(`R${ts}`), ts);
    join.collect(rec('L'), 10);
    return harness.takeRecords().map((element) => element.split('@')[0]);
  };
  t.deepEqual(joined({}), ['L+R8', 'L+R9', 'L+R10', 'L+R11', 'L+R12']);
  t.deepEqual(joined({ lowerBoundInclusive: false }), ['L+R9', 'L+R10', 'L+R11', 'L+R12']);
  t.deepEqual(joined({ upperBoundInclusive: false }), ['L+R8', 'L+R9', 'L+R10', 'L+R11']);
  t.deepEqual(joined({ lowerBoundInclusive: false, upperBoundInclusive: false }), ['L+R9', 'L+R10', 'L+R11']);
});

test('the function sees both timestamps; what it emits, main or side output, carries the larger', (t) => {
  const fn: ProcessJoinFunction<Rec, Rec, string> = {
    processElement(left: Rec, right: Rec, ctx: ProcessJoinContext, out: Collector<string>): void {
      out.collect(`${left.id}+${right.id} l=${ctx.getLeftTimestamp()} r=${ctx.getRightTimestamp()} t=${ctx.getTimestamp()}`);
      ctx.output({ id: 'audit' }, `${left.id}/${right.id}`);
    },
  };
  const { harness, join } = joinOperator(-5, 5, { fn });
  join.collect(rec('L'), 10);
  join.collect2(rec('R'), 14);
  join.collect2(rec('S'), 6);
  t.deepEqual(harness.takeRecords(), ['L+R l=10 r=14 t=14@14', 'audit:L/R@14', 'L+S l=10 r=6 t=10@10', 'audit:L/S@10']);
});

test('a record behind the watermark is dropped without joining or being buffered', (t) => {
  const { harness, join } = joinOperator(-5, 5);
  join.collect2(rec('R'), 14);
  join.processWatermark(10);
  join.collect(rec('late'), 9);
  join.collect(rec('onTime'), 10);
  t.deepEqual(harness.takeRecords(), ['onTime+R@14']);
  t.deepEqual(join.bufferedRecords(), { left: 1, right: 1, cleanupTimers: 2 });
});

test('with a late-data side output, late records of each side go there with their own timestamps', (t) => {
  const { harness, join } = joinOperator(-5, 5, { leftLateDataTag: 'late-left', rightLateDataTag: 'late-right' });
  join.processWatermark(10);
  join.collect(rec('L'), 3);
  join.collect2(rec('R'), 9);
  join.collect2(rec('S'), 12);
  t.deepEqual(harness.takeRecords(), ['late-left:L@3', 'late-right:R@9']);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 1, cleanupTimers: 1 });
});

test('lateness is judged against the smaller of both inputs watermarks', (t) => {
  const { harness, join } = joinOperator(0, 0, { leftLateDataTag: 'late' });
  join.emitWatermark(20);
  join.secondInput.emitWatermark(5);
  join.collect(rec('L6'), 6);
  t.deepEqual(join.bufferedRecords(), { left: 1, right: 0, cleanupTimers: 1 });
  join.secondInput.emitWatermark(30);
  join.collect(rec('L19'), 19);
  t.deepEqual(harness.elements, ['wm:5', 'wm:20', 'late:L19@19']);
});

test('buffered records are removed once the watermark makes them unjoinable: left at t + upper, right at s - lower', (t) => {
  const { harness, join } = joinOperator(-2, 3);
  join.collect(rec('L1'), 10);
  join.collect(rec('L2'), 10);
  join.collect2(rec('R'), 20);
  t.deepEqual(join.bufferedRecords(), { left: 2, right: 1, cleanupTimers: 2 });
  join.processWatermark(12);
  t.deepEqual(join.bufferedRecords(), { left: 2, right: 1, cleanupTimers: 2 });
  join.processWatermark(13);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 1, cleanupTimers: 1 });
  // 13 is not behind the watermark, but L1 and L2 are gone (Flink's semantics: watermark 13 closed t <= 13).
  join.collect2(rec('R13'), 13);
  t.deepEqual(harness.takeRecords(), []);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 2, cleanupTimers: 2 });
  join.processWatermark(21);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 1, cleanupTimers: 1 });
  join.processWatermark(22);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 0, cleanupTimers: 0 });
  t.deepEqual(harness.elements, ['wm:21', 'wm:22']); // takeRecords() cleared those before
});

test('with a bound on the far side of zero, a record is cleaned up at its own timestamp, no earlier', (t) => {
  const before = joinOperator(-5, -1); // a left record only meets earlier right records
  before.join.collect(rec('L'), 10);
  before.join.processWatermark(9);
  before.join.collect2(rec('R9'), 9);
  t.deepEqual(before.harness.takeRecords(), ['L+R9@10']);
  t.deepEqual(before.join.bufferedRecords(), { left: 1, right: 1, cleanupTimers: 2 });
  before.join.processWatermark(10);
  t.deepEqual(before.join.bufferedRecords(), { left: 0, right: 1, cleanupTimers: 1 });
  before.join.processWatermark(14);
  t.deepEqual(before.join.bufferedRecords(), { left: 0, right: 0, cleanupTimers: 0 });
  const after = joinOperator(1, 5); // a right record only meets earlier left records
  after.join.collect2(rec('R'), 10);
  after.join.processWatermark(9);
  after.join.collect(rec('L9'), 9);
  t.deepEqual(after.harness.takeRecords(), ['L9+R@10']);
  after.join.processWatermark(10);
  t.deepEqual(after.join.bufferedRecords(), { left: 1, right: 0, cleanupTimers: 1 });
});

test('in BATCH nothing is late: every pair within the bounds joins, and the end of input empties the buffers', (t) => {
  const { harness, join } = joinOperator(-1, 1, { runtimeMode: 'BATCH' });
  join.collect(rec('L100'), 100);
  join.collect2(rec('R1'), 1);
  join.collect(rec('L2'), 2);
  join.collect2(rec('R101'), 101);
  t.deepEqual(harness.takeRecords(), ['L2+R1@2', 'L100+R101@101']);
  t.deepEqual(join.bufferedRecords(), { left: 2, right: 2, cleanupTimers: 4 });
  join.processWatermark(MAX_WATERMARK);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 0, cleanupTimers: 0 });
});

test('a record without a usable timestamp fails with MISSING_TIMESTAMP naming the operator and the input', (t) => {
  const { join } = joinOperator(0, 1);
  const advice =
    'an interval join works in event time and needs records with timestamps. Assign them with assignTimestampsAndWatermarks(WatermarkStrategy) before keyBy() (or read a source that sets them).';
  const missing = t.throws(() => join.collect(rec('L'), undefined), { instanceOf: WeirError });
  t.is(missing.code, 'MISSING_TIMESTAMP');
  t.is(missing.message, `operator "Interval Join" (id "interval-join-3") got a record without a timestamp on its left input: ${advice}`);
  const nan = t.throws(() => join.collect2(rec('R'), Number.NaN), { instanceOf: WeirError });
  t.is(nan.code, 'MISSING_TIMESTAMP');
  t.is(nan.message, `operator "Interval Join" (id "interval-join-3") got a record with timestamp NaN on its right input: ${advice}`);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 0, cleanupTimers: 0 });
});

test('a function that returns a promise fails naming the operator', (t) => {
  const fn = { processElement: async () => {} } as unknown as ProcessJoinFunction<Rec, Rec, string>;
  const { join } = joinOperator(0, 0, { fn });
  join.collect(rec('L'), 1);
  const error = t.throws(() => join.collect2(rec('R'), 1), { instanceOf: WeirError });
  t.regex(error.message, /operator "Interval Join" \(id "interval-join-3"\).*processElement/);
});
