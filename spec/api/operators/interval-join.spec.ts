// The IntervalJoinOperator driven record by record through the operator test harness (declared with
// the real intervalJoin() API): which pairs join (bounds, exclusivity, keys, arrival order), the
// timestamps of what it emits, late records, and the cleanup of its buffers as the watermark passes
// (observed through bufferedRecords()).
import test from 'ava';
import type { Collector, ProcessJoinContext, ProcessJoinFunction } from '../../../api/functions.ts';
import type { IntervalJoinOperator } from '../../../api/operators/interval-join.ts';
import { OutputTag } from '../../../api/output-tag.ts';
import type { DataStream } from '../../../api/data-stream.ts';
import { ProcessFunctionTestHarnesses, type TwoInputOperatorTestHarness, record, watermark } from '../../../api/testing/index.ts';
import type { RuntimeMode } from '../../../messages/job-graph.ts';
import { WeirError } from '../../../messages/errors.ts';

interface Rec {
  readonly key: string;
  readonly id: string;
}

const rec = (id: string, key = 'a'): Rec => ({ key, id });

/** Emits `left+right` for every pair. */
const pairs: ProcessJoinFunction<Rec, Rec, string> = {
  processElement: (left, right, _ctx, out) => out.collect(`${left.id}+${right.id}`),
};

interface Bounds {
  readonly lowerBoundInclusive?: boolean;
  readonly upperBoundInclusive?: boolean;
  readonly leftLateData?: OutputTag<Rec>;
  readonly rightLateData?: OutputTag<Rec>;
  readonly runtimeMode?: RuntimeMode;
  readonly fn?: ProcessJoinFunction<Rec, Rec, string>;
  /** The right input's key selector; the left's is `record.key`. */
  readonly rightKey?: (record: Rec) => string;
}

type JoinHarness = TwoInputOperatorTestHarness<Rec, Rec, string>;

async function joinOperator(lowerBound: number, upperBound: number, options: Bounds = {}): Promise<{ harness: JoinHarness; join: IntervalJoinOperator<string, Rec, Rec, string> }> {
  const harness = ProcessFunctionTestHarnesses.forTwoInputPipeline(
    (left: DataStream<Rec>, right: DataStream<Rec>) => {
      const joined = left.keyBy((record) => record.key).intervalJoin(right.keyBy(options.rightKey ?? ((record) => record.key))).between(lowerBound, upperBound);
      if (options.lowerBoundInclusive === false) joined.lowerBoundExclusive();
      if (options.upperBoundInclusive === false) joined.upperBoundExclusive();
      if (options.leftLateData) joined.sideOutputLeftLateData(options.leftLateData);
      if (options.rightLateData) joined.sideOutputRightLateData(options.rightLateData);
      return joined.process(options.fn ?? pairs);
    },
    { runtimeMode: options.runtimeMode ?? 'STREAMING' },
  );
  await harness.open();
  return { harness, join: harness.operator as IntervalJoinOperator<string, Rec, Rec, string> };
}

/** The records the main output got since the last call, as `value@timestamp`; forgets every output's. */
function takeRecords(harness: JoinHarness): string[] {
  const records = harness.getRecordOutput().map((element) => `${element.value}@${element.timestamp}`);
  harness.clearOutput();
  return records;
}

test('a left record joins the right records of its key within [t + lower, t + upper], whichever arrives first', async (t) => {
  const { harness } = await joinOperator(-2, 3);
  harness.processElement2(rec('R7'), 7);
  harness.processElement2(rec('R8'), 8);
  harness.processElement1(rec('L10'), 10);
  harness.processElement2(rec('R13'), 13);
  harness.processElement2(rec('R14'), 14);
  harness.processElement2(rec('R10b', 'b'), 10);
  harness.processElement1(rec('L12b', 'b'), 12);
  t.deepEqual(takeRecords(harness), ['L10+R8@10', 'L10+R13@13', 'L12b+R10b@12']);
});

test('each input is keyed by its own key selector', async (t) => {
  const { harness } = await joinOperator(0, 0, { rightKey: (record) => record.id.slice(0, 1) });
  harness.processElement1(rec('L', 'b'), 1);
  harness.processElement2(rec('bR', 'ignored'), 1);
  harness.processElement2(rec('aR', 'b'), 1);
  t.deepEqual(takeRecords(harness), ['L+bR@1']);
});

test('every pair joins once, with each record of a timestamp, from either side', async (t) => {
  const { harness } = await joinOperator(0, 0);
  harness.processElement1(rec('L1'), 5);
  harness.processElement1(rec('L2'), 5);
  harness.processElement2(rec('R1'), 5);
  harness.processElement2(rec('R2'), 5);
  harness.processElement1(rec('L3'), 5);
  t.deepEqual(takeRecords(harness), ['L1+R1@5', 'L2+R1@5', 'L1+R2@5', 'L2+R2@5', 'L3+R1@5', 'L3+R2@5']);
});

