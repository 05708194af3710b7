import test from 'ava';
import { NO_TIMESTAMP } from '../../../api/eventtime/timestamp-assigner.ts';
import type { WatermarkGenerator } from '../../../api/eventtime/watermark-generator.ts';
import { WatermarkStrategy } from '../../../api/eventtime/watermark-strategy.ts';
import { WeirError } from '../../../messages/errors.ts';
import { RecordingWatermarkOutput } from './recording-output.ts';

const OPERATOR = 'operator "Timestamps" (id "timestamps-1")';
const clock = { now: 0, currentProcessingTime: () => clock.now };

interface Click {
  readonly user: string;
  readonly at: number;
}

/** Feeds the records through a fresh generator of the strategy, then one periodic emission. */
function watermarksOf<T>(strategy: WatermarkStrategy<T>, records: readonly [T, number][]): string[] {
  const generator = strategy.createWatermarkGenerator(clock, OPERATOR);
  const assign = strategy.createTimestampAssigner(OPERATOR);
  const output = new RecordingWatermarkOutput();
  for (const [record, carried] of records) generator.onEvent(record, assign(record, carried), output);
  generator.onPeriodicEmit(output);
  return output.take();
}

test('forMonotonousTimestamps emits the highest timestamp minus 1', (t) => {
  t.deepEqual(watermarksOf(WatermarkStrategy.forMonotonousTimestamps<string>(), [['a', 10], ['b', 20]]), ['wm 19']);
});

test('forBoundedOutOfOrderness(ms) emits the highest timestamp minus the bound minus 1', (t) => {
  t.deepEqual(watermarksOf(WatermarkStrategy.forBoundedOutOfOrderness<string>(5000), [['a', 10_000], ['b', 7_000]]), ['wm 4999']);
});

test('noWatermarks emits nothing', (t) => {
  t.deepEqual(watermarksOf(WatermarkStrategy.noWatermarks<string>(), [['a', 10_000]]), []);
});

test('forGenerator makes one generator per call with the processing-time clock, and it may emit per event', (t) => {
  const made: number[] = [];
  const strategy = WatermarkStrategy.forGenerator<Click>((context) => {
    made.push(context.currentProcessingTime());
    return {
      onEvent: (click, timestamp, output) => {
        if (click.user === 'end-of-batch') output.emitWatermark(timestamp);
      },
      onPeriodicEmit: (output) => output.emitWatermark(context.currentProcessingTime()),
    };
  });
  clock.now = 42;
  t.deepEqual(
    watermarksOf(strategy.withTimestampAssigner((click) => click.at), [
      [{ user: 'ann', at: 5 }, NO_TIMESTAMP],
      [{ user: 'end-of-batch', at: 9 }, NO_TIMESTAMP],
    ]),
    ['wm 9', 'wm 42'],
  );
  strategy.createWatermarkGenerator(clock, OPERATOR);
  t.deepEqual(made, [42, 42]);
});

test('the default assigner keeps the timestamp the record carries; withTimestampAssigner replaces it', (t) => {
  const strategy = WatermarkStrategy.forMonotonousTimestamps<Click>();
  const click = { user: 'ann', at: 300 };
  t.is(strategy.createTimestampAssigner(OPERATOR)(click, 100), 100);
  t.is(strategy.createTimestampAssigner(OPERATOR)(click, NO_TIMESTAMP), NO_TIMESTAMP);
  const seen: number[] = [];
  const assigned = strategy.withTimestampAssigner((record, previous) => {
    seen.push(previous);
    return record.at + 1;
  });
  t.is(assigned.createTimestampAssigner(OPERATOR)(click, 100), 301);
  t.deepEqual(seen, [100], 'the assigner sees the carried timestamp');
  t.is(strategy.withTimestampAssigner({ extractTimestamp: (record: Click) => record.at * 2 }).createTimestampAssigner(OPERATOR)(click, 0), 600, "Flink's object form");
});