test('an exclusive bound leaves out the right records exactly at that bound', async (t) => {
  const joined = async (options: Bounds): Promise<string[]> => {
    const { harness } = await joinOperator(-2, 2, options);
    for (const ts of [7, 8, 9, 10, 11, 12, 13]) harness.processElement2(rec(`R${ts}`), ts);
    harness.processElement1(rec('L'), 10);
    return takeRecords(harness).map((element) => element.split('@')[0]);
  };
  t.deepEqual(await joined({}), ['L+R8', 'L+R9', 'L+R10', 'L+R11', 'L+R12']);
  t.deepEqual(await joined({ lowerBoundInclusive: false }), ['L+R9', 'L+R10', 'L+R11', 'L+R12']);
  t.deepEqual(await joined({ upperBoundInclusive: false }), ['L+R8', 'L+R9', 'L+R10', 'L+R11']);
  t.deepEqual(await joined({ lowerBoundInclusive: false, upperBoundInclusive: false }), ['L+R9', 'L+R10', 'L+R11']);
});

test('the function sees both timestamps; what it emits, main or side output, carries the larger', async (t) => {
  const audit = new OutputTag<string>('audit');
  const fn: ProcessJoinFunction<Rec, Rec, string> = {
    processElement(left: Rec, right: Rec, ctx: ProcessJoinContext, out: Collector<string>): void {
      out.collect(`${left.id}+${right.id} l=${ctx.getLeftTimestamp()} r=${ctx.getRightTimestamp()} t=${ctx.getTimestamp()}`);
      ctx.output(audit, `${left.id}/${right.id}`);
    },
  };
  const { harness } = await joinOperator(-5, 5, { fn });
  harness.processElement1(rec('L'), 10);
  harness.processElement2(rec('R'), 14);
  harness.processElement2(rec('S'), 6);
  t.deepEqual(harness.getSideOutput(audit), [record('L/R', 14), record('L/S', 10)]);
  t.deepEqual(takeRecords(harness), ['L+R l=10 r=14 t=14@14', 'L+S l=10 r=6 t=10@10']);
});

test('a record behind the watermark is dropped without joining or being buffered', async (t) => {
  const { harness, join } = await joinOperator(-5, 5);
  harness.processElement2(rec('R'), 14);
  harness.processBothWatermarks(10);
  harness.processElement1(rec('late'), 9);
  harness.processElement1(rec('onTime'), 10);
  t.deepEqual(takeRecords(harness), ['onTime+R@14']);
  t.deepEqual(join.bufferedRecords(), { left: 1, right: 1, cleanupTimers: 2 });
});

test('with a late-data side output, late records of each side go there with their own timestamps', async (t) => {
  const lateLeft = new OutputTag<Rec>('late-left');
  const lateRight = new OutputTag<Rec>('late-right');
  const { harness, join } = await joinOperator(-5, 5, { leftLateData: lateLeft, rightLateData: lateRight });
  harness.processBothWatermarks(10);
  harness.processElement1(rec('L'), 3);
  harness.processElement2(rec('R'), 9);
  harness.processElement2(rec('S'), 12);
  t.deepEqual(harness.getSideOutput(lateLeft), [record(rec('L'), 3)]);
  t.deepEqual(harness.getSideOutput(lateRight), [record(rec('R'), 9)]);
  t.deepEqual(harness.getRecordOutput(), []);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 1, cleanupTimers: 1 });
});

test('lateness is judged against the smaller of both inputs watermarks', async (t) => {
  const late = new OutputTag<Rec>('late');
  const { harness, join } = await joinOperator(0, 0, { leftLateData: late });
  harness.processWatermark1(20);
  harness.processWatermark2(5);
  harness.processElement1(rec('L6'), 6);
  t.deepEqual(join.bufferedRecords(), { left: 1, right: 0, cleanupTimers: 1 });
  harness.processWatermark2(30);
  harness.processElement1(rec('L19'), 19);
  t.deepEqual(harness.getOutput(), [watermark(5), watermark(20)]);
  t.deepEqual(harness.getSideOutput(late), [record(rec('L19'), 19)]);
});