test('strategies are immutable: with… returns a new strategy and leaves the original as it was', (t) => {
  const base = WatermarkStrategy.forBoundedOutOfOrderness<Click>(10);
  const withAssigner = base.withTimestampAssigner((click) => click.at);
  const withIdleness = withAssigner.withIdleness(1000);
  t.not(withAssigner, base);
  t.is(base.timestampAssigner, undefined);
  t.is(base.idleTimeoutMs, undefined);
  t.is(withAssigner.idleTimeoutMs, undefined);
  t.is(withIdleness.timestampAssigner, withAssigner.timestampAssigner, 'withIdleness keeps the assigner');
  t.is(withIdleness.idleTimeoutMs, 1000);
  t.is(withIdleness.withTimestampAssigner((click) => click.at).idleTimeoutMs, 1000, 'withTimestampAssigner keeps the idleness');
  t.deepEqual(watermarksOf(base, [[{ user: 'a', at: 0 }, 50]]), ['wm 39'], 'the base still uses the carried timestamp');
});

test('withIdleness wraps the generator: idle once no event came for the timeout', (t) => {
  const strategy = WatermarkStrategy.forMonotonousTimestamps<string>().withIdleness(200);
  const generator = strategy.createWatermarkGenerator(clock, OPERATOR);
  const output = new RecordingWatermarkOutput();
  generator.onEvent('a', 10, output);
  for (const now of [1000, 1100, 1200]) {
    clock.now = now;
    generator.onPeriodicEmit(output);
  }
  t.deepEqual(output.take(), ['wm 9', 'wm 9', 'idle']);
});

test('a user assigner that returns no finite number fails naming the operator and the value', (t) => {
  const strategy = WatermarkStrategy.forMonotonousTimestamps<Click>();
  for (const [result, shown] of [
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['2024-01-01', 'the string "2024-01-01"'],
    [undefined, 'undefined'],
  ] as const) {
    const assign = strategy.withTimestampAssigner(() => result as unknown as number).createTimestampAssigner(OPERATOR);
    const error = t.throws(() => assign({ user: 'ann', at: 1 }, NO_TIMESTAMP), { instanceOf: WeirError });
    t.is(error?.code, 'USER_FUNCTION_FAILED');
    t.is(error?.message, `${OPERATOR}: the timestamp assigner returned ${shown}; a timestamp must be a whole number of milliseconds`);
  }
});

test('bad arguments fail at once with INVALID_ARGUMENT naming the method and the value', (t) => {
  const cases: [() => unknown, string][] = [
    [() => WatermarkStrategy.forBoundedOutOfOrderness(-1), 'WatermarkStrategy.forBoundedOutOfOrderness() needs a bound of 0 ms or more, got -1'],
    [() => WatermarkStrategy.forBoundedOutOfOrderness(Number.NaN), 'WatermarkStrategy.forBoundedOutOfOrderness() needs a bound of 0 ms or more, got NaN'],
    [() => WatermarkStrategy.forBoundedOutOfOrderness('5' as unknown as number), 'WatermarkStrategy.forBoundedOutOfOrderness() needs a bound of 0 ms or more, got the string "5"'],
    [() => WatermarkStrategy.forGenerator(null as never), 'WatermarkStrategy.forGenerator() needs a function (context) => ({ onEvent, onPeriodicEmit }), got null'],
    [
      () => WatermarkStrategy.noWatermarks().withTimestampAssigner({} as never),
      'WatermarkStrategy.withTimestampAssigner() needs a function (record, previousTimestamp) => timestamp or an object with extractTimestamp(), got an object',
    ],
    [() => WatermarkStrategy.noWatermarks().withIdleness(0), 'WatermarkStrategy.withIdleness() needs a timeout of more than 0 ms, got 0'],
    [() => WatermarkStrategy.noWatermarks().withIdleness(Number.POSITIVE_INFINITY), 'WatermarkStrategy.withIdleness() needs a timeout of more than 0 ms, got Infinity'],
  ];
  for (const [call, message] of cases) {
    const error = t.throws(call, { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_ARGUMENT');
    t.is(error?.message, message);
  }
});

test('a generator supplier that returns no generator fails naming the operator', (t) => {
  const strategy = WatermarkStrategy.forGenerator<string>(() => ({ onEvent: () => {} }) as unknown as WatermarkGenerator<string>);
  const error = t.throws(() => strategy.createWatermarkGenerator(clock, OPERATOR), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_FUNCTION');
  t.is(error?.message, `${OPERATOR}: the watermark generator supplier must return an object with onEvent() and onPeriodicEmit(); it returned an object`);
});