test('buffered records are removed once the watermark makes them unjoinable: left at t + upper, right at s - lower', async (t) => {
  const { harness, join } = await joinOperator(-2, 3);
  harness.processElement1(rec('L1'), 10);
  harness.processElement1(rec('L2'), 10);
  harness.processElement2(rec('R'), 20);
  t.deepEqual(join.bufferedRecords(), { left: 2, right: 1, cleanupTimers: 2 });
  harness.processBothWatermarks(12);
  t.deepEqual(join.bufferedRecords(), { left: 2, right: 1, cleanupTimers: 2 });
  harness.processBothWatermarks(13);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 1, cleanupTimers: 1 });
  // 13 is not behind the watermark, but L1 and L2 are gone (Flink's semantics: watermark 13 closed t <= 13).
  harness.processElement2(rec('R13'), 13);
  t.deepEqual(takeRecords(harness), []);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 2, cleanupTimers: 2 });
  harness.processBothWatermarks(21);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 1, cleanupTimers: 1 });
  harness.processBothWatermarks(22);
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 0, cleanupTimers: 0 });
  t.deepEqual(harness.getOutput(), [watermark(21), watermark(22)]); // takeRecords() cleared those before
});

test('with a bound on the far side of zero, a record is cleaned up at its own timestamp, no earlier', async (t) => {
  const before = await joinOperator(-5, -1); // a left record only meets earlier right records
  before.harness.processElement1(rec('L'), 10);
  before.harness.processBothWatermarks(9);
  before.harness.processElement2(rec('R9'), 9);
  t.deepEqual(takeRecords(before.harness), ['L+R9@10']);
  t.deepEqual(before.join.bufferedRecords(), { left: 1, right: 1, cleanupTimers: 2 });
  before.harness.processBothWatermarks(10);
  t.deepEqual(before.join.bufferedRecords(), { left: 0, right: 1, cleanupTimers: 1 });
  before.harness.processBothWatermarks(14);
  t.deepEqual(before.join.bufferedRecords(), { left: 0, right: 0, cleanupTimers: 0 });
  const after = await joinOperator(1, 5); // a right record only meets earlier left records
  after.harness.processElement2(rec('R'), 10);
  after.harness.processBothWatermarks(9);
  after.harness.processElement1(rec('L9'), 9);
  t.deepEqual(takeRecords(after.harness), ['L9+R@10']);
  after.harness.processBothWatermarks(10);
  t.deepEqual(after.join.bufferedRecords(), { left: 1, right: 0, cleanupTimers: 1 });
});

test('in BATCH nothing is late: every pair within the bounds joins, and the end of input empties the buffers', async (t) => {
  const { harness, join } = await joinOperator(-1, 1, { runtimeMode: 'BATCH' });
  harness.processElement1(rec('L100'), 100);
  harness.processElement2(rec('R1'), 1);
  harness.processElement1(rec('L2'), 2);
  harness.processElement2(rec('R101'), 101);
  t.deepEqual(takeRecords(harness), ['L2+R1@2', 'L100+R101@101']);
  t.deepEqual(join.bufferedRecords(), { left: 2, right: 2, cleanupTimers: 4 });
  harness.endInput();
  t.deepEqual(join.bufferedRecords(), { left: 0, right: 0, cleanupTimers: 0 });
});

test('a record without a usable timestamp fails with MISSING_TIMESTAMP naming the operator and the input', async (t) => {
  const advice =
    'an interval join works in event time and needs records with timestamps. Assign them with assignTimestampsAndWatermarks(WatermarkStrategy) before keyBy() (or read a source that sets them).';
  const left = await joinOperator(0, 1);
  const missing = t.throws(() => left.harness.processElement1(rec('L')), { instanceOf: WeirError });
  t.is(missing.code, 'MISSING_TIMESTAMP');
  t.is(missing.message, `operator "Interval Join" (id "interval-join-4") got a record without a timestamp on its left input: ${advice}`);
  t.deepEqual(left.join.bufferedRecords(), { left: 0, right: 0, cleanupTimers: 0 });
  const right = await joinOperator(0, 1);
  const nan = t.throws(() => right.harness.processElement2(rec('R'), Number.NaN), { instanceOf: WeirError });
  t.is(nan.code, 'MISSING_TIMESTAMP');
  t.is(nan.message, `operator "Interval Join" (id "interval-join-4") got a record with timestamp NaN on its right input: ${advice}`);
  t.deepEqual(right.join.bufferedRecords(), { left: 0, right: 0, cleanupTimers: 0 });
});

test('a function that returns a promise fails naming the operator', async (t) => {
  const fn = { processElement: async () => {} } as unknown as ProcessJoinFunction<Rec, Rec, string>;
  const { harness } = await joinOperator(0, 0, { fn });
  harness.processElement1(rec('L'), 1);
  const error = t.throws(() => harness.processElement2(rec('R'), 1), { instanceOf: WeirError });
  t.regex(error.message, /operator "Interval Join" \(id "interval-join-4"\).*processElement/);
});
